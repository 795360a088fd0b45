// Dialing in an espresso recipe. The grind is a mix of particle sizes; each
// size class releases its soluble mass with first-order kinetics whose rate
// falls with the square of the radius. From dose, water and contact time we
// get the extraction yield and the strength (TDS) of the cup; the loss is how
// far both are from the café's target, in the units baristas use.
import { grad } from "tsgrad";

export interface SizeClass {
  fraction: number; // share of the dose by mass
  radiusMicrons: number;
}

export interface Recipe {
  doseGrams: number;
  waterGrams: number;
  seconds: number;
  temperature?: number; // °C
}

export type Target = { yieldPercent: number; tdsPercent: number };

const SOLUBLE_SHARE = 0.3; // at most 30% of the coffee mass dissolves
const RETAINED_WATER = 1; // grams of water kept in the puck per gram of coffee

function rateFor(radiusMicrons: number, temperature: number): number {
  // diffusion speeds up about 3% per degree above 90 °C
  const thermal = Math.exp(0.03 * (temperature - 90));
  return (thermal * 900) / radiusMicrons ** 2;
}

function extracted({ doseGrams, seconds, temperature = 93 }: Recipe, grind: readonly SizeClass[]): number {
  return grind
    .map(({ fraction, radiusMicrons }) => {
      const k = rateFor(radiusMicrons, temperature);
      return fraction * doseGrams * SOLUBLE_SHARE * (1 - Math.exp(-k * seconds));
    })
    .reduce((a, b) => a + b, 0);
}

function cupStats(recipe: Recipe, grind: readonly SizeClass[]): [yieldPercent: number, tdsPercent: number] {
  const solubles = extracted(recipe, grind);
  const beverage = recipe.waterGrams - RETAINED_WATER * recipe.doseGrams + solubles;
  return [(100 * solubles) / recipe.doseGrams, (100 * solubles) / beverage];
}

export function recipeLoss(recipe: Recipe, grind: readonly SizeClass[], target: Target): number {
  const [yieldPercent, tds] = cupStats(recipe, grind);
  if (recipe.seconds <= 0) return Infinity;
  const yieldError = (yieldPercent - target.yieldPercent) / 2;
  const tdsError = (tds - target.tdsPercent) / 0.5;
  // a mild preference for shots that are not too long
  const timePenalty = 0.001 * (recipe.seconds - 28) ** 2;
  return yieldError ** 2 + tdsError ** 2 + timePenalty;
}

export const dRecipe = grad(recipeLoss);

const GRIND: SizeClass[] = [
  { fraction: 0.15, radiusMicrons: 40 },
  { fraction: 0.55, radiusMicrons: 150 },
  { fraction: 0.3, radiusMicrons: 300 },
];

const TARGET: Target = { yieldPercent: 20, tdsPercent: 9 };

export const cases = [
  { f: recipeLoss, df: dRecipe, args: [{ doseGrams: 18, waterGrams: 54, seconds: 27 }, GRIND, TARGET] },
  {
    f: recipeLoss,
    df: dRecipe,
    args: [
      { doseGrams: 20, waterGrams: 60, seconds: 31, temperature: 95 },
      GRIND,
      { yieldPercent: 21, tdsPercent: 8.5 },
    ],
  },
];
