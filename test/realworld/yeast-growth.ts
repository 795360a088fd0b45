// A logistic growth curve fitted to optical-density readings of a yeast
// culture, given as [hours, density] pairs from two replicate plates. The
// parameters are a tuple [capacity, rate, midpoint], fitted in log space for
// the capacity and rate; the loss is a relative squared error with a weight per
// replicate and a weak prior pulling the midpoint toward the lab's usual value.
import { grad } from "tsgrad";

type Observation = [hours: number, density: number];
export type GrowthParams = readonly [logCapacity: number, logRate: number, midpoint: number];

interface Replicate {
  readonly plate: string;
  readonly weight: number;
  readonly readings: readonly Observation[];
}

const USUAL_MIDPOINT = 9;

const logistic = (t: number, [logCapacity, logRate, midpoint]: GrowthParams): number =>
  Math.exp(logCapacity) / (1 + Math.exp(-Math.exp(logRate) * (t - midpoint)));

function relativeSse(readings: readonly Observation[], params: GrowthParams, floor = 0.05): number {
  return readings.reduce((sum, [t, y]) => {
    const predicted = logistic(t, params);
    return sum + ((predicted - y) / Math.max(y, floor)) ** 2;
  }, 0);
}

export function growthLoss(params: GrowthParams, replicates: readonly Replicate[], priorStrength = 0.01): number {
  const total = replicates
    .filter((r) => r.readings.length > 0)
    .map((r) => r.weight * relativeSse(r.readings, params))
    .reduce((a, b) => a + b, 0);
  const [, , midpoint] = params;
  return total + priorStrength * (midpoint - USUAL_MIDPOINT) ** 2;
}

export const dGrowthLoss = grad(growthLoss);

const REPLICATES: Replicate[] = [
  {
    plate: "A1",
    weight: 1,
    readings: [
      [0, 0.06],
      [3, 0.11],
      [6, 0.3],
      [9, 0.72],
      [12, 1.15],
      [15, 1.38],
      [18, 1.45],
    ],
  },
  {
    plate: "B4",
    weight: 0.5,
    readings: [
      [2, 0.09],
      [8, 0.55],
      [14, 1.3],
      [20, 1.5],
    ],
  },
  { plate: "C2", weight: 1, readings: [] },
];

export const cases = [
  { f: growthLoss, df: dGrowthLoss, args: [[Math.log(1.5), Math.log(0.4), 9.5], REPLICATES] },
  { f: growthLoss, df: dGrowthLoss, args: [[Math.log(1.2), Math.log(0.3), 8], REPLICATES, 0.1] },
];
