// Tangents of the reductions whose derivative is not linear in their input,
// for forward mode (jvp) and so for Hessians: each returns d reduction(x) in
// the direction xDot. Plain loops, no allocation.

import { max, min, norm } from "./reductions.js";
import type { TensorLike } from "./tensor.js";

function sameLength(name: string, x: TensorLike, xDot: TensorLike): void {
  if (x.length !== xDot.length) {
    throw new RangeError(`${name}: x has length ${x.length} but its tangent has length ${xDot.length}`);
  }
}

/** d prod(x) = Σ_i xDot_i · ∏_{j≠i} x_j, correct when x has zeros. */
export function prodTangent(x: TensorLike, xDot: TensorLike): number {
  sameLength("prodTangent", x, xDot);
  let zeros = 0;
  let at = -1;
  let nonzero = 1;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) {
      zeros++;
      at = i;
    } else nonzero *= x[i]!;
  }
  if (zeros > 1) return 0;
  if (zeros === 1) return xDot[at]! * nonzero;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += xDot[i]! / x[i]!;
  return nonzero * s;
}

/** The mean of xDot over the entries equal to `extreme` (ties share evenly, as the adjoints do). */
function tied(x: TensorLike, xDot: TensorLike, extreme: number): number {
  let s = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === extreme) {
      s += xDot[i]!;
      count++;
    }
  }
  return count === 0 ? NaN : s / count;
}

/** d max(x) in the direction xDot. */
export function maxTangent(x: TensorLike, xDot: TensorLike): number {
  sameLength("maxTangent", x, xDot);
  return tied(x, xDot, max(x));
}

/** d min(x) in the direction xDot. */
export function minTangent(x: TensorLike, xDot: TensorLike): number {
  sameLength("minTangent", x, xDot);
  return tied(x, xDot, min(x));
}

/** d ‖x‖ = x·xDot / ‖x‖, and 0 at x = 0 (the subgradient normAdjoint uses). */
export function normTangent(x: TensorLike, xDot: TensorLike): number {
  sameLength("normTangent", x, xDot);
  const n = norm(x);
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / n) * xDot[i]!;
  return s;
}

/** d logSumExp(x) = Σ softmax(x)_i · xDot_i, computed stably. */
export function logSumExpTangent(x: TensorLike, xDot: TensorLike): number {
  sameLength("logSumExpTangent", x, xDot);
  if (x.length === 0) return 0;
  const m = max(x);
  if (!Number.isFinite(m)) return tied(x, xDot, m);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < x.length; i++) {
    const w = Math.exp(x[i]! - m);
    total += w;
    weighted += w * xDot[i]!;
  }
  return weighted / total;
}

/**
 * The dense Hessian of f at x, one row per call of the generated
 * forward-over-reverse function `gradJvp(x, e_i) = [∇f(x), H e_i]`.
 */
export function hessianRows<X extends Float64Array | number[]>(
  gradJvp: (x: X, direction: X) => [unknown, ArrayLike<number>],
  x: X,
): number[][] {
  const n = x.length;
  const e = (x instanceof Float64Array ? new Float64Array(n) : new Array<number>(n).fill(0)) as X;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    e[i] = 1;
    rows.push(Array.from(gradJvp(x, e)[1]));
    e[i] = 0;
  }
  return rows;
}

// Tangents of the adjoint helpers whose result is not linear in x, for forward
// mode over a generated backward sweep (Hessians, grad(grad(f))): each adds to
// xBarDot the derivative of what `<name>Adjoint(xBar, x, seed)` adds to xBar,
// in the direction xDot, with seed held fixed. (The seed's own tangent is the
// adjoint helper itself called with seedDot, which generated code emits beside.)

/**
 * Tangent of prodAdjoint: `xBarDot[i] += seed · Σ_{k≠i} xDot_k Π_{j∉{i,k}} x_j`,
 * from prefix and suffix products carried with their tangents (dual numbers),
 * so it is exact when x holds zeros, like prodAdjoint.
 */
