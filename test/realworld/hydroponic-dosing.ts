// Mixing a hydroponic nutrient tank from stock solutions. Each stock bottle
// carries some ppm of nitrogen, phosphorus, potassium, calcium and magnesium
// per millilitre added to a litre; the grower doses millilitres per litre so
// the tank hits the crop's recipe and its electrical conductivity (EC), a
// weighted sum of the ions, stays in range for the growth stage.
import { grad } from "tsgrad";

type Nutrient = "N" | "P" | "K" | "Ca" | "Mg";

const NUTRIENTS: readonly Nutrient[] = ["N", "P", "K", "Ca", "Mg"];

export interface Stock {
  readonly label: string;
  readonly ppmPerMl: Partial<Record<Nutrient, number>>;
  readonly pricePerLitre: number;
}

export interface Stage {
  readonly name: "seedling" | "vegetative" | "flowering";
  readonly recipe: Record<Nutrient, number>; // target ppm
  readonly ecRange: [low: number, high: number]; // mS/cm
}

// mS/cm contributed per ppm of each element (approximate, from the salts used)
const EC_PER_PPM: Record<Nutrient, number> = { N: 0.0025, P: 0.0012, K: 0.0018, Ca: 0.0022, Mg: 0.002 };

function tankPpm(doses: number[], stocks: readonly Stock[]): Record<Nutrient, number> {
  const totals: Record<Nutrient, number> = { N: 0, P: 0, K: 0, Ca: 0, Mg: 0 };
  stocks.forEach((stock, i) => {
    for (const n of NUTRIENTS) totals[n] += doses[i] * (stock.ppmPerMl[n] ?? 0);
  });
  return totals;
}

export function dosingLoss(doses: number[], stocks: readonly Stock[], stage: Stage): number {
  const ppm = tankPpm(doses, stocks);
  const recipeError = NUTRIENTS.reduce((sum, n) => {
    const relative = (ppm[n] - stage.recipe[n]) / stage.recipe[n];
    return sum + relative ** 2;
  }, 0);
  const ec = NUTRIENTS.reduce((sum, n) => sum + ppm[n] * EC_PER_PPM[n], 0);
  const [low, high] = stage.ecRange;
  const ecPenalty = ec < low ? (low - ec) ** 2 : ec > high ? (ec - high) ** 2 : 0;
  const cost = doses.reduce((sum, ml, i) => sum + (ml / 1000) * stocks[i].pricePerLitre, 0);
  return recipeError + 10 * ecPenalty + 0.01 * cost;
}

export const dDoses = grad(dosingLoss);

const STOCKS: Stock[] = [
  { label: "Part A (calcium nitrate)", ppmPerMl: { N: 60, Ca: 75 }, pricePerLitre: 12 },
  { label: "Part B (MKP + potassium sulfate)", ppmPerMl: { P: 25, K: 80 }, pricePerLitre: 15 },
  { label: "Epsom", ppmPerMl: { Mg: 40 }, pricePerLitre: 6 },
  { label: "Grow booster", ppmPerMl: { N: 45, K: 20, Mg: 5 }, pricePerLitre: 22 },
];

const VEG: Stage = {
  name: "vegetative",
  recipe: { N: 200, P: 50, K: 220, Ca: 180, Mg: 50 },
  ecRange: [1.6, 2.0],
};

const FLOWER: Stage = {
  name: "flowering",
  recipe: { N: 150, P: 70, K: 300, Ca: 160, Mg: 60 },
  ecRange: [1.8, 2.2],
};

export const cases = [
  { f: dosingLoss, df: dDoses, args: [[2.2, 2.5, 1.2, 1.5], STOCKS, VEG] },
  { f: dosingLoss, df: dDoses, args: [[1.8, 3.4, 1.5, 0.8], STOCKS, FLOWER] },
];
