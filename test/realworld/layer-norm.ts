// Layer normalization followed by a learned gain and bias, as in a
// transformer block; the loss is a weighted sum of the outputs.
import { grad } from "tsgrad";

interface LayerNormParams {
  gain: number[];
  bias: number[];
}

const EPS = 1e-5;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function layerNorm(x: number[], { gain, bias }: LayerNormParams): number[] {
  const mu = mean(x);
  const variance = mean(x.map((v) => (v - mu) ** 2));
  const inv = 1 / Math.sqrt(variance + EPS);
  return x.map((v, i) => (v - mu) * inv * gain[i] + bias[i]);
}

export function probe(x: number[], params: LayerNormParams): number {
  const y = layerNorm(x, params);
  const readout = [0.3, -1.2, 0.7, 2.0];
  return y.reduce((s, yi, i) => s + readout[i] * yi + 0.1 * yi * yi, 0);
}

export const dProbeInput = grad(probe);
export const dProbeParams = grad(probe, 1);

const params: LayerNormParams = {
  gain: [1.0, 0.9, 1.1, 1.2],
  bias: [0.0, 0.1, -0.1, 0.05],
};
const x = [0.5, -1.3, 2.2, 0.4];

export const cases = [
  { f: probe, df: dProbeInput, args: [x, params] },
  { f: probe, df: dProbeParams, args: [x, params], wrt: 1 },
];
