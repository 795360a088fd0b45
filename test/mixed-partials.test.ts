// Mixed second derivatives: grad(grad(f), 1) is d/dy of df/dx, made forward
// over reverse (the jvp of f's generated adjoint along y). Each is checked
// against finite differences of the first derivative it differentiates, and
// against the other order (d/dx of df/dy, the same number for smooth f); the
// Hessians' off-diagonal entries against differences of the gradient. One
// program (test/inputs/mixed/program.ts), compiled once.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";
import { stackDepth } from "../runtime/index.js";

const file = path.join(ROOT, "test/inputs/mixed/program.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: never[]) => unknown>;
type Args = (number | number[] | Float64Array | { a: number; b: number } | [number, number[]])[];
const fn = (name: string) => m[name] as unknown as (...args: Args) => unknown;

const close = (got: number, want: number, what: string): void => {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want)));
};
const closeAll = (got: unknown, want: readonly number[], what: string): void => {
  const values = leaves(got);
  expect(values, what).toHaveLength(want.length);
  values.forEach((g, k) => close(g, want[k]!, `${what}[${k}]`));
};

/** d/d(argument j) of entry k of a first derivative, by differences (every entry of argument j). */
const differenceOf = (first: string, args: Args, k: number, j: number): number[] =>
  argumentGradient((...a) => leaves(fn(first)(...(a as Args)))[k]!, args, j);

/** The mixed partial `second` (d/d argument j of `first`, a derivative w.r.t. a number) against differences. */
function checkMixed(second: string, first: string, args: Args, j: number): void {
  closeAll(fn(second)(...args), differenceOf(first, args, 0, j), `${second} at ${JSON.stringify(args)}`);
  expect(stackDepth()).toEqual({ values: 0, control: 0 });
}

/** Every entry of a Hessian against differences of the gradient, and its symmetry. */
function checkHessian(hessianName: string, gradName: string, args: Args): void {
  const rows = fn(hessianName)(...args) as number[][];
  const n = leaves(args[0]).length;
  expect(rows).toHaveLength(n);
  let offDiagonal = 0;
  for (let i = 0; i < n; i++) {
    closeAll(rows[i], differenceOf(gradName, args, i, 0), `${hessianName} row ${i}`);
    for (let j = 0; j < n; j++) {
      close(rows[i]![j]!, rows[j]![i]!, `${hessianName} symmetry ${i},${j}`);
      if (i !== j) offDiagonal += Math.abs(rows[i]![j]!);
    }
  }
  // A test that could not fail if the cross terms were dropped would prove nothing.
  expect(offDiagonal).toBeGreaterThan(0.1);
  expect(stackDepth()).toEqual({ values: 0, control: 0 });
}

describe("mixed second derivatives", () => {
  it("compile without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("two numbers through a loop that rewrites an accumulator with a helper", () => {
    for (const [x, y] of [[0.7, -0.4], [-1.2, 0.9], [0.3, 1.6]] as const) {
      checkMixed("coupledXY", "coupledX", [x, y], 1);
      checkMixed("coupledYX", "coupledY", [x, y], 0);
      checkMixed("coupledXX", "coupledX", [x, y], 0);
      checkMixed("coupledYY", "coupledY", [x, y], 1);
      const xy = fn("coupledXY")(x, y) as number;
      expect(Math.abs(xy)).toBeGreaterThan(1e-3);
      close(xy, fn("coupledYX")(x, y) as number, "d2f/dxdy = d2f/dydx");
      const [xx, xy2] = fn("coupledRow")(x, y) as [number, number];
      close(xx, fn("coupledXX")(x, y) as number, "grad(grad(f), [0, 1])[0]");
      close(xy2, xy, "grad(grad(f), [0, 1])[1]");
      // jvp(grad(f)) along y alone is the same mixed partial.
      close((fn("coupledTangent")(x, y, 0, 1) as [number, number])[1], xy, "jvp(grad(f)) along y");
    }
  });

  it("straight-line code, where grad of grad is reverse over reverse", () => {
    for (const [x, y] of [[0.5, -0.7], [1.3, 0.4]] as const) {
      checkMixed("straightXY", "straightX", [x, y], 1);
      close(fn("straightXY")(x, y) as number, fn("straightYX")(x, y) as number, "symmetry");
    }
  });

  it("a parameter that reaches the result only through helper calls nested in each other", () => {
    for (const [x, y] of [[0.4, 1.3], [-0.9, 0.2]] as const) {
      checkMixed("nestedXY", "nestedX", [x, y], 1);
      close(fn("nestedXY")(x, y) as number, fn("nestedYX")(x, y) as number, "symmetry");
    }
  });

  it("an array and a number: a map per iteration passed to a helper", () => {
    const x = [0.3, -0.5, 1.1, 0.2];
    for (const k of [0.6, 1.4]) {
      // d/dx of df/dk: an array, every entry against differences of df/dk.
      closeAll(fn("springsKX")(x, k), differenceOf("springsK", [x, k], 0, 0), "d/dx of df/dk");
      // d/dk of df/dx: the tangent of the gradient along k, entry by entry against differences.
      const alongK = (fn("springsTangent")(x, k, [0, 0, 0, 0], 1) as [number[], number[]])[1];
      closeAll(alongK, x.map((_, i) => differenceOf("springsX", [x, k], i, 1)[0]!), "d/dk of df/dx");
      closeAll(alongK, leaves(fn("springsKX")(x, k)), "the two orders agree");
      checkHessian("springsHessian", "springsX", [x, k]);
    }
  });

  it("a Float64Array made afresh in each iteration (kept and restored for the backward sweep)", () => {
    const w = Float64Array.from([0.4, -0.8, 0.5]);
    for (const s of [0.7, -1.1]) {
      closeAll(fn("smoothSW")(w, s), differenceOf("smoothS", [w, s], 0, 0), "d/dw of df/ds");
      checkHessian("smoothHessian", "smoothW", [w, s]);
    }
  });

  it("a helper with an early return in a while loop", () => {
    for (const [x, y] of [[0.5, 0.3], [0.9, 1.1]] as const) {
      checkMixed("trailXY", "trailX", [x, y, 4], 1);
      close(fn("trailXY")(x, y, 4) as number, fn("trailYX")(x, y, 4) as number, "symmetry");
    }
  });

  it("a record parameter and an array rebuilt per iteration from a spread, passed to a rest helper", () => {
    const p = { a: 0.6, b: -0.3 };
    const xs = [0.2, 0.9];
    for (const y of [0.8, -0.5]) {
      checkMixed("gatherYXs", "gatherY", [p, y, xs], 2);
      // d/dp of df/dy: a record of the partials w.r.t. its fields.
      const yp = fn("gatherYP")(p, y, xs) as { a: number; b: number };
      expect(Object.keys(yp)).toEqual(["a", "b"]);
      checkMixed("gatherYP", "gatherY", [p, y, xs], 0);
    }
  });

  it("a tuple parameter [number, number[]], differentiated after a number", () => {
    const q: [number, number[]] = [0.7, [0.2, -0.9, 0.5]];
    for (const y of [0.6, -1.2]) {
      const yq = fn("pairYQ")(q, y) as [number, number[]];
      expect(Array.isArray(yq) && yq.length === 2 && Array.isArray(yq[1])).toBe(true);
      checkMixed("pairYQ", "pairY", [q, y], 0);
    }
  });

  it("off-diagonal Hessian entries of a cyclic chain", () => {
    checkHessian("chainEnergyHessian", "chainEnergyGrad", [[0.3, -0.7, 1.2, 0.5, -0.1]]);
  });
});
