// Retail: calibrating one demand curve across stores that opened at different
// times, so each has its own number of weeks of sales history. Each week's
// sales are predicted from a shared price elasticity and a per-store scale;
// the loss is the relative error per store, averaged so a long history does
// not outweigh a new store, plus a penalty that keeps the chain-wide average
// prediction near the chain-wide average sales.
import { grad } from "tsgrad";

export interface DemandModel {
  elasticity: number;
  scales: number[]; // one per store
}

interface Week {
  price: number;
  sold: number;
}

function average(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function relativeError(predicted: number[], actual: number[]): number {
  let total = 0;
  predicted.forEach((p, k) => {
    total += ((p - actual[k]) / actual[k]) ** 2;
  });
  return total / predicted.length;
}

export function demandLoss(
  model: DemandModel,
  history: Week[][],
  referencePrice: number,
): number {
  const predicted = history.map((weeks, store) =>
    weeks.map(
      ({ price }) =>
        model.scales[store] * (price / referencePrice) ** -model.elasticity,
    ),
  );
  const sold = history.map((weeks) => weeks.map((w) => w.sold));
  const perStore = predicted.map((p, store) => relativeError(p, sold[store]));
  const chainGap = average(predicted.flat()) - average(sold.flat());
  return average(perStore) + 0.001 * chainGap ** 2;
}

export const dDemand = grad(demandLoss);

const HISTORY: Week[][] = [
  [
    { price: 4.5, sold: 210 },
    { price: 4.2, sold: 236 },
    { price: 4.8, sold: 188 },
    { price: 4.0, sold: 251 },
    { price: 4.4, sold: 219 },
  ],
  [
    { price: 4.6, sold: 140 },
    { price: 4.1, sold: 171 },
  ],
  [
    { price: 4.3, sold: 320 },
    { price: 4.9, sold: 262 },
    { price: 4.5, sold: 301 },
    { price: 3.9, sold: 368 },
  ],
];

export const cases = [
  {
    f: demandLoss,
    df: dDemand,
    args: [{ elasticity: 1.4, scales: [220, 150, 300] }, HISTORY, 4.4],
  },
  {
    f: demandLoss,
    df: dDemand,
    args: [{ elasticity: 0.9, scales: [200, 170, 280] }, HISTORY, 4.2],
  },
];
