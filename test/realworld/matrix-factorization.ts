// Collaborative filtering: user and item embeddings as number[][], ratings as
// an array of records, squared error plus L2 regularization.
import { grad } from "tsgrad";

interface Rating {
  user: number;
  item: number;
  value: number;
}

interface Embeddings {
  users: number[][];
  items: number[][];
}

const ratings: Rating[] = [
  { user: 0, item: 0, value: 5 },
  { user: 0, item: 2, value: 1 },
  { user: 1, item: 1, value: 4 },
  { user: 1, item: 2, value: 2 },
  { user: 2, item: 0, value: 3 },
];

export function factorizationLoss(emb: Embeddings, reg = 0.05): number {
  let loss = 0;
  for (const { user, item, value } of ratings) {
    const u = emb.users[user];
    const v = emb.items[item];
    let predicted = 0;
    for (let k = 0; k < u.length; k++) predicted += u[k] * v[k];
    loss += (predicted - value) ** 2;
  }
  const norm = (rows: number[][]) => rows.flat().reduce((s, x) => s + x * x, 0);
  return loss + reg * (norm(emb.users) + norm(emb.items));
}

export const dFactorization = grad(factorizationLoss);

const emb: Embeddings = {
  users: [
    [1.0, 0.2],
    [0.5, 1.1],
    [0.8, -0.3],
  ],
  items: [
    [1.2, 0.1],
    [0.4, 1.3],
    [0.3, 0.2],
  ],
};

export const cases = [{ f: factorizationLoss, df: dFactorization, args: [emb] }];
