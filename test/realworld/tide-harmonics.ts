// Coastal engineering: harmonic analysis of a tide gauge. The predicted water
// level is the mean level plus a sum of astronomical constituents (M2, S2, N2,
// K1, O1), each a cosine with a known angular speed and a fitted amplitude and
// phase lag. The constituents are fitted to 45 days of hourly readings.
import { grad, valueAndGrad } from "tsgrad";

export type ConstituentName = "M2" | "S2" | "N2" | "K1" | "O1";

export interface Constituent {
  name: ConstituentName;
  amplitude: number; // m
  phaseDeg: number; // phase lag, degrees
}

export interface TideFit {
  meanLevel: number; // m above chart datum
  constituents: Constituent[];
}

interface Reading {
  hour: number;
  level: number; // m
}

// Angular speeds in degrees per mean solar hour.
function speedOf(name: ConstituentName): number {
  switch (name) {
    case "M2":
      return 28.984104;
    case "S2":
      return 30.0;
    case "N2":
      return 28.43973;
    case "K1":
      return 15.041069;
    case "O1":
      return 13.943036;
  }
}

const DEG = Math.PI / 180;

export function predictLevel({ meanLevel, constituents }: TideFit, hour: number): number {
  return constituents.reduce(
    (level, { name, amplitude, phaseDeg }) => level + amplitude * Math.cos((speedOf(name) * hour - phaseDeg) * DEG),
    meanLevel,
  );
}

export function misfit(fit: TideFit, readings: Reading[], { weightRecent = 0 } = {}): number {
  const last = readings[readings.length - 1]?.hour ?? 1;
  let sse = 0;
  let weights = 0;
  for (const { hour, level } of readings) {
    const w = 1 + weightRecent * (hour / last);
    sse += w * (predictLevel(fit, hour) - level) ** 2;
    weights += w;
  }
  return sse / weights;
}

export const dFit = grad(misfit);
export const misfitAndGrad = valueAndGrad(misfit);

const TRUE_FIT: TideFit = {
  meanLevel: 2.1,
  constituents: [
    { name: "M2", amplitude: 1.32, phaseDeg: 112 },
    { name: "S2", amplitude: 0.44, phaseDeg: 145 },
    { name: "N2", amplitude: 0.26, phaseDeg: 96 },
    { name: "K1", amplitude: 0.12, phaseDeg: 210 },
    { name: "O1", amplitude: 0.09, phaseDeg: 188 },
  ],
};

// 45 days of hourly readings with a small surge on top of the astronomical tide.
const READINGS: Reading[] = Array.from({ length: 45 * 24 }, (_, hour) => ({
  hour,
  level: predictLevel(TRUE_FIT, hour) + 0.05 * Math.sin(hour / 37),
}));

const GUESS: TideFit = {
  meanLevel: 2.0,
  constituents: [
    { name: "M2", amplitude: 1.2, phaseDeg: 100 },
    { name: "S2", amplitude: 0.5, phaseDeg: 150 },
    { name: "N2", amplitude: 0.2, phaseDeg: 90 },
    { name: "K1", amplitude: 0.15, phaseDeg: 200 },
    { name: "O1", amplitude: 0.1, phaseDeg: 180 },
  ],
};

export const cases = [
  { f: misfit, df: dFit, args: [GUESS, READINGS] },
  {
    f: misfit,
    df: misfitAndGrad,
    args: [GUESS, READINGS.slice(0, 300), { weightRecent: 2 }],
    withValue: true,
  },
];
