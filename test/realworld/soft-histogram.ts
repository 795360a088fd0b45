// A differentiable histogram: each sample spreads a Gaussian bump over
// Float64Array bins; the loss is the squared distance to a target histogram.
// Bins are reset with fill and written through a running index.
import { grad } from "tsgrad";

const EDGES = { start: -2, width: 0.5, count: 8 };
const TARGET = Float64Array.from([0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05, 0.0]);

export function histogramLoss(samples: Float64Array, bandwidth = 0.3): number {
  const bins = new Float64Array(EDGES.count);
  bins.fill(0);
  for (const s of samples) {
    let k = 0;
    while (k < EDGES.count) {
      const center = EDGES.start + (k + 0.5) * EDGES.width;
      bins[k++] += Math.exp(-0.5 * ((s - center) / bandwidth) ** 2);
    }
  }
  const total = bins.reduce((a, b) => a + b, 0);
  let loss = 0;
  for (let k = 0; k < EDGES.count; k++) loss += (bins[k] / total - TARGET[k]) ** 2;
  return loss;
}

export const dHistogram = grad(histogramLoss);

export const cases = [
  { f: histogramLoss, df: dHistogram, args: [Float64Array.from([-0.9, -0.3, 0.1, 0.2, 0.6, 1.1])] },
];
