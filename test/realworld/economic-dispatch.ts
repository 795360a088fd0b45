// Power systems: economic dispatch of thermal generators with transmission
// losses by Kron's B-coefficient formula, P_loss = Pᵀ·B·P + B0·P + B00.
// The generators' outputs minimise fuel cost (quadratic heat-rate curves plus
// a valve-point ripple) with the power balance and the units' limits as
// penalties, in the form an augmented-Lagrangian solver iterates on.
import { grad, valueAndGrad } from "tsgrad";

export interface Generator {
  id: string;
  a: number; // $/h
  b: number; // $/MWh
  c: number; // $/MW²h
  minMw: number;
  maxMw: number;
  valvePoint?: { e: number; f: number };
}

export interface LossModel {
  B: number[][];
  B0: number[];
  B00: number;
}

interface Multipliers {
  lambda: number;
  rho: number;
}

function fuelCost(g: Generator, p: number): number {
  const base = g.a + g.b * p + g.c * p * p;
  if (!g.valvePoint) return base;
  const { e, f } = g.valvePoint;
  // The smooth part of the valve-point term: the rectified sine is replaced by sin² to keep it differentiable.
  return base + e * Math.sin(f * (p - g.minMw)) ** 2;
}

export function transmissionLoss(p: number[], { B, B0, B00 }: LossModel): number {
  const quadratic = p.reduce((s, pi, i) => s + pi * B[i].reduce((t, bij, j) => t + bij * p[j], 0), 0);
  const linear = B0.reduce((s, b, i) => s + b * p[i], 0);
  return quadratic + linear + B00;
}

export function augmentedLagrangian(
  outputs: number[],
  units: Generator[],
  losses: LossModel,
  demandMw: number,
  { lambda, rho }: Multipliers = { lambda: 10, rho: 0.5 },
): number {
  const cost = units.map((g, i) => fuelCost(g, outputs[i])).reduce((a, b) => a + b, 0);
  const imbalance = demandMw + transmissionLoss(outputs, losses) - outputs.reduce((a, b) => a + b, 0);
  let limits = 0;
  units.forEach(({ minMw, maxMw }, i) => {
    const p = outputs[i];
    if (p < minMw) limits += (minMw - p) ** 2;
    else if (p > maxMw) limits += (p - maxMw) ** 2;
  });
  return cost + lambda * imbalance + (rho / 2) * imbalance ** 2 + 50 * limits;
}

export const dOutputs = grad(augmentedLagrangian);
export const lagrangianAndGrad = valueAndGrad(augmentedLagrangian);

const UNITS: Generator[] = [
  {
    id: "coal-1",
    a: 240,
    b: 7.0,
    c: 0.007,
    minMw: 100,
    maxMw: 500,
    valvePoint: { e: 300, f: 0.035 },
  },
  { id: "coal-2", a: 200, b: 10.0, c: 0.0095, minMw: 50, maxMw: 200 },
  {
    id: "gas-1",
    a: 220,
    b: 8.5,
    c: 0.009,
    minMw: 80,
    maxMw: 300,
    valvePoint: { e: 150, f: 0.063 },
  },
  { id: "gas-2", a: 200, b: 11.0, c: 0.009, minMw: 50, maxMw: 150 },
];

const LOSSES: LossModel = {
  B: [
    [0.00014, 0.000017, 0.000015, 0.000019],
    [0.000017, 0.00006, 0.000013, 0.000016],
    [0.000015, 0.000013, 0.000065, 0.000017],
    [0.000019, 0.000016, 0.000017, 0.000071],
  ],
  B0: [-0.0003, 0.0002, 0.0001, -0.0001],
  B00: 0.003,
};

export const cases = [
  {
    f: augmentedLagrangian,
    df: dOutputs,
    args: [[380, 150, 220, 90], UNITS, LOSSES, 800],
  },
  {
    f: augmentedLagrangian,
    df: lagrangianAndGrad,
    args: [[520, 40, 250, 100], UNITS, LOSSES, 900, { lambda: 12, rho: 2 }],
    withValue: true,
  },
];
