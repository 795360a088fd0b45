// Scaled dot-product attention for one query over a handful of keys; the
// loss is the squared distance of the attended value to a target.
import { grad } from "tsgrad";

const keys: number[][] = [
  [1.0, 0.0, 0.5],
  [0.0, 1.0, -0.5],
  [0.5, 0.5, 0.5],
  [-0.3, 0.8, 0.1],
];
const values: number[][] = [
  [1.0, 2.0],
  [0.0, -1.0],
  [0.5, 0.5],
  [2.0, 0.0],
];
const target = [0.6, 0.4];

const dot = (a: number[], b: number[]): number => a.reduce((s, ai, i) => s + ai * b[i], 0);

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function attentionLoss(query: number[]): number {
  const scale = 1 / Math.sqrt(query.length);
  const weights = softmax(keys.map((k) => dot(query, k) * scale));
  const out = [0, 0];
  weights.forEach((w, i) => {
    out[0] += w * values[i][0];
    out[1] += w * values[i][1];
  });
  return out.reduce((s, o, d) => s + (o - target[d]) ** 2, 0);
}

export const dAttention = grad(attentionLoss);

export const cases = [{ f: attentionLoss, df: dAttention, args: [[0.3, -0.7, 1.2]] }];
