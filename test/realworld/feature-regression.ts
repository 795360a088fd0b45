// Linear regression over a design matrix kept as rows of numbers, with an
// elastic-net penalty; predictions are a map over the rows, each a reduce.
import { grad } from "tsgrad";

const FEATURES: number[][] = [
  [1, 0.5, 1.2],
  [1, -0.3, 0.4],
  [1, 1.8, -0.7],
  [1, 0.9, 0.0],
  [1, -1.1, 2.1],
];
const TARGETS = [2.1, 0.4, 1.9, 1.7, 0.2];

export function elasticNet(coef: number[], l1 = 0.05, l2 = 0.1): number {
  const predictions = FEATURES.map((row) => row.reduce((s, x, j) => s + x * coef[j], 0));
  const mse = predictions.reduce((s, p, i) => s + (p - TARGETS[i]) ** 2, 0) / TARGETS.length;
  // The intercept (coefficient 0) is not penalised.
  const penalty = coef.reduce((s, c, j) => (j === 0 ? s : s + l1 * Math.abs(c) + l2 * c * c), 0);
  return mse + penalty;
}

export const dElasticNet = grad(elasticNet);

export const cases = [{ f: elasticNet, df: dElasticNet, args: [[0.5, 0.8, -0.3]] }];
