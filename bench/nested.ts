// Benchmark workloads: nested data, differentiated as written. The MLP of
// bench/mlp.ts with its weights as `number[][]` rows in a parameter object and
// its samples as `number[][]`; the softened potential of 200 bodies given as
// `{ x, y }` records, beside the same potential over flat Float64Arrays and a
// hand-written force computation over the records.
import { grad } from "tsgrad";

export interface MlpParams {
  W1: number[][]; // hidden × inputs
  b1: number[];
  w2: number[];
  b2: number;
}

export function mlpNested(p: MlpParams, X: number[][], y: number[]): number {
  const n = y.length;
  let total = 0;
  for (let s = 0; s < n; s++) {
    const x = X[s];
    let out = p.b2;
    for (let h = 0; h < p.W1.length; h++) {
      const row = p.W1[h];
      let z = p.b1[h];
      for (let j = 0; j < row.length; j++) z += row[j] * x[j];
      out += p.w2[h] * Math.tanh(z);
    }
    const diff = out - y[s];
    total += diff * diff;
  }
  return total / n;
}

export const mlpNestedGrad = grad(mlpNested);

export interface Body {
  x: number;
  y: number;
}

const SOFTENING2 = 1e-4;

/** Softened gravitational potential of every pair of bodies. */
export function nbody(bodies: Body[], masses: Float64Array): number {
  let energy = 0;
  for (let i = 0; i < bodies.length; i++) {
    for (let j = i + 1; j < bodies.length; j++) {
      const dx = bodies[i].x - bodies[j].x;
      const dy = bodies[i].y - bodies[j].y;
      energy -= (masses[i] * masses[j]) / Math.sqrt(dx * dx + dy * dy + SOFTENING2);
    }
  }
  return energy;
}

export const nbodyGrad = grad(nbody);

/** The same potential with the positions as two flat arrays. */
export function nbodyFlat(xs: Float64Array, ys: Float64Array, masses: Float64Array): number {
  let energy = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = xs[i] - xs[j];
      const dy = ys[i] - ys[j];
      energy -= (masses[i] * masses[j]) / Math.sqrt(dx * dx + dy * dy + SOFTENING2);
    }
  }
  return energy;
}

export const nbodyFlatGrad = grad(nbodyFlat, [0, 1]);

/**
 * The gradient of `nbody` written by hand, as a careful person would: the
 * pairwise forces accumulated into two flat arrays, the records made once.
 */
export function nbodyHand(bodies: Body[], masses: Float64Array): Body[] {
  const n = bodies.length;
  const gx = new Float64Array(n);
  const gy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = bodies[i].x;
    const yi = bodies[i].y;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - bodies[j].x;
      const dy = yi - bodies[j].y;
      const r2 = dx * dx + dy * dy + SOFTENING2;
      // d/dx of -m_i m_j / r is m_i m_j dx / r³.
      const s = (masses[i] * masses[j]) / (r2 * Math.sqrt(r2));
      gx[i] += s * dx;
      gy[i] += s * dy;
      gx[j] -= s * dx;
      gy[j] -= s * dy;
    }
  }
  const out: Body[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { x: gx[i], y: gy[i] };
  return out;
}
