// Design an FIR filter by matching a desired output: convolution written with
// map over output indices and a bounds check instead of padding.
import { grad } from "tsgrad";

function convolve(signal: number[], taps: number[]): number[] {
  return signal.map((_, n) => {
    let y = 0;
    taps.forEach((h, k) => {
      if (n - k >= 0) y += h * signal[n - k];
    });
    return y;
  });
}

const INPUT = [1, 0.5, -0.2, 0.8, -1, 0.3, 0.6, -0.4, 0.1, 0.9];
const DESIRED = [0.5, 0.6, 0.15, 0.3, -0.1, -0.3, 0.45, 0.1, -0.1, 0.5];

export function filterError(taps: number[]): number {
  const out = convolve(INPUT, taps);
  return out.reduce((err, y, n) => err + (y - DESIRED[n]) ** 2, 0) / out.length;
}

export const dFilter = grad(filterError);

export const cases = [{ f: filterError, df: dFilter, args: [[0.4, 0.3, 0.1]] }];