export function prodAdjointTangent(xBarDot: Float64Array | number[], x: TensorLike, xDot: TensorLike, seed: number): void {
  sameLength("prodAdjointTangent", x, xDot);
  sameLength("prodAdjointTangent", x, xBarDot);
  const n = x.length;
  const suffix = new Float64Array(n); // Π_{j>i} x_j
  const suffixDot = new Float64Array(n); // its tangent
  let p = 1;
  let pDot = 0;
  for (let i = n - 1; i >= 0; i--) {
    suffix[i] = p;
    suffixDot[i] = pDot;
    pDot = pDot * x[i]! + p * xDot[i]!;
    p *= x[i]!;
  }
  let prefix = 1;
  let prefixDot = 0;
  for (let i = 0; i < n; i++) {
    xBarDot[i]! += seed * (prefixDot * suffix[i]! + prefix * suffixDot[i]!);
    prefixDot = prefixDot * x[i]! + prefix * xDot[i]!;
    prefix *= x[i]!;
  }
}

/** Tangent of normAdjoint: `xBarDot[i] += seed · (xDot_i / r − x_i (x·xDot) / r³)`, nothing at r = 0 (as normAdjoint). */
export function normAdjointTangent(xBarDot: Float64Array | number[], x: TensorLike, xDot: TensorLike, seed: number): void {
  sameLength("normAdjointTangent", x, xDot);
  sameLength("normAdjointTangent", x, xBarDot);
  const r = norm(x);
  if (r === 0) return;
  let along = 0;
  for (let i = 0; i < x.length; i++) along += x[i]! * xDot[i]!;
  const radial = along / (r * r * r);
  for (let i = 0; i < x.length; i++) xBarDot[i]! += seed * (xDot[i]! / r - x[i]! * radial);
}

/**
 * Tangent of logSumExpAdjoint: with s = softmax(x), `xBarDot[i] += seed · s_i (xDot_i − s·xDot)`;
 * where the maximum is infinite (logSumExpAdjoint splits seed among the tied entries) it is 0.
 */
export function logSumExpAdjointTangent(xBarDot: Float64Array | number[], x: TensorLike, xDot: TensorLike, seed: number): void {
  sameLength("logSumExpAdjointTangent", x, xDot);
  sameLength("logSumExpAdjointTangent", x, xBarDot);
  const n = x.length;
  if (n === 0) return;
  const m = max(x);
  if (!Number.isFinite(m)) return;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(x[i]! - m);
    total += w;
    weighted += w * xDot[i]!;
  }
  const mean = weighted / total;
  for (let i = 0; i < n; i++) xBarDot[i]! += seed * (Math.exp(x[i]! - m) / total) * (xDot[i]! - mean);
}

/** A zero of x's shape: 0 for a number, zeros of the same array kind, the same fields zeroed (a zero tangent). */
export function zerosOf<T>(x: T): T {
  if (typeof x === "number") return 0 as T;
  if (x instanceof Float64Array) return new Float64Array(x.length) as T;
  if (Array.isArray(x)) return x.map((item: unknown) => zerosOf(item)) as T;
  if (typeof x === "object" && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(x)) out[k] = zerosOf(value);
    return out as T;
  }
  return x;
}

/**
 * The Hessian of f with respect to parameter k (an array) at args, one row per
 * call of the generated forward-over-reverse function
 * `gradJvp(...args, ...tangents) = [∇_k f, H e_i]`; the tangents of the other
 * parameters are zero.
 */
export function hessianRowsAt(
  gradJvp: (...argsThenTangents: never[]) => [unknown, ArrayLike<number>],
  args: readonly unknown[],
  k: number,
): number[][] {
  const tangents = args.map((a) => zerosOf(a));
  const x = args[k] as ArrayLike<number>;
  const e = tangents[k] as number[] | Float64Array;
  const call = gradJvp as (...argsThenTangents: unknown[]) => [unknown, ArrayLike<number>];
  const rows: number[][] = [];
  for (let i = 0; i < x.length; i++) {
    e[i] = 1;
    rows.push(Array.from(call(...args, ...tangents)[1]));
    e[i] = 0;
  }
  return rows;
}
