// Finite-horizon quadratic cost of a linear system under a linear feedback
// gain, with matrix-vector helpers over number[][] that return new arrays.
import { grad } from "tsgrad";

const A = [
  [1.0, 0.1],
  [0.0, 1.0],
];
const B = [0.005, 0.1];
const Q = [1.0, 0.1];
const R = 0.01;

const matVec = (M: number[][], v: number[]): number[] => M.map((row) => row.reduce((s, m, j) => s + m * v[j], 0));

export function rolloutCost(gain: number[], x0: number[] = [1, 0], horizon = 40): number {
  let x = x0;
  let cost = 0;
  for (let t = 0; t < horizon; t++) {
    const u = -(gain[0] * x[0] + gain[1] * x[1]);
    cost += Q[0] * x[0] ** 2 + Q[1] * x[1] ** 2 + R * u * u;
    const ax = matVec(A, x);
    x = ax.map((v, i) => v + B[i] * u);
  }
  return cost;
}

export const dRollout = grad(rolloutCost);

export const cases = [
  { f: rolloutCost, df: dRollout, args: [[3.0, 2.5]] },
  { f: rolloutCost, df: dRollout, args: [[2.0, 1.0], [0.5, -0.5], 20] },
];
