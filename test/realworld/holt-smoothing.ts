// Holt's linear exponential smoothing: one-step-ahead squared errors as a
// function of the smoothing constants, with the state updated by
// destructuring assignment.
import { grad } from "tsgrad";

const SALES = [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118];

export function holtSse(alpha: number, beta: number, series: number[] = SALES): number {
  let [level, trend] = [series[0], series[1] - series[0]];
  let sse = 0;
  for (const y of series.slice(1)) {
    const forecast = level + trend;
    sse += (y - forecast) ** 2;
    const newLevel = alpha * y + (1 - alpha) * (level + trend);
    [level, trend] = [newLevel, beta * (newLevel - level) + (1 - beta) * trend];
  }
  return sse;
}

export const dHolt = grad(holtSse, [0, 1]);

export const cases = [{ f: holtSse, df: dHolt, args: [0.5, 0.2], wrt: [0, 1] }];
