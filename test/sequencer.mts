// The order test files start in: the slowest first.
//
// Two workers take the files one at a time, in this order. Vitest's own order
// runs the files it has no record of by size, largest first, and a fresh
// clone (CI) has no record: fuzz.test.ts (5 KB, some 100 s) and
// standalone.test.ts (5 KB, some 90 s) then started two thirds of the way
// through and ran on alone after the other worker had finished. Started first,
// a long file overlaps the many short ones instead.
// Vitest's record would not help either: it times a file's tests, not the
// programs the file compiles as it loads (most files compile at the top).

import * as path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each file took alone on a quiet 2-core machine (CPU time, rounded),
 * slowest first. Files not listed take a few seconds each and follow, largest
 * first. Re-measure with `/usr/bin/time -v npx vitest run test/X.test.ts` when
 * a file's share changes much.
 */
export const SLOWEST: readonly (readonly [string, number])[] = [
  ["e2e-pack.test.ts", 160],
  ["fuzz.test.ts", 100],
  ["standalone.test.ts", 90],
  ["never-crash.test.ts", 70],
  ["incremental.test.ts", 65],
  ["cli.test.ts", 60],
  ["long-expressions.test.ts", 60],
  ["hygiene.test.ts", 40],
  ["robustness.test.ts", 30],
  ["e2e-syntax.test.ts", 25],
  ["language-service.test.ts", 20],
  ["compilers.test.ts", 15],
  ["vite.test.ts", 12],
  ["fixtures.test.ts", 11],
  ["gradbench.test.ts", 9],
  ["sourcemaps.test.ts", 7],
];

const rank = new Map(SLOWEST.map(([file], i) => [file, i]));

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const bySize = await super.sort(files);
    const at = (spec: TestSpecification): number => rank.get(path.basename(spec.moduleId)) ?? SLOWEST.length;
    // A stable sort: the unlisted files keep vitest's order among themselves.
    return bySize.map((spec, i) => ({ spec, i })).sort((a, b) => at(a.spec) - at(b.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
