// One step of an extended Kalman filter tracking a cart with a constant-velocity
// model from a range-and-bearing beacon. The negative log-likelihood of the
// measurement is differentiated with respect to the prior mean, as a smoother
// or a learned-dynamics training loop would.
import { grad } from "tsgrad";

type Matrix = number[][];
type Vector = number[];

const BEACON: [number, number] = [4, 3];
const MEASUREMENT_NOISE: Matrix = [
  [0.05, 0],
  [0, 0.01],
];
const PROCESS_NOISE = 0.02;

const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));

function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

const matVec = (a: Matrix, x: Vector): Vector => a.map((row) => row.reduce((s, v, k) => s + v * x[k], 0));

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

function inverse2(m: Matrix): [Matrix, number] {
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  const inv = [
    [m[1][1] / det, -m[0][1] / det],
    [-m[1][0] / det, m[0][0] / det],
  ];
  return [inv, det];
}

function predict(mean: Vector, cov: Matrix, dt: number): { mean: Vector; cov: Matrix } {
  const F: Matrix = [
    [1, 0, dt, 0],
    [0, 1, 0, dt],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  const Q = F.map((row, i) => row.map((_, j) => (i === j ? PROCESS_NOISE : 0)));
  return { mean: matVec(F, mean), cov: add(matMul(matMul(F, cov), transpose(F)), Q) };
}

function measure([x, y]: Vector): { z: Vector; H: Matrix } {
  const dx = x - BEACON[0];
  const dy = y - BEACON[1];
  const r2 = dx * dx + dy * dy;
  const r = Math.sqrt(r2);
  return {
    z: [r, Math.atan2(dy, dx)],
    H: [
      [dx / r, dy / r, 0, 0],
      [-dy / r2, dx / r2, 0, 0],
    ],
  };
}

export function measurementNll(mean: Vector, cov: Matrix, observed: Vector, dt = 0.1): number {
  const prior = predict(mean, cov, dt);
  const { z, H } = measure(prior.mean);
  const S = add(matMul(matMul(H, prior.cov), transpose(H)), MEASUREMENT_NOISE);
  const [Sinv, det] = inverse2(S);
  const innovation = observed.map((o, i) => o - z[i]);
  const weighted = matVec(Sinv, innovation);
  const mahalanobis = innovation.reduce((s, v, i) => s + v * weighted[i], 0);
  return 0.5 * mahalanobis + 0.5 * Math.log(det);
}

export const dNllMean = grad(measurementNll);

const mean: Vector = [1.0, 0.5, 0.8, 0.3];
const cov: Matrix = [
  [0.2, 0.01, 0.02, 0],
  [0.01, 0.15, 0, 0.02],
  [0.02, 0, 0.1, 0.01],
  [0, 0.02, 0.01, 0.12],
];

export const cases = [{ f: measurementNll, df: dNllMean, args: [mean, cov, [3.5, -2.5]] }];
