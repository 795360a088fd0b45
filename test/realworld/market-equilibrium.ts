// Find the market-clearing price by Newton's method (supply = demand) with
// solver settings in a nested config object and per-call overrides merged
// over defaults; the calibration loss compares the clearing price with an
// observed one.
import { grad } from "tsgrad";

const CONFIG = {
  solver: { tolerance: 1e-12, maxIterations: 50, initialGuess: 1.0 },
  market: { observedPrice: 2.4 },
} as const;

interface SolverOptions {
  tolerance: number;
  maxIterations: number;
  initialGuess: number;
}

export interface Elasticities {
  demand: number; // demand = a * p^-demand
  supply: number; // supply = p^supply + 0.3 p (a competitive fringe)
}

function clearingPrice(
  { demand, supply }: Elasticities,
  scale: number,
  overrides: Partial<SolverOptions> = {},
): number {
  const options = { ...CONFIG.solver, ...overrides };
  let p = options.initialGuess;
  let iterations = 0;
  let step: number;
  do {
    const excess = scale * p ** -demand - p ** supply - 0.3 * p;
    const slope = -demand * scale * p ** (-demand - 1) - supply * p ** (supply - 1) - 0.3;
    step = excess / slope;
    p -= step;
    iterations++;
  } while (Math.abs(step) > options.tolerance && iterations < options.maxIterations);
  return p;
}

export function calibrationLoss(elasticities: Elasticities, scale: number): number {
  return (clearingPrice(elasticities, scale) - CONFIG.market.observedPrice) ** 2;
}

export const dCalibration = grad(calibrationLoss, [0, 1]);

export const cases = [{ f: calibrationLoss, df: dCalibration, args: [{ demand: 0.8, supply: 1.2 }, 5.0], wrt: [0, 1] }];
