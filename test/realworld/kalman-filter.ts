// Negative log-likelihood of a local-level model by the Kalman filter, with
// missing measurements as null; tuned over the log noise variances.
import { grad } from "tsgrad";

const MEASUREMENTS: (number | null)[] = [1.2, 1.5, null, 1.9, 2.4, null, 2.2, 2.8, 3.1, null, 3.0];

export function kalmanNll(logQ: number, logR: number, zs: readonly (number | null)[] = MEASUREMENTS): number {
  const q = Math.exp(logQ);
  const r = Math.exp(logR);
  let mean = zs.find((z) => z !== null) ?? 0;
  let variance = 1;
  let nll = 0;
  for (const z of zs) {
    variance += q; // predict
    if (z === null) continue;
    const s = variance + r;
    const innovation = z - mean;
    nll += 0.5 * (Math.log(2 * Math.PI * s) + (innovation * innovation) / s);
    const gain = variance / s;
    mean += gain * innovation;
    variance *= 1 - gain;
  }
  return nll;
}

export const dKalman = grad(kalmanNll, [0, 1]);

export const cases = [{ f: kalmanNll, df: dKalman, args: [-2.0, -1.5], wrt: [0, 1] }];
