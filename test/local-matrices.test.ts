// Local number[][] (issue 13, items 1 and 3): each is one flat array with a row
// stride, so gradients through it have known values, also for a matrix mapped
// from rows of different lengths (each row kept at its own length).

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient } from "./numeric.js";

const file = path.join(ROOT, "test/inputs/nested/matrices.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: unknown[]) => unknown>;

describe("local number[][] as flat arrays", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("a map of maps gives the gradient of (sum x)^2", () => {
    const x = [0.5, -1, 2, 0.25];
    const total = x.reduce((a, b) => a + b, 0);
    expect(m.dOuterSum!(x)).toEqual(x.map(() => 2 * total));
  });

  it("entries overwritten in place are restored for the backward sweep", () => {
    const x = [0.5, -1.5, 2];
    const g = m.dSquaredDiagonal!(x) as number[];
    g.forEach((gi, i) => expect(gi).toBeCloseTo(4 * x[i]! ** 3, 12));
    const fd = argumentGradient(m.squaredDiagonal as never, [x] as never, 0);
    g.forEach((gi, i) => expect(Math.abs(gi - fd[i]!)).toBeLessThan(1e-7 * (1 + Math.abs(fd[i]!))));
  });

  it("rows of one length from a parameter: the gradient of s^2 * sum of squares", () => {
    const rows = [
      [1, 2],
      [3, -1],
    ];
    expect(m.dRowScaled!(rows, 0.5) as number).toBeCloseTo(2 * 0.5 * 15, 12);
  });

  it("rows of different lengths: each row keeps its own length (ragged-rows.ts), the gradient as for equal rows", () => {
    const rows = [[1, 2, 3], [4]];
    expect(m.rowScaled!(rows, 0.5)).toBeCloseTo(0.25 * 30, 12);
    expect(m.dRowScaled!(rows, 0.5) as number).toBeCloseTo(2 * 0.5 * 30, 12);
  });

  it("a read past the end of a short row is NaN, as the undefined JavaScript reads there; rows long enough are read as before", () => {
    const short = [[1, 2, 3], [4]];
    expect(m.pastShortRow!(short, 0.5)).toBeNaN();
    const [value, g] = m.pastShortRowValueAndGrad!(short, 0.5) as [number, number];
    expect(value).toBeNaN();
    expect(g).toBeNaN();
    const long = [[1, 2, 3], [4, 5, 6, 7]];
    const [v2, g2] = m.pastShortRowValueAndGrad!(long, 0.5) as [number, number];
    expect(v2).toBe(m.pastShortRow!(long, 0.5));
    expect(g2).toBeCloseTo(2 * 0.5 * (3 * 1 + 6 * 4), 12);
  });
});
