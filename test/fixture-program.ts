// The golden fixtures as one program, compiled once per test worker and shared
// by the test files that read it: fixtures.test (the goldens, the emitted code
// run against finite differences), sourcemaps.test (the maps of the same emit)
// and standalone.test (tsgrad's plan of it, for `tsgrad emit --out`). Each
// compiled and planned all fixtures itself: about 45 s of CPU each on a loaded
// 2-core machine, where the tests that read the result take a few. The vitest
// config runs the files of a worker in one module graph (isolate: false), so
// this module, and the program it holds, is made once per worker; the files
// that land in the other worker compile it once there.
// Compiled with `sourceMap: true` (what sourcemaps.test reads): the JavaScript
// is the same but for its closing `//# sourceMappingURL=` comment, and the plan
// (tsgrad's generated code, the goldens) does not depend on the option.
// Nothing reading it may change it: the program, its plan and the emitted
// files are read only.

import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./harness.js";
import { compileWithMaps, type MappedProgram } from "./sourcemap.js";

export const FIXTURES = path.join(ROOT, "fixtures");

/** The fixtures' names (fixtures/<name>.ts), sorted: every source but the goldens and check.ts. */
export const fixtureNames: readonly string[] = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".grad.ts") && f !== "check.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

let compiled: { files: string; value: MappedProgram } | undefined;

/**
 * Every fixture compiled as one program with the harness's compiler options and
 * `sourceMap: true`, emitted through the transformer: made on first use in a
 * worker, and the same one after while the fixtures' sources read the same.
 */
export function fixturesCompiled(): MappedProgram {
  const files = fixtureNames.map((n) => path.join(FIXTURES, `${n}.ts`));
  const key = files.map((f) => fs.readFileSync(f, "utf8")).join("\0");
  if (compiled?.files !== key) compiled = { files: key, value: compileWithMaps(files) };
  return compiled.value;
}
