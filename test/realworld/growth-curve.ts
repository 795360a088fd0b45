// Fit a Gompertz growth curve to (day, size) observations given as tuples; the
// parameters are a record. Also: how sensitive the fit is to each observation
// (the gradient with respect to the data, an array of tuples).
import { grad } from "tsgrad";

export interface Gompertz {
  asymptote: number;
  displacement: number;
  rate: number;
}

type Observation = readonly [day: number, size: number];

export function sumSquares(params: Gompertz, observations: readonly Observation[]): number {
  const { asymptote, displacement, rate } = params;
  let total = 0;
  for (const [day, size] of observations) {
    const predicted = asymptote * Math.exp(-displacement * Math.exp(-rate * day));
    total += (predicted - size) ** 2;
  }
  return total;
}

export const dParams = grad(sumSquares);
export const dObservations = grad(sumSquares, 1);

const observations: Observation[] = [
  [1, 0.8],
  [3, 2.1],
  [5, 4.2],
  [8, 6.9],
  [12, 8.6],
];
const guess: Gompertz = { asymptote: 9.5, displacement: 3, rate: 0.35 };

export const cases = [
  { f: sumSquares, df: dParams, args: [guess, observations] },
  { f: sumSquares, df: dObservations, args: [guess, observations], wrt: 1 },
];
