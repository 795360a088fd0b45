// Fits one FIR filter per sensor channel so that the filtered channels agree
// with a reference signal. Filter taps are kept as one Float64Array per
// channel (the layout the DSP code that runs them wants); recordings come in
// as readonly rows.
import { grad } from "tsgrad";

export const RECORDINGS: readonly (readonly number[])[] = [
  [0.1, 0.4, 0.9, 1.2, 0.8, 0.3, -0.2, -0.6, -0.4, 0.0],
  [0.0, 0.3, 0.7, 1.1, 0.9, 0.5, 0.0, -0.5, -0.5, -0.1],
  [0.2, 0.5, 1.0, 1.3, 0.7, 0.2, -0.3, -0.7, -0.3, 0.1],
];

export const REFERENCE: readonly number[] = [0.05, 0.3, 0.75, 1.1, 0.95, 0.45, -0.05, -0.5, -0.5, -0.1];

function applyFilter(taps: Float64Array, signal: readonly number[]): number[] {
  const out: number[] = [];
  for (let n = 0; n < signal.length; n++) {
    let acc = 0;
    for (let k = 0; k < taps.length && k <= n; k++) {
      acc += taps[k] * signal[n - k];
    }
    out.push(acc);
  }
  return out;
}

export function calibrationLoss(taps: Float64Array[], recordings: readonly (readonly number[])[], reference: readonly number[]): number {
  let loss = 0;
  recordings.forEach((signal, channel) => {
    const filtered = applyFilter(taps[channel], signal);
    for (let n = 0; n < reference.length; n++) {
      loss += (filtered[n] - reference[n]) ** 2;
    }
  });
  // Keep the taps small: a ridge penalty over every channel.
  const ridge = taps.reduce((acc, t) => acc + t.reduce((s, v) => s + v * v, 0), 0);
  return loss / reference.length + 1e-3 * ridge;
}

export const dCalibration = grad(calibrationLoss);

const initialTaps = (): Float64Array[] => [Float64Array.of(0.6, 0.3, 0.1), Float64Array.of(0.8, 0.1, 0.05), Float64Array.of(0.5, 0.2, 0.2)];

export const cases = [{ f: calibrationLoss, df: dCalibration, args: [initialTaps(), RECORDINGS, REFERENCE] }];
