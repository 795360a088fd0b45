// A training loop for a small linear model that reuses its gradient buffers
// between steps (no allocation per step) and reports metrics alongside the
// loss, the way a JAX user writes value_and_grad(loss, has_aux=True).
import { grad, valueAndGrad } from "tsgrad";

export interface Batch {
  features: Float64Array; // rows × width, row-major
  targets: Float64Array;
}

export interface Metrics {
  meanAbsError: number;
  worstError: number;
}

export function lossWithMetrics(weights: Float64Array, batch: Batch): [number, Metrics] {
  const rows = batch.targets.length;
  const width = weights.length;
  let squared = 0;
  let absolute = 0;
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    let prediction = 0;
    for (let c = 0; c < width; c++) prediction += weights[c]! * batch.features[r * width + c]!;
    const error = prediction - batch.targets[r]!;
    squared += error * error;
    absolute += Math.abs(error);
    worst = Math.max(worst, Math.abs(error));
  }
  return [squared / rows, { meanAbsError: absolute / rows, worstError: worst }];
}

export const lossAndGradient = valueAndGrad(lossWithMetrics, 0, { hasAux: true, into: true });
export const gradientWithMetrics = grad(lossWithMetrics, 0, { hasAux: true });

export function train(weights: Float64Array, batch: Batch, steps: number, rate: number): Metrics[] {
  const gradient = new Float64Array(weights.length);
  const history: Metrics[] = [];
  for (let step = 0; step < steps; step++) {
    const [[, metrics]] = lossAndGradient(weights, batch, gradient);
    for (let i = 0; i < weights.length; i++) weights[i] -= rate * gradient[i]!;
    history.push(metrics);
  }
  return history;
}

const batch: Batch = {
  features: Float64Array.from([1, 0.5, -0.2, 1, -1.1, 0.4, 1, 0.3, 0.9, 1, 2.0, -0.7]),
  targets: Float64Array.from([0.8, -0.9, 1.1, 1.7]),
};
const start = Float64Array.from([0.1, 0.4, -0.3]);
const buffer = new Float64Array(3);

export const cases = [
  {
    f: (w: Float64Array, b: Batch) => lossWithMetrics(w, b)[0],
    df: (w: Float64Array, b: Batch) => lossAndGradient(w, b, buffer)[1],
    args: [start, batch],
  },
  {
    f: (w: Float64Array, b: Batch) => lossWithMetrics(w, b)[0],
    df: (w: Float64Array, b: Batch) => gradientWithMetrics(w, b)[0],
    args: [start, batch],
  },
];
