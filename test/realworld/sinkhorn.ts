// Entropic optimal transport between two small histograms with a fixed number
// of Sinkhorn iterations; the scaling vectors are rebuilt with map each
// iteration, and the cost is differentiated w.r.t. the source histogram.
import { grad } from "tsgrad";

const COST: number[][] = [
  [0, 1, 4],
  [1, 0, 1],
  [4, 1, 0],
];

export function sinkhornCost(source: number[], target: number[], epsilon = 0.5, iterations = 30): number {
  const K = COST.map((row) => row.map((c) => Math.exp(-c / epsilon)));
  let u = source.map(() => 1);
  let v = target.map(() => 1);
  for (let it = 0; it < iterations; it++) {
    u = source.map((a, i) => a / K[i].reduce((s, k, j) => s + k * v[j], 0));
    v = target.map((b, j) => b / K.reduce((s, row, i) => s + row[j] * u[i], 0));
  }
  let cost = 0;
  for (let i = 0; i < source.length; i++) {
    for (let j = 0; j < target.length; j++) cost += u[i] * K[i][j] * v[j] * COST[i][j];
  }
  return cost;
}

export const dSinkhorn = grad(sinkhornCost);

export const cases = [
  {
    f: sinkhornCost,
    df: dSinkhorn,
    args: [
      [0.5, 0.3, 0.2],
      [0.2, 0.3, 0.5],
    ],
  },
];
