// Wind farm layout: the Jensen (Park) wake model with wakes combined by root
// sum of squares, averaged over a wind rose. The turbine positions are the
// design variables; the cost is minus the annual energy plus a penalty that
// keeps turbines at least four rotor diameters apart.
import { grad } from "tsgrad";

export type Position = [x: number, y: number];

interface WindBin {
  directionDeg: number;
  speed: number;
  probability: number;
}

interface TurbineModel {
  rotorDiameter: number;
  ratedKw: number;
  cutIn: number;
  rated: number;
  thrustCoefficient: number;
  wakeDecay?: number;
}

const TURBINE: TurbineModel = { rotorDiameter: 120, ratedKw: 3500, cutIn: 3, rated: 12, thrustCoefficient: 0.8 };

const WIND_ROSE: WindBin[] = [
  { directionDeg: 270, speed: 9, probability: 0.4 },
  { directionDeg: 225, speed: 8, probability: 0.25 },
  { directionDeg: 0, speed: 7, probability: 0.2 },
  { directionDeg: 120, speed: 10, probability: 0.15 },
];

const HOURS_PER_YEAR = 8760;

/** Smooth power curve: a cubic between cut-in and rated speed, softly capped. */
function power(speed: number, t: TurbineModel): number {
  const s = Math.min(Math.max((speed - t.cutIn) / (t.rated - t.cutIn), 0), 1);
  return t.ratedKw * s * s * (3 - 2 * s);
}

function rotate([x, y]: Position, directionDeg: number): Position {
  const theta = (directionDeg * Math.PI) / 180;
  return [x * Math.cos(theta) + y * Math.sin(theta), -x * Math.sin(theta) + y * Math.cos(theta)];
}

function wakeDeficit(upstream: Position, downstream: Position, t: TurbineModel): number {
  const { rotorDiameter: d, thrustCoefficient: ct, wakeDecay: k = 0.075 } = t;
  const dx = downstream[0] - upstream[0];
  if (dx <= 0) return 0;
  const radius = d / 2 + k * dx;
  const offset = Math.abs(downstream[1] - upstream[1]);
  // Gaussian-smoothed edge rather than a hard top-hat, so small moves change the deficit.
  const inWake = 1 / (1 + Math.exp((offset - radius) / (0.1 * d)));
  return ((1 - Math.sqrt(1 - ct)) / (1 + (2 * k * dx) / d) ** 2) * inWake;
}

export function annualEnergyMwh(layout: Position[], rose: WindBin[] = WIND_ROSE, turbine = TURBINE): number {
  let energy = 0;
  for (const { directionDeg, speed, probability } of rose) {
    const rotated = layout.map((p) => rotate(p, directionDeg));
    const outputs = rotated.map((me, i) => {
      const squared = rotated.reduce((s, other, j) => (j === i ? s : s + wakeDeficit(other, me, turbine) ** 2), 0);
      return power(speed * (1 - Math.sqrt(squared + 1e-12)), turbine);
    });
    energy += (probability * HOURS_PER_YEAR * outputs.reduce((a, b) => a + b, 0)) / 1000;
  }
  return energy;
}

export function layoutCost(layout: Position[]): number {
  const minSpacing = 4 * TURBINE.rotorDiameter;
  let penalty = 0;
  for (const [i, [xi, yi]] of layout.entries()) {
    for (const [xj, yj] of layout.slice(i + 1)) {
      const gap = minSpacing - Math.hypot(xi - xj, yi - yj);
      if (gap > 0) penalty += (gap / TURBINE.rotorDiameter) ** 2;
    }
  }
  return -annualEnergyMwh(layout) + 1000 * penalty;
}

export const dLayout = grad(layoutCost);

export const cases = [
  {
    f: layoutCost,
    df: dLayout,
    args: [
      [
        [0, 0],
        [610, 40],
        [1180, -30],
        [300, 520],
        [900, 560],
      ] as Position[],
    ],
  },
  { f: layoutCost, df: dLayout, args: [[[0, 0], [350, 120], [720, -80]] as Position[]] },
];
