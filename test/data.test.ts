// Issue 11 finding 1 and issue 12's data items through every transform: a
// getter is differentiated through (never an input), constant parameters and
// inner functions under grad, grad(grad), jvp, valueAndGrad and hessian.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const file = path.join(ROOT, "test/inputs/data/classes.ts");
const compiled = compile([file]);
type Pair = [number, number];
const m = load(compiled, file) as {
  Pt: new (a: number) => { a: number };
  Quad: new (a: number, b: number) => { a: number; b: number };
  reported: Record<string, number>;
  g: (x: number, kind: "tanh" | "cube") => number;
  dg: (x: number, kind: "tanh" | "cube") => number;
  ddg: (x: number, kind: "tanh" | "cube") => number;
  jg: (x: number, kind: "tanh" | "cube", dx: number, dk: "tanh" | "cube") => Pair;
  vg: (x: number, kind: "tanh" | "cube") => Pair;
  energy: (q: { a: number; b: number }) => number;
  jEnergy: (q: object, dq: { a: number; b: number }) => Pair;
  dEnergy: (q: object) => { a: number; b: number };
  hh: (x: Float64Array) => number[][];
};

const near = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b)));

describe("getters, constant parameters and inner functions under every transform", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("differentiates through the getter of the report: d/da (a² + 3a) = 2a + 3 = 6 at 1.5, and sq is no input", () => {
    expect(m.reported).toEqual({ a: 6 });
  });

  it("grad, grad(grad), jvp and valueAndGrad agree with the derivatives written by hand", () => {
    for (const x of [0.4, -1.3]) {
      // tanh: x tanh x; cube: x⁴
      const t = Math.tanh(x);
      near(m.dg(x, "tanh"), t + x * (1 - t * t));
      near(m.dg(x, "cube"), 4 * x ** 3);
      near(m.ddg(x, "cube"), 12 * x ** 2);
      near(m.ddg(x, "tanh"), 2 * (1 - t * t) - 2 * x * t * (1 - t * t));
      const [value, tangent] = m.jg(x, "tanh", 2, "tanh");
      expect(value).toBe(m.g(x, "tanh"));
      near(tangent, 2 * m.dg(x, "tanh"));
      expect(m.vg(x, "cube")).toEqual([m.g(x, "cube"), m.dg(x, "cube")]);
    }
  });

  it("forward and reverse mode through a getter of a class with a method", () => {
    const q = new m.Quad(0.7, -0.4);
    const d = m.dEnergy(q);
    near(d.a, 2 * 0.7 * -0.4);
    near(d.b, 0.7 * 0.7 + Math.cos(-0.4));
    const [value, tangent] = m.jEnergy(q, { a: 1, b: 2 });
    expect(value).toBe(m.energy(q));
    near(tangent, d.a + 2 * d.b);
  });

  it("hessian through an inner function reading the parameter", () => {
    // h = Σ x_i² x_{i+1} (cyclic): ∂²h/∂x_i² = 2 x_{i+1}, ∂²h/∂x_i∂x_{i+1} = 2 x_i.
    const x = Float64Array.from([0.5, -1, 2]);
    const H = m.hh(x);
    const n = x.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const expected = i === j ? 2 * x[(i + 1) % n]! : j === (i + 1) % n ? 2 * x[i]! : i === (j + 1) % n ? 2 * x[j]! : 0;
        near(H[i]![j]!, expected);
      }
    }
  });
});
