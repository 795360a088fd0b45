// Wrong results and refusals the corpus4 helper found while writing
// application-style programs (test/realworld/) and fuzzing (seed 5150), each as
// the smallest program that shows it (test/inputs/corpus4-found/). Each test
// asserts the right answer. All are fixed: the second derivative through a
// quotient that overflowed (b * b) by forward.ts and reverse.ts, the nested grad
// of `!` by reverse.ts. The writes through another name for a record that were
// dropped (found with these) are fixed by desugar/aliases.ts and tested, on the
// same program, by test/aliases.test.ts.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/corpus4-found");

describe("grad(grad(f)) of an early return, then ?? after a negated comparison (fuzz seed 5150 #107)", () => {
  const file = path.join(DIR, "nested-grad-negated-nullish.ts");
  const compiled = compile([file]);

  // Was TS90001 "tsgrad cannot yet differentiate through this value" at the function: reverse
  // mode over grad(f) met the flag `test = !(x0 <= tanh(x0))` and had no rule for `!`.
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("gives the second derivative: f = x0² for x0 > tanh(x0) > 0, so f'' = 2", () => {
    const m = load(compiled, file) as { ddf: (x0: number, n1: number) => number };
    expect(m.ddf(1.3, 2)).toBeCloseTo(2, 10);
  });
  it("and where reduceRight gives the value: f = 0.75 x0 for x0 <= tanh(x0), so f'' = 0; f = x0² when n1 <= 0", () => {
    const m = load(compiled, file) as { ddf: (x0: number, n1: number) => number };
    expect(m.ddf(-1.3, 2)).toBe(0);
    expect(m.ddf(-1.3, 0)).toBeCloseTo(2, 10);
  });
});

describe("grad(grad(f)) through a recursive helper whose recursive calls nest (fuzz seed 5150 #237)", () => {
  const file = path.join(DIR, "nested-grad-recursive.ts");
  const compiled = compile([file]);
  type F = (x0: number, a1: number[]) => number;
  const m = load(compiled, file) as { f1: F; df: F; ddf: F };
  const a1 = [-1.546853556, -0.915447446];
  const x0 = 1.685102618;
  const central = (g: F, h: number) => (g(x0 + h, a1) - g(x0 - h, a1)) / (2 * h);

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("grad(f1) agrees with differences of f1", () => {
    expect(m.df(x0, a1) / central(m.f1, 1e-5)).toBeCloseTo(1, 7);
  });
  // Was 19845184.3 against 68758.367: the tangent of a / b squared b, which overflowed at b = 1 + exp(4 x) > 1e154.
  it("grad(grad(f1)) agrees with differences of grad(f1)", () => {
    expect(m.ddf(x0, a1) / central(m.df, 1e-5)).toBeCloseTo(1, 6);
  });
});
