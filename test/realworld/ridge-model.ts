// A ridge-regression model kept as a class over its training samples, with a
// smoothness prior on the weights and a robust centre for the residuals —
// the shape a small model takes in an application.
import { grad, valueAndGrad } from "tsgrad";

interface Sample {
  features: number[];
  target: number;
}

export interface Weights {
  w: number[];
  bias: number;
}

function centre(points: { x: number; y: number }[]): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

function neighbours(values: number[]): [number, number][] {
  return values.slice(1).map((v, i) => [values[i]!, v]);
}

export class RidgeModel {
  constructor(
    private readonly samples: readonly Sample[],
    private readonly lambda = 0.1,
  ) {}

  predict(p: Weights, features: number[]): number {
    let z = p.bias;
    features.forEach((f, i) => (z += p.w[i]! * f));
    return z;
  }

  loss(p: Weights): number {
    let total = 0;
    for (const { features, target } of this.samples) total += (this.predict(p, features) - target) ** 2;
    let roughness = 0;
    for (const [a, b] of neighbours(p.w)) roughness += (b - a) ** 2;
    const scaled = p.w.map((wi) => wi * this.lambda);
    const largest = scaled.find((v) => Math.abs(v) > 0.05);
    const extra = largest !== undefined ? largest * largest : 0;
    return total / this.samples.length + this.lambda * roughness + extra;
  }
}

const model = new RidgeModel([
  { features: [1, 0.5, -0.2], target: 1.2 },
  { features: [0.3, -1, 0.8], target: -0.4 },
  { features: [-0.6, 0.2, 1.5], target: 0.9 },
  { features: [1.1, 1.4, -0.3], target: 2.1 },
]);

export function fit(p: Weights): number {
  return model.loss(p);
}

export function spread(points: { x: number; y: number }[]): number {
  const c = centre(points);
  return points.reduce((s, p) => s + (p.x - c.x) ** 2 + (p.y - c.y) ** 2, 0);
}

export const dFit = grad(fit);
export const fitAndGrad = valueAndGrad(fit);
export const dSpread = grad(spread);

const start: Weights = { w: [0.4, -0.3, 0.7], bias: 0.1 };
export const cases = [
  { f: fit, df: dFit, args: [start] },
  { f: fit, df: fitAndGrad, args: [start], withValue: true },
  { f: spread, df: dSpread, args: [[{ x: 0.5, y: 1 }, { x: -1, y: 0.25 }, { x: 2, y: -0.5 }]] },
];
