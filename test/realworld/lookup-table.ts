// Calibrate a piecewise-linear lookup table (as used for sensor linearization)
// against reference readings; the segment is found by binary search.
import { grad } from "tsgrad";

const BREAKPOINTS = [0, 10, 20, 40, 80] as const;

function interpolate(table: number[], x: number): number {
  if (x < BREAKPOINTS[0] || x > BREAKPOINTS[BREAKPOINTS.length - 1]) {
    throw new RangeError(`reading ${x} is outside the table`);
  }
  let lo = 0;
  let hi = BREAKPOINTS.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (BREAKPOINTS[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - BREAKPOINTS[lo]) / (BREAKPOINTS[hi] - BREAKPOINTS[lo]);
  return table[lo] * (1 - t) + table[hi] * t;
}

const REFERENCE: ReadonlyArray<{ raw: number; truth: number }> = [
  { raw: 5, truth: 4.6 },
  { raw: 15, truth: 15.8 },
  { raw: 33, truth: 31.2 },
  { raw: 50, truth: 52.5 },
  { raw: 71, truth: 70.1 },
];

export function calibrationError(table: number[]): number {
  let sse = 0;
  for (const { raw, truth } of REFERENCE) sse += (interpolate(table, raw) - truth) ** 2;
  return sse;
}

export const dCalibration = grad(calibrationError);

export const cases = [{ f: calibrationError, df: dCalibration, args: [[0.5, 10.2, 19.5, 41.0, 79.0]] }];
