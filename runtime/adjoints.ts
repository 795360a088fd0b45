// Adjoints of the runtime's reductions and constructors, called by generated
// backward sweeps. Each takes the adjoint `seed` of the result and adds its
// contribution into a gradient buffer in place (`xBar[i] += ...`); none
// returns a buffer, so several uses of one tensor accumulate into one gradient.

import { norm } from "./reductions.js";
import type { TensorLike } from "./tensor.js";

/** A gradient buffer the adjoints add into: a Float64Array or an array of numbers. */
export type GradBuffer = Float64Array | number[];

/** Throws unless the gradient buffer and the tensor it belongs to have one length. */
function checkLengths(
  fn: string,
  barName: string,
  bar: GradBuffer,
  name: string,
  x: TensorLike,
): void {
  if (bar.length !== x.length) {
    throw new RangeError(
      `${fn}: ${barName} has length ${bar.length} but ${name} has length ${x.length}`,
    );
  }
}

/** Adjoint of `sum(x)`: `xBar[i] += seed`. */
export function sumAdjoint(xBar: GradBuffer, seed: number): void {
  for (let i = 0; i < xBar.length; i++) xBar[i]! += seed;
}

/** Adjoint of `mean(x)`: `xBar[i] += seed / n`; nothing to do for an empty `xBar`. */
export function meanAdjoint(xBar: GradBuffer, seed: number): void {
  const share = seed / xBar.length;
  for (let i = 0; i < xBar.length; i++) xBar[i]! += share;
}

/**
 * Adjoint of `dot(a, b)` for one side: `aBar[i] += seed * b[i]`. Generated code
 * calls it once per active side, with the other side as `b`.
 * @throws RangeError when `aBar` and `b` differ in length.
 */
export function dotAdjoint(
  aBar: GradBuffer,
  seed: number,
  b: TensorLike,
): void {
  checkLengths("dotAdjoint", "aBar", aBar, "b", b);
  for (let i = 0; i < aBar.length; i++) aBar[i]! += seed * b[i]!;
}

/**
 * Adjoint of `prod(x)`: `xBar[i] += seed * Π_{j≠i} x[j]`, from prefix and suffix
 * products with no division, so it is exact when `x` holds zeros.
 * @throws RangeError when `xBar` and `x` differ in length.
 */
export function prodAdjoint(
  xBar: GradBuffer,
  x: TensorLike,
  seed: number,
): void {
  checkLengths("prodAdjoint", "xBar", xBar, "x", x);
  const n = x.length;
  const suffix = new Float64Array(n); // suffix[i] = Π_{j>i} x[j]
  let p = 1;
  for (let i = n - 1; i >= 0; i--) {
    suffix[i] = p;
    p *= x[i]!;
  }
  let prefix = 1; // Π_{j<i} x[j]
  for (let i = 0; i < n; i++) {
    xBar[i]! += seed * (prefix * suffix[i]!);
    prefix *= x[i]!;
  }
}

/** Adds `seed` split evenly among the entries of `x` equal to `m`. */
function splitAmongEqual(
  xBar: GradBuffer,
  x: TensorLike,
  m: number,
  seed: number,
): void {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === m) count++;
  if (count === 0) return;
  const share = seed / count;
  for (let i = 0; i < x.length; i++) if (x[i] === m) xBar[i]! += share;
}

/**
 * Adjoint of `max(x)`: `seed` split evenly among all entries equal to the
 * maximum, as PyTorch's `amax` does for ties.
 * @throws RangeError when `xBar` and `x` differ in length.
 */
export function maxAdjoint(
  xBar: GradBuffer,
  x: TensorLike,
  seed: number,
): void {
  checkLengths("maxAdjoint", "xBar", xBar, "x", x);
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  splitAmongEqual(xBar, x, m, seed);
}

/**
 * Adjoint of `min(x)`: `seed` split evenly among all entries equal to the
 * minimum, as PyTorch's `amin` does for ties.
 * @throws RangeError when `xBar` and `x` differ in length.
 */
export function minAdjoint(
  xBar: GradBuffer,
  x: TensorLike,
  seed: number,
): void {
  checkLengths("minAdjoint", "xBar", xBar, "x", x);
  let m = Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! < m) m = x[i]!;
  splitAmongEqual(xBar, x, m, seed);
}

/**
 * Adjoint of `norm(x)`: `xBar[i] += seed * x[i] / norm(x)`, and nothing when the
 * norm is 0 (PyTorch's subgradient there).
 * @throws RangeError when `xBar` and `x` differ in length.
 */
export function normAdjoint(
  xBar: GradBuffer,
  x: TensorLike,
  seed: number,
): void {
  checkLengths("normAdjoint", "xBar", xBar, "x", x);
  const r = norm(x);
  if (r === 0) return;
  for (let i = 0; i < x.length; i++) xBar[i]! += seed * (x[i]! / r);
}

/**
 * Adjoint of `logSumExp(x)`: `xBar[i] += seed * softmax(x)[i]`, with the
 * maximum subtracted before exponentiating so large entries do not overflow.
 * When the maximum is infinite (an entry is +Infinity, or all are -Infinity)
 * `seed` is split evenly among the entries equal to it, the limit of softmax.
 * @throws RangeError when `xBar` and `x` differ in length.
 */
export function logSumExpAdjoint(
  xBar: GradBuffer,
  x: TensorLike,
  seed: number,
): void {
  checkLengths("logSumExpAdjoint", "xBar", xBar, "x", x);
  const n = x.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (x[i]! > m) m = x[i]!;
  if (m === Infinity || m === -Infinity) {
    splitAmongEqual(xBar, x, m, seed);
    return;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[i]! - m);
  const scale = seed / s;
  for (let i = 0; i < n; i++) xBar[i]! += scale * Math.exp(x[i]! - m);
}

/**
 * `xBar[i] += seed * y[i]` (axpy). Element `i` of `y` is read before element `i`
 * of `xBar` is written, so `y` may be `xBar` itself.
 * @throws RangeError when `xBar` and `y` differ in length.
 */
export function addScaled(xBar: GradBuffer, seed: number, y: TensorLike): void {
  checkLengths("addScaled", "xBar", xBar, "y", y);
  for (let i = 0; i < xBar.length; i++) xBar[i]! += seed * y[i]!;
}

/**
 * Adjoints `[startBar, stopBar]` of `linspace(start, stop, n)` given the adjoint
 * `yBar` of its output: with `t_i = i / (n − 1)`, `startBar = Σ yBar[i]·(1 − t_i)`
 * and `stopBar = Σ yBar[i]·t_i`. For `n = 1` the one point is `start`, so
 * `startBar = yBar[0]` and `stopBar = 0`.
 * @throws RangeError for an empty `yBar` (linspace never returns one).
 */
export function linspaceAdjoint(yBar: TensorLike): [number, number] {
  const n = yBar.length;
  if (n === 0)
    throw new RangeError("linspaceAdjoint: yBar must have length >= 1, got 0");
  if (n === 1) return [yBar[0]!, 0];
  let startBar = 0;
  let stopBar = 0;
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    const g = yBar[i]!;
    startBar += g * ((last - i) / last);
    stopBar += g * (i / last);
  }
  return [startBar, stopBar];
}
