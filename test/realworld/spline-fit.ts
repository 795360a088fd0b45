// Least-squares fit of a natural cubic spline to noisy samples: the unknowns
// are the spline's values at fixed knots; the Spline class solves for the
// second derivatives (a tridiagonal system, Thomas algorithm) in its
// constructor and evaluates piecewise cubics. A roughness penalty on the
// second derivatives keeps the fit smooth.
import { grad } from "tsgrad";

export class Spline {
  private readonly m: number[]; // second derivatives at the knots

  constructor(
    readonly knots: readonly number[],
    readonly values: readonly number[],
  ) {
    const n = knots.length;
    const h = knots.slice(1).map((x, i) => x - knots[i]);
    // Natural spline: m[0] = m[n-1] = 0; solve for the interior ones.
    const diag: number[] = [];
    const rhs: number[] = [];
    const upper: number[] = [];
    for (let i = 1; i < n - 1; i++) {
      diag.push(2 * (h[i - 1] + h[i]));
      upper.push(h[i]);
      rhs.push(6 * ((values[i + 1] - values[i]) / h[i] - (values[i] - values[i - 1]) / h[i - 1]));
    }
    // Forward elimination, then back substitution.
    for (let i = 1; i < diag.length; i++) {
      const factor = h[i] / diag[i - 1];
      diag[i] -= factor * upper[i - 1];
      rhs[i] -= factor * rhs[i - 1];
    }
    const interior = new Array<number>(diag.length).fill(0);
    for (let i = diag.length - 1; i >= 0; i--) {
      const after = i + 1 < diag.length ? upper[i] * interior[i + 1] : 0;
      interior[i] = (rhs[i] - after) / diag[i];
    }
    this.m = [0, ...interior, 0];
  }

  private segment(x: number): number {
    let i = 0;
    while (i < this.knots.length - 2 && x > this.knots[i + 1]) i++;
    return i;
  }

  at(x: number): number {
    const i = this.segment(x);
    const x0 = this.knots[i];
    const x1 = this.knots[i + 1];
    const h = x1 - x0;
    const a = (x1 - x) / h;
    const b = (x - x0) / h;
    return (
      a * this.values[i] +
      b * this.values[i + 1] +
      (((a ** 3 - a) * this.m[i] + (b ** 3 - b) * this.m[i + 1]) * h * h) / 6
    );
  }

  get roughness(): number {
    return this.m.reduce((sum, mi) => sum + mi * mi, 0);
  }
}

export function splineFitLoss(
  knotValues: number[],
  knots: readonly number[],
  samples: readonly { x: number; y: number }[],
  smoothing = 1e-3,
): number {
  const spline = new Spline(knots, knotValues);
  const residual = samples.reduce((sum, { x, y }) => sum + (spline.at(x) - y) ** 2, 0);
  return residual / samples.length + smoothing * spline.roughness;
}

export const dSplineFitLoss = grad(splineFitLoss);

const KNOTS = [0, 1, 2, 3.5, 5];
const SAMPLES = [0.2, 0.7, 1.3, 1.8, 2.4, 2.9, 3.3, 3.9, 4.4, 4.8].map((x) => ({
  x,
  y: Math.sin(x) + 0.05 * Math.cos(7 * x),
}));

export const cases = [
  { f: splineFitLoss, df: dSplineFitLoss, args: [[0.1, 0.8, 0.9, -0.3, -0.9], KNOTS, SAMPLES] },
  { f: splineFitLoss, df: dSplineFitLoss, args: [[0.0, 0.5, 1.1, -0.5, -1.0], KNOTS, SAMPLES, 0.05] },
];
