// Small dense linear algebra with helper functions returning new matrices.
import { grad } from "tsgrad";

type Vec = number[];
type Mat = number[][];

const transpose = (m: Mat): Mat => m[0]!.map((_, j) => m.map((row) => row[j]!));
const matmul = (a: Mat, b: Mat): Mat =>
  a.map((row) => transpose(b).map((col) => dot(row, col)));
const dot = (a: Vec, b: Vec): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const frob = (m: Mat): number =>
  Math.sqrt(m.flat().reduce((s, x) => s + x * x, 0));

export function lowRankError(
  u: Mat,
  v: Mat,
  target: Mat,
  lambda = 0.01,
): number {
  const approx = matmul(u, transpose(v));
  const diff = approx.map((row, i) => row.map((x, j) => x - target[i]![j]!));
  return frob(diff) ** 2 + lambda * (frob(u) ** 2 + frob(v) ** 2);
}

export const dLowRank = grad(lowRankError, [0, 1]);
export const cases = [
  {
    f: lowRankError,
    df: dLowRank,
    wrt: [0, 1],
    args: [
      [
        [1, 0.5],
        [0.2, 1],
        [0.3, -0.4],
      ],
      [
        [0.9, 0.1],
        [0.4, 0.8],
      ],
      [
        [1, 0.6],
        [0.2, 1.1],
        [0.1, -0.2],
      ],
    ],
  },
];
