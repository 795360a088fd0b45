// Fit a logistic growth curve dP/dt = r P (1 - P/K) to population counts by
// integrating it with Euler steps; observations are { day, count } records.
import { grad } from "tsgrad";

interface Observation {
  day: number;
  count: number;
}

const OBS: Observation[] = [
  { day: 0, count: 10 },
  { day: 2, count: 24 },
  { day: 4, count: 52 },
  { day: 6, count: 88 },
  { day: 8, count: 112 },
];

export function growthLoss(rate: number, capacity: number, initial = 10, stepsPerDay = 10): number {
  const lastDay = Math.max(...OBS.map((o) => o.day));
  let p = initial;
  let loss = 0;
  for (let step = 0; step <= lastDay * stepsPerDay; step++) {
    const day = step / stepsPerDay;
    const observed = OBS.find((o) => o.day === day);
    if (observed) loss += ((p - observed.count) / observed.count) ** 2;
    p += (rate * p * (1 - p / capacity)) / stepsPerDay;
  }
  return loss;
}

export const dGrowth = grad(growthLoss, [0, 1]);

export const cases = [{ f: growthLoss, df: dGrowth, args: [0.5, 130], wrt: [0, 1] }];
