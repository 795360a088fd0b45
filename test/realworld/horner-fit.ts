// Least-squares polynomial fit: the polynomial is evaluated by Horner's rule
// in a reduce over the coefficients (highest degree first), samples are
// [x, y] tuples, and the loss is a mean squared error with a smoothness penalty.
import { grad } from "tsgrad";

type Sample = [x: number, y: number];

const SAMPLES: Sample[] = [
  [-1.0, 2.1],
  [-0.5, 0.9],
  [0.0, 0.4],
  [0.5, 0.8],
  [1.0, 2.3],
  [1.5, 4.9],
];

/** Coefficients from the highest degree down: [a, b, c] is a x^2 + b x + c. */
export const evaluate = (coeffs: number[], x: number): number => coeffs.reduce((acc, c) => acc * x + c, 0);

function curvaturePenalty(coeffs: number[]): number {
  const degree = coeffs.length - 1;
  // Squared second-derivative coefficients: k(k-1) a_k for each power k >= 2.
  return coeffs
    .map((_, i) => degree - i)
    .filter((k) => k >= 2)
    .map((k) => (k * (k - 1) * coeffs[degree - k]) ** 2)
    .reduce((a, b) => a + b, 0);
}

export function fitLoss(coeffs: number[], samples: Sample[] = SAMPLES, smoothing = 1e-3): number {
  const residuals = samples.map(([x, y]) => evaluate(coeffs, x) - y);
  const mse = residuals.reduce((s, r) => s + r * r, 0) / samples.length;
  return mse + smoothing * curvaturePenalty(coeffs);
}

export const dFit = grad(fitLoss);

export const cases = [{ f: fitLoss, df: dFit, args: [[0.3, 1.7, 0.2, 0.4]] }];
