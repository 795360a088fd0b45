// stopGradient in forward mode and under a Hessian (forward over reverse): the
// stopped value is a constant there too. Reverse mode is in fixtures/stop.ts.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const file = path.join(ROOT, "fixtures/stop.ts");
const compiled = compile([file]);
const m = load(compiled, file) as {
  frozenProductJvp: (x: number, y: number, dx: number, dy: number) => [number, number];
  frozenProductHessian: (w: Float64Array) => number[][];
  logSumExpShifted: (x: Float64Array) => number;
  logSumExpHessian: (x: Float64Array) => number[][];
};

describe("stopGradient", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("has a zero tangent in jvp", () => {
    // f = x * stop(x y) + y: df = stop(x y) dx + dy.
    const [value, tangent] = m.frozenProductJvp(3, 2, 0.5, -1);
    expect(value).toBe(3 * 6 + 2);
    expect(tangent).toBe(6 * 0.5 - 1);
  });

  it("is a constant in a Hessian", () => {
    // f = (w·w) sum(stop(w)): gradient 2 w S, Hessian 2 S I with S = sum(w), not 2 S I + 2 w 1ᵀ.
    const w = Float64Array.from([1, 2, -0.5]);
    const s = 2.5;
    const h = m.frozenProductHessian(w);
    expect(h).toEqual([0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 2 * s : 0))));
  });

  it("gives logSumExp's Hessian, diag(p) - p pᵀ with p the softmax, through a stopped shift", () => {
    const x = Float64Array.from([0.5, -1.25, 2, 1.75]);
    const e = Array.from(x, (xi) => Math.exp(xi - 2));
    const total = e.reduce((s, ei) => s + ei, 0);
    const p = e.map((ei) => ei / total);
    const h = m.logSumExpHessian(x);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const expected = (i === j ? p[i]! : 0) - p[i]! * p[j]!;
        expect(Math.abs(h[i]![j]! - expected)).toBeLessThan(1e-15);
      }
    }
  });

  it("is the identity on values", () => {
    const x = Float64Array.from([1000, 999, -5]);
    const max = 1000;
    const expected = max + Math.log(1 + Math.exp(-1) + Math.exp(-1005));
    expect(m.logSumExpShifted(x)).toBe(expected);
  });
});
