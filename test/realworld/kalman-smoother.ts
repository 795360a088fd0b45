// Rauch–Tung–Striebel smoother for a constant-velocity track: a forward Kalman
// filter over timestamped readings (records, some with their own noise), a
// backward smoothing pass over the stored filter steps, and the squared error
// of the smoothed positions against surveyed checkpoints. Tuned over the log
// process and measurement noise.
import { grad } from "tsgrad";

interface Reading {
  readonly t: number;
  readonly position: number;
  readonly noise?: number; // per-reading variance, when the sensor reported one
}

interface Checkpoint {
  readonly t: number;
  readonly position: number;
}

interface Gaussian2 {
  mean: [number, number]; // position, velocity
  cov: [number, number, number]; // p00, p01, p11 (symmetric)
}

interface FilterStep {
  predicted: Gaussian2;
  filtered: Gaussian2;
  dt: number;
}

export interface NoiseModel {
  logQ: number;
  logR: number;
}

function predict({ mean: [p, v], cov: [a, b, c] }: Gaussian2, dt: number, q: number): Gaussian2 {
  // F = [[1, dt], [0, 1]], process noise on the velocity (white acceleration)
  return {
    mean: [p + dt * v, v],
    cov: [a + 2 * dt * b + dt * dt * c + (q * dt ** 3) / 3, b + dt * c + (q * dt * dt) / 2, c + q * dt],
  };
}

function update(prior: Gaussian2, z: number, r: number): Gaussian2 {
  const [p, v] = prior.mean;
  const [a, b, c] = prior.cov;
  const s = a + r;
  const k0 = a / s;
  const k1 = b / s;
  const innovation = z - p;
  return {
    mean: [p + k0 * innovation, v + k1 * innovation],
    cov: [(1 - k0) * a, (1 - k0) * b, c - k1 * b],
  };
}

export function smoothingError(
  noise: NoiseModel,
  readings: readonly Reading[],
  checkpoints: readonly Checkpoint[],
): number {
  const q = Math.exp(noise.logQ);
  const r = Math.exp(noise.logR);
  const steps: FilterStep[] = [];
  let state: Gaussian2 = { mean: [readings[0].position, 0], cov: [r, 0, 1] };
  let lastT = readings[0].t;
  for (const reading of readings) {
    const dt = reading.t - lastT;
    const predicted = dt > 0 ? predict(state, dt, q) : state;
    const filtered = update(predicted, reading.position, reading.noise ?? r);
    steps.push({ predicted, filtered, dt });
    state = filtered;
    lastT = reading.t;
  }

  // Backward pass: smoothed[k] from filtered[k] and smoothed[k + 1].
  const smoothed: number[] = new Array(steps.length).fill(0);
  let next = steps[steps.length - 1].filtered;
  smoothed[steps.length - 1] = next.mean[0];
  for (let k = steps.length - 2; k >= 0; k--) {
    const { filtered } = steps[k];
    const { predicted, dt } = steps[k + 1];
    const [a, b, c] = filtered.cov;
    const [pa, pb, pc] = predicted.cov;
    // C = P_f F' P_p^-1, a 2x2 product written out
    const det = pa * pc - pb * pb;
    const fa = a + dt * b;
    const fb = b + dt * c;
    const c00 = (fa * pc - b * pb) / det;
    const c01 = (-fa * pb + b * pa) / det;
    const c10 = (fb * pc - c * pb) / det;
    const c11 = (-fb * pb + c * pa) / det;
    const dp = next.mean[0] - predicted.mean[0];
    const dv = next.mean[1] - predicted.mean[1];
    const mean: [number, number] = [filtered.mean[0] + c00 * dp + c01 * dv, filtered.mean[1] + c10 * dp + c11 * dv];
    smoothed[k] = mean[0];
    next = { mean, cov: filtered.cov };
  }

  return checkpoints.reduce((sum, { t, position }) => {
    const k = readings.findIndex((reading) => reading.t === t);
    return k < 0 ? sum : sum + (smoothed[k] - position) ** 2;
  }, 0);
}

export const dSmoothingError = grad(smoothingError);

const READINGS: Reading[] = [
  { t: 0, position: 0.1 },
  { t: 1, position: 1.3 },
  { t: 2, position: 1.8, noise: 0.5 },
  { t: 3, position: 3.2 },
  { t: 5, position: 4.7 },
  { t: 6, position: 6.4, noise: 0.2 },
  { t: 7, position: 6.9 },
  { t: 8, position: 8.3 },
];

const CHECKPOINTS: Checkpoint[] = [
  { t: 2, position: 2.0 },
  { t: 5, position: 5.0 },
  { t: 7, position: 7.0 },
];

export const cases = [
  { f: smoothingError, df: dSmoothingError, args: [{ logQ: -1.2, logR: -0.7 }, READINGS, CHECKPOINTS] },
];
