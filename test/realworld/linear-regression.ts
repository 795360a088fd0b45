// Least-squares linear regression with a weight vector and a bias, the way it
// is written in a first ML tutorial: samples as records, a predict helper.
import { grad, valueAndGrad } from "tsgrad";

export interface Sample {
  x: number[];
  y: number;
}

export interface Linear {
  w: number[];
  b: number;
}

export const samples: Sample[] = [
  { x: [1.0, 2.0], y: 3.1 },
  { x: [2.0, -1.0], y: 0.4 },
  { x: [-0.5, 0.5], y: 0.9 },
  { x: [3.0, 1.5], y: 4.6 },
];

function predict({ w, b }: Linear, x: number[]): number {
  return w.reduce((acc, wi, i) => acc + wi * x[i], b);
}

export function mse(model: Linear, data: Sample[]): number {
  let total = 0;
  for (const { x, y } of data) {
    const r = predict(model, x) - y;
    total += r * r;
  }
  return total / data.length;
}

export const dMse = grad(mse);
export const mseAndGrad = valueAndGrad(mse);

const model: Linear = { w: [0.5, -0.25], b: 0.1 };

export const cases = [
  { f: mse, df: dMse, args: [model, samples] },
  { f: mse, df: mseAndGrad, args: [model, samples], withValue: true },
];
