// Profit of a store's price list under a constant-elasticity demand model with
// cross-price effects inside a category. Each product belongs to an enum
// category whose elasticity, seasonality and handling cost come from a switch;
// prices are the differentiated input (the gradient is what a pricing team's
// optimiser steps along).
import { valueAndGrad } from "tsgrad";

export enum Category {
  Grocery,
  Electronics,
  Apparel,
  Seasonal,
}

const enum Season {
  Spring = "spring",
  Summer = "summer",
  Autumn = "autumn",
  Winter = "winter",
}

export interface Product {
  readonly sku: string;
  readonly category: Category;
  readonly unitCost: number;
  readonly baseDemand: number;
  readonly referencePrice: number;
}

function elasticity(category: Category): number {
  switch (category) {
    case Category.Grocery:
      return -0.6;
    case Category.Electronics:
      return -1.8;
    case Category.Apparel:
    case Category.Seasonal:
      return -1.3;
    default:
      throw new Error(`unknown category ${category}`);
  }
}

function seasonalFactor(category: Category, season: Season): number {
  if (category !== Category.Seasonal && category !== Category.Apparel) return 1;
  switch (season) {
    case Season.Winter:
      return category === Category.Seasonal ? 2.5 : 1.2;
    case Season.Summer:
      return 0.7;
    default:
      return 1;
  }
}

const handlingCost = (category: Category): number => (category === Category.Electronics ? 4 : 0.5);

const CROSS_ELASTICITY = 0.2;

export function negativeProfit(prices: number[], catalog: readonly Product[], season: Season = Season.Winter): number {
  let profit = 0;
  catalog.forEach((product, i) => {
    const { category, unitCost, baseDemand, referencePrice } = product;
    const own = (prices[i] / referencePrice) ** elasticity(category);
    // substitutes: other products of the same category that got cheaper pull demand away
    const cross = catalog.reduce(
      (factor, other, j) =>
        j !== i && other.category === category ? factor * (prices[j] / other.referencePrice) ** CROSS_ELASTICITY : factor,
      1,
    );
    const demand = baseDemand * own * cross * seasonalFactor(category, season);
    profit += demand * (prices[i] - unitCost - handlingCost(category));
  });
  return -profit;
}

export const profitAndGradient = valueAndGrad(negativeProfit);

const CATALOG: Product[] = [
  { sku: "MILK-1L", category: Category.Grocery, unitCost: 0.6, baseDemand: 500, referencePrice: 1.2 },
  { sku: "BREAD", category: Category.Grocery, unitCost: 0.9, baseDemand: 300, referencePrice: 2.5 },
  { sku: "EARBUDS", category: Category.Electronics, unitCost: 18, baseDemand: 40, referencePrice: 49 },
  { sku: "SCARF", category: Category.Apparel, unitCost: 6, baseDemand: 60, referencePrice: 19 },
  { sku: "SLED", category: Category.Seasonal, unitCost: 25, baseDemand: 12, referencePrice: 79 },
];

export const cases = [
  { f: negativeProfit, df: profitAndGradient, args: [[1.3, 2.4, 52, 21, 85], CATALOG], withValue: true },
  {
    f: negativeProfit,
    df: profitAndGradient,
    args: [[1.1, 2.7, 45, 17, 70], CATALOG, Season.Summer],
    withValue: true,
  },
];
