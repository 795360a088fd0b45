// vjp, jvp of vector- and structure-valued functions, jacobian and jacfwd,
// hasAux and into (fixtures/vjp.ts, fixtures/jacobian.ts): every result
// against finite differences, Jacobians column by column, and the transforms
// against each other (jacobian = jacfwd, the dot-product test of vjp and jvp).

import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";
import { stackDepth } from "../runtime/index.js";

const files = [...["vjp", "jacobian"].map((n) => path.join(ROOT, "fixtures", `${n}.ts`)), path.join(ROOT, "test/inputs/transforms/edges.ts")];
const compiled = compile(files);
const vjps = load(compiled, files[0]!);
const jacs = load(compiled, files[1]!);
const edges = load(compiled, files[2]!);

type Fn = (...args: never[]) => unknown;
const fn = (m: Record<string, unknown>, name: string): ((...args: unknown[]) => unknown) => m[name] as (...args: unknown[]) => unknown;

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const close = (actual: readonly number[], expected: readonly number[], tol = 1e-7): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!))));
};

/** A pseudo-random value shaped like `a` (numbers in [-1, 1]), deterministic. */
function like(a: unknown, seed: { s: number }): unknown {
  const next = (): number => {
    seed.s = (seed.s * 16807) % 2147483647;
    return (seed.s / 2147483647) * 2 - 1;
  };
  const copy = (x: unknown): unknown => {
    if (typeof x === "number") return next();
    if (x instanceof Float64Array) return Float64Array.from(x, () => next());
    if (Array.isArray(x)) return x.map(copy);
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)]));
    return x;
  };
  return copy(a);
}

/** The gradient of <f(args), ct> with respect to argument i, by differences. */
const contracted = (f: (...a: unknown[]) => unknown, args: unknown[], ct: unknown, i: number): number[] =>
  argumentGradient((...a) => dot(leaves(f(...a)), leaves(ct)), args as never[], i);

/** Row k of the Jacobian of f with respect to argument i, by differences. */
const row = (f: (...a: unknown[]) => unknown, args: unknown[], k: number, i: number): number[] =>
  argumentGradient((...a) => leaves(f(...a))[k]!, args as never[], i);

describe("transforms fixtures", () => {
  it("compile without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
});

const VJP_CASES: { name: string; f: string; wrt: number[]; tuple?: boolean; at: unknown[] }[] = [
  { name: "polarVjp", f: "polar", wrt: [0, 1], tuple: true, at: [1.3, 0.7] },
  { name: "cumulativeVjp", f: "cumulative", wrt: [0], at: [Float64Array.from([0.3, -0.5, 1.1, 0.2]), 0.8] },
  { name: "statsVjp", f: "stats", wrt: [0], at: [[0.4, 1.5, -0.3]] },
  { name: "pairVjp", f: "pair", wrt: [1], at: [0.6, -0.4] },
  { name: "relaxVjp", f: "relax", wrt: [0], at: [Float64Array.from([0.9, -0.2, 0.4, 1.3, 0.1])] },
  // Arrays built with map (kept by tsgrad as Float64Arrays): the value's are number[]s, as f's are.
  { name: "normalizedVjp", f: "normalized", wrt: [0], at: [[0.4, 1.5, -0.3]] },
  { name: "softenedVjp", f: "softened", wrt: [0, 1], tuple: true, at: [[0.4, 1.5, -0.3], 0.7] },
  { name: "squaresVjp", f: "squares", wrt: [0], at: [[0.4, 1.5, -0.3]] },
];

/** What kind each part of a value is (a number, a number[], a Float64Array), for comparing a value with f's. */
function kinds(x: unknown): unknown {
  if (typeof x === "number") return "number";
  if (x instanceof Float64Array) return "Float64Array";
  if (Array.isArray(x)) return x.every((e) => typeof e === "number") ? "number[]" : x.map(kinds);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, kinds(v)]));
  return typeof x;
}

