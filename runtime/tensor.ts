// Tensor constructors and element-wise maps. A tensor is a plain Float64Array;
// a `number[]` is accepted wherever a tensor is read. Every function here
// returns a fresh buffer and never mutates its inputs.

/** What the runtime reads as a tensor: a Float64Array or an array of numbers. */
export type TensorLike = Float64Array | readonly number[];

/** Throws unless `n` is an integer no smaller than `least`. */
function checkCount(fn: string, n: number, least: 0 | 1): void {
  if (!Number.isInteger(n) || n < least) {
    const wanted = least === 0 ? "a non-negative integer" : "an integer >= 1";
    throw new RangeError(`${fn}: n must be ${wanted}, got ${String(n)}`);
  }
}

/**
 * `n` evenly spaced points from `start` to `stop`, both included, like
 * `torch.linspace`: the first point is `start` and the last is `stop` exactly,
 * and `n = 1` gives `[start]`. As torch does, the first half counts up from
 * `start` and the second half counts down from `stop`, so the points are
 * symmetric and neither end drifts.
 * @throws RangeError unless `n` is an integer >= 1.
 */
export function linspace(start: number, stop: number, n: number): Float64Array {
  checkCount("linspace", n, 1);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (n - 1);
  const half = n >> 1;
  for (let i = 0; i < half; i++) out[i] = start + step * i;
  for (let i = half; i < n; i++) out[i] = stop - step * (n - 1 - i);
  return out;
}

/**
 * `n` zeros.
 * @throws RangeError unless `n` is a non-negative integer.
 */
export function zeros(n: number): Float64Array {
  checkCount("zeros", n, 0);
  return new Float64Array(n);
}

/**
 * `n` ones.
 * @throws RangeError unless `n` is a non-negative integer.
 */
export function ones(n: number): Float64Array {
  checkCount("ones", n, 0);
  return new Float64Array(n).fill(1);
}

/**
 * `n` copies of `value`.
 * @throws RangeError unless `n` is a non-negative integer.
 */
export function full(n: number, value: number): Float64Array {
  checkCount("full", n, 0);
  return new Float64Array(n).fill(value);
}

/**
 * `0, 1, ..., n - 1`.
 * @throws RangeError unless `n` is a non-negative integer.
 */
export function arange(n: number): Float64Array {
  checkCount("arange", n, 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** A Float64Array copy of `array`; later writes to either do not reach the other. */
export function tensor(array: TensorLike): Float64Array {
  return Float64Array.from(array);
}

/** `f` applied to each entry of `x`: `out[i] = f(x[i])`. `f` sees the value only, never an index. */
export function map(x: TensorLike, f: (xi: number) => number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  return out;
}

/**
 * Throws the RangeError map2 throws for arrays of different lengths. Generated
 * code calls it where it inlines a map2 callback into a loop.
 */
export function checkMap2(x: TensorLike, y: TensorLike): void {
  if (y.length !== x.length) {
    throw new RangeError(`map2: x has length ${x.length} but y has length ${y.length}`);
  }
}

/**
 * `f` applied to matching entries of `x` and `y`: `out[i] = f(x[i], y[i])`.
 * @throws RangeError when `x` and `y` differ in length.
 */
export function map2(
  x: TensorLike,
  y: TensorLike,
  f: (xi: number, yi: number) => number,
): Float64Array {
  const n = x.length;
  if (y.length !== n) {
    throw new RangeError(
      `map2: x has length ${n} but y has length ${y.length}`,
    );
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x[i]!, y[i]!);
  return out;
}

/**
 * A fresh buffer of zeros with the length and kind of `x`: a Float64Array for a
 * Float64Array, a `number[]` for an array. Generated code allocates gradient
 * buffers with it, so a gradient has its parameter's type.
 */
export function zerosLike(x: Float64Array): Float64Array;
export function zerosLike(x: readonly number[]): number[];
export function zerosLike(x: TensorLike): Float64Array | number[];
export function zerosLike(x: TensorLike): Float64Array | number[] {
  if (x instanceof Float64Array) return new Float64Array(x.length);
  return new Array<number>(x.length).fill(0);
}
