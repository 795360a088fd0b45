// Negative Sharpe ratio of a long-only portfolio parameterized by softmax
// logits over historical returns (rows are periods, columns assets).
import { grad } from "tsgrad";

const RETURNS: readonly (readonly number[])[] = [
  [0.01, 0.02, -0.005],
  [-0.02, 0.015, 0.01],
  [0.015, -0.01, 0.004],
  [0.005, 0.03, -0.002],
  [-0.01, -0.005, 0.012],
];
const RISK_FREE = 0.0005;

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export function negativeSharpe(logits: number[]): number {
  const w = softmax(logits);
  const periodReturns = RETURNS.map((row) => row.reduce((s, r, j) => s + r * w[j], 0));
  const mean = periodReturns.reduce((a, b) => a + b, 0) / periodReturns.length;
  const variance = periodReturns.reduce((s, r) => s + (r - mean) ** 2, 0) / (periodReturns.length - 1);
  return -(mean - RISK_FREE) / Math.sqrt(variance);
}

export const dSharpe = grad(negativeSharpe);

export const cases = [{ f: negativeSharpe, df: dSharpe, args: [[0.2, -0.1, 0.4]] }];
