// Low-rank matrix completion: a ratings matrix with missing entries (NaN) is
// approximated by U V^T, with the factors as a record of number[][]. The
// predicted matrix is built whole with map, then compared on the observed
// entries; the regularizer reads the factors row by row.
import { grad } from "tsgrad";

export interface Factors {
  U: number[][];
  V: number[][];
}

const dot = (a: number[], b: number[]): number => a.reduce((s, x, k) => s + x * b[k], 0);

function predict({ U, V }: Factors): number[][] {
  return U.map((u) => V.map((v) => dot(u, v)));
}

export function completionLoss(factors: Factors, ratings: number[][], lambda = 0.05): number {
  const predicted = predict(factors);
  let squared = 0;
  let observed = 0;
  for (let i = 0; i < ratings.length; i++) {
    for (let j = 0; j < ratings[i].length; j++) {
      if (Number.isNaN(ratings[i][j])) continue;
      squared += (predicted[i][j] - ratings[i][j]) ** 2;
      observed++;
    }
  }
  const norm = (M: number[][]): number => M.reduce((s, row) => s + dot(row, row), 0);
  return squared / observed + lambda * (norm(factors.U) + norm(factors.V));
}

export const dFactors = grad(completionLoss);

const ratings = [
  [5, 3, NaN, 1],
  [4, NaN, NaN, 1],
  [1, 1, NaN, 5],
  [NaN, 1, 5, 4],
];
const factors: Factors = {
  U: [
    [1.1, 0.2],
    [0.9, 0.1],
    [0.2, 1.0],
    [0.1, 1.2],
  ],
  V: [
    [1.3, 0.1],
    [0.8, 0.3],
    [0.2, 1.1],
    [0.1, 1.0],
  ],
};

export const cases = [{ f: completionLoss, df: dFactors, args: [factors, ratings] }];
