// Robust regression with the Huber loss; delta defaults to 1.0 as in most
// libraries. The line is y = slope * x + intercept.
import { grad } from "tsgrad";

export function huber(residual: number, delta = 1.0): number {
  const a = Math.abs(residual);
  if (a <= delta) {
    return 0.5 * residual * residual;
  }
  return delta * (a - 0.5 * delta);
}

export function robustFit(slope: number, intercept: number, xs: number[], ys: number[], delta?: number): number {
  const residuals = xs.map((x, i) => slope * x + intercept - ys[i]);
  return residuals.reduce((sum, r) => sum + huber(r, delta), 0) / residuals.length;
}

export const dRobustFit = grad(robustFit, [0, 1]);
export const dHuber = grad(huber);

const xs = [0, 1, 2, 3, 4, 5];
const ys = [0.1, 1.2, 1.9, 3.2, 9.0, 5.1]; // one outlier at x = 4

export const cases = [
  { f: robustFit, df: dRobustFit, args: [0.9, 0.2, xs, ys], wrt: [0, 1] },
  { f: robustFit, df: dRobustFit, args: [0.9, 0.2, xs, ys, 0.5], wrt: [0, 1] },
  { f: huber, df: dHuber, args: [0.4] },
  { f: huber, df: dHuber, args: [-2.5] },
];
