// The same kind of two-layer network written in a functional style: a dense
// layer built with map/reduce, the activation passed in as a function, and
// the loss as a mean over samples.
import { grad } from "tsgrad";

type Matrix = number[][];
type Act = (z: number) => number;

export interface Net {
  hidden: { W: Matrix; b: number[] };
  output: { w: number[]; b: number };
}

const dense = (W: Matrix, b: number[], x: number[], act: Act): number[] =>
  W.map((row, i) => act(row.reduce((s, w, j) => s + w * x[j], b[i])));

const relu: Act = (z) => Math.max(0, z);
const softplus: Act = (z) => Math.log1p(Math.exp(z));

function predict(net: Net, x: number[], act: Act = softplus): number {
  const h = dense(net.hidden.W, net.hidden.b, x, act);
  return h.reduce((s, hi, i) => s + hi * net.output.w[i], net.output.b);
}

export function meanSquaredError(net: Net, data: { x: number[]; y: number }[]): number {
  const errors = data.map(({ x, y }) => (predict(net, x) - y) ** 2);
  return errors.reduce((a, b) => a + b, 0) / errors.length;
}

export function reluLoss(net: Net, data: { x: number[]; y: number }[]): number {
  return data.map(({ x, y }) => (predict(net, x, relu) - y) ** 2).reduce((a, b) => a + b, 0) / data.length;
}

export const dMse = grad(meanSquaredError);
export const dRelu = grad(reluLoss);

const net: Net = {
  hidden: {
    W: [
      [0.3, -0.2],
      [0.5, 0.4],
      [-0.6, 0.1],
    ],
    b: [0.15, -0.2, 0.05],
  },
  output: { w: [0.7, -0.5, 0.9], b: 0.0 },
};
const data = [
  { x: [0.2, 0.8], y: 0.5 },
  { x: [1.0, -0.5], y: 0.1 },
  { x: [-0.7, 0.3], y: 0.9 },
];

export const cases = [
  { f: meanSquaredError, df: dMse, args: [net, data] },
  { f: reluLoss, df: dRelu, args: [net, data] },
];
