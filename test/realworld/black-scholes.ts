// Black-Scholes price of a European option with a hand-written normal CDF
// (Abramowitz-Stegun 7.1.26 for erf); the greeks are its gradient.
import { grad, valueAndGrad } from "tsgrad";

export type OptionKind = "call" | "put";

export interface OptionSpec {
  strike: number;
  expiry: number; // years
  rate: number;
  kind: OptionKind;
}

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-ax * ax));
}

export const normCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

export function price(spot: number, vol: number, { strike, expiry, rate, kind }: OptionSpec): number {
  const sqrtT = Math.sqrt(expiry);
  const d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * expiry) / (vol * sqrtT);
  const d2 = d1 - vol * sqrtT;
  const discount = Math.exp(-rate * expiry);
  if (kind === "call") {
    return spot * normCdf(d1) - strike * discount * normCdf(d2);
  }
  return strike * discount * normCdf(-d2) - spot * normCdf(-d1);
}

/** [price, [delta, vega]] */
export const greeks = valueAndGrad(price, [0, 1]);

const call: OptionSpec = { strike: 100, expiry: 0.5, rate: 0.03, kind: "call" };
const put: OptionSpec = { ...call, kind: "put" };

export const cases = [
  {
    f: price,
    df: greeks,
    args: [105, 0.2, call],
    wrt: [0, 1],
    withValue: true,
  },
  { f: price, df: greeks, args: [95, 0.35, put], wrt: [0, 1], withValue: true },
];
