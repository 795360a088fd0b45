// Higher order (issue 15, items 6-8): each derivative checked against central
// finite differences of the derivative one order lower, compiled in one
// program (test/inputs/higher/program.ts) through the real transformer.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { stackDepth, tape } from "../runtime/index.js";

const file = path.join(ROOT, "test/inputs/higher/program.ts");
const rollouts = path.join(ROOT, "fixtures/checkpoint.ts");
const compiled = compile([file, rollouts]);
const m = load(compiled, file) as Record<string, (...args: never[]) => unknown>;
const fn = <A extends unknown[], R>(name: string) => m[name] as unknown as (...args: A) => R;

const H = 1e-5;
/** Central difference of a scalar function of one number. */
const diff = (f: (t: number) => number, t: number): number => (f(t + H) - f(t - H)) / (2 * H);
const close = (got: number, want: number, what: string): void => {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
};
/** The point x with entry i moved by t. */
const moved = <X extends Float64Array | number[]>(x: X, i: number, t: number): X => {
  const y = (x instanceof Float64Array ? Float64Array.from(x) : [...x]) as X;
  y[i] = y[i]! + t;
  return y;
};

/** Row i of the Hessian is the derivative of the gradient along e_i; it is symmetric. */
function checkHessian<X extends Float64Array | number[]>(name: string, hess: (x: X) => number[][], gradient: (x: X) => ArrayLike<number>, x: X): void {
  const rows = hess(x);
  expect(stackDepth()).toEqual({ values: 0, control: 0 });
  expect(rows).toHaveLength(x.length);
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < x.length; j++) {
      close(rows[i]![j]!, diff((t) => gradient(moved(x, i, t))[j]!, 0), `${name} H[${i}][${j}]`);
      close(rows[i]![j]!, rows[j]![i]!, `${name} symmetry ${i},${j}`);
    }
  }
}

describe("higher-order derivatives", () => {
  it("compile without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("Hessians through every runtime reduction (Float64Array and number[])", () => {
    checkHessian("reductions", fn<[Float64Array], number[][]>("reductionsHessian"), fn("reductionsGrad"), Float64Array.from([0.3, -0.7, 1.2, 0.5]));
    // prod with a zero entry: the tangent of its adjoint stays exact there.
    checkHessian("reductions at a zero", fn<[Float64Array], number[][]>("reductionsHessian"), fn("reductionsGrad"), Float64Array.from([0.3, 0, 1.2, 0.5]));
    checkHessian("reductions of number[]", fn<[number[]], number[][]>("reductionsJsHessian"), fn("reductionsJsGrad"), [0.4, 1.1, -0.2]);
  });

  it("a Hessian w.r.t. any parameter position: an array (rows) or a number (a number)", () => {
    const s = 0.7;
    const x = [0.5, -1.2, 0.9];
    const hx = fn<[number, number[]], number[][]>("chainHessianX");
    const gx = fn<[number, number[]], number[]>("chainGradX");
    checkHessian("chain wrt x", (y: number[]) => hx(s, y), (y: number[]) => gx(s, y), x);
    const hs = fn<[number, number[]], number>("chainHessianS")(s, x);
    close(hs, diff((t) => fn<[number, number[]], number>("chainGradS")(t, x), s), "chain wrt s");
  });

  it("grad(grad(f)) and grad(grad(grad(f))) through a loop that uses the tape, w.r.t. a number and an array", () => {
    const x = Float64Array.from([0.8, -0.4, 1.3, 0.6]);
    const s = 0.45;
    const slope = fn<[number, Float64Array], number>("rolloutSlope");
    const curvature = fn<[number, Float64Array], number>("rolloutCurvature");
    close(curvature(s, x), diff((t) => slope(t, x), s), "rollout''");
    close(fn<[number, Float64Array], number>("rolloutThird")(s, x), diff((t) => curvature(t, x), s), "rollout'''");
    const [value, second] = fn<[number, Float64Array], [number, number]>("rolloutValueAndCurvature")(s, x);
    expect(value).toBe(slope(s, x));
    expect(second).toBe(curvature(s, x));
    const mixed = fn<[number, Float64Array], Float64Array>("rolloutMixed")(s, x);
    expect(mixed).toBeInstanceOf(Float64Array);
    for (let j = 0; j < x.length; j++) close(mixed[j]!, diff((t) => slope(s, moved(x, j, t)), 0), `d/dx${j} of d/ds`);
    const gx = fn<[number, Float64Array], Float64Array>("rolloutGradX");
    checkHessian("rollout wrt x", (y: Float64Array) => fn<[number, Float64Array], number[][]>("rolloutHessianX")(s, y), (y: Float64Array) => gx(s, y), x);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it("a local array, reductions of it and an early return", () => {
    const slope = fn<[number, number], number>("scratchSlope");
    for (const [x, n] of [[0.3, 4], [-0.6, 2], [0.9, 0]] as const) {
      const second = fn<[number, number], number>("scratchCurvature")(x, n);
      close(second, diff((t) => slope(t, n), x), `scratch'' at ${x}, ${n}`);
      expect(fn<[number, number], number>("scratchHessian")(x, n)).toBe(second);
    }
  });

  it("calls whose vjps return tuples (the fuzzer's nested-grad gap)", () => {
    const slope = fn<[number], number>("nestedCallsSlope");
    for (const x of [0.4, -1.1]) close(fn<[number], number>("nestedCallsCurvature")(x), diff(slope, x), `g(x, g(x, x))'' at ${x}`);
  });

  it("grad of a function that calls a jvp result and a bound gradient, and grad of that", () => {
    const slope = fn<[number], number>("usesTransformsSlope");
    const f = fn<[number], number>("usesTransforms");
    for (const x of [0.35, -0.8]) {
      close(slope(x), diff(f, x), `usesTransforms' at ${x}`);
      close(fn<[number], number>("usesTransformsCurvature")(x), diff(slope, x), `usesTransforms'' at ${x}`);
    }
  });
});

describe("checkpoint", () => {
  /** The gradient at (p, n), and how long the value stack had to grow for it (from a 16-slot tape). */
  const measured = (gradient: (p: number, n: number) => number, n: number): { value: number; slots: number; ms: number } => {
    const saved = tape.values;
    tape.values = new Float64Array(16);
    try {
      const t0 = performance.now();
      const value = gradient(0.7, n);
      return { value, slots: tape.values.length, ms: performance.now() - t0 };
    } finally {
      tape.values = saved;
    }
  };

  it("a long rollout through a checkpointed step keeps one value per step on the tape, the inline one every stage", () => {
    const r = load(compiled, rollouts) as Record<string, (p: number, n: number) => number>;
    const n = 200_000;
    const withCheckpoint = measured(r.rolloutGrad!, n);
    const inline = measured(r.rolloutInlineGrad!, n);
    console.log(`rollout of ${n} RK4 steps: tape ${withCheckpoint.slots} slots with checkpoint (${withCheckpoint.ms.toFixed(0)} ms), ${inline.slots} inline (${inline.ms.toFixed(0)} ms)`);
    // The checkpointed loop saves the state x per step; the inline one also saves the three stage points.
    expect(withCheckpoint.slots).toBeLessThanOrEqual(n + 64);
    expect(inline.slots).toBeGreaterThanOrEqual(4 * n);
    close(withCheckpoint.value, inline.value, "the same gradient");
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
});
