// A single-layer GRU over a short sensor sequence, with a linear read-out of
// the last hidden state; the loss is the squared error against a target. The
// weights live in one record of plain number[][] matrices, as they come out of
// a JSON checkpoint.
import { grad, valueAndGrad } from "tsgrad";

export interface GruWeights {
  Wz: number[][];
  Uz: number[][];
  bz: number[];
  Wr: number[][];
  Ur: number[][];
  br: number[];
  Wh: number[][];
  Uh: number[][];
  bh: number[];
  out: number[];
}

const HIDDEN = 3;
const INPUTS = 2;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function matVec(M: number[][], v: number[]): number[] {
  return M.map((row) => row.reduce((acc, m, j) => acc + m * v[j], 0));
}

function addAll(...vs: number[][]): number[] {
  return vs[0].map((_, i) => vs.reduce((s, v) => s + v[i], 0));
}

export function gruStep(w: GruWeights, h: number[], x: number[]): number[] {
  const z = addAll(matVec(w.Wz, x), matVec(w.Uz, h), w.bz).map(sigmoid);
  const r = addAll(matVec(w.Wr, x), matVec(w.Ur, h), w.br).map(sigmoid);
  const gated = h.map((hi, i) => r[i] * hi);
  const candidate = addAll(matVec(w.Wh, x), matVec(w.Uh, gated), w.bh).map(Math.tanh);
  return h.map((hi, i) => (1 - z[i]) * hi + z[i] * candidate[i]);
}

export function sequenceLoss(w: GruWeights, xs: number[][], target: number): number {
  let h: number[] = new Array(HIDDEN).fill(0);
  for (const x of xs) {
    h = gruStep(w, h, x);
  }
  const prediction = h.reduce((acc, hi, i) => acc + hi * w.out[i], 0);
  return 0.5 * (prediction - target) ** 2;
}

export const dWeights = grad(sequenceLoss);
export const lossAndGrad = valueAndGrad(sequenceLoss);

function seeded(rows: number, cols: number, phase: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 0.4 * Math.sin(phase + 1.3 * i + 0.7 * j)));
}

const weights: GruWeights = {
  Wz: seeded(HIDDEN, INPUTS, 0.1),
  Uz: seeded(HIDDEN, HIDDEN, 0.5),
  bz: [0.1, -0.1, 0.05],
  Wr: seeded(HIDDEN, INPUTS, 1.1),
  Ur: seeded(HIDDEN, HIDDEN, 1.7),
  br: [0, 0.2, -0.1],
  Wh: seeded(HIDDEN, INPUTS, 2.3),
  Uh: seeded(HIDDEN, HIDDEN, 2.9),
  bh: [0.05, 0, -0.05],
  out: [0.8, -0.5, 0.3],
};

const readings: number[][] = [
  [0.2, 1.0],
  [0.5, 0.7],
  [0.9, 0.1],
  [0.4, -0.3],
];

export const cases = [
  { f: sequenceLoss, df: dWeights, args: [weights, readings, 0.6] },
  { f: sequenceLoss, df: lossAndGrad, args: [weights, readings, -0.2], withValue: true },
];
