// Points where a derivative does not exist: PyTorch's conventions (SPEC §3).
import { grad, hessian } from "tsgrad";

export const abs = (x: number): number => Math.abs(x);
export const max2 = (x: number, y: number): number => Math.max(x, y);
export const min2 = (x: number, y: number): number => Math.min(x, y);
export const max3 = (x: number, y: number, z: number): number => Math.max(x, y, z);
export const min3 = (x: number, y: number, z: number): number => Math.min(x, y, z);
/** The same variable twice: both halves of the tie reach x. */
export const maxSelf = (x: number): number => Math.max(x, x);
export const relu = (x: number): number => Math.max(x, 0);
export const sqrt = (x: number): number => Math.sqrt(x);
export const square = (x: number): number => x ** 2;
export const powSquare = (x: number): number => Math.pow(x, 2);
export const cube = (x: number): number => x ** 3;
export const power = (x: number, y: number): number => x ** y;
export const sign = (x: number): number => Math.sign(x) * 3;
export const floor = (x: number): number => Math.floor(x) * 3;
export const ceil = (x: number): number => Math.ceil(x) * 3;
export const round = (x: number): number => Math.round(x) * 3;
export const trunc = (x: number): number => Math.trunc(x) * 3;
/** Zero-derivative functions composed with a smooth one: only the smooth part counts. */
export const mixed = (x: number): number => Math.floor(x) * x + Math.sign(x) + x;

/** Running extrema: the old value is saved only when the new element wins (reverse.ts, extremumGuard). */
export function running(x: Float64Array, c: number): number {
  let hi = c;
  let lo = c;
  for (let i = 0; i < x.length; i++) {
    hi = Math.max(hi, x[i]! * c);
    lo = Math.min(x[i]!, lo);
  }
  return hi * 3 + lo * lo;
}
/** The same, written so no save is guarded (`+ 0` hides the running extremum). */
export function runningPlain(x: Float64Array, c: number): number {
  let hi = c;
  let lo = c;
  for (let i = 0; i < x.length; i++) {
    hi = Math.max(hi, x[i]! * c) + 0;
    lo = Math.min(x[i]!, lo) + 0;
  }
  return hi * 3 + lo * lo;
}

/** One parameter, for hessian (forward over the reverse sweep with its guarded saves). */
export const runningX = (x: Float64Array): number => running(x, 1.5) * x[0]!;
export const runningXPlain = (x: Float64Array): number => runningPlain(x, 1.5) * x[0]!;

export const dAbs = grad(abs);
export const hRunning = hessian(runningX);
export const hRunningPlain = hessian(runningXPlain);
export const dRunning = grad(running, [0, 1]);
export const dRunningPlain = grad(runningPlain, [0, 1]);
export const dMax2 = grad(max2, [0, 1]);
export const dMin2 = grad(min2, [0, 1]);
export const dMax3 = grad(max3, [0, 1, 2]);
export const dMin3 = grad(min3, [0, 1, 2]);
export const dMaxSelf = grad(maxSelf);
export const dRelu = grad(relu);
export const dSqrt = grad(sqrt);
export const dSquare = grad(square);
export const dPowSquare = grad(powSquare);
export const dCube = grad(cube);
export const dPower = grad(power, [0, 1]);
export const dSign = grad(sign);
export const dFloor = grad(floor);
export const dCeil = grad(ceil);
export const dRound = grad(round);
export const dTrunc = grad(trunc);
export const dMixed = grad(mixed);
