// Insurance pricing: a motor-insurance pure-premium model, a GLM with a log
// link and Tweedie deviance (compound Poisson–gamma, power 1 < p < 2), the
// standard for claims data with many zeros. Rating factors: a driver-age
// curve, vehicle group relativities, a territory factor and an exposure
// offset. An L2 penalty shrinks the relativities toward 1.
import { grad } from "tsgrad";

export type Territory = "urban" | "suburban" | "rural";

export interface Policy {
  driverAge: number;
  vehicleGroup: number; // 0..3
  territory: Territory;
  exposureYears: number;
  claimCost: number; // observed, often 0
}

export interface RatingModel {
  baseLog: number;
  ageCurve: [linear: number, quadratic: number];
  groupLogRelativities: number[];
  territoryLog: Record<Territory, number>;
}

interface FitOptions {
  power?: number;
  shrinkage?: number;
}

function linearPredictor(model: RatingModel, { driverAge, vehicleGroup, territory, exposureYears }: Policy): number {
  const [a1, a2] = model.ageCurve;
  const age = (driverAge - 45) / 20;
  return (
    model.baseLog +
    a1 * age +
    a2 * age * age +
    (model.groupLogRelativities[vehicleGroup] ?? 0) +
    model.territoryLog[territory] +
    Math.log(exposureYears)
  );
}

/** Unit Tweedie deviance d(y, mu) for 1 < p < 2. */
function tweedieDeviance(y: number, mu: number, p: number): number {
  const saturated = y > 0 ? y ** (2 - p) / ((1 - p) * (2 - p)) : 0;
  return 2 * (saturated - (y * mu ** (1 - p)) / (1 - p) + mu ** (2 - p) / (2 - p));
}

export function penalisedDeviance(
  model: RatingModel,
  book: Policy[],
  { power = 1.6, shrinkage = 0.5 }: FitOptions = {},
): number {
  const deviance = book
    .map((policy) => tweedieDeviance(policy.claimCost, Math.exp(linearPredictor(model, policy)), power))
    .reduce((s, d) => s + d, 0);
  const relativities = [...model.groupLogRelativities, ...Object.values(model.territoryLog)];
  const penalty = relativities.reduce((s, r) => s + r * r, 0);
  return deviance / book.length + shrinkage * penalty;
}

export const dModel = grad(penalisedDeviance);

const TERRITORIES: Territory[] = ["urban", "suburban", "rural"];

// A book of 600 policies; about one in eight has a claim.
const BOOK: Policy[] = Array.from({ length: 600 }, (_, i) => {
  const driverAge = 18 + ((i * 37) % 60);
  const vehicleGroup = (i * 7) % 4;
  const territory = TERRITORIES[(i * 5) % 3];
  const exposureYears = 0.25 + ((i * 13) % 4) * 0.25;
  const claimCost = (i * 11) % 8 === 3 ? 800 + ((i * 97) % 2500) : 0;
  return { driverAge, vehicleGroup, territory, exposureYears, claimCost };
});

const START: RatingModel = {
  baseLog: Math.log(420),
  ageCurve: [-0.3, 0.4],
  groupLogRelativities: [-0.2, 0, 0.15, 0.35],
  territoryLog: { urban: 0.25, suburban: 0.05, rural: -0.15 },
};

export const cases = [
  { f: penalisedDeviance, df: dModel, args: [START, BOOK] },
  {
    f: penalisedDeviance,
    df: dModel,
    args: [{ ...START, ageCurve: [-0.1, 0.2] }, BOOK.slice(0, 200), { power: 1.4, shrinkage: 2 }],
  },
];
