// Robust summaries of noisy measurements, as a monitoring dashboard computes
// them: a trimmed mean, a median, the sum of the k largest errors, and a
// calibration curve fitted to sorted readings.
import { grad, valueAndGrad } from "tsgrad";

export function trimmedMean(xs: number[], trim = 1): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const kept = sorted.slice(trim, sorted.length - trim);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? (s[mid - 1]! + s[mid]!) / 2 : s[mid]!;
}

export function topKError(predicted: number[], actual: number[], k = 2): number {
  const errors = predicted.map((p, i) => (p - actual[i]!) ** 2).sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < k; i++) total += errors[i]!;
  return total + 0.1 * median(predicted);
}

export function calibration(readings: Float64Array, gain: number, offset: number): number {
  const sorted = Float64Array.from(readings).sort();
  let loss = 0;
  sorted.forEach((r, i) => {
    const expected = (i + 0.5) / sorted.length;
    loss += (gain * r + offset - expected) ** 2;
  });
  return loss;
}

export const dTrimmed = grad(trimmedMean);
export const dTopK = valueAndGrad(topKError, [0, 1]);
export const dCalibration = grad(calibration, [0, 1, 2]);

const readings = new Float64Array([0.42, 0.13, 0.91, 0.55, 0.27, 0.74]);
export const cases = [
  { f: trimmedMean, df: dTrimmed, args: [[3.1, -0.4, 2.2, 9.5, 1.7, 0.6]] },
  { f: topKError, df: dTopK, args: [[1.2, 0.3, 2.9, -0.8, 1.6], [1, 0.5, 2, 0, 1.1]], wrt: [0, 1], withValue: true },
  { f: calibration, df: dCalibration, args: [readings, 1.1, -0.05], wrt: [0, 1, 2] },
];
