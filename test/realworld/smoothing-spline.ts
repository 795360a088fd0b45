// A discrete smoothing spline: data fidelity plus a second-difference
// roughness penalty, with the penalty weights passed as rest arguments and
// a two-pointer loop (comma operator) for the symmetric boundary term.
import { grad } from "tsgrad";

function penalty(values: number[], ...weights: number[]): number {
  const [roughness, boundary = 0] = weights;
  let total = 0;
  for (let i = 1; i < values.length - 1; i++) {
    total += roughness * (values[i - 1] - 2 * values[i] + values[i + 1]) ** 2;
  }
  for (let i = 0, j = values.length - 1; i < j; i++, j--) {
    total += boundary * (values[i] - values[j]) ** 2;
    if (i >= 1) break;
  }
  return total;
}

const OBSERVED = [0.0, 0.8, 0.9, 1.6, 1.5, 2.2, 2.0];
const SETTINGS: [number, number] = [2.0, 0.1];

export function splineObjective(fitted: number[]): number {
  const fidelity = fitted.reduce((s, f, i) => s + (f - OBSERVED[i]) ** 2, 0);
  return fidelity + penalty(fitted, ...SETTINGS);
}

export const dSpline = grad(splineObjective);

export const cases = [{ f: splineObjective, df: dSpline, args: [[0.1, 0.6, 1.0, 1.4, 1.7, 1.9, 2.1]] }];
