// Biochemistry: Michaelis–Menten kinetics with an inhibitor, fitted to initial
// rates measured at several substrate and inhibitor concentrations. Which
// inhibition mechanism applies is part of the experiment's description; Vmax,
// Km and the inhibition constants are fitted on a log scale (weighted by the
// replicate spread) with a weak prior on Km from the literature.
import { grad } from "tsgrad";

export enum Mechanism {
  Competitive,
  Uncompetitive,
  Mixed,
}

export interface Kinetics {
  logVmax: number;
  logKm: number;
  logKi: number; // binding to the free enzyme
  logKiPrime: number; // binding to the enzyme–substrate complex
}

type Measurement = { substrateMm: number; inhibitorMm: number; rates: number[] };

interface Experiment {
  mechanism: Mechanism;
  measurements: Measurement[];
  kmPrior?: { mean: number; sd: number };
}

function apparent(k: Kinetics, inhibitor: number, mechanism: Mechanism): { vmax: number; km: number } {
  const [vmax, km, ki, kiPrime] = [k.logVmax, k.logKm, k.logKi, k.logKiPrime].map(Math.exp);
  const alpha = 1 + inhibitor / ki;
  const alphaPrime = 1 + inhibitor / kiPrime;
  switch (mechanism) {
    case Mechanism.Competitive:
      return { vmax, km: km * alpha };
    case Mechanism.Uncompetitive:
      return { vmax: vmax / alphaPrime, km: km / alphaPrime };
    case Mechanism.Mixed:
      return { vmax: vmax / alphaPrime, km: (km * alpha) / alphaPrime };
  }
}

const rate = (substrate: number, { vmax, km }: { vmax: number; km: number }): number => (vmax * substrate) / (km + substrate);

function meanAndSd(xs: number[]): [mean: number, sd: number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(xs.length - 1, 1);
  return [mean, Math.sqrt(variance)];
}

export function kineticsLoss(k: Kinetics, experiment: Experiment): number {
  const { mechanism, measurements, kmPrior } = experiment;
  let chi2 = 0;
  for (const { substrateMm, inhibitorMm, rates } of measurements) {
    const [observed, sd] = meanAndSd(rates);
    const predicted = rate(substrateMm, apparent(k, inhibitorMm, mechanism));
    const relativeSd = Math.max(sd / observed, 0.02);
    chi2 += (Math.log(predicted / observed) / relativeSd) ** 2;
  }
  if (kmPrior) {
    chi2 += ((Math.exp(k.logKm) - kmPrior.mean) / kmPrior.sd) ** 2;
  }
  return chi2;
}

export const dKinetics = grad(kineticsLoss);

const grid = (rows: [number, number, number[]][]): Measurement[] =>
  rows.map(([substrateMm, inhibitorMm, rates]) => ({ substrateMm, inhibitorMm, rates }));

const MIXED: Experiment = {
  mechanism: Mechanism.Mixed,
  measurements: grid([
    [0.5, 0, [21.0, 22.4, 20.1]],
    [2, 0, [52.3, 50.8, 54.0]],
    [8, 0, [79.5, 81.2, 77.9]],
    [0.5, 1, [12.2, 13.0, 12.6]],
    [2, 1, [33.1, 31.7, 34.4]],
    [8, 1, [55.0, 57.3, 54.2]],
  ]),
  kmPrior: { mean: 1.6, sd: 0.5 },
};

const COMPETITIVE: Experiment = { ...MIXED, mechanism: Mechanism.Competitive, kmPrior: undefined };

const start: Kinetics = { logVmax: Math.log(95), logKm: Math.log(1.8), logKi: Math.log(0.9), logKiPrime: Math.log(2.5) };

export const cases = [
  { f: kineticsLoss, df: dKinetics, args: [start, MIXED] },
  { f: kineticsLoss, df: dKinetics, args: [{ ...start, logKi: Math.log(0.6) }, COMPETITIVE] },
];
