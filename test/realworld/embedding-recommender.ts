// Matrix-factorisation recommender with embeddings kept by id: users and items
// each map an id to a small vector, ratings are logged interactions, and the
// loss is the squared rating error plus L2 regularisation of the embeddings
// that the batch touched. Differentiated with respect to the whole model.
import { grad } from "tsgrad";

export interface Model {
  users: Record<string, number[]>;
  items: Record<string, number[]>;
  globalBias: number;
}

interface Interaction {
  readonly user: string;
  readonly item: string;
  readonly rating: number;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, ai, k) => s + ai * b[k], 0);
const squaredNorm = (v: readonly number[]): number => dot(v, v);

export function batchLoss(model: Model, batch: readonly Interaction[], lambda = 0.05): number {
  let error = 0;
  const touchedUsers = new Set<string>();
  const touchedItems = new Set<string>();
  for (const { user, item, rating } of batch) {
    const u = model.users[user];
    const v = model.items[item];
    if (!u || !v) continue; // cold start: no embedding yet
    const predicted = model.globalBias + dot(u, v);
    error += (predicted - rating) ** 2;
    touchedUsers.add(user);
    touchedItems.add(item);
  }
  let penalty = 0;
  for (const id of touchedUsers) penalty += squaredNorm(model.users[id]);
  for (const id of touchedItems) penalty += squaredNorm(model.items[id]);
  return error / batch.length + lambda * penalty;
}

export const dBatchLoss = grad(batchLoss);

const MODEL: Model = {
  users: { ana: [0.3, -0.1, 0.5], ben: [-0.2, 0.4, 0.1], chloe: [0.6, 0.2, -0.3] },
  items: { matrix: [0.5, 0.1, 0.4], amelie: [-0.3, 0.6, 0.2], alien: [0.4, -0.2, 0.1], heat: [0.2, 0.3, 0.3] },
  globalBias: 3.2,
};

const BATCH: Interaction[] = [
  { user: "ana", item: "matrix", rating: 5 },
  { user: "ana", item: "amelie", rating: 3 },
  { user: "ben", item: "amelie", rating: 4.5 },
  { user: "chloe", item: "alien", rating: 4 },
  { user: "chloe", item: "heat", rating: 2.5 },
  { user: "dana", item: "heat", rating: 4 }, // new user
];

export const cases = [
  { f: batchLoss, df: dBatchLoss, args: [MODEL, BATCH] },
  { f: batchLoss, df: dBatchLoss, args: [MODEL, BATCH.slice(0, 3), 0.5] },
];
