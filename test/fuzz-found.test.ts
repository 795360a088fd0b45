// Bugs the fuzzer (test/fuzz/) found in the transformer, each as the smallest
// program that showed it (test/inputs/fuzz-found/), checked as a user would see it.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/fuzz-found");

describe("jvp of a function that returns from inside a loop", () => {
  const file = path.join(DIR, "jvp-early-return.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { f: (x: number, y: number) => number; df: (x: number, y: number, dx: number, dy: number) => [number, number] };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("keeps the loop and its return", () => {
    // The first iteration returns x * 0: value 0, tangent 0.
    expect(m.df(2, 1, 1, 0)).toEqual([0, 0]);
    expect(m.f(2, 1)).toBe(0);
  });
  it("still runs past the loop when it does not return", () => {
    // y * x with tangent dy * x + y * dx.
    expect(m.df(1, 2, 0.5, 0.25)).toEqual([2, 0.25 * 1 + 2 * 0.5]);
  });
});

describe("a Hessian through a call that takes an array depending on x", () => {
  const file = path.join(DIR, "hessian-array-call.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { H: (x: number[]) => number[][]; g: (x: number[]) => number[] };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("is the second derivative of x⁴, 12 x², and agrees with differences of the gradient", () => {
    for (const x of [1.18, -0.6, 2]) {
      const [[hxx]] = m.H([x]) as [[number]];
      expect(hxx).toBeCloseTo(12 * x * x, 9);
      const h = 1e-5;
      expect(hxx).toBeCloseTo((m.g([x + h])[0]! - m.g([x - h])[0]!) / (2 * h), 4);
    }
  });
});

describe("a Hessian through a callee whose vjp returns an array adjoint in a tuple", () => {
  const file = path.join(DIR, "hessian-tuple-adjoint.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { H: (x: number[]) => number[][]; g: (x: number[]) => number[] };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("is the Hessian of x³ y²: [[6 x y², 6 x² y], [6 x² y, 2 x³]]", () => {
    for (const [x, y] of [[1.18, 0.7], [-0.6, 2]] as const) {
      const H = m.H([x, y]);
      const exact = [[6 * x * y * y, 6 * x * x * y], [6 * x * x * y, 2 * x ** 3]];
      H.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(exact[i]![j]!, 9)));
    }
  });
});

describe("an if inside a loop that tests a boolean declared in the loop body", () => {
  const file = path.join(DIR, "loop-boolean-test.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { f: (w: number, xs: number[]) => number; df: (w: number, xs: number[]) => number };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("replays each iteration's decision: the gradient matches central differences (it was 2 for 2.5)", () => {
    for (const w of [-0.4, 0.3]) {
      const xs = [0.5, -0.9, 1.3];
      const h = 1e-6;
      const fd = (m.f(w + h, xs) - m.f(w - h, xs)) / (2 * h);
      expect(m.df(w, xs)).toBeCloseTo(fd, 6);
    }
    expect(m.df(-0.4, [0.5, -0.9, 1.3])).toBeCloseTo(2.5, 12);
  });
});

describe("array methods in one branch of ?:, and arrays made afresh per iteration, under forward mode", () => {
  const file = path.join(DIR, "array-method-branch.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as {
    product: (a: number[], x: number) => number;
    productJvp: (a: number[], x: number, da: number[], dx: number) => [number, number];
    productGrad: (a: number[], x: number) => number;
    H: (x: number[]) => number[][];
    g: (x: number[]) => number[];
    guarded: (a: Float64Array, x: number) => number;
    guardedGrad: (a: Float64Array, x: number) => number;
  };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("a guarded test inside a switch case: x² where the test holds, x where it does not", () => {
    const a = Float64Array.from([3, 3]);
    expect(m.guarded(a, 4)).toBe(16);
    expect(m.guardedGrad(a, 4)).toBe(8);
    expect(m.guarded(a, 1.5)).toBe(1.5);
    expect(m.guardedGrad(a, 1.5)).toBe(1);
  });
  it("jvp of a reduce with no initial value in a branch: its tangent, and the empty array's 0", () => {
    const a = [0.4, -1.3, 0.9];
    const [value, tangent] = m.productJvp(a, 0.7, [0, 0, 0], 1);
    expect(value).toBe(m.product(a, 0.7));
    const h = 1e-6;
    expect(tangent).toBeCloseTo((m.product(a, 0.7 + h) - m.product(a, 0.7 - h)) / (2 * h), 7);
    expect(tangent).toBeCloseTo(m.productGrad(a, 0.7), 12);
    expect(m.productJvp([], 0.7, [], 1)).toEqual([0, 0]);
  });
  it("the Hessian of 14 x0² Σ x_i² through a map per iteration is its closed form", () => {
    const x = [0.8, -0.5, 1.2];
    const Q = x.reduce((s, v) => s + v * v, 0);
    const exact = x.map((xi, i) => x.map((xj, j) => (i === 0 && j === 0 ? 28 * Q + 140 * x[0]! ** 2 : i === 0 || j === 0 ? 56 * x[0]! * (i === 0 ? xj : xi) : i === j ? 28 * x[0]! ** 2 : 0)));
    const H = m.H(x);
    H.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(exact[i]![j]!, 9)));
    expect(m.g(x)[1]).toBeCloseTo(28 * x[0]! ** 2 * x[1]!, 10);
  });
});

