// Sizing the round ducts of a small office's supply branches. Each branch
// carries a design airflow over a length with some fittings; the pressure drop
// comes from Darcy–Weisbach with the Swamee–Jain friction factor, and the fan
// must overcome the worst branch. The objective trades the sheet metal of
// bigger ducts against a year of fan energy; the diameters are what we tune.
import { valueAndGrad } from "tsgrad";

export interface Branch {
  readonly name: string;
  readonly airflow: number; // m³/s
  readonly length: number; // m
  readonly fittingK?: number; // summed minor-loss coefficients
}

export interface Tariff {
  electricityPrice: number; // $/kWh
  hoursPerYear: number;
  sheetMetalPrice: number; // $/m² of duct surface
  fanEfficiency: number;
}

const AIR_DENSITY = 1.2;
const AIR_VISCOSITY = 1.8e-5;
const ROUGHNESS = 0.00015; // galvanised steel, m

class Duct {
  constructor(
    readonly diameter: number,
    readonly branch: Branch,
  ) {}

  get area(): number {
    return (Math.PI * this.diameter ** 2) / 4;
  }

  get velocity(): number {
    return this.branch.airflow / this.area;
  }

  get reynolds(): number {
    return (AIR_DENSITY * this.velocity * this.diameter) / AIR_VISCOSITY;
  }

  frictionFactor(): number {
    const term = ROUGHNESS / (3.7 * this.diameter) + 5.74 / this.reynolds ** 0.9;
    return 0.25 / Math.log10(term) ** 2;
  }

  pressureDrop(): number {
    const dynamic = 0.5 * AIR_DENSITY * this.velocity ** 2;
    const { length, fittingK = 0 } = this.branch;
    return dynamic * ((this.frictionFactor() * length) / this.diameter + fittingK);
  }

  get surface(): number {
    return Math.PI * this.diameter * this.branch.length;
  }
}

// a smooth maximum, so the fan pressure is differentiable where two branches tie
function softMax(values: number[], sharpness = 0.05): number {
  const top = Math.max(...values);
  const sum = values.reduce((s, v) => s + Math.exp((v - top) * sharpness), 0);
  return top + Math.log(sum) / sharpness;
}

export function annualCost(diameters: number[], branches: readonly Branch[], tariff: Tariff): number {
  const ducts = branches.map((b, i) => new Duct(diameters[i], b));
  const fanPressure = softMax(ducts.map((d) => d.pressureDrop()));
  const totalFlow = branches.reduce((q, b) => q + b.airflow, 0);
  const fanPowerKw = (fanPressure * totalFlow) / tariff.fanEfficiency / 1000;
  const energy = fanPowerKw * tariff.hoursPerYear * tariff.electricityPrice;
  // sheet metal amortised over 20 years
  const metal = (ducts.reduce((s, d) => s + d.surface, 0) * tariff.sheetMetalPrice) / 20;
  return energy + metal;
}

export const costAndGradient = valueAndGrad(annualCost);

const BRANCHES: Branch[] = [
  { name: "open plan", airflow: 0.45, length: 18, fittingK: 1.8 },
  { name: "meeting room", airflow: 0.2, length: 11, fittingK: 2.4 },
  { name: "kitchen", airflow: 0.12, length: 7 },
  { name: "corner office", airflow: 0.08, length: 23, fittingK: 3.1 },
];

const TARIFF: Tariff = { electricityPrice: 0.22, hoursPerYear: 2600, sheetMetalPrice: 35, fanEfficiency: 0.55 };

export const cases = [
  { f: annualCost, df: costAndGradient, args: [[0.35, 0.25, 0.2, 0.16], BRANCHES, TARIFF], withValue: true },
  {
    f: annualCost,
    df: costAndGradient,
    args: [[0.3, 0.28, 0.18, 0.2], BRANCHES, { ...TARIFF, electricityPrice: 0.35 }],
    withValue: true,
  },
];
