// Agronomy: the yield response of wheat to nitrogen on several fields, a
// Mitscherlich curve whose plateau depends on the soil class and whose
// efficiency is cut by waterlogging on heavy soils. The response parameters
// are fitted to trial plots by least squares on tonnes per hectare, with the
// economic optimum dose as a soft target for the agronomist's guess.
import { grad, valueAndGrad } from "tsgrad";

export type Soil = "sand" | "loam" | "clay";

export interface ResponseParams {
  plateau: number; // t/ha on loam
  efficiency: number; // 1/(kg N/ha)
  soilN: number; // kg N/ha already available
}

interface Plot {
  field: string;
  soil: Soil;
  doseKgN: number;
  yieldT: number;
  waterlogged?: boolean;
}

const SOIL_FACTOR: Record<Soil, { plateau: number; uptake: number }> = {
  sand: { plateau: 0.82, uptake: 0.9 },
  loam: { plateau: 1.0, uptake: 1.0 },
  clay: { plateau: 1.08, uptake: 0.85 },
};

const PRICES = { grainPerT: 210, nitrogenPerKg: 1.1 } as const;

export class Field {
  constructor(
    readonly name: string,
    readonly soil: Soil,
    readonly hectares: number,
  ) {}

  get factor(): { plateau: number; uptake: number } {
    return SOIL_FACTOR[this.soil];
  }
}

function expectedYield(p: ResponseParams, soil: Soil, dose: number, waterlogged = false): number {
  const { plateau, uptake } = SOIL_FACTOR[soil];
  const lost = waterlogged ? 0.35 : 0;
  const available = p.soilN + dose * uptake * (1 - lost);
  return p.plateau * plateau * (1 - Math.exp(-p.efficiency * available));
}

/** The dose at which one more kg of N pays exactly its price, from the fitted curve. */
function economicOptimum(p: ResponseParams, field: Field): number {
  const { plateau, uptake } = field.factor;
  const ratio = PRICES.nitrogenPerKg / (PRICES.grainPerT * p.plateau * plateau * p.efficiency * uptake);
  return Math.max(0, -Math.log(ratio) / (p.efficiency * uptake) - p.soilN / uptake);
}

export function trialLoss(p: ResponseParams, plots: Plot[], fields: Field[], guessKgN = 160): number {
  const residuals = plots.map(({ soil, doseKgN, yieldT, waterlogged }) => expectedYield(p, soil, doseKgN, waterlogged) - yieldT);
  const sse = residuals.reduce((s, r) => s + r * r, 0);
  const totalArea = fields.reduce((a, f) => a + f.hectares, 0);
  let optimumPenalty = 0;
  for (const field of fields) {
    const gap = economicOptimum(p, field) - guessKgN;
    optimumPenalty += (field.hectares / totalArea) * (gap / 100) ** 2;
  }
  return sse / plots.length + 0.05 * optimumPenalty;
}

export const dTrial = grad(trialLoss);
export const trialWithGrad = valueAndGrad(trialLoss);

const PLOTS: Plot[] = [
  { field: "north", soil: "loam", doseKgN: 0, yieldT: 4.1 },
  { field: "north", soil: "loam", doseKgN: 120, yieldT: 7.9 },
  { field: "north", soil: "loam", doseKgN: 220, yieldT: 8.7 },
  { field: "river", soil: "clay", doseKgN: 80, yieldT: 7.0, waterlogged: true },
  { field: "river", soil: "clay", doseKgN: 180, yieldT: 9.1 },
  { field: "hill", soil: "sand", doseKgN: 60, yieldT: 5.2 },
  { field: "hill", soil: "sand", doseKgN: 200, yieldT: 7.1 },
];

const FIELDS = [new Field("north", "loam", 12), new Field("river", "clay", 8.5), new Field("hill", "sand", 5)];

export const cases = [
  { f: trialLoss, df: dTrial, args: [{ plateau: 9.5, efficiency: 0.012, soilN: 45 }, PLOTS, FIELDS] },
  { f: trialLoss, df: trialWithGrad, args: [{ plateau: 10.2, efficiency: 0.009, soilN: 30 }, PLOTS, FIELDS, 140], withValue: true },
];
