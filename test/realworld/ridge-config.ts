// Ridge regression whose hyper-parameters live in a module-level CONFIG
// object, read inside the loss.
import { grad } from "tsgrad";

const CONFIG = {
  lambda: 0.1,
  fitIntercept: true,
  features: 3,
};

const X = [
  [0.5, 1.2, -0.3],
  [1.1, -0.4, 0.8],
  [-0.9, 0.3, 0.5],
  [0.2, 0.9, -1.1],
  [1.4, 0.1, 0.2],
];
const Y = [1.0, 0.5, -0.2, 0.3, 1.3];

export function ridgeLoss(theta: number[]): number {
  const intercept = CONFIG.fitIntercept ? theta[CONFIG.features] : 0;
  let sse = 0;
  for (let i = 0; i < X.length; i++) {
    let pred = intercept;
    for (let j = 0; j < CONFIG.features; j++) pred += X[i][j] * theta[j];
    sse += (pred - Y[i]) ** 2;
  }
  let reg = 0;
  for (let j = 0; j < CONFIG.features; j++) reg += theta[j] ** 2;
  return sse / X.length + CONFIG.lambda * reg;
}

export const dRidge = grad(ridgeLoss);

export const cases = [{ f: ridgeLoss, df: dRidge, args: [[0.3, -0.2, 0.5, 0.1]] }];
