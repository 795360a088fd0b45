// A pairwise ranking loss for a search box: a linear scorer over document
// features should rank clicked results above the ones skipped in the same
// query. Only pairs that disagree by a margin contribute.
import { valueAndGrad } from "tsgrad";

export interface Impression {
  query: string;
  features: [number, number, number];
  clicked: boolean;
}

export const LOG: readonly Impression[] = [
  { query: "boots", features: [0.9, 0.2, 0.1], clicked: true },
  { query: "boots", features: [0.4, 0.6, 0.3], clicked: false },
  { query: "boots", features: [0.3, 0.1, 0.8], clicked: false },
  { query: "tent", features: [0.2, 0.9, 0.4], clicked: true },
  { query: "tent", features: [0.6, 0.3, 0.2], clicked: false },
  { query: "stove", features: [0.1, 0.4, 0.9], clicked: true },
];

const score = (w: readonly number[], f: readonly number[]): number => f.reduce((s, v, k) => s + v * w[k], 0);
const smoothHinge = (z: number): number => (z > 1 ? 0 : z < 0 ? 0.5 - z : 0.5 * (1 - z) ** 2);

export function rankingLoss(weights: number[], log: readonly Impression[]): number {
  let total = 0;
  let pairs = 0;
  for (const hit of log.filter((row) => row.clicked)) {
    const skipped = log.filter((row) => row.query === hit.query && !row.clicked);
    for (const miss of skipped) {
      total += smoothHinge(score(weights, hit.features) - score(weights, miss.features));
      pairs++;
    }
  }
  const firstTent = log.findIndex((row) => row.query === "tent");
  const anchor = firstTent >= 0 ? score(weights, log[firstTent].features) : 0;
  return total / Math.max(pairs, 1) + 0.01 * anchor * anchor;
}

export const lossAndGrad = valueAndGrad(rankingLoss);

export const cases = [{ f: rankingLoss, df: lossAndGrad, args: [[0.5, -0.3, 0.2], LOG], withValue: true }];
