// Mixed second derivatives (d/dy of df/dx) that mixed-partials.test.ts checks
// against finite differences of the first derivative: a partial w.r.t. one
// parameter of the gradient w.r.t. another, through loops that save values
// per iteration, helpers with generated adjoints, local arrays rebuilt per
// iteration and reductions; and the off-diagonal entries of Hessians.
import { dot, grad, hessian, jvp, sum } from "tsgrad";

/** An accumulator rewritten each iteration through a helper of both values. */
function blend(a: number, b: number): number {
  return a * Math.sin(b) + b * b * a;
}
export function coupled(x: number, y: number): number {
  let a = x;
  for (let i = 0; i < 4; i++) a = blend(a, y) * 0.5 + Math.cos(a * y);
  return a * y + x * x * y;
}
export const coupledX = grad(coupled);
export const coupledY = grad(coupled, 1);
export const coupledXY = grad(grad(coupled), 1);
export const coupledYX = grad(grad(coupled, 1));
export const coupledXX = grad(grad(coupled));
export const coupledYY = grad(grad(coupled, 1), 1);
export const coupledRow = grad(grad(coupled), [0, 1]);
export const coupledTangent = jvp(grad(coupled));

/** Straight-line code (reverse over reverse): an intermediate read several times, its adjoint summed from each read. */
export function straight(x: number, y: number): number {
  const a = x * y;
  const b = Math.sin(a) + a * a * y;
  const c = b / (1 + x * x) + Math.exp(-a);
  return c * a + b * y;
}
export const straightX = grad(straight);
export const straightXY = grad(grad(straight), 1);
export const straightYX = grad(grad(straight, 1));

/** One parameter reaches the result only through the other's helper calls (their vjps return tuples). */
function mix(a: number, b: number): number {
  return a * b + Math.sin(a) * b;
}
export function nested(x: number, y: number): number {
  return mix(x, mix(y, x)) + mix(y * y, x);
}
export const nestedX = grad(nested);
export const nestedXY = grad(grad(nested), 1);
export const nestedYX = grad(grad(nested, 1));

/** An array, and a number that scales every step: a helper taking an array made by map in each iteration. */
function energy(p: number[], k: number): number {
  let e = 0;
  for (let i = 0; i + 1 < p.length; i++) {
    const d = p[i + 1]! - p[i]!;
    e += k * d * d;
  }
  return e;
}
export function springs(x: number[], k: number): number {
  let total = 0;
  for (let step = 0; step < 3; step++) {
    const moved = x.map((xi, i) => xi + step * k * i * 0.1);
    total += energy(moved, k) + Math.exp(-k * moved[0]!);
  }
  return total;
}
export const springsX = grad(springs);
export const springsK = grad(springs, 1);
export const springsKX = grad(grad(springs, 1));
export const springsTangent = jvp(grad(springs));
export const springsHessian = hessian(springs);

/** A Float64Array made afresh in each iteration (kept for the backward sweep, restored per iteration). */
export function smooth(w: Float64Array, s: number): number {
  let out = 0;
  for (let it = 0; it < 3; it++) {
    const t = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) t[i] = Math.tanh(s * w[i]! + 0.3 * it);
    out += dot(t, w) * s + sum(t) * t[0]!;
  }
  return out;
}
export const smoothW = grad(smooth);
export const smoothS = grad(smooth, 1);
export const smoothSW = grad(grad(smooth, 1));
export const smoothHessian = hessian(smooth);

/** A helper with an early return, called in a while loop; three parameters, one of them a count. */
function softClamp(v: number, limit: number): number {
  if (v > limit) return limit + Math.log(1 + v - limit);
  return v;
}
export function trail(x: number, y: number, n: number): number {
  let s = 0;
  let i = 0;
  while (i < n) {
    s += softClamp(x * i + y, 1.5) * y;
    i++;
  }
  return s * x;
}
export const trailX = grad(trail);
export const trailXY = grad(grad(trail), 1);
export const trailYX = grad(grad(trail, 1));

/** A local array reassigned per iteration to a rest helper's argument list, and a record parameter. */
function total(...parts: number[]): number {
  let s = 0;
  for (const p of parts) s += p * p;
  return s;
}
export function gather(p: { a: number; b: number }, y: number, xs: number[]): number {
  let s = 0;
  for (let i = 0; i < 2; i++) {
    const t = [...xs, p.a * y, p.b];
    s += total(...t) * y + sum(t) * p.b;
  }
  return s;
}
export const gatherP = grad(gather);
export const gatherY = grad(gather, 1);
export const gatherYXs = grad(grad(gather, 1), 2);
export const gatherYP = grad(grad(gather, 1));

/** A tuple parameter of a number and an array, differentiated after a number (forward over reverse, field by field). */
export function pair(q: [number, number[]], y: number): number {
  let s = 0;
  for (let i = 0; i < q[1].length; i++) s += total(q[0] * y, q[1][i]!) * y;
  return s;
}
export const pairY = grad(pair, 1);
export const pairYQ = grad(grad(pair, 1));

/** Off-diagonal Hessian entries: each entry coupled to its neighbours and to the sum of all. */
export function chainEnergy(x: number[]): number {
  let e = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const next = x[(i + 1) % n]!;
    e += Math.sin(x[i]! * next) + 0.5 * (x[i]! - next) ** 2;
  }
  return e * sum(x);
}
export const chainEnergyGrad = grad(chainEnergy);
export const chainEnergyHessian = hessian(chainEnergy);
