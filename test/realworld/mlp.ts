// A two-layer perceptron with number[][] weights and a per-sample forward
// helper, trained on a tiny regression set with mean squared error.
import { grad } from "tsgrad";

export interface MLP {
  W1: number[][]; // hidden x input
  b1: number[];
  W2: number[]; // output weights (single output)
  b2: number;
}

function forward(p: MLP, x: number[]): number {
  const hidden: number[] = [];
  for (let i = 0; i < p.W1.length; i++) {
    let z = p.b1[i];
    for (let j = 0; j < x.length; j++) z += p.W1[i][j] * x[j];
    hidden.push(Math.tanh(z));
  }
  let out = p.b2;
  hidden.forEach((h, i) => {
    out += p.W2[i] * h;
  });
  return out;
}

export function loss(p: MLP, xs: number[][], ys: number[]): number {
  let sum = 0;
  for (let n = 0; n < xs.length; n++) {
    const diff = forward(p, xs[n]) - ys[n];
    sum += diff * diff;
  }
  return sum / xs.length;
}

export const dLoss = grad(loss);

const params: MLP = {
  W1: [
    [0.2, -0.4],
    [0.7, 0.1],
    [-0.3, 0.5],
  ],
  b1: [0.05, -0.1, 0.0],
  W2: [0.6, -0.8, 0.3],
  b2: 0.1,
};

const xs = [
  [0.5, -1.0],
  [1.5, 0.3],
  [-0.7, 0.8],
  [0.0, 0.2],
];
const ys = [0.3, -0.5, 0.9, 0.1];

export const cases = [{ f: loss, df: dLoss, args: [params, xs, ys] }];
