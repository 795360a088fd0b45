// A trailing moving-average crossover signal smoothed with tanh, scored
// against returns: windows taken with slice and averaged with reduce.
import { grad } from "tsgrad";

const PRICES = [10, 10.2, 10.1, 10.5, 10.8, 10.6, 11.0, 11.3, 11.1, 10.9, 11.4, 11.8];

const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function strategyReturn(sharpness: number, shortWindow = 3, longWindow = 5): number {
  let pnl = 0;
  for (let t = longWindow; t < PRICES.length - 1; t++) {
    const fast = average(PRICES.slice(t - shortWindow, t));
    const slow = average(PRICES.slice(t - longWindow, t));
    const position = Math.tanh(sharpness * (fast - slow));
    pnl += position * (PRICES[t + 1] - PRICES[t]);
  }
  return -pnl;
}

export const dStrategy = grad(strategyReturn);

export const cases = [
  { f: strategyReturn, df: dStrategy, args: [2.0] },
  { f: strategyReturn, df: dStrategy, args: [0.5, 2, 6] },
];
