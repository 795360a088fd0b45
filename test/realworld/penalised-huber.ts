// Closures: penalty builders, loop-captured weights, early return inside a loop.
import { grad } from "tsgrad";

const makePenalty =
  (strength: number, center: number) =>
  (x: number): number =>
    strength * (x - center) ** 2;

export function regularised(params: number[], data: number[]): number {
  const penalties = [makePenalty(0.1, 0), makePenalty(0.01, 1)];
  let fit = 0;
  for (let i = 0; i < data.length; i++) {
    const pred = params[0]! + params[1]! * i + params[2]! * Math.sin(i);
    const r = data[i]! - pred;
    if (!Number.isFinite(r)) return Infinity;
    fit += Math.abs(r) < 1 ? 0.5 * r * r : Math.abs(r) - 0.5;
  }
  let reg = 0;
  for (const p of params) for (const pen of penalties) reg += pen(p);
  return fit / data.length + reg;
}

export const dReg = grad(regularised);
export const cases = [
  {
    f: regularised,
    df: dReg,
    args: [
      [0.5, 0.3, 1.1],
      [0.2, 1.1, 2.3, 1.9, 2.2, 3.8, 4.1],
    ],
  },
];
