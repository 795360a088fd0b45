// Multinomial logistic regression: logits = W x, a numerically stable softmax
// (subtract the max) and the cross-entropy of the true class.
import { grad } from "tsgrad";

function logits(W: number[][], x: number[]): number[] {
  return W.map((row) => row.reduce((acc, w, j) => acc + w * x[j], 0));
}

function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const logSum = Math.log(z.reduce((acc, zi) => acc + Math.exp(zi - m), 0)) + m;
  return z.map((zi) => zi - logSum);
}

export function crossEntropy(W: number[][], batch: { x: number[]; label: number }[]): number {
  let total = 0;
  for (const { x, label } of batch) {
    total -= logSoftmax(logits(W, x))[label];
  }
  return total / batch.length;
}

export const dCrossEntropy = grad(crossEntropy);

const W = [
  [0.1, -0.2, 0.3],
  [0.0, 0.4, -0.1],
  [-0.3, 0.2, 0.2],
  [0.25, 0.05, -0.35],
];

const batch = [
  { x: [1, 0.5, -0.5], label: 0 },
  { x: [1, -1.2, 0.3], label: 2 },
  { x: [1, 0.8, 0.9], label: 3 },
];

export const cases = [{ f: crossEntropy, df: dCrossEntropy, args: [W, batch] }];
