// Forward mode against reverse mode and finite differences; Hessians
// (forward over reverse) against the analytic Hessian and differences of the
// gradient.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { stackDepth } from "../runtime/index.js";

const file = path.join(ROOT, "fixtures/forward.ts");
const compiled = compile([file]);
const m = load(compiled, file) as {
  quartic: (x: Float64Array) => number;
  quarticJvp: (x: Float64Array, v: Float64Array) => [number, number];
  quarticHessian: (x: Float64Array) => number[][];
};

const x = Float64Array.from([0.3, -1.2, 0.8, 2.1]);

function gradientByDifferences(f: (x: Float64Array) => number, at: Float64Array): number[] {
  return Array.from(at, (xi, i) => {
    const h = 1e-4 * Math.max(1, Math.abs(xi));
    const shift = (d: number) => {
      const y = Float64Array.from(at);
      y[i] = xi + d;
      return f(y);
    };
    return (shift(h) - shift(-h)) / (2 * h);
  });
}

describe("jvp", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("gives the directional derivative of an array function", () => {
    const v = Float64Array.from([0.5, -1, 0.25, 2]);
    const [value, tangent] = m.quarticJvp(x, v);
    expect(Object.is(value, m.quartic(x))).toBe(true);
    const g = gradientByDifferences(m.quartic, x);
    const expected = g.reduce((s, gi, i) => s + gi * v[i]!, 0);
    expect(Math.abs(tangent - expected)).toBeLessThan(1e-5 * (1 + Math.abs(expected)));
  });
});

describe("hessian", () => {
  it("matches the analytic Hessian", () => {
    const h = m.quarticHessian(x);
    expect(h).toHaveLength(4);
    for (let i = 0; i < 4; i++) {
      expect(Array.isArray(h[i])).toBe(true);
      for (let j = 0; j < 4; j++) {
        const exact = i === j ? 12 * x[i]! ** 2 - Math.sin(x[i]!) + 1 : Math.abs(i - j) === 1 ? -2 : 0;
        expect(Math.abs(h[i]![j]! - exact), `H[${i}][${j}]`).toBeLessThan(1e-12 * (1 + Math.abs(exact)));
      }
    }
  });

  it("leaves the runtime stacks balanced", () => {
    m.quarticHessian(x);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
});
