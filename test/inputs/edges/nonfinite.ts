// NaN and infinities in the forward sweep reach the backward sweep.
import { grad } from "tsgrad";

/** log(x - 10) is NaN for x < 10. */
export const timesNaN = (x: number): number => x * Math.log(x - 10);
export const log = (x: number): number => Math.log(x);
export const logSquare = (x: number): number => Math.log(x * x);
export const sqrt = (x: number): number => Math.sqrt(x);
/** x + 0 is +0 at x = -0, so this is sqrt at +0: derivative +Infinity. */
export const sqrtPlusZero = (x: number): number => Math.sqrt(x + 0);
export const cbrt = (x: number): number => Math.cbrt(x);
export const asin = (x: number): number => Math.asin(x);
export const acos = (x: number): number => Math.acos(x);
export const halfPower = (x: number): number => x ** 0.5;
export const exp = (x: number): number => Math.exp(x);
export const tanh = (x: number): number => Math.tanh(x);
export const reciprocal = (x: number): number => 1 / x;
export const square = (x: number): number => x * x;
export const branch = (x: number): number => (x > 0 ? x * x : -x);

export function repeatedSquare(x: number): number {
  let y = x;
  for (let i = 0; i < 3; i++) y = y * y;
  return y;
}

export const dTimesNaN = grad(timesNaN);
export const dLog = grad(log);
export const dLogSquare = grad(logSquare);
export const dSqrt = grad(sqrt);
export const dSqrtPlusZero = grad(sqrtPlusZero);
export const dCbrt = grad(cbrt);
export const dAsin = grad(asin);
export const dAcos = grad(acos);
export const dHalfPower = grad(halfPower);
export const dExp = grad(exp);
export const dTanh = grad(tanh);
export const dReciprocal = grad(reciprocal);
export const dSquare = grad(square);
export const dBranch = grad(branch);
export const dRepeatedSquare = grad(repeatedSquare);
