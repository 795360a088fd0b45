// Two coupled water tanks filled by a pump: every minute the levels are
// logged as a record, and the loss compares the log with sensor readings.
import { grad } from "tsgrad";

interface Reading {
  upper: number;
  lower: number;
}

export interface Valves {
  pump: number;
  outflow: number;
}

const SENSOR: Reading[] = [
  { upper: 0.0, lower: 0.0 },
  { upper: 0.21, lower: 0.02 },
  { upper: 0.33, lower: 0.07 },
  { upper: 0.4, lower: 0.13 },
  { upper: 0.44, lower: 0.18 },
  { upper: 0.46, lower: 0.22 },
];

function simulate({ pump, outflow }: Valves, minutes: number, substeps = 20): Reading[] {
  let level: Reading = { upper: 0, lower: 0 };
  const log = [level];
  const dt = 1 / substeps;
  for (let m = 1; m < minutes; m++) {
    for (let s = 0; s < substeps; s++) {
      const between = outflow * Math.sqrt(level.upper + 1e-6);
      const drain = 0.5 * outflow * Math.sqrt(level.lower + 1e-6);
      level = { upper: level.upper + (pump - between) * dt, lower: level.lower + (between - drain) * dt };
    }
    log.push(level);
  }
  return log;
}

export function fitError(valves: Valves): number {
  const log = simulate(valves, SENSOR.length);
  let error = 0;
  for (let m = 0; m < log.length; m++) {
    error += (log[m].upper - SENSOR[m].upper) ** 2 + (log[m].lower - SENSOR[m].lower) ** 2;
  }
  return error;
}

export const dFitError = grad(fitError);

export const cases = [{ f: fitError, df: dFitError, args: [{ pump: 0.3, outflow: 0.4 }] }];
