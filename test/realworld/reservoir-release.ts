// Monthly operation of a hydropower reservoir. Releases are chosen per month;
// storage follows the water balance with evaporation off the surface, spills
// whatever exceeds capacity (smoothly, so the optimiser sees a slope), and
// the plant earns on release times head. Penalties keep the lake above its
// environmental minimum and meet the irrigation demand downstream.
import { valueAndGrad } from "tsgrad";

export interface Month {
  readonly inflow: number; // hm³
  readonly evaporationRate: number; // fraction of surface-related storage lost
  readonly irrigationDemand: number; // hm³
  readonly price: number; // $ per MWh
}

export interface Lake {
  readonly capacity: number;
  readonly minimum: number;
  readonly initial: number;
  readonly headAtEmpty: number; // m
  readonly headPerHm3: number; // m of head per hm³ stored
}

type Balance = [storage: number, spill: number];

const SMOOTH = 2; // hm³: width of the smooth spill and shortfall corners

function smoothPositive(x: number): number {
  return SMOOTH * Math.log1p(Math.exp(x / SMOOTH));
}

function waterBalance(storage: number, release: number, month: Month, lake: Lake): Balance {
  const evaporation = month.evaporationRate * storage ** (2 / 3);
  const tentative = storage + month.inflow - release - evaporation;
  const spill = smoothPositive(tentative - lake.capacity);
  return [tentative - spill, spill];
}

export function negativeValue(releases: number[], months: readonly Month[], lake: Lake): number {
  let storage = lake.initial;
  let revenue = 0;
  let penalty = 0;
  for (const [i, month] of months.entries()) {
    const release = releases[i];
    const head = lake.headAtEmpty + lake.headPerHm3 * storage;
    // 1 hm³ falling 1 m gives about 2.45 MWh at 90% efficiency
    revenue += 2.45 * release * head * month.price;
    const [next, spill] = waterBalance(storage, release, month, lake);
    penalty += 40 * spill;
    penalty += 500 * smoothPositive(lake.minimum - next) ** 2;
    penalty += 300 * smoothPositive(month.irrigationDemand - release) ** 2;
    storage = next;
  }
  // water left at the end is worth something next year
  const carryOver = 0.8 * storage * 2.45 * (lake.headAtEmpty + lake.headPerHm3 * storage) * 50;
  return -(revenue + carryOver) / 1e3 + penalty / 1e3;
}

export const valueAndGradient = valueAndGrad(negativeValue);

const MONTHS: Month[] = [
  { inflow: 60, evaporationRate: 0.3, irrigationDemand: 10, price: 55 },
  { inflow: 85, evaporationRate: 0.4, irrigationDemand: 15, price: 48 },
  { inflow: 40, evaporationRate: 0.7, irrigationDemand: 35, price: 62 },
  { inflow: 20, evaporationRate: 0.9, irrigationDemand: 45, price: 75 },
  { inflow: 15, evaporationRate: 0.8, irrigationDemand: 30, price: 70 },
  { inflow: 30, evaporationRate: 0.5, irrigationDemand: 12, price: 58 },
];

const LAKE: Lake = { capacity: 400, minimum: 120, initial: 250, headAtEmpty: 35, headPerHm3: 0.08 };

export const cases = [
  { f: negativeValue, df: valueAndGradient, args: [[50, 60, 45, 40, 35, 30], MONTHS, LAKE], withValue: true },
  {
    f: negativeValue,
    df: valueAndGradient,
    args: [[20, 30, 60, 70, 50, 25], MONTHS, { ...LAKE, initial: 380 }],
    withValue: true,
  },
];