describe("a rest helper called with an argument that spreads an array", () => {
  const file = path.join(DIR, "rest-spread-argument.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as Record<"df" | "dInLoop", (a: number[] | Float64Array) => ArrayLike<number>> & Record<"f" | "inLoop", (a: number[] | Float64Array) => number>;

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("gives a[0] * max(a) its gradient: max(a) at 0, a[0] at the maximum", () => {
    expect(Array.from(m.df(Float64Array.of(0.5, 2, -1)))).toEqual([2, 0.5, 0]);
  });
  it("agrees with differences of the function in a loop", () => {
    const a = [0.3, -0.4, 0.8];
    const g = m.dInLoop(a);
    const h = 1e-6;
    a.forEach((_, i) => {
      const at = (t: number): number => m.inLoop(a.map((v, j) => (j === i ? v + t : v)));
      expect(g[i]!).toBeCloseTo((at(h) - at(-h)) / (2 * h), 6);
    });
  });
});

describe("grad(grad(f)) of a function that pushes into a local array", () => {
  const file = path.join(DIR, "hessian-push.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { ddf: (x: number) => number; dg: (x: number) => number; ddg: (x: number) => number };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("is the second derivative of 2x², and of records replaced by map agrees with differences of the gradient", () => {
    for (const x of [1.3, -0.4]) {
      expect(m.ddf(x)).toBeCloseTo(4, 12);
      const h = 1e-5;
      expect(m.ddg(x)).toBeCloseTo((m.dg(x + h) - m.dg(x - h)) / (2 * h), 5);
    }
  });
});

describe("seed 7331: Math.hypot over a spread array, stopGradient under ??, arrays spread among rest arguments", () => {
  const file = path.join(DIR, "seed-7331.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as {
    length: (xs: number[]) => number;
    lengthValueAndGrad: (xs: number[]) => [number, number[]];
    lengthJvp: (xs: number[], dxs: number[]) => [number, number];
    damped: (x: number, c: number) => number;
    dDamped: (x: number, c: number) => number;
    spreads: (x: number, xs: number[], ys: number[]) => number;
    dSpreads: (x: number, xs: number[], ys: number[]) => [number, number[], number[]];
  };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("gives Math.hypot(...xs) its value to the bit, where a scaled norm rounds differently", () => {
    // Here Math.hypot gives 9.047209514540935 and a scaled sum of squares 9.047209514540931.
    const xs = [1, 8.78, 1.94];
    const [value, g] = m.lengthValueAndGrad(xs);
    expect(value).toBe(m.length(xs));
    expect(m.lengthJvp(xs, [1, 0, 0])[0]).toBe(m.length(xs));
    g.forEach((gi, i) => expect(gi).toBeCloseTo(xs[i]! / m.length(xs), 14));
  });
  it("stops the gradient through the branch ?? keeps: x² stopped gives x², 2x·x gives 4x", () => {
    expect(m.dDamped(1.5, 1)).toBeCloseTo(2.25, 14);
    expect(m.dDamped(1.5, -1)).toBeCloseTo(6, 14);
    expect(m.damped(1.5, 1)).toBe(1.5 ** 3);
  });
  it("passes the joined arguments as JavaScript does: the gradient matches central differences", () => {
    for (const x of [0.6, -0.4, 1.3]) {
      const xs = [0.5, -0.9, 1.2];
      const ys = [0.3, 0.7];
      const [gx, gxs, gys] = m.dSpreads(x, xs, ys);
      const h = 1e-6;
      const d = (f: (t: number) => number): number => (f(h) - f(-h)) / (2 * h);
      expect(gx).toBeCloseTo(d((t) => m.spreads(x + t, xs, ys)), 5);
      xs.forEach((_, i) => expect(gxs[i]!).toBeCloseTo(d((t) => m.spreads(x, xs.map((v, j) => (j === i ? v + t : v)), ys)), 5));
      ys.forEach((_, i) => expect(gys[i]!).toBeCloseTo(d((t) => m.spreads(x, xs, ys.map((v, j) => (j === i ? v + t : v)))), 5));
    }
  });
});

