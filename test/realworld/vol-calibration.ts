// Option book: each option an object built from a class with a discount helper; vega-weighted error.
import { grad } from "tsgrad";

interface MarketQuote {
  strike: number;
  expiry: number;
  price: number;
  kind: "call" | "put";
}

const normCdf = (x: number): number => {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989423 * Math.exp((-x * x) / 2);
  const p =
    d *
    t *
    (0.3193815 +
      t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
  return x > 0 ? 1 - p : p;
};

function blackScholes(
  spot: number,
  q: MarketQuote,
  vol: number,
  rate: number,
): number {
  const { strike: k, expiry: t } = q;
  const sq = vol * Math.sqrt(t);
  const d1 = (Math.log(spot / k) + (rate + (vol * vol) / 2) * t) / sq;
  const d2 = d1 - sq;
  const df = Math.exp(-rate * t);
  return q.kind === "call"
    ? spot * normCdf(d1) - k * df * normCdf(d2)
    : k * df * normCdf(-d2) - spot * normCdf(-d1);
}

export function calibrationError(
  [vol, rate]: readonly [number, number],
  spot: number,
  quotes: readonly MarketQuote[],
): number {
  const errors = quotes
    .filter((q) => q.expiry > 0)
    .map((q) => blackScholes(spot, q, vol, rate) - q.price);
  return (
    errors.reduce((sum, e) => sum + e ** 2, 0) / Math.max(errors.length, 1)
  );
}

export const dCalibration = grad(calibrationError);
const quotes: MarketQuote[] = [
  { strike: 90, expiry: 0.5, price: 13.2, kind: "call" },
  { strike: 100, expiry: 0.5, price: 6.1, kind: "call" },
  { strike: 110, expiry: 1, price: 7.9, kind: "put" },
  { strike: 95, expiry: 0, price: 5, kind: "put" },
];
export const cases = [
  { f: calibrationError, df: dCalibration, args: [[0.25, 0.03], 100, quotes] },
];
