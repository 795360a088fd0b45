// Loops that overwrite a value many times: every overwritten value goes
// through the runtime stacks, which must be empty again after each call.
import { grad, valueAndGrad } from "tsgrad";

export { stackDepth, tape } from "tsgrad";

/** y_{k+1} = sin(y_k) + x / 2, n times. */
export function iterate(x: number, n: number): number {
  let y = x;
  for (let i = 0; i < n; i++) {
    y = Math.sin(y) + x * 0.5;
  }
  return y;
}

/** A branch per iteration, decided by the overwritten value. */
export function zigzag(x: number, n: number): number {
  let y = x;
  for (let i = 0; i < n; i++) {
    if (y > 0) {
      y = y * 0.999 - x * 1e-3;
    } else {
      y = y * 0.998 + x * 2e-3;
    }
  }
  return y;
}

/** A while loop with break and a local buffer written by index. */
export function buffer(x: number, n: number): number {
  const u = new Float64Array(n);
  let y = x;
  let i = 0;
  while (true) {
    if (i >= n) break;
    y = Math.cos(y) * 0.5 + x;
    u[i] = y * y;
    i++;
  }
  let s = 0;
  for (let j = 0; j < n; j += 1000) s += u[j]!;
  return s + y;
}

/**
 * A loop calling a looping helper: the helper's adjoint saves its values above
 * the caller's (and grows the tape when it is short) in the caller's backward sweep.
 */
export function nested(x: number, n: number): number {
  let y = x;
  for (let k = 0; k < 3; k++) {
    y = iterate(y, n) * 0.5 + Math.sin(y);
  }
  return y;
}

export const dIterate = grad(iterate);
export const dNested = grad(nested, [0]);
export const vgIterate = valueAndGrad(iterate);
export const dZigzag = grad(zigzag);
export const dBuffer = grad(buffer);
