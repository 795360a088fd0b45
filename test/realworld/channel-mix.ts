// Budget mix: spend per channel in a record keyed by channel name.
import { grad } from "tsgrad";

export type Spend = Record<string, number>;
const ELASTICITY: Record<string, number> = {
  search: 0.6,
  social: 0.4,
  tv: 0.25,
};

function revenue(spend: Spend): number {
  let total = 0;
  for (const [channel, amount] of Object.entries(spend)) {
    const e = ELASTICITY[channel] ?? 0.1;
    total += 100 * Math.pow(1 + amount, e);
  }
  return total;
}

export function profit(spend: Spend): number {
  const cost = Object.values(spend).reduce((a, b) => a + b, 0);
  let penalty = 0;
  for (const key in spend) {
    if (spend[key]! < 0) penalty += spend[key]! ** 2;
  }
  return -(revenue(spend) - cost) + 10 * penalty;
}

export const dProfit = grad(profit);
export const cases = [
  { f: profit, df: dProfit, args: [{ search: 20, social: 5, tv: 40 }] },
];
