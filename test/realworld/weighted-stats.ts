// Weighted mean and variance of observations with rest-parameter helpers and
// Math.min/Math.max over spreads for a range penalty.
import { grad } from "tsgrad";

const sum = (...xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export function spreadObjective(values: number[], weights: number[]): number {
  const total = sum(...weights);
  const mean = sum(...values.map((v, i) => v * weights[i])) / total;
  const variance = sum(...values.map((v, i) => weights[i] * (v - mean) ** 2)) / total;
  const range = Math.max(...values) - Math.min(...values);
  return variance + 0.1 * range;
}

export const dSpread = grad(spreadObjective);

export const cases = [
  {
    f: spreadObjective,
    df: dSpread,
    args: [
      [1.2, 3.4, 2.2, 0.7, 2.9],
      [1, 2, 1, 0.5, 1.5],
    ],
  },
];
