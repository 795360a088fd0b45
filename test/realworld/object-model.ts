// A model as an object literal with methods, built by a factory; training-style loss.
import { grad } from "tsgrad";

interface Params {
  w: number[];
  b: number;
}

function makeModel(p: Params) {
  return {
    weights: p.w,
    predict(x: number[]): number {
      return Math.tanh(this.weights.reduce((s, wi, i) => s + wi * x[i]!, p.b));
    },
    l2(): number {
      return this.weights.reduce((s, wi) => s + wi * wi, 0);
    },
  };
}

export function trainLoss(
  p: Params,
  xs: number[][],
  ys: number[],
  lambda = 1e-3,
): number {
  const model = makeModel(p);
  const mse =
    xs.reduce((acc, x, i) => acc + (model.predict(x) - ys[i]!) ** 2, 0) /
    xs.length;
  const allSmall = p.w.every((w) => Math.abs(w) < 10);
  return mse + (allSmall ? lambda : 10 * lambda) * model.l2();
}

export const dTrain = grad(trainLoss);
export const cases = [
  {
    f: trainLoss,
    df: dTrain,
    args: [
      { w: [0.2, -0.4, 0.1], b: 0.05 },
      [
        [1, 0, 2],
        [0.5, 1, -1],
        [-1, 2, 0.3],
        [0, 0.2, 0.9],
      ],
      [0.3, -0.2, 0.8, 0.1],
    ],
  },
];
