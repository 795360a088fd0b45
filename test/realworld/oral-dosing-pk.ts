// Pharmacokinetics: a one-compartment model with first-order absorption, fitted
// to the plasma concentrations of a patient on an irregular oral dosing
// schedule. Each dose is a [hour, mg] pair in the patient's record; the
// absorption rate, elimination rate and volume of distribution are the
// parameters. Sampling times are read off the lab report.
import { grad, valueAndGrad } from "tsgrad";

export interface PkParams {
  ka: number; // absorption rate, 1/h
  ke: number; // elimination rate, 1/h
  vd: number; // volume of distribution, L
}

type Dose = readonly [hour: number, mg: number];

interface PatientRecord {
  weightKg: number;
  doses: readonly Dose[];
  samples: { hour: number; mgPerL: number }[];
}

/** Concentration at time t from every dose given before t (superposition). */
function concentration(
  doses: PatientRecord["doses"],
  t: number,
  { ka, ke, vd }: PkParams,
): number {
  let c = 0;
  for (const [hour, mg] of doses) {
    if (hour > t) break;
    const dt = t - hour;
    c +=
      ((mg * ka) / (vd * (ka - ke))) *
      (Math.exp(-ke * dt) - Math.exp(-ka * dt));
  }
  return c;
}

/** The hour of the last dose taken at or before t, or -1 before the first. */
function lastDoseBefore(doses: PatientRecord["doses"], t: number): number {
  const next = doses.findIndex(([hour]) => hour > t);
  if (next === 0) return -1;
  const [hour] = doses[next === -1 ? doses.length - 1 : next - 1];
  return hour;
}

export function pkLoss(params: PkParams, patient: PatientRecord): number {
  let sse = 0;
  for (const { hour, mgPerL } of patient.samples) {
    const predicted = concentration(patient.doses, hour, params);
    // trough samples (taken just before a dose) are weighted up: they drive dosing decisions
    const sinceDose = hour - lastDoseBefore(patient.doses, hour);
    const weight = sinceDose > 10 ? 2 : 1;
    sse += weight * (predicted - mgPerL) ** 2;
  }
  return sse / patient.samples.length;
}

export const dPk = grad(pkLoss);
export const pkLossAndGrad = valueAndGrad(pkLoss);

const PATIENT: PatientRecord = {
  weightKg: 71,
  doses: [
    [0, 500],
    [12, 500],
    [24, 250],
    [30, 500],
  ],
  samples: [
    { hour: 1, mgPerL: 6.1 },
    { hour: 3, mgPerL: 8.4 },
    { hour: 11.5, mgPerL: 3.3 },
    { hour: 14, mgPerL: 9.7 },
    { hour: 23.5, mgPerL: 4.1 },
    { hour: 26, mgPerL: 6.8 },
    { hour: 32, mgPerL: 10.2 },
    { hour: 40, mgPerL: 6.0 },
  ],
};

export const cases = [
  { f: pkLoss, df: dPk, args: [{ ka: 1.1, ke: 0.09, vd: 48 }, PATIENT] },
  {
    f: pkLoss,
    df: pkLossAndGrad,
    args: [{ ka: 0.7, ke: 0.12, vd: 55 }, PATIENT],
    withValue: true,
  },
];
