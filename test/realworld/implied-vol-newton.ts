// The price of a call from the Bachelier (normal) model, and a calibration
// loss over a strip of quotes; quotes are [strike, price] tuples and the
// normal density and CDF are hand-written.
import { grad } from "tsgrad";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const pdf = (x: number) => Math.exp(-0.5 * x * x) / SQRT_2PI;

function cdf(x: number): number {
  // Zelen & Severo (26.2.17)
  if (x < 0) return 1 - cdf(-x);
  const t = 1 / (1 + 0.2316419 * x);
  const b = [0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429];
  let poly = 0;
  for (let i = b.length - 1; i >= 0; i--) poly = (poly + b[i]) * t;
  return 1 - pdf(x) * poly;
}

function bachelierCall(forward: number, strike: number, sigma: number, expiry: number): number {
  const s = sigma * Math.sqrt(expiry);
  const d = (forward - strike) / s;
  return (forward - strike) * cdf(d) + s * pdf(d);
}

export function calibration(sigma: number, forward: number, quotes: [number, number][], expiry = 0.25): number {
  let loss = 0;
  for (const [strike, quoted] of quotes) {
    loss += (bachelierCall(forward, strike, sigma, expiry) - quoted) ** 2;
  }
  return loss;
}

export const dCalibration = grad(calibration, [0, 1]);

const quotes: [number, number][] = [
  [95, 6.1],
  [100, 2.9],
  [105, 1.05],
  [110, 0.3],
];

export const cases = [{ f: calibration, df: dCalibration, args: [11, 100.5, quotes], wrt: [0, 1] }];
