// Weibull survival model fitted to right-censored failure times, as a
// reliability engineer would write it: inputs are validated and throw on
// nonsense, the prior on the shape is optional, the log-likelihood terms are
// summed by a variadic helper, and the data set is a default parameter.
import { grad } from "tsgrad";

interface Observation {
  readonly hours: number;
  readonly failed: boolean;
}

interface ShapePrior {
  readonly center: number;
  readonly width?: number;
}

const FLEET: readonly Observation[] = [
  { hours: 120, failed: true },
  { hours: 340, failed: true },
  { hours: 410, failed: false },
  { hours: 560, failed: true },
  { hours: 800, failed: false },
  { hours: 95, failed: true },
];

const total = (...terms: number[]): number => {
  let s = 0;
  for (const t of terms) s += t;
  return s;
};

function logDensity(t: number, shape: number, scale: number): number {
  if (t <= 0) throw new RangeError(`failure time must be positive, got ${t}`);
  const z = t / scale;
  return Math.log(shape / scale) + (shape - 1) * Math.log(z) - z ** shape;
}

function logSurvival(t: number, shape: number, scale: number): number {
  return -((t / scale) ** shape);
}

export function weibullNll(logShape: number, logScale: number, prior?: ShapePrior, data: readonly Observation[] = FLEET): number {
  const shape = Math.exp(logShape);
  const scale = Math.exp(logScale);
  if (!Number.isFinite(shape) || !Number.isFinite(scale)) {
    throw new Error("parameters overflowed; start from smaller log-parameters");
  }
  let nll = 0;
  for (const { hours, failed } of data) {
    nll -= failed ? logDensity(hours, shape, scale) : logSurvival(hours, shape, scale);
  }
  const width = prior?.width ?? 1;
  const penalty = prior ? ((logShape - Math.log(prior.center)) / width) ** 2 / 2 : 0;
  return total(nll, penalty, 1e-3 * logScale * logScale);
}

export const dWeibull = grad(weibullNll, [0, 1]);

export const cases = [
  { f: weibullNll, df: dWeibull, args: [0.3, 6], wrt: [0, 1] },
  { f: weibullNll, df: dWeibull, args: [0.1, 5.8, { center: 1.5 }], wrt: [0, 1] },
  { f: weibullNll, df: dWeibull, args: [0.5, 6.2, { center: 2, width: 0.25 }], wrt: [0, 1] },
];
