// Local number[][] kept as flat arrays (transformer/desugar/matrices.ts): values
// with a known gradient, and a matrix mapped from ragged rows, which the
// gradient refuses at run time rather than compute something else.
import { grad, valueAndGrad } from "tsgrad";

/** sum_ij x_i x_j = (sum x)^2: gradient 2 sum(x) in every component. */
export function outerSum(x: number[]): number {
  const K = x.map((a) => x.map((b) => a * b));
  let s = 0;
  for (const row of K) for (const v of row) s += v;
  return s;
}
export const dOuterSum = grad(outerSum);

/** Entries overwritten in place, then read: trace of (x x^T) squared entrywise = sum x_i^4. */
export function squaredDiagonal(x: number[]): number {
  const K = x.map((a) => x.map((b) => a * b));
  for (let i = 0; i < K.length; i++) K[i][i] = K[i][i] * K[i][i];
  let t = 0;
  for (let i = 0; i < K.length; i++) t += K[i][i];
  return t;
}
export const dSquaredDiagonal = grad(squaredDiagonal);

/** Rows mapped from a parameter whose rows may differ in length. */
export function rowScaled(rows: number[][], s: number): number {
  const M = rows.map((row) => row.map((v) => s * v));
  let total = 0;
  for (let i = 0; i < M.length; i++) total += M[i].reduce((a, b) => a + b * b, 0);
  return total;
}
export const dRowScaled = grad(rowScaled, 1);

/** Column 2 of every row: past the end of a short row it is undefined in JavaScript, so the value is NaN. */
export function pastShortRow(rows: number[][], s: number): number {
  const M = rows.map((row) => row.map((v) => s * v));
  let total = 0;
  for (let i = 0; i < M.length; i++) total += M[i][2] * M[i][0];
  return total;
}
export const pastShortRowValueAndGrad = valueAndGrad(pastShortRow, 1);
