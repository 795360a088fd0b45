// A regression loss still carrying the console.log lines its author added
// while chasing a bug; the log runs once per call, gradient calls included.
import { grad, valueAndGrad } from "tsgrad";

const XS = [0.5, 1.5, 2.5, 3.5];
const YS = [1.1, 2.9, 5.2, 6.8];

export function lineLoss(slope: number, intercept: number): number {
  let loss = 0;
  for (let i = 0; i < XS.length; i++) {
    const residual = slope * XS[i] + intercept - YS[i];
    loss += residual * residual;
  }
  console.log("lineLoss", slope, intercept, "->", loss);
  return loss;
}

export const dLineLoss = grad(lineLoss, [0, 1]);
export const lineLossAndGrad = valueAndGrad(lineLoss, [0, 1]);

export const cases = [
  { f: lineLoss, df: dLineLoss, args: [1.8, 0.3], wrt: [0, 1] },
  { f: lineLoss, df: lineLossAndGrad, args: [2.1, -0.1], wrt: [0, 1], withValue: true },
];
