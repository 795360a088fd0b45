// Fitting a line to sensor readings with a choice of robust loss: the fit is
// described by a small record that carries its loss function, and the
// learning-rate schedule by a module-level record that carries a warp.
import { grad } from "tsgrad";

type Loss = (r: number) => number;

const huber: Loss = (r) => (Math.abs(r) <= 1 ? 0.5 * r * r : Math.abs(r) - 0.5);
const cauchy: Loss = (r) => Math.log1p(r * r);

interface LineFit {
  slope: number;
  intercept: number;
  loss: Loss;
}

const WEIGHTING = { floor: 0.25, warp: Math.sqrt };

const READINGS: [number, number][] = [
  [0, 1.1],
  [1, 2.9],
  [2, 5.2],
  [3, 6.8],
  [4, 30],
  [5, 11.1],
];

function residualCost(fit: LineFit, [x, y]: [number, number], index: number): number {
  const r = y - (fit.slope * x + fit.intercept);
  const weight = WEIGHTING.floor + WEIGHTING.warp(index + 1);
  return fit.loss(r) / weight;
}

export function fitCost(slope: number, intercept: number, robust: boolean): number {
  const fit: LineFit = { slope, intercept, loss: robust ? cauchy : huber };
  return READINGS.reduce((total, reading, i) => total + residualCost(fit, reading, i), 0);
}

export function huberCost(slope: number, intercept: number): number {
  const fit = { slope, intercept, loss: huber };
  let total = 0;
  READINGS.forEach((reading, i) => {
    total += residualCost(fit, reading, i);
  });
  return total;
}

export const dHuber = grad(huberCost, [0, 1]);
export const dFit = grad(fitCost, [0, 1]);

export const cases = [
  { f: huberCost, df: dHuber, args: [2, 1], wrt: [0, 1] },
  { f: huberCost, df: dHuber, args: [1.5, 0.2], wrt: [0, 1] },
  { f: fitCost, df: dFit, args: [2, 1, true], wrt: [0, 1] },
  { f: fitCost, df: dFit, args: [2, 1, false], wrt: [0, 1] },
];