describe("a helper of another file in a ?: branch of the callbacks that build a local matrix", () => {
  // The ?: was lifted into if statements although lowering never inlines such a helper,
  // which left a map callback the local-matrix pass does not read: refused.
  const file = path.join(DIR, "other-file-helper.ts");
  const compiled = compile([file, path.join(DIR, "other-file-helper-lib.ts")]);
  const m = load(compiled, file) as { f: (x: number, a: number[]) => number; df: (x: number, a: number[]) => [number, number[]] };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("matches central differences", () => {
    const x = 0.7;
    const a = [0.3, 1.9, -0.4];
    const [dx, da] = m.df(x, a);
    const h = 1e-6;
    expect(dx).toBeCloseTo((m.f(x + h, a) - m.f(x - h, a)) / (2 * h), 6);
    for (let k = 0; k < a.length; k++) {
      const up = a.map((v, i) => (i === k ? v + h : v));
      const down = a.map((v, i) => (i === k ? v - h : v));
      expect(da[k]).toBeCloseTo((m.f(x, up) - m.f(x, down)) / (2 * h), 6);
    }
  });
});

describe("a ?: whose branch joins spread arguments for a helper of another file", () => {
  const file = path.join(DIR, "branch-spread.ts");
  const compiled = compile([file, path.join(DIR, "branch-spread-lib.ts")]);
  const m = load(compiled, file) as {
    f: (x: number, a: number[], w: number) => number;
    df: (x: number, a: number[], w: number, dx: number, da: number[], dw: number) => [number, number];
    g: (x: number, a: number[], w: number) => [number, number[], number];
    h: (x: number, a: number[]) => number;
    dh: (x: number, a: number[], dx: number, da: number[]) => [number, number];
  };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("gives jvp and grad matching central differences on both branches", () => {
    const h = 1e-6;
    // All negative: the else branch, product(a0, a1) of the joined array; mixed: the sum of the kept.
    for (const a of [[-0.5, -1.5, -0.25], [0.75, -0.5, 1.25]]) {
      const [x, w] = [0.3, 1.7];
      const da = [0.2, -0.4, 0.9];
      const shifted = (t: number): number => m.f(x + 0.5 * t, a.map((v, i) => v + t * da[i]!), w - t);
      const [value, tangent] = m.df(x, a, w, 0.5, da, -1);
      expect(value).toBe(m.f(x, a, w));
      expect(tangent).toBeCloseTo((shifted(h) - shifted(-h)) / (2 * h), 6);
      const [gx, ga, gw] = m.g(x, a, w);
      expect(gx * 0.5 + ga.reduce((s, v, i) => s + v * da[i]!, 0) - gw).toBeCloseTo(tangent, 9);
    }
  });
  it("does the same through &&, whose right operand joins them", () => {
    // x ≤ 0 skips the product; 2 · 1.5 > 1 takes x · a0; 0.5 · 0.2 < 1 takes x + a1.
    for (const [x, a] of [[-0.4, [2, 1.5]], [0.6, [2, 1.5]], [0.6, [0.5, 0.2]]] as const) {
      const [value, tangent] = m.dh(x, [...a], 1, [0.3, -0.2]);
      expect(value).toBe(m.h(x, [...a]));
      expect(tangent).toBeCloseTo(x > 0 && a[0] * a[1] > 1 ? a[0] + 0.3 * x : 1 - 0.2, 12);
    }
  });
});
