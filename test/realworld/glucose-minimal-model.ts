// Endocrinology: Bergman's minimal model of glucose and insulin action after an
// intravenous glucose tolerance test. Glucose effectiveness, insulin
// sensitivity and the remote-insulin kinetics are fitted to sampled plasma
// glucose; the measured insulin curve is interpolated linearly between samples.
import { valueAndGrad } from "tsgrad";

export interface MinimalModel {
  sg: number; // glucose effectiveness, 1/min
  p2: number; // remote insulin decay, 1/min
  si: number; // insulin sensitivity, 1e-4 per min per µU/mL
  g0: number; // glucose right after the bolus, mg/dL
}

interface Patient {
  basalGlucose: number;
  basalInsulin: number;
  insulin: ReadonlyArray<readonly [minute: number, microUnitsPerMl: number]>;
  glucose: ReadonlyArray<readonly [minute: number, mgPerDl: number]>;
}

/** Piecewise-linear interpolation in a sorted table of [time, value] pairs. */
function interpolate(table: Patient["insulin"], t: number): number {
  const k = table.findIndex(([time]) => time > t);
  if (k <= 0) return k === 0 ? table[0][1] : table[table.length - 1][1];
  const [t0, v0] = table[k - 1];
  const [t1, v1] = table[k];
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

class Trajectory {
  private readonly points: { minute: number; glucose: number }[] = [];

  record(minute: number, glucose: number): void {
    this.points.push({ minute, glucose });
  }

  at(minute: number): number {
    const hit = this.points.find((p) => p.minute === minute);
    if (!hit) throw new Error(`no glucose simulated at minute ${minute}`);
    return hit.glucose;
  }
}

export function simulateIvgtt(m: MinimalModel, patient: Patient, endMinute: number, dt = 0.5): Trajectory {
  const { basalGlucose: gb, basalInsulin: ib } = patient;
  const trajectory = new Trajectory();
  let g = m.g0;
  let x = 0; // remote insulin action
  for (let t = 0; t <= endMinute + 1e-9; t += dt) {
    const minute = Math.round(t * 2) / 2;
    trajectory.record(minute, g);
    const insulin = interpolate(patient.insulin, minute);
    const dg = -(m.sg + x) * g + m.sg * gb;
    const dx = -m.p2 * x + m.p2 * (m.si * 1e-4) * Math.max(insulin - ib, 0);
    g += dt * dg;
    x += dt * dx;
  }
  return trajectory;
}

export function glucoseMisfit(m: MinimalModel, patient: Patient): number {
  const end = Math.max(...patient.glucose.map(([minute]) => minute));
  const trajectory = simulateIvgtt(m, patient, end);
  return patient.glucose
    .filter(([minute]) => minute >= 8) // the early mixing phase is not modelled
    .reduce((sum, [minute, observed]) => sum + ((trajectory.at(minute) - observed) / observed) ** 2, 0);
}

export const misfitAndGrad = valueAndGrad(glucoseMisfit);

const PATIENT: Patient = {
  basalGlucose: 92,
  basalInsulin: 11,
  insulin: [
    [0, 11], [2, 95], [4, 80], [8, 52], [12, 38], [20, 30], [30, 24], [60, 16], [90, 12], [180, 10],
  ],
  glucose: [
    [2, 330], [4, 310], [8, 270], [12, 242], [20, 205], [30, 172], [45, 138], [60, 117], [90, 99], [120, 92],
  ],
};

export const cases = [
  { f: glucoseMisfit, df: misfitAndGrad, args: [{ sg: 0.021, p2: 0.025, si: 5.8, g0: 340 }, PATIENT], withValue: true },
];
