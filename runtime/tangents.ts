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
