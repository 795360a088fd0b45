// Wrong results and refusals the corpus4 helper found while writing
// application-style programs (test/realworld/) and fuzzing (seed 5150), each as
// the smallest program that shows it (test/inputs/corpus4-found/). Each test
// asserts the right answer. All are fixed: the writes through another name by
// desugar/aliases.ts, the second derivative through a quotient that overflowed
// (b * b) by forward.ts and reverse.ts, the nested grad of `!` by reverse.ts.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/corpus4-found");

describe("writes through another name for a record of a local array", () => {
  const file = path.join(DIR, "record-alias-writes.ts");
  const compiled = compile([file]);
  type Fn = (k: number) => number;
  const m = load(compiled, file) as Record<string, Fn> & {
    forOfValueAndGrad: (k: number) => [number, number];
    stepCopies: (b: { x: number; v: number }[]) => number;
    stepCopiesGrad: (b: { x: number; v: number }[]) => { x: number; v: number }[];
    tupleForOfValueAndGrad: (k: number) => [number, number];
    renamedAfterWrite: (s: { a: number; b: number }) => number;
    renamedAfterWriteValueAndGrad: (s: { a: number; b: number }) => [number, { a: number; b: number }];
  };
  const k = 1.3;

  it("compiles without diagnostics (tsgrad accepts every one of these programs)", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("the primal functions themselves return k²", () => {
    for (const name of ["forOf", "named", "found", "forEach", "tupleForOf"]) expect(m[name]!(k)).toBeCloseTo(k * k, 12);
  });
  // Today: value k (the write is dropped) and gradient 1.
  it("for...of: valueAndGrad gives the value k² and the derivative 2k", () => {
    expect(m.forOfValueAndGrad(k)).toEqual([m.forOf(k), 2 * k]);
  });
  // Today: 1 for each (the emitted adjoints never see the write).
  it("a const naming the element: the derivative is 2k", () => {
    expect(m.namedGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  it("an element found with find: the derivative is 2k", () => {
    expect(m.foundGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  it("forEach's parameter: the derivative is 2k", () => {
    expect(m.forEachGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  // sum (x + v)²: d/dx = d/dv = 2 (x + v). Today: d/dx = 2x, d/dv = 0.
  it("stepping copies of the caller's records: d/dx = d/dv = 2 (x + v)", () => {
    const bodies = [
      { x: 1, v: 2 },
      { x: 0.5, v: -1 },
    ];
    const g = m.stepCopiesGrad(bodies);
    bodies.forEach(({ x, v }, i) => {
      expect(g[i]!.x).toBeCloseTo(2 * (x + v), 12);
      expect(g[i]!.v).toBeCloseTo(2 * (x + v), 12);
    });
  });
  // Today: value k, derivative 1.
  it("for...of over tuples: valueAndGrad gives k² and 2k", () => {
    expect(m.tupleForOfValueAndGrad(k)).toEqual([m.tupleForOf(k), 2 * k]);
  });
  // 3 b, d/da = 0, d/db = 3. Today: the value b and d/db = 1.
  it("a record renamed after a field write: valueAndGrad gives 3 b and { a: 0, b: 3 }", () => {
    const s = { a: 1.5, b: 0.5 };
    const [value, g] = m.renamedAfterWriteValueAndGrad(s);
    expect(value).toBe(m.renamedAfterWrite(s));
    expect(g.a).toBeCloseTo(0, 12);
    expect(g.b).toBeCloseTo(3, 12);
  });
});

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
