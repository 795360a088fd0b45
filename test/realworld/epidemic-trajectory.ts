// Epidemiology: fitting an SIR model to weekly case counts. The model is
// stepped forward with a daily Euler step, the compartments recorded each day
// in a trajectory, and the fit compares the recorded infections with the
// counts reported on a few days (a day past the end of the run counts as
// nobody infected, as a dashboard would show it).
import { grad } from "tsgrad";

export interface SirRates {
  beta: number; // infections per contact-day
  gamma: number; // recoveries per day
}

interface Report {
  day: number;
  infected: number;
}

function step(
  [s, i, r]: number[],
  { beta, gamma }: SirRates,
  dt: number,
): number[] {
  const newInfections = beta * s * i * dt;
  const recoveries = gamma * i * dt;
  return [s - newInfections, i + newInfections - recoveries, r + recoveries];
}

export function runEpidemic(
  rates: SirRates,
  start: number[],
  days: number,
): number[][] {
  const trajectory: number[][] = [];
  let state = start.slice();
  trajectory.push(state);
  for (let day = 1; day <= days; day++) {
    state = step(state, rates, 1);
    trajectory.push(state);
  }
  return trajectory;
}

export function fitError(
  rates: SirRates,
  start: number[],
  reports: Report[],
  days = 60,
): number {
  const trajectory = runEpidemic(rates, start, days);
  let error = 0;
  for (const { day, infected } of reports) {
    const modelled = trajectory[day]?.[1] ?? 0;
    error += (modelled - infected) ** 2;
  }
  return error / reports.length;
}

export const dRates = grad(fitError);

// fractions of a town of 10 000
const START = [0.998, 0.002, 0];
const REPORTS: Report[] = [
  { day: 7, infected: 0.006 },
  { day: 14, infected: 0.019 },
  { day: 21, infected: 0.048 },
  { day: 28, infected: 0.082 },
  { day: 42, infected: 0.061 },
  { day: 70, infected: 0.0 },
];

export const cases = [
  {
    f: fitError,
    df: dRates,
    args: [{ beta: 0.32, gamma: 0.12 }, START, REPORTS],
  },
  {
    f: fitError,
    df: dRates,
    args: [{ beta: 0.27, gamma: 0.09 }, START, REPORTS, 50],
  },
];
