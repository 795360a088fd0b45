// Fit a wind turbine's power curve: a logistic in wind speed, scored against
// field measurements with a robust loss; measurements outside the operating
// range are dropped with filter, and the rated power is the last bin's.
import { grad } from "tsgrad";

interface Reading {
  speed: number; // m/s
  power: number; // kW
}

const READINGS: Reading[] = [
  { speed: 2.5, power: 12 },
  { speed: 4.0, power: 95 },
  { speed: 5.5, power: 310 },
  { speed: 7.0, power: 720 },
  { speed: 8.5, power: 1180 },
  { speed: 10.0, power: 1610 },
  { speed: 11.5, power: 1880 },
  { speed: 13.0, power: 1990 },
  { speed: 26.0, power: 0 }, // cut-out: not part of the curve
];

const CUT_IN = 3;
const CUT_OUT = 25;

export function powerCurveLoss([rated, midpoint, steepness]: number[]): number {
  const curve = (speed: number): number => rated / (1 + Math.exp(-steepness * (speed - midpoint)));
  const residuals = READINGS.filter((r) => r.speed >= CUT_IN - 1 && r.speed <= CUT_OUT).map((r) => (curve(r.speed) - r.power) / 100);
  const huber = residuals.map((e) => (Math.abs(e) < 1 ? 0.5 * e * e : Math.abs(e) - 0.5));
  return huber.reduce((sum, h) => sum + h, 0) / residuals.length;
}

export const dPowerCurve = grad(powerCurveLoss);

export const cases = [
  { f: powerCurveLoss, df: dPowerCurve, args: [[2000, 8, 0.9]] },
  { f: powerCurveLoss, df: dPowerCurve, args: [[1800, 7.5, 1.2]] },
];