describe.each(VJP_CASES)("vjp $name", ({ name, f, wrt, tuple, at }) => {
  const primal = fn(vjps, f);
  const transform = fn(vjps, name);
  const ct = like(primal(...at), { s: 7 });
  const [value, gradient] = transform(...at, ct) as [unknown, unknown];
  it("returns f's value", () => expect(leaves(value)).toEqual(leaves(primal(...at))));
  it("returns f's value in f's kinds of array", () => expect(kinds(value)).toEqual(kinds(primal(...at))));
  it("gradient of <f, cotangent> against finite differences", () => {
    const gs = tuple ? (gradient as unknown[]) : [gradient];
    wrt.forEach((i, k) => close(leaves(gs[k]), contracted(primal, at, ct, i)));
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
});

const JVP_CASES: { name: string; f: string; at: unknown[]; vjp: string }[] = [
  { name: "polarJvp", f: "polar", at: [1.3, 0.7], vjp: "polarVjp" },
  { name: "cumulativeJvp", f: "cumulative", at: [Float64Array.from([0.3, -0.5, 1.1, 0.2]), 0.8], vjp: "cumulativeVjp" },
  { name: "statsJvp", f: "stats", at: [[0.4, 1.5, -0.3]], vjp: "statsVjp" },
  { name: "normalizedJvp", f: "normalized", at: [[0.4, 1.5, -0.3]], vjp: "normalizedVjp" },
  { name: "softenedJvp", f: "softened", at: [[0.4, 1.5, -0.3], 0.7], vjp: "softenedVjp" },
  { name: "squaresJvp", f: "squares", at: [[0.4, 1.5, -0.3]], vjp: "squaresVjp" },
];

describe.each(JVP_CASES)("jvp $name", ({ name, f, at, vjp }) => {
  const primal = fn(vjps, f);
  const tangents = at.map((a, i) => like(a, { s: 11 + i }));
  const [value, tangent] = fn(vjps, name)(...at, ...tangents) as [unknown, unknown];
  it("returns f's value", () => expect(leaves(value)).toEqual(leaves(primal(...at))));
  it("returns the value and the tangent in f's kinds of array", () => {
    expect(kinds(value)).toEqual(kinds(primal(...at)));
    expect(kinds(tangent)).toEqual(kinds(primal(...at)));
  });
  it("the tangent against finite differences of f along the tangents", () => {
    const h = 1e-5;
    const along = (s: number): number[] => leaves(primal(...at.map((a, i) => shift(a, tangents[i], s))));
    const fd = along(h).map((x, k) => (x - along(-h)[k]!) / (2 * h));
    close(leaves(tangent), fd, 1e-6);
  });
  it("the dot-product test: <cotangent, jvp(t)> = <vjp(cotangent), t>", () => {
    const ct = like(value, { s: 5 });
    // vjp with respect to the first parameter only (what every vjp fixture takes), so only its tangent moves.
    const only = at.map((a, i) => (i === 0 ? tangents[0] : like(a, { s: 0 }) && zero(a)));
    const [, t0] = fn(vjps, name)(...at, ...only) as [unknown, unknown];
    const [, g] = fn(vjps, vjp)(...at, ct) as [unknown, unknown];
    const g0 = VJP_CASES.find((c) => c.name === vjp)?.tuple ? (g as unknown[])[0] : g;
    expect(Math.abs(dot(leaves(ct), leaves(t0)) - dot(leaves(g0), leaves(tangents[0])))).toBeLessThan(1e-12);
  });
});

function shift(a: unknown, t: unknown, s: number): unknown {
  if (typeof a === "number") return a + s * (t as number);
  if (a instanceof Float64Array) return a.map((x, i) => x + s * (t as Float64Array)[i]!);
  if (Array.isArray(a)) return a.map((x, i) => shift(x, (t as unknown[])[i], s));
  return a;
}

function zero(a: unknown): unknown {
  if (typeof a === "number") return 0;
  if (a instanceof Float64Array) return new Float64Array(a.length);
  if (Array.isArray(a)) return a.map(zero);
  return a;
}

describe("composition", () => {
  it("jvp(vjp(f)): the tangent of [value, gradient] against finite differences", () => {
    const at = [1.3, 0.7, [0.4, -0.9]];
    const t = [0.2, -0.5, [0.3, 0.6]];
    const [value, tangent] = fn(vjps, "polarVjpJvp")(...at, ...t) as [unknown, unknown];
    const vjp = fn(vjps, "polarVjp");
    expect(leaves(value)).toEqual(leaves(vjp(...at)));
    const h = 1e-5;
    const along = (s: number): number[] => leaves(vjp(...at.map((a, i) => shift(a, t[i], s))));
    close(leaves(tangent), along(h).map((x, k) => (x - along(-h)[k]!) / (2 * h)), 1e-6);
  });
  const x = [0.3, -1.1, 0.7, 1.9];
  const grad = (...a: unknown[]): unknown => {
    const bowl = fn(vjps, "bowl");
    return argumentGradient((...z) => bowl(...z) as number, a as never[], 0);
  };
  it("vjp(grad(f)): a Hessian-vector product against differences of the gradient", () => {
    const v = [0.5, 0.25, -1, 2];
    const [, hv] = fn(vjps, "bowlHvp")(x, v) as [number[], number[]];
    // The Hessian is diagonal here: 2(i + 1) - sin(x_i).
    close(hv, x.map((xi, i) => (2 * (i + 1) - Math.sin(xi)) * v[i]!), 1e-12);
    const [value] = fn(vjps, "bowlHvp")(x, v) as [number[]];
    close(value, grad(x) as number[], 1e-8);
  });
  it("jacobian(grad(f)): the Hessian, reverse over reverse", () => {
    const h = fn(vjps, "bowlHessian")(x) as number[][];
    h.forEach((r, i) => close(r, x.map((xi, j) => (i === j ? 2 * (i + 1) - Math.sin(xi) : 0)), 1e-12));
  });
});

const u = Float64Array.from([0.2, 0.9, 0.45, 0.7, 0.1]);
const JACOBIANS: { name: string; forward: string; f: string; wrt: number; at: unknown[] }[] = [
  { name: "rhsJacobian", forward: "rhsJacfwd", f: "rhs", wrt: 0, at: [u, 0.6] },
  { name: "rhsByK", forward: "rhsByKForward", f: "rhs", wrt: 1, at: [u, 0.6] },
  { name: "energyRow", forward: "energyRowForward", f: "energy", wrt: 0, at: [[0.3, -1.2, 0.8, 2]] },
  // The forward sweep shared by the rows (its backward sweep changes nothing it reads).
  { name: "residualsJacobian", forward: "residualsJacfwd", f: "residuals", wrt: 0, at: [Float64Array.from([1.5, 0.4, -0.7, 2.1]), Float64Array.from([0, 0.3, 0.8, 1.1, 1.9, 2.5]), Float64Array.from([1, 0.5, -0.2, 0.1, 0.4, -0.3])] },
  // Shared too: each row rewinds the tape and puts back the running product the backward sweep restores.
  { name: "runningProductJacobian", forward: "runningProductJacfwd", f: "runningProduct", wrt: 0, at: [Float64Array.from([0.3, -1.1, 0.7, 1.9, 0.2])] },
  // A vjp per row: the backward sweep restores elements of the array it reads.
  { name: "smoothedJacobian", forward: "smoothedJacfwd", f: "smoothed", wrt: 0, at: [Float64Array.from([0.3, -1.1, 0.7, 1.9, 0.2])] },
];

describe.each(JACOBIANS)("jacobian $name", ({ name, forward, f, wrt, at }) => {
  const primal = fn(jacs, f);
  const reverse = fn(jacs, name)(...at);
  const fwd = fn(jacs, forward)(...at);
  const outputs = leaves(primal(...at)).length;
  const inputs = leaves(at[wrt]).length;
  it("has one row per output (lower rank for a number)", () => {
    const rows = reverse as unknown[];
    if (outputs === 1 || inputs === 1) expect(rows.every((r) => typeof r === "number")).toBe(true);
    else expect(rows.map((r) => (r as number[]).length)).toEqual(new Array(outputs).fill(inputs));
  });
  it("row by row against finite differences", () => {
    const flat = leaves(reverse);
    for (let k = 0; k < outputs; k++) close(flat.slice(k * inputs, (k + 1) * inputs), row(primal, at, k, wrt));
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
  it("jacfwd gives the same Jacobian", () => close(leaves(fwd), leaves(reverse), 1e-12));
});

/** `{ into: true }`: each into form against the plain Jacobian of the same function (itself checked above), and by differences. */
const INTO: { name: string; plain: string; f: string; wrt: number; at: unknown[]; into: () => unknown }[] = [
  // The shared forward sweep, each row's gradient accumulated in the caller's row.
  { name: "residualsJacobianInto", plain: "residualsJacobian", f: "residuals", wrt: 0, at: JACOBIANS[3]!.at, into: () => Array.from({ length: 6 }, () => new Float64Array(4).fill(NaN)) },
  { name: "residualsJacfwdInto", plain: "residualsJacfwd", f: "residuals", wrt: 0, at: JACOBIANS[3]!.at, into: () => Array.from({ length: 6 }, () => new Float64Array(4).fill(NaN)) },
  // Shared, rewinding the tape per row; its rows are written whole by one loop (checkedInto: not cleared first).
  { name: "runningProductJacobianInto", plain: "runningProductJacobian", f: "runningProduct", wrt: 0, at: JACOBIANS[4]!.at, into: () => Array.from({ length: 5 }, () => new Float64Array(5).fill(NaN)) },
  // A vjp per row, each writing into the caller's row.
  { name: "smoothedJacobianInto", plain: "smoothedJacobian", f: "smoothed", wrt: 0, at: JACOBIANS[5]!.at, into: () => Array.from({ length: 5 }, () => new Float64Array(5).fill(NaN)) },
  // A number result: the Jacobian is the gradient, into a number[] as the parameter is.
  { name: "energyRowInto", plain: "energyRow", f: "energy", wrt: 0, at: JACOBIANS[2]!.at, into: () => new Array<number>(4).fill(NaN) },
  { name: "energyRowForwardInto", plain: "energyRowForward", f: "energy", wrt: 0, at: JACOBIANS[2]!.at, into: () => new Array<number>(4).fill(NaN) },
  // A number parameter: one entry per output, of the result's kind.
  { name: "rhsByKInto", plain: "rhsByK", f: "rhs", wrt: 1, at: [u, 0.6], into: () => new Float64Array(5).fill(NaN) },
  { name: "rhsByKForwardInto", plain: "rhsByKForward", f: "rhs", wrt: 1, at: [u, 0.6], into: () => new Float64Array(5).fill(NaN) },
];

describe.each(INTO)("jacobian into: $name", ({ name, plain, f, wrt, at, into }) => {
  const primal = fn(jacs, f);
  it("fills the caller's storage (NaN before: every entry written) and returns it, as the plain Jacobian", () => {
    const storage = into();
    const rows = Array.isArray(storage) && typeof storage[0] === "object" ? [...(storage as Float64Array[])] : undefined;
    expect(fn(jacs, name)(...at, storage)).toBe(storage);
    // The rows are the caller's own arrays, filled in place.
    if (rows) rows.forEach((r, i) => expect((storage as Float64Array[])[i]).toBe(r));
    close(leaves(storage), leaves(fn(jacs, plain)(...at)), 1e-12);
    const outputs = leaves(primal(...at)).length;
    const inputs = leaves(at[wrt]).length;
    const flat = leaves(storage);
    for (let k = 0; k < outputs; k++) close(flat.slice(k * inputs, (k + 1) * inputs), row(primal, at, k, wrt));
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
  it("a second call into the same storage gives the same Jacobian (its old contents are not read)", () => {
    const storage = into();
    fn(jacs, name)(...at, storage);
    const first = leaves(storage);
    fn(jacs, name)(...at, storage);
    expect(leaves(storage)).toEqual(first);
  });
});

describe("jacobian into: the caller's storage is checked", () => {
  const [p, ts, ys] = JACOBIANS[3]!.at as Float64Array[];
  const rows = (m: number, n: number): Float64Array[] => Array.from({ length: m }, () => new Float64Array(n));
  it("a wrong number of rows, or a row of the wrong length, is a RangeError naming into and the row", () => {
    for (const name of ["residualsJacobianInto", "residualsJacfwdInto", "smoothedJacobianInto"]) {
      const at = name.startsWith("smoothed") ? [JACOBIANS[5]!.at[0]] : [p, ts, ys];
      const [m, n] = name.startsWith("smoothed") ? [5, 5] : [6, 4];
      expect(() => fn(jacs, name)(...at, rows(m - 1, n))).toThrow(/'into' has 5 row\(s\), but the function has 6 output|'into' has 4 row\(s\), but the function has 5 output/);
      const short = rows(m, n);
      short[2] = new Float64Array(n + 1);
      expect(() => fn(jacs, name)(...at, short)).toThrow(new RegExp(`row 2 of the Jacobian passed as 'into' has length ${n + 1}, but the parameter has length ${n}`));
    }
    expect(() => fn(jacs, "rhsByKInto")(u, 0.6, new Float64Array(4))).toThrow(/'into' has length 4, but the function has 5 output/);
    expect(() => fn(jacs, "energyRowInto")([0.3, -1.2, 0.8, 2], [0, 0, 0])).toThrow(/length 3.*length 4/);
  });
  it("a row that is an argument, or shares memory with one or with another row, is refused: the rows share one forward sweep", () => {
    const wide = new Float64Array(40);
    const args = [wide.subarray(0, 4), ts, ys];
    args[0]!.set(p!);
    const over = rows(6, 4);
    over[3] = wide.subarray(2, 6);
    expect(() => fn(jacs, "residualsJacobianInto")(...args, over)).toThrow(/row 3 of the Jacobian passed as 'into' shares memory with an argument/);
    const twice = rows(6, 4);
    twice[4] = twice[1]!;
    expect(() => fn(jacs, "residualsJacobianInto")(p, ts, ys, twice)).toThrow(/rows 1 and 4 of the Jacobian passed as 'into' share memory/);
    // Views of one buffer that do not overlap are rows of their own.
    const block = new Float64Array(24);
    const views = Array.from({ length: 6 }, (_, i) => block.subarray(4 * i, 4 * i + 4));
    fn(jacs, "residualsJacobianInto")(p, ts, ys, views);
    close(leaves(views), leaves(fn(jacs, "residualsJacobian")(p, ts, ys)), 1e-12);
  });
  it("a pinhole projection's 2 x 6 block into kept rows, by differences", () => {
    const q = Float64Array.from([1.8, 0.1, -0.2, 0.4, -0.3, 2.5]);
    const block = rows(2, 6);
    expect(fn(jacs, "projectJacobianInto")(q, 0.05, block)).toBe(block);
    const project = fn(jacs, "project");
    for (let k = 0; k < 2; k++) close(Array.from(block[k]!), row(project, [q, 0.05], k, 0));
  });
  it("the same projection's rows without into, its outputs a literal held in no array: by differences, and equal to the block", () => {
    const q = Float64Array.from([1.8, 0.1, -0.2, 0.4, -0.3, 2.5]);
    const jac = fn(jacs, "projectJacobian")(q, 0.05) as number[][];
    expect(jac.length).toBe(2);
    const project = fn(jacs, "project");
    for (let k = 0; k < 2; k++) close(jac[k]!, row(project, [q, 0.05], k, 0));
    const block = rows(2, 6);
    fn(jacs, "projectJacobianInto")(q, 0.05, block);
    expect(block.map((r) => Array.from(r))).toEqual(jac);
    // Generated as one forward sweep and a row loop over two unit numbers: no seed array, no value array.
    const source = String(fn(jacs, "projectJacobian"));
    expect(source).not.toMatch(/lendSeed|giveSeed|zerosLike\(result\)|result\.length/);
    expect(source).toMatch(/project_bar_1 = row === 1 \? 1 : 0/);
  });
});

describe("jacfwd(grad(f)): a Hessian", () => {
  it("is the Jacobian of the gradient, by differences", () => {
    const x = [0.3, -1.2, 0.8, 2];
    const h = fn(jacs, "energyHessian")(x) as number[][];
    const g = (...a: unknown[]): unknown => fn(jacs, "energyRow")(...a);
    for (let k = 0; k < x.length; k++) close(h[k]!, row(g, [x], k, 0), 1e-6);
  });
});

describe("hasAux", () => {
  const w = Float64Array.from([0.4, -1.3]);
  const xs = Float64Array.from([0.1, 0.5, 0.9, 1.4]);
  const ys = Float64Array.from([1, 0.2, -0.4, -1.1]);
  const fit = fn(jacs, "fit");
  const [loss, aux] = fit(w, xs, ys) as [number, unknown];
  const fd = argumentGradient((...a) => (fit(...a) as [number])[0], [w, xs, ys], 0);
  it("grad gives [gradient, aux]", () => {
    const [g, a] = fn(jacs, "fitGrad")(w, xs, ys) as [Float64Array, unknown];
    close(Array.from(g), fd);
    expect(a).toEqual(aux);
  });
  it("valueAndGrad gives [[loss, aux], gradient]", () => {
    const [[l, a], g] = fn(jacs, "fitValueAndGrad")(w, xs, ys) as [[number, unknown], Float64Array];
    expect(l).toBe(loss);
    expect(a).toEqual(aux);
    close(Array.from(g), fd);
  });
});

describe("hasAux with an aux array built with map", () => {
  const w = [0.4, -1.3, 0.8];
  const ys = [1, 0.2, -0.4];
  const f = fn(vjps, "residualLoss");
  const [loss, aux] = f(w, ys) as [number, number[]];
  const fd = argumentGradient((...a) => (f(...a) as [number])[0], [w, ys], 0);
  it("grad gives [gradient, aux], aux a number[] as f's is", () => {
    const [g, a] = fn(vjps, "residualGrad")(w, ys) as [number[], number[]];
    close(g, fd);
    expect(Array.isArray(a)).toBe(true);
    expect(a).toEqual(aux);
  });
  it("valueAndGrad gives [[loss, aux], gradient], aux a number[] as f's is", () => {
    const [[l, a], g] = fn(vjps, "residualValueAndGrad")(w, ys) as [[number, number[]], number[]];
    expect(l).toBe(loss);
    expect(Array.isArray(a)).toBe(true);
    expect(a).toEqual(aux);
    close(g, fd);
  });
});

describe("into: gradients written into the caller's storage", () => {
  const x = Float64Array.from([0.5, 1.2, -0.3, 0.8, 1.1]);
  const rosenbrock = fn(jacs, "rosenbrock");
  const fd = argumentGradient((...a) => rosenbrock(...a) as number, [x], 0);
  it("grad writes into the buffer it is given (stale contents cleared) and returns it", () => {
    const into = new Float64Array(5).fill(7);
    const out = fn(jacs, "rosenbrockInto")(x, into);
    expect(out).toBe(into);
    close(Array.from(into), fd);
  });
  it("valueAndGrad returns [value, into]", () => {
    const into = new Float64Array(5).fill(-2);
    const [value, out] = fn(jacs, "rosenbrockValueInto")(x, into) as [number, Float64Array];
    expect(value).toBe(rosenbrock(x));
    expect(out).toBe(into);
    close(Array.from(into), fd);
  });
  it("a buffer of the wrong length is refused", () => {
    expect(() => fn(jacs, "rosenbrockInto")(x, new Float64Array(4))).toThrow(/length 4.*length 5/);
  });
  it("a record and an array in a tuple of gradients: every part written in place", () => {
    const p = { w: Float64Array.from([0.3, -0.7, 1.2]), b: 0.25 };
    const xs = Float64Array.from([1.1, 0.4, -0.9]);
    const into: [{ w: Float64Array; b: number }, Float64Array] = [{ w: new Float64Array(3).fill(9), b: 9 }, new Float64Array(3).fill(9)];
    const [pw, pb] = [into[0].w, into[1]];
    const out = fn(jacs, "layerInto")(p, xs, into) as typeof into;
    expect(out).toBe(into);
    expect(into[0].w).toBe(pw);
    expect(into[1]).toBe(pb);
    const layer = (...a: unknown[]): number => fn(jacs, "layer")(...a) as number;
    close(leaves(into[0]), argumentGradient(layer, [p, xs], 0));
    close(Array.from(into[1]), argumentGradient(layer, [p, xs], 1));
  });
  it("a gradient one loop writes whole is not cleared first, and one it writes in part is", () => {
    // Filled with NaN: an element the generated code neither clears nor writes shows.
    const softmax = Array.from(x, (v) => Math.exp(v) / x.reduce((s, w) => s + Math.exp(w), 0));
    const into = new Float64Array(5).fill(NaN);
    expect(fn(jacs, "logSumExpInto")(x, into)).toBe(into);
    close(Array.from(into), softmax);
    const tail = new Float64Array(5).fill(NaN);
    expect(fn(jacs, "logSumExpTailInto")(x, tail)).toBe(tail);
    const rest = x.subarray(1).reduce((s, w) => s + Math.exp(w), 0);
    close(Array.from(tail), Array.from(x, (v, i) => (i === 0 ? 0 : Math.exp(v) / rest)));
    expect(() => fn(jacs, "logSumExpInto")(x, new Float64Array(6))).toThrow(/length 6.*length 5/);
  });
  it("a buffer the forward sweep keeps values in (slots.ts) must not share memory with an argument", () => {
    // The exps are kept in the buffer while x is still read: x itself, or a view over its memory, is refused.
    const xs = new Float64Array(11);
    const own = xs.subarray(0, 5);
    own.set(x);
    expect(() => fn(jacs, "logSumExpInto")(own, own)).toThrow(/shares memory with an argument/);
    expect(() => fn(jacs, "logSumExpInto")(own, xs.subarray(4, 9))).toThrow(/shares memory with an argument/);
    // A view of the same buffer that does not overlap it is a buffer of its own.
    const apart = xs.subarray(5, 10);
    fn(jacs, "logSumExpInto")(own, apart);
    close(Array.from(apart), Array.from(x, (v) => Math.exp(v) / x.reduce((s, w) => s + Math.exp(w), 0)));
  });
  it("hasAux and into together: [[loss, aux], into]", () => {
    const w = Float64Array.from([0.4, -1.3]);
    const xs = Float64Array.from([0.1, 0.5, 0.9]);
    const ys = Float64Array.from([1, 0.2, -0.4]);
    const into = new Float64Array(2).fill(3);
    const fit = fn(jacs, "fit");
    const [[l, a], g] = fn(jacs, "fitAuxInto")(w, xs, ys, into) as [[number, unknown], Float64Array];
    expect(g).toBe(into);
    expect([l, a]).toEqual(fit(w, xs, ys));
    close(Array.from(g), argumentGradient((...z) => (fit(...z) as [number])[0], [w, xs, ys], 0));
  });
});

describe("edge cases", () => {
  const x4 = Float64Array.from([0.7, -0.4, 1.3, 0.2]);
  const vjpCheck = (transform: string, f: (...a: unknown[]) => unknown, at: unknown[], wrt: number[], tuple = false): void => {
    const ct = like(f(...at), { s: 3 });
    const [value, gradient] = fn(edges, transform)(...at, ct) as [unknown, unknown];
    expect(leaves(value)).toEqual(leaves(f(...at)));
    const gs = tuple ? (gradient as unknown[]) : [gradient];
    wrt.forEach((i, k) => close(leaves(gs[k]), contracted(f, at, ct, i)));
  };
  it("vjp of an inline arrow", () => vjpCheck("inlineVjp", (x) => [(x as number[])[0]! * (x as number[])[1]!, Math.sin((x as number[])[0]!)], [[0.3, 1.7]], [0]));
  it("vjp of a function returning its parameter, and of a runtime map", () => {
    vjpCheck("identityVjp", fn(edges, "identity"), [x4], [0]);
    vjpCheck("squaresVjp", fn(edges, "squares"), [x4], [0]);
    const jac = fn(edges, "squaresJac")(x4) as number[][];
    jac.forEach((r, i) => close(r, row(fn(edges, "squares"), [x4], i, 0)));
  });
  it("vjp and jvp of a function returning on several paths", () => {
    for (const c of [0.8, -0.5]) {
      vjpCheck("pickVjp", fn(edges, "pick"), [x4, c], [0, 1], true);
      const t = like([x4, c], { s: 9 }) as [Float64Array, number];
      const [, tangent] = fn(edges, "pickJvp")(x4, c, ...t) as [unknown, Float64Array];
      const h = 1e-6;
      const at = (s: number): number[] => leaves(fn(edges, "pick")(shift(x4, t[0], s), c + s * t[1]));
      close(Array.from(tangent), at(h).map((v, k) => (v - at(-h)[k]!) / (2 * h)), 1e-6);
    }
  });
  it("Jacobians of inline arrows", () => {
    close(leaves(fn(edges, "inlineJacScalar")(x4)), [x4[1]!, x4[0]!, 0, 0], 1e-15);
    const j = fn(edges, "inlineJacfwd")(x4) as number[][];
    expect(j).toEqual([[x4[1], x4[0], 0, 0], [0, 1, 0, 0]]);
  });
  it("the public vjp runs f's console.log once per call, as f does", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const [value, g] = fn(edges, "noisyVjp")([1.5, 2], [1, 1]) as [number[], number[]];
      expect(log.mock.calls).toEqual([["noisy", 2]]);
      expect(value).toEqual([3, 3]);
      expect(g).toEqual([4, 1.5]);
    } finally {
      log.mockRestore();
    }
  });
  it("hasAux with a string aux", () => {
    const [g, aux] = fn(edges, "labelledGrad")([1.5, 0.25]) as [number[], string];
    expect(g).toEqual([3, 1]);
    expect(aux).toBe("big");
  });
  it("vjp and jvp with a record parameter and a record result", () => {
    const p = { w: Float64Array.from([0.5, -1.5, 2]), b: 0.3 };
    vjpCheck("modelVjp", fn(edges, "model"), [p, 0.9], [0]);
    const [, tangent] = fn(edges, "modelJvp")(p, 0.9, { w: Float64Array.from([1, 0, -1]), b: 2 }, 0.5) as [unknown, { y: number; z: Float64Array }];
    expect(tangent.y).toBeCloseTo(2 * 0.9 + 0.3 * 0.5, 14);
    close(Array.from(tangent.z), [1 * 0.9 + 0.5 * 0.5 + 2, -1.5 * 0.5 + 2, -0.9 + 2 * 0.5 + 2], 1e-14);
  });
  it("into with a record parameter, a tuple with a number, and a lone number", () => {
    const p = { w: Float64Array.from([0.5, -1.5, 2]), b: 0.3 };
    const loss = (...a: unknown[]): number => fn(edges, "loss")(...a) as number;
    const into = { w: new Float64Array(3).fill(5), b: 5 };
    const w = into.w;
    expect(fn(edges, "lossInto")(p, 0.9, into)).toBe(into);
    expect(into.w).toBe(w);
    close(leaves(into), argumentGradient(loss, [p, 0.9], 0));
    const both: [{ w: Float64Array; b: number }, number] = [{ w: new Float64Array(3), b: 0 }, 0];
    const [value, out] = fn(edges, "lossValueInto")(p, 0.9, both) as [number, unknown];
    expect(out).toBe(both);
    expect(value).toBe(loss(p, 0.9));
    close(leaves(both[0]), argumentGradient(loss, [p, 0.9], 0));
    close([both[1]], argumentGradient(loss, [p, 0.9], 1));
    close([fn(edges, "lossScalarInto")(p, 0.9) as number], argumentGradient(loss, [p, 0.9], 1));
  });
  it("hasAux with an aux record of a differentiated value and a string", () => {
    const [g, aux] = fn(edges, "metricsGrad")([0.6, -1.5]) as [number[], { y: number; label: string }];
    close(g, [2 * 0.6 * 1.5 ** 2, 2 * 0.6 ** 2 * -1.5]);
    expect(aux).toEqual({ y: 0.6 * -1.5, label: "run" });
  });
  it("jacobian(grad(f)) of a loop is the Hessian", () => {
    const H = fn(edges, "chainHessian")(x4) as number[][];
    const J = fn(edges, "chainJacobianOfGrad")(x4) as number[][];
    close(leaves(J), leaves(H), 1e-12);
    // The band of d²/dx² of Σ sin(x_i) x_{i+1}²: H[0][0] = -sin(x0) x1², H[0][1] = 2 cos(x0) x1.
    close([H[0]![0]!, H[0]![1]!], [-Math.sin(x4[0]!) * x4[1]! ** 2, 2 * Math.cos(x4[0]!) * x4[1]!], 1e-12);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
});
