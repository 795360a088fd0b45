// Two-compartment pharmacokinetics with first-order absorption, dosed every
// eight hours, integrated with RK4 in fixed steps; the concentration in the
// central compartment is fitted to plasma samples on a log scale.
import { grad } from "tsgrad";

export interface PkParams {
  ka: number; // absorption rate, 1/h
  cl: number; // clearance, L/h
  v1: number; // central volume, L
  q: number; // inter-compartmental clearance, L/h
  v2: number; // peripheral volume, L
}

type State = [gut: number, central: number, peripheral: number];

interface Dose {
  hour: number;
  mg: number;
}

interface Sample {
  hour: number;
  mgPerL: number;
}

const DOSES: Dose[] = [
  { hour: 0, mg: 500 },
  { hour: 8, mg: 500 },
  { hour: 16, mg: 500 },
];

const SAMPLES: Sample[] = [
  { hour: 1, mgPerL: 8.1 },
  { hour: 4, mgPerL: 7.2 },
  { hour: 9, mgPerL: 9.6 },
  { hour: 14, mgPerL: 6.0 },
  { hour: 20, mgPerL: 11.5 },
];

const STEPS_PER_HOUR = 10;

function rates([gut, central, peripheral]: State, p: PkParams): State {
  const absorbed = p.ka * gut;
  const c1 = central / p.v1;
  const c2 = peripheral / p.v2;
  const transfer = p.q * (c1 - c2);
  return [-absorbed, absorbed - p.cl * c1 - transfer, transfer];
}

const axpy = (y: State, a: number, x: State): State => [y[0] + a * x[0], y[1] + a * x[1], y[2] + a * x[2]];

function rk4(s: State, p: PkParams, h: number): State {
  const k1 = rates(s, p);
  const k2 = rates(axpy(s, h / 2, k1), p);
  const k3 = rates(axpy(s, h / 2, k2), p);
  const k4 = rates(axpy(s, h, k3), p);
  return s.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])) as State;
}

export function plasmaLoss(p: PkParams, samples: Sample[] = SAMPLES): number {
  const lastHour = samples[samples.length - 1].hour;
  const h = 1 / STEPS_PER_HOUR;
  let state: State = [0, 0, 0];
  let loss = 0;
  for (let step = 0; step <= lastHour * STEPS_PER_HOUR; step++) {
    const hour = step / STEPS_PER_HOUR;
    const dose = DOSES.find((d) => Math.abs(d.hour - hour) < 1e-9);
    if (dose) state[0] += dose.mg;
    const sample = samples.find((s) => Math.abs(s.hour - hour) < 1e-9);
    if (sample) loss += (Math.log(state[1] / p.v1) - Math.log(sample.mgPerL)) ** 2;
    state = rk4(state, p, h);
  }
  return loss;
}

export const dPlasma = grad(plasmaLoss);

export const cases = [{ f: plasmaLoss, df: dPlasma, args: [{ ka: 1.1, cl: 4.5, v1: 30, q: 6, v2: 45 }] }];
