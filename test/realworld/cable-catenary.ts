// Fitting a hanging power line to survey points. A cable between two towers
// hangs as a catenary y = y0 + a (cosh((x - x0) / a) - 1); the surveyor's
// points carry an uncertainty, and a few may be outliers (a bird on the line),
// so the fit uses a Cauchy loss. The fitted sag and the tension it implies are
// what the utility checks against clearance rules.
import { valueAndGrad } from "tsgrad";

export interface SurveyPoint {
  x: number; // m along the span
  y: number; // m above ground
  sigma?: number; // m
}

export interface Catenary {
  a: number; // m: horizontal tension over weight per length
  x0: number; // m: position of the lowest point
  y0: number; // m: height of the lowest point
}

export const catenaryHeight = ({ a, x0, y0 }: Catenary, x: number): number => y0 + a * (Math.cosh((x - x0) / a) - 1);

function sag(c: Catenary, span: [number, number]): number {
  const [left, right] = span;
  const ends = Math.max(catenaryHeight(c, left), catenaryHeight(c, right));
  return ends - c.y0;
}

export function misfit(
  cable: Catenary,
  points: readonly SurveyPoint[],
  { scale = 1, span = [0, 200] as [number, number], clearance = 8 } = {},
): number {
  const data = points.reduce((sum, { x, y, sigma = 0.1 }) => {
    const r = (catenaryHeight(cable, x) - y) / sigma;
    return sum + scale ** 2 * Math.log1p((r / scale) ** 2);
  }, 0);
  // regulators want the lowest point above the clearance height
  const low = cable.y0 - clearance;
  const clearancePenalty = low < 0 ? 100 * low ** 2 : 0;
  const prior = 1e-4 * (sag(cable, span) - 6) ** 2;
  return data + clearancePenalty + prior;
}

export const misfitAndGrad = valueAndGrad(misfit);

// generated from a = 700, x0 = 95, y0 = 11.5 with a little noise, one outlier at x = 120
const SURVEY: SurveyPoint[] = [
  { x: 5, y: 17.31 },
  { x: 30, y: 14.52 },
  { x: 55, y: 12.66, sigma: 0.2 },
  { x: 80, y: 11.68 },
  { x: 105, y: 11.55 },
  { x: 120, y: 12.9, sigma: 0.2 },
  { x: 150, y: 13.68 },
  { x: 175, y: 16.1 },
  { x: 195, y: 18.66 },
];

// Residuals over sigma = 0.1 m make the loss curve sharply in y0: the default
// finite-difference step (1e-3 of 11 m) is off by 1.4e-5 relative; 1e-4 is not.
export const cases = [
  { f: misfit, df: misfitAndGrad, args: [{ a: 650, x0: 90, y0: 11 }, SURVEY], withValue: true, relativeStep: 1e-4 },
  {
    f: misfit,
    df: misfitAndGrad,
    args: [{ a: 720, x0: 100, y0: 7.5 }, SURVEY, { scale: 2, clearance: 8 }],
    withValue: true,
  },
];
