// Log posterior of a Bayesian linear regression: Gaussian likelihood with a
// known noise level and an optional Gaussian prior (absent means flat).
import { grad } from "tsgrad";

interface Prior {
  mean?: number;
  scale: number;
}

const xs = [0.0, 0.5, 1.0, 1.5, 2.0];
const ys = [0.9, 1.7, 2.2, 3.1, 3.8];

export function negLogPosterior(coef: [number, number], noise: number, prior?: Prior): number {
  const [a, b] = coef;
  let nll = 0;
  for (let i = 0; i < xs.length; i++) {
    nll += (ys[i] - (a + b * xs[i])) ** 2 / (2 * noise * noise);
  }
  const m = prior?.mean ?? 0;
  const penalty = prior ? ((a - m) ** 2 + (b - m) ** 2) / (2 * prior.scale ** 2) : 0;
  return nll + penalty;
}

export const dPosterior = grad(negLogPosterior);

export const cases = [
  { f: negLogPosterior, df: dPosterior, args: [[1.0, 1.2], 0.3] },
  { f: negLogPosterior, df: dPosterior, args: [[1.0, 1.2], 0.3, { scale: 2 }] },
  {
    f: negLogPosterior,
    df: dPosterior,
    args: [[0.8, 1.5], 0.5, { mean: 1, scale: 0.5 }],
  },
];
