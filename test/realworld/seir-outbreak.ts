// An SEIR epidemic integrated day by day with forward Euler, fitted to weekly
// reported case counts by a squared error on log counts.
import { grad } from "tsgrad";

export interface SeirParams {
  beta: number; // contacts per day times transmission probability
  incubationDays: number;
  infectiousDays: number;
}

interface Compartments {
  s: number;
  e: number;
  i: number;
  r: number;
}

interface Report {
  day: number;
  cases: number;
}

const POPULATION = 100_000;
const INITIAL: Compartments = { s: POPULATION - 20, e: 10, i: 10, r: 0 };
const STEPS_PER_DAY = 4;

const REPORTS: Report[] = [
  { day: 7, cases: 35 },
  { day: 14, cases: 90 },
  { day: 21, cases: 240 },
  { day: 28, cases: 610 },
];

function derivative({ s, e, i }: Compartments, p: SeirParams): Compartments {
  const infection = (p.beta * s * i) / POPULATION;
  const onset = e / p.incubationDays;
  const recovery = i / p.infectiousDays;
  return { s: -infection, e: infection - onset, i: onset - recovery, r: recovery };
}

function simulate(p: SeirParams, days: number): Compartments[] {
  const dt = 1 / STEPS_PER_DAY;
  let state = { ...INITIAL };
  const daily: Compartments[] = [state];
  for (let day = 1; day <= days; day++) {
    for (let k = 0; k < STEPS_PER_DAY; k++) {
      const d = derivative(state, p);
      state = {
        s: state.s + dt * d.s,
        e: state.e + dt * d.e,
        i: state.i + dt * d.i,
        r: state.r + dt * d.r,
      };
    }
    daily.push(state);
  }
  return daily;
}

export function reportLoss(p: SeirParams, reports: Report[] = REPORTS): number {
  const horizon = Math.max(...reports.map((r) => r.day));
  const trajectory = simulate(p, horizon);
  return reports.reduce((loss, { day, cases }) => {
    // New cases reported on a day: people who became infectious that day.
    const predicted = trajectory[day].i + trajectory[day].r - (trajectory[day - 1].i + trajectory[day - 1].r);
    return loss + (Math.log(predicted) - Math.log(cases)) ** 2;
  }, 0);
}

export const dReportLoss = grad(reportLoss);

export const cases = [
  { f: reportLoss, df: dReportLoss, args: [{ beta: 0.45, incubationDays: 4.5, infectiousDays: 6 }] },
];
