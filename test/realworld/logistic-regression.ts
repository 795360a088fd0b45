// Binary logistic regression with an L2 penalty whose strength defaults to a
// small value; labels are 0/1 in an array of [features, label] tuples.
import { grad } from "tsgrad";

type Example = [features: number[], label: 0 | 1];

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function logLoss(weights: number[], examples: Example[], lambda = 0.01): number {
  let loss = 0;
  for (const [features, label] of examples) {
    const z = features.reduce((s, f, j) => s + f * weights[j], 0);
    const p = sigmoid(z);
    loss -= label === 1 ? Math.log(p) : Math.log(1 - p);
  }
  const penalty = weights.reduce((s, w) => s + w * w, 0);
  return loss / examples.length + lambda * penalty;
}

export const dLogLoss = grad(logLoss);

const examples: Example[] = [
  [[1, 0.5, -1.2], 1],
  [[1, -0.3, 0.8], 0],
  [[1, 1.7, 0.1], 1],
  [[1, -1.1, -0.4], 0],
  [[1, 0.2, 0.9], 1],
];

export const cases = [
  { f: logLoss, df: dLogLoss, args: [[0.1, 0.4, -0.3], examples] },
  { f: logLoss, df: dLogLoss, args: [[-0.2, 1.1, 0.6], examples, 0.5] },
];
