// Cumulative returns and drawdown over a price path derived from parameters.
import { grad } from "tsgrad";

export function drawdownPenalty(
  drifts: number[],
  shocks: number[],
  start = 100,
): number {
  const prices = drifts.reduce<number[]>(
    (path, mu, i) => [
      ...path,
      path[path.length - 1]! * Math.exp(mu + 0.2 * shocks[i]!),
    ],
    [start],
  );
  const returns = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
  const peakSoFar = prices.map((_, i) => Math.max(...prices.slice(0, i + 1)));
  const drawdowns = prices.map((p, i) => (peakSoFar[i]! - p) / peakSoFar[i]!);
  const meanReturn = returns.reduce((a, b) => a + b, 0) / returns.length;
  return Math.max(...drawdowns) - meanReturn;
}

export const dDraw = grad(drawdownPenalty);
export const cases = [
  {
    f: drawdownPenalty,
    df: dDraw,
    args: [
      [0.01, -0.02, 0.015, -0.03, 0.02, 0.01],
      [0.3, -0.5, 0.1, 0.8, -0.2, 0.4],
    ],
  },
];
