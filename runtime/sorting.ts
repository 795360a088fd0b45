// Sorting, differentiated as JAX and PyTorch differentiate it: a sorted copy is
// a permutation of its input, so its adjoint sends each element's adjoint back
// to the place the element came from, and its tangent is the input's tangent
// permuted the same way. The permutation is piecewise constant in the values:
// where two values tie, the derivative goes to the one the sort put first.

type Numbers = Float64Array | readonly number[];

/**
 * The order a stable sort of `x` puts its indices in: ascending values for
 * `order` 1, descending for -1, comparing as `(a, b) => a - b` (or `b - a`)
 * does. A sort of the values with that comparator makes the same comparisons,
 * so it gives the values in this order.
 */
function permutation(x: Numbers, order: number): number[] {
  const indices = Array.from({ length: x.length }, (_, i) => i);
  return indices.sort((i, j) => order * (x[i]! - x[j]!));
}

/** `[...xs].sort((a, b) => a - b)` for order 1, `b - a` for -1: a sorted copy of the same kind as `xs`. */
export function sortedOf(xs: Float64Array, order: number): Float64Array;
export function sortedOf(xs: readonly number[], order: number): number[];
export function sortedOf(xs: Numbers, order: number): Float64Array | number[] {
  const perm = permutation(xs, order);
  const out = xs instanceof Float64Array ? new Float64Array(xs.length) : new Array<number>(xs.length);
  for (let k = 0; k < perm.length; k++) out[k] = xs[perm[k]!]!;
  return out;
}

/** The adjoint of `y = sortedOf(x, order)`: `xBar[perm[k]] += yBar[k]`. */
export function sortedAdjoint(xBar: Float64Array | number[], x: Numbers, order: number, yBar: Numbers): void {
  const perm = permutation(x, order);
  for (let k = 0; k < perm.length; k++) xBar[perm[k]!]! += yBar[k]!;
}

/**
 * `[...xs].reverse()` or `xs.toReversed()`: a reversed copy of the same kind as
 * `xs`. Reversal is a fixed permutation, so it is its own tangent map and its
 * adjoint sends element k's adjoint back to n - 1 - k.
 */
export function reversedOf(xs: Float64Array): Float64Array;
export function reversedOf(xs: readonly number[]): number[];
export function reversedOf(xs: Numbers): Float64Array | number[] {
  const n = xs.length;
  const out = xs instanceof Float64Array ? new Float64Array(n) : new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = xs[n - 1 - k]!;
  return out;
}

/** The adjoint of `y = reversedOf(x)`: `xBar[n - 1 - k] += yBar[k]`. */
export function reversedAdjoint(xBar: Float64Array | number[], yBar: Numbers): void {
  const n = yBar.length;
  for (let k = 0; k < n; k++) xBar[n - 1 - k]! += yBar[k]!;
}

/** The tangent of `sortedOf(x, order)` along `xDot`: `xDot` permuted as x is. */
export function sortedTangent(x: Float64Array, order: number, xDot: Numbers): Float64Array;
export function sortedTangent(x: readonly number[], order: number, xDot: Numbers): number[];
export function sortedTangent(x: Numbers, order: number, xDot: Numbers): Float64Array | number[] {
  const perm = permutation(x, order);
  const out = x instanceof Float64Array ? new Float64Array(x.length) : new Array<number>(x.length);
  for (let k = 0; k < perm.length; k++) out[k] = xDot[perm[k]!]!;
  return out;
}
