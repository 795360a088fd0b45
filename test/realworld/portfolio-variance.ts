// Mean-variance portfolio objective: variance w' S w from a module-level
// covariance matrix, minus a risk-adjusted expected return.
import { grad } from "tsgrad";

const COVARIANCE: number[][] = [
  [0.04, 0.006, 0.002, 0.0],
  [0.006, 0.09, 0.01, 0.004],
  [0.002, 0.01, 0.0225, 0.003],
  [0.0, 0.004, 0.003, 0.0625],
];
const EXPECTED_RETURNS = [0.06, 0.1, 0.05, 0.12];

export function portfolioVariance(weights: number[]): number {
  return weights.reduce(
    (total, wi, i) => total + wi * weights.reduce((row, wj, j) => row + COVARIANCE[i][j] * wj, 0),
    0,
  );
}

export function objective(weights: number[], riskAversion = 3): number {
  const expected = weights.reduce((s, w, i) => s + w * EXPECTED_RETURNS[i], 0);
  return 0.5 * riskAversion * portfolioVariance(weights) - expected;
}

export const dVariance = grad(portfolioVariance);
export const dObjective = grad(objective);

const weights = [0.3, 0.2, 0.4, 0.1];

export const cases = [
  { f: portfolioVariance, df: dVariance, args: [weights] },
  { f: objective, df: dObjective, args: [weights, 5] },
];
