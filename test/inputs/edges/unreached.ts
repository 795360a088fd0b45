// Values that do not reach the result on the path taken: their partial
// derivatives may be infinite there, and they contribute nothing (as in
// PyTorch, where they are not in the graph of the result).
import { grad } from "tsgrad";

/** exp(1000 x) overflows, but on c <= 0 the result is x. */
export function other(x: number, c: number): number {
  const v = Math.exp(1000 * x);
  return c > 0 ? v : x;
}

/** sqrt's derivative is infinite at 0, but y is overwritten before it is read. */
export function overwritten(x: number): number {
  let y = Math.sqrt(x);
  y = x * x;
  return y;
}

/** x / i with i = 0 is used only when i > 0. */
export function quotient(x: number, i: number): number {
  const q = x / i;
  return i > 0 ? q : x;
}

/** A loop where the first iteration's quotient divides by 0 and is not used. */
export function counted(x: number): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const q = x / i;
    if (i > 0) s += q * q;
    else s += x;
  }
  return s;
}

/** The same quotient, used: 0 * Infinity is NaN here as in PyTorch (the value reaches the result). */
export function used(x: number, i: number): number {
  const q = x / i;
  return 0 * q + x;
}

export const dOther = grad(other, [0, 1]);
export const dOverwritten = grad(overwritten);
export const dQuotient = grad(quotient, [0, 1]);
export const dCounted = grad(counted);
export const dUsed = grad(used, [0, 1]);
