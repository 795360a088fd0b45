// Arrays a loop body creates afresh each iteration (`const t = new
// Float64Array(n)` inside the loop). The backward sweep needs each iteration's
// array again, with the values that iteration left in it; generated code keeps
// them alive on a stack local to the call (not a global one: a forward sweep
// that is run again after lengthening the tape starts from a fresh stack).

/** Saves `array` (the previous iteration's) before the loop body replaces it. */
export function keepArray<T>(kept: T[], array: T): void {
  kept.push(array);
}

/** The array saved last: the one the iteration being reversed ran with. */
export function restoreArray<T>(kept: T[]): T {
  if (kept.length === 0) {
    throw new Error("tsgrad: the backward sweep restored more arrays than the forward sweep kept. This is a bug in tsgrad; please report it with the function being differentiated.");
  }
  return kept.pop()!;
}

/**
 * A buffer of zeros with the length and kind of `like`: `buffer` itself, zeroed,
 * when it fits (arrays of one length in every iteration allocate nothing), else
 * a new one.
 */
export function zeroedLike(buffer: Float64Array, like: Float64Array): Float64Array;
export function zeroedLike(buffer: number[], like: readonly number[]): number[];
/** For a local that may hold either kind (a helper's `number[]` parameter given a row of a flat matrix). */
export function zeroedLike(buffer: Float64Array | number[], like: Float64Array | readonly number[]): Float64Array | number[];
export function zeroedLike(buffer: Float64Array | number[], like: Float64Array | readonly number[]): Float64Array | number[] {
  const f64 = like instanceof Float64Array;
  if (buffer.length === like.length && buffer instanceof Float64Array === f64) return buffer.fill(0);
  return f64 ? new Float64Array(like.length) : new Array<number>(like.length).fill(0);
}

/** Undoes `xs.push(v)` in the backward sweep: the array is as long again as the statements before the push saw it. */
export function popElement(xs: number[]): void {
  xs.pop();
}

/** Where `xs.slice(start)` starts in an array of length `n` (a negative start counts from the end). */
function sliceStart(start: number, n: number): number {
  return start < 0 ? Math.max(n + start, 0) : Math.min(start, n);
}

/**
 * `xs.slice(start, end)`, `[...xs]`, `Array.from(xs)`: a copy of the same kind as
 * `xs` (a Float64Array of a Float64Array, a number[] of an array).
 */
export function sliceOf(xs: Float64Array, start: number, end: number): Float64Array;
export function sliceOf(xs: readonly number[], start: number, end: number): number[];
export function sliceOf(xs: Float64Array | readonly number[], start: number, end: number): Float64Array | number[] {
  return xs.slice(start, end);
}

/** The adjoint of `y = sliceOf(x, start, end)`: `xBar[start + i] += yBar[i]`. */
export function sliceAdjoint(xBar: Float64Array | number[], start: number, yBar: Float64Array | readonly number[]): void {
  const from = sliceStart(start, xBar.length);
  for (let i = 0; i < yBar.length; i++) xBar[from + i]! += yBar[i]!;
}

/** `new Array<number>(n).fill(value)`: a number[] of n copies of value. */
export function filled(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}

/**
 * The number[] a function's type promises, for an array tsgrad kept as a
 * Float64Array (a `map` result a vjp or jvp returns as f's value): `xs` itself
 * when it is a number[] already, else a number[] copy of it.
 */
export function asArray(xs: Float64Array | number[]): number[] {
  if (Array.isArray(xs)) return xs;
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) out.push(xs[i]!);
  return out;
}

/**
 * `xs.slice(start, end)` as a number[], whatever kind `xs` is: a row of a flat
 * matrix (a Float64Array) given to a helper that takes a number[]
 * (desugar/row-arguments.ts), which then gets what JavaScript gives it.
 */
export function sliceToArray(xs: Float64Array | readonly number[], start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(xs[i]!);
  return out;
}
