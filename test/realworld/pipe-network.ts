// Sizing the pipes of a branched irrigation main: the head loss of each pipe
// follows Darcy–Weisbach with the Swamee–Jain friction factor, the cost of a
// pipe grows with its diameter, and every outlet must keep a minimum pressure
// head (a smooth penalty). The diameters are the design variables.
import { grad } from "tsgrad";

export enum Material {
  Pvc = "PVC",
  Hdpe = "HDPE",
  DuctileIron = "DI",
}

const ROUGHNESS_M: { [m in Material]: number } = {
  [Material.Pvc]: 1.5e-6,
  [Material.Hdpe]: 7e-6,
  [Material.DuctileIron]: 2.5e-4,
};

const COST_PER_M_PER_M2: Record<Material, number> = {
  PVC: 900,
  HDPE: 1100,
  DI: 2400,
};

const GRAVITY = 9.81;
const KINEMATIC_VISCOSITY = 1.0e-6; // water at 20 °C

export interface PipeSpec {
  from: number; // node index, 0 is the pump
  to: number;
  lengthM: number;
  material: Material;
}

export class Outlet {
  constructor(
    readonly node: number,
    readonly demandM3s: number,
    readonly elevationM: number,
    readonly minHeadM = 10,
  ) {}
}

function frictionFactor(reynolds: number, relativeRoughness: number): number {
  const inner = relativeRoughness / 3.7 + 5.74 / reynolds ** 0.9;
  return 0.25 / Math.log10(inner) ** 2;
}

function headLoss(pipe: PipeSpec, diameter: number, flow: number): number {
  const area = (Math.PI * diameter * diameter) / 4;
  const velocity = flow / area;
  const re = (velocity * diameter) / KINEMATIC_VISCOSITY;
  const f = frictionFactor(re, ROUGHNESS_M[pipe.material] / diameter);
  return ((f * pipe.lengthM) / diameter) * (velocity * velocity) / (2 * GRAVITY);
}

/** Flow in each pipe of a tree: the demand of every outlet downstream of it. */
function pipeFlows(pipes: PipeSpec[], outlets: Outlet[]): number[] {
  const flows = pipes.map(() => 0);
  for (const outlet of outlets) {
    let node = outlet.node;
    while (node !== 0) {
      const k = pipes.findIndex((p) => p.to === node);
      flows[k] += outlet.demandM3s;
      node = pipes[k].from;
    }
  }
  return flows;
}

export function designCost(diameters: number[], pipes: PipeSpec[], outlets: Outlet[], pumpHeadM = 45): number {
  const flows = pipeFlows(pipes, outlets);
  const heads = new Array<number>(pipes.length + 1).fill(0);
  heads[0] = pumpHeadM;
  // Pipes are listed from the pump outward, so each pipe's upstream head is known.
  pipes.forEach((pipe, k) => {
    heads[pipe.to] = heads[pipe.from] - headLoss(pipe, diameters[k], flows[k]);
  });
  let capital = 0;
  for (const [k, pipe] of pipes.entries()) {
    capital += COST_PER_M_PER_M2[pipe.material] * pipe.lengthM * diameters[k] ** 2;
  }
  const penalty = outlets
    .map((o) => heads[o.node] - o.elevationM - o.minHeadM)
    .reduce((acc, margin) => acc + 1e4 * Math.log1p(Math.exp(-margin)), 0);
  return capital / 1000 + penalty;
}

export const dDiameters = grad(designCost);

const PIPES: PipeSpec[] = [
  { from: 0, to: 1, lengthM: 400, material: Material.DuctileIron },
  { from: 1, to: 2, lengthM: 250, material: Material.Pvc },
  { from: 1, to: 3, lengthM: 300, material: Material.Hdpe },
  { from: 3, to: 4, lengthM: 180, material: Material.Pvc },
];

const OUTLETS = [new Outlet(2, 0.012, 4), new Outlet(3, 0.008, 6, 12), new Outlet(4, 0.01, 9)];

export const cases = [
  { f: designCost, df: dDiameters, args: [[0.2, 0.11, 0.13, 0.1], PIPES, OUTLETS] },
  { f: designCost, df: dDiameters, args: [[0.18, 0.1, 0.12, 0.09], PIPES, OUTLETS, 40] },
];
