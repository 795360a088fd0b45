// Reductions: a tensor in, one number out. Plain loops over indices, no
// allocation. Empty inputs follow torch (sum 0, mean NaN, prod 1,
// logSumExp -Infinity) except where there is no answer (max, min), which throw.

import type { TensorLike } from "./tensor.js";

/** Σ x[i]; 0 for an empty tensor. */
export function sum(x: TensorLike): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** Σ x[i] / n; NaN for an empty tensor, like torch. */
export function mean(x: TensorLike): number {
  return sum(x) / x.length;
}

/**
 * Σ a[i] · b[i].
 * @throws RangeError when `a` and `b` differ in length.
 */
export function dot(a: TensorLike, b: TensorLike): number {
  const n = a.length;
  if (b.length !== n) {
    throw new RangeError(`dot: a has length ${n} but b has length ${b.length}`);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/** Π x[i]; 1 for an empty tensor. */
export function prod(x: TensorLike): number {
  let p = 1;
  for (let i = 0; i < x.length; i++) p *= x[i]!;
  return p;
}

/**
 * The largest entry; NaN if any entry is NaN, like torch.
 * @throws RangeError for an empty tensor.
 */
export function max(x: TensorLike): number {
  if (x.length === 0)
    throw new RangeError("max: x is empty; the max of no entries is undefined");
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/**
 * The smallest entry; NaN if any entry is NaN, like torch.
 * @throws RangeError for an empty tensor.
 */
export function min(x: TensorLike): number {
  if (x.length === 0)
    throw new RangeError("min: x is empty; the min of no entries is undefined");
  let m = Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/**
 * The Euclidean (L2) norm √(Σ x[i]²); 0 for an empty tensor. Entries are scaled
 * by the largest magnitude before squaring, so 1e200 or 1e-200 entries neither
 * overflow nor underflow.
 */
export function norm(x: TensorLike): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > scale) scale = a;
    else if (a !== a) return NaN;
  }
  if (scale === 0 || scale === Infinity) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const r = x[i]! / scale;
    s += r * r;
  }
  return scale * Math.sqrt(s);
}

/**
 * `Math.hypot(...x)`, the L2 norm as Math rounds it: what `Math.hypot(...xs)` in
 * differentiated code becomes, so its value is the user's to the bit (`norm`
 * rounds differently). Its derivative is norm's.
 */
export function hypot(x: TensorLike): number {
  return Math.hypot(...x);
}

/**
 * log Σ exp(x[i]), computed as m + log Σ exp(x[i] − m) with m the largest entry,
 * so large entries do not overflow. -Infinity for an empty tensor or when
 * every entry is -Infinity; +Infinity when an entry is +Infinity; NaN if any
 * entry is NaN.
 */
export function logSumExp(x: TensorLike): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]! - m);
  return m + Math.log(s);
}
