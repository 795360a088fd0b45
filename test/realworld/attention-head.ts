// One head of scaled dot-product self-attention over a short sequence of token
// embeddings, written with small matrix helpers over number[][], and a
// regression loss against target outputs. Differentiated with respect to the
// projection matrices.
import { grad } from "tsgrad";

type Matrix = number[][];

export interface AttentionWeights {
  readonly Wq: Matrix; // d x k
  readonly Wk: Matrix;
  readonly Wv: Matrix;
}

function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, aik, k) => sum + aik * b[k][j], 0)));
}

function transpose(m: Matrix): Matrix {
  return m[0].map((_, j) => m.map((row) => row[j]));
}

function softmaxRows(m: Matrix, causal = false): Matrix {
  return m.map((row, i) => {
    const visible = row.map((v, j) => (causal && j > i ? -Infinity : v));
    const max = Math.max(...visible);
    const exps = visible.map((v) => Math.exp(v - max));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  });
}

function attention(x: Matrix, { Wq, Wk, Wv }: AttentionWeights, causal: boolean): Matrix {
  const q = matmul(x, Wq);
  const k = matmul(x, Wk);
  const v = matmul(x, Wv);
  const scale = 1 / Math.sqrt(Wq[0].length);
  const scores = matmul(q, transpose(k)).map((row) => row.map((s) => s * scale));
  return matmul(softmaxRows(scores, causal), v);
}

export function attentionLoss(weights: AttentionWeights, tokens: Matrix, targets: Matrix, causal = true): number {
  const out = attention(tokens, weights, causal);
  let sum = 0;
  out.forEach((row, i) => row.forEach((y, j) => (sum += (y - targets[i][j]) ** 2)));
  return sum / (out.length * out[0].length);
}

export const dAttentionLoss = grad(attentionLoss);

const WEIGHTS: AttentionWeights = {
  Wq: [
    [0.2, -0.1],
    [0.4, 0.3],
    [-0.3, 0.1],
  ],
  Wk: [
    [0.1, 0.5],
    [-0.2, 0.2],
    [0.3, -0.4],
  ],
  Wv: [
    [0.6, -0.2],
    [0.1, 0.4],
    [-0.5, 0.3],
  ],
};

const TOKENS: Matrix = [
  [1.0, 0.2, -0.5],
  [0.3, -0.8, 0.6],
  [-0.4, 0.5, 0.9],
  [0.7, 0.1, -0.2],
];

const TARGETS: Matrix = [
  [0.5, 0.1],
  [0.2, 0.3],
  [-0.1, 0.4],
  [0.3, 0.0],
];

export const cases = [
  { f: attentionLoss, df: dAttentionLoss, args: [WEIGHTS, TOKENS, TARGETS] },
  { f: attentionLoss, df: dAttentionLoss, args: [WEIGHTS, TOKENS, TARGETS, false] },
];
