// A smooth reorder-point policy for a small warehouse: every product keeps a
// safety stock proportional to its demand's spread, and the cost combines
// holding cost with a soft stock-out penalty. Which products count as
// perishable comes from a lookup list, and the weekly plan is only charged a
// surcharge when some product runs low.
import { grad } from "tsgrad";

type Category = "dry" | "chilled" | "frozen";

export interface Product {
  sku: string;
  category: Category;
  meanDemand: number;
  demandSpread: number;
  unitCost: number;
}

const PERISHABLE: readonly Category[] = ["chilled", "frozen"];
const HOLDING_RATE = 0.02;

export const PRODUCTS: readonly Product[] = [
  { sku: "A-100", category: "dry", meanDemand: 40, demandSpread: 6, unitCost: 2.5 },
  { sku: "B-220", category: "chilled", meanDemand: 25, demandSpread: 5, unitCost: 4.0 },
  { sku: "C-310", category: "frozen", meanDemand: 12, demandSpread: 3, unitCost: 7.5 },
  { sku: "D-405", category: "dry", meanDemand: 60, demandSpread: 9, unitCost: 1.2 },
];

const softplus = (x: number): number => Math.log1p(Math.exp(x));

export function weeklyCost(safetyFactors: number[], products: readonly Product[]): number {
  let cost = 0;
  const levels = products.map((p, i) => p.meanDemand + safetyFactors[i] * p.demandSpread);
  for (const [i, p] of products.entries()) {
    const spoilage = PERISHABLE.includes(p.category) ? 1.5 : 1;
    const holding = HOLDING_RATE * spoilage * p.unitCost * levels[i];
    const shortage = p.unitCost * p.demandSpread * softplus(-safetyFactors[i]);
    cost += holding + shortage;
  }
  const runsLow = levels.some((level, i) => level < products[i].meanDemand);
  const allCovered = levels.every((level, i) => level >= products[i].meanDemand + products[i].demandSpread);
  if (runsLow) cost *= 1.1;
  if (allCovered) cost += 5;
  const frozenIndex = products.map((p) => p.category).indexOf("frozen");
  if (frozenIndex >= 0) cost += 0.5 * safetyFactors[frozenIndex] ** 2;
  return cost;
}

export const dWeeklyCost = grad(weeklyCost);

export const cases = [{ f: weeklyCost, df: dWeeklyCost, args: [[1.2, 0.8, 1.6, 0.5], PRODUCTS] }];
