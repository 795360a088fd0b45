// Array methods with callbacks (transformer/desugar/array-methods/): the loops
// they become give f's values to the bit (reduce folds in JavaScript's order),
// gradients that match finite differences, and located refusals that name the
// call as the user wrote it. Fixture fixtures/array-methods.ts shows the code.

import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Compiled, compile, load, ROOT } from "./harness.js";
import { argumentGradient, flatten } from "./numeric.js";
import type { Arg } from "../fixtures/check.js";

const DIR = path.join(ROOT, "test/inputs/array-methods");
const PROGRAMS = path.join(DIR, "programs.ts");
const REFUSED = path.join(DIR, "refused.ts");

type Fn = (...args: any[]) => any;
let compiled: Compiled;
let m: Record<string, Fn>;

beforeAll(() => {
  compiled = compile([PROGRAMS, REFUSED]);
  m = load(compiled, PROGRAMS) as Record<string, Fn>;
});

describe("values are f's to the bit", () => {
  // 1e16 + 1 loses the 1: the order of the additions decides the result.
  const orderMatters = [1e16, 1, -1e16, 1, 0.1, 0.2, 0.3];
  it.each([
    ["reduce", "sumLeft", [orderMatters]],
    ["reduceRight without an initial value", "sumRight", [orderMatters]],
    ["map, filter, reduce without an initial value", "chained", [[0.1, -3, 0.2, 0.30000000000000004, 7], 1.1]],
    ["loop conditions", "loopConditions", [[0.1, 0.2, 0.3], 0.3]],
    // for...of over a chain: fused where that gives JavaScript's values, the arrays kept where not
    ["for...of over filter/map with a break", "fusedBreak", [[0.5, -1, 0.25, 3, 0.1], 0.9]],
    ["for...of whose body writes the mapped array", "keptArrays", [[0.5, -1, 2], 0.7]],
  ])("%s", (_name, fn, args) => {
    const [value, gradient] = m[`${fn}VG`]!(...args);
    expect(Object.is(value, m[fn]!(...args))).toBe(true);
    expect(flatten(gradient).every(Number.isFinite)).toBe(true);
  });
});

describe("gradients match finite differences", () => {
  const cases: [string, unknown[]][] = [
    ["exits", [[0.3, 1.2, -0.4, 2.5], 1.25]],
    ["exits", [[0.3, 1.2, 1.19], 1.2]],
    ["shared", [[0.3, -0.7, 1.1], 0.8]],
    ["lazy", [[0.5, 0.9, 1.3], 0.2]],
    ["lazy", [[0.5, -0.9, 1.3], 0.2]],
    ["lazy", [[0.5, 0.9], 0.2]],
    ["walks", [[0.5, -0.9, 1.3], [2, -1]]],
    ["windows", [new Float64Array([0.5, -0.9, 1.3, 2, 0.25]), 3]],
    ["fallthrough", [[0.5, -0.9, 1.3], 0.7]],
    ["tailCopied", [[0.5, -0.9, 1.3], 0.7]],
    ["tailCopied", [[0.5, -0.9, 1.3], 2.5]],
    ["tailCopied", [[0.5, -0.9, 1.3], -1.5]],
    ["loopConditions", [[0.5, 0.9, 1.3], 0.7]],
    ["loopConditions", [[0.5, -0.9, 1.3], -0.4]],
    ["fusedBreak", [[0.5, -1, 0.25, 3, 0.1], 0.9]],
    ["keptArrays", [[0.5, -1, 2], 0.7]],
  ];
  const grads: Record<string, string> = { exits: "dExits", shared: "dShared", lazy: "dLazy", walks: "dWalks", windows: "dWindows", fallthrough: "dFallthrough", tailCopied: "dTailCopied", loopConditions: "dLoopConditions", fusedBreak: "dFusedBreak", keptArrays: "dKeptArrays" };
  it.each(cases)("%s at %j", (fn, args) => {
    const got = m[grads[fn]!]!(...args) as unknown[];
    const f = m[fn]! as (...a: Arg[]) => number;
    got.forEach((g, i) => {
      const want = argumentGradient(f, args as Arg[], i);
      const have = flatten(g);
      expect(have.length).toBe(want.length);
      have.forEach((x, k) => expect(Math.abs(x - want[k]!)).toBeLessThan(1e-6 * (1 + Math.abs(want[k]!))));
    });
  });
});

describe("refusals name the call as written", () => {
  const messages = (): string[] =>
    compiled.diagnostics
      .filter((d) => d.file?.fileName === REFUSED)
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
        return `${line + 1}: TS${d.code} ${typeof d.messageText === "string" ? d.messageText : d.messageText.messageText}`;
      });
  it.each([
    ["7: TS90011", "'NAMES.map(...)' walks an array of 'string'"],
    ["12: TS90006", "tsgrad cannot see which function 'f' is, so it cannot inline it into the loop 'xs.map(...)' stands for"],
    ["18: TS90001", "the loop update 'k += xs.filter((x) => x > 0).length' calls an array method"],
    ["25: TS90001", "the callback of 'xs.map(...)' returns from inside a loop"],
    ["32: TS90001", "pass 'xs.map(...)' only its callback"],
  ])("%s", (where, text) => {
    expect(messages().some((x) => x.startsWith(where) && x.includes(text)), messages().join("\n")).toBe(true);
  });
  it("reports nothing else", () => {
    expect(messages()).toHaveLength(5);
  });
});
