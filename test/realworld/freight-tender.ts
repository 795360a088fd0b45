// Splitting a season's freight volume between carriers in a tender. The share
// each carrier wins is a softmax of bid scores kept by carrier id; the carriers'
// terms (rate per tonne-km, fuel surcharge, reliability, capacity, mode) come
// from a Map that the procurement system loads, and emissions per mode from a
// fixed table. The objective is freight cost plus a carbon price, a penalty for
// late deliveries and a soft penalty for booking past a carrier's capacity.
import { grad } from "tsgrad";

type Mode = "truck" | "rail" | "barge";

export interface Carrier {
  readonly name: string;
  readonly ratePerTonneKm: number;
  readonly fuelSurcharge: number;
  readonly onTimeRate: number;
  readonly capacityTonnes: number;
  readonly mode: Mode;
}

export interface Lane {
  readonly distanceKm: number;
  readonly tonnes: number;
  readonly carbonPrice: number;
  readonly latePenaltyPerTonne: number;
}

/** kg CO2 per tonne-km by mode. */
const EMISSIONS = new Map<Mode, { readonly kgPerTonneKm: number }>([
  ["truck", { kgPerTonneKm: 0.062 }],
  ["rail", { kgPerTonneKm: 0.022 }],
  ["barge", { kgPerTonneKm: 0.031 }],
]);

const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));

export function tenderCost(
  bids: Map<string, number>,
  carriers: ReadonlyMap<string, Carrier>,
  lane: Lane,
): number {
  const top = Math.max(...bids.values());
  let norm = 0;
  for (const b of bids.values()) norm += Math.exp(b - top);

  let cost = 0;
  for (const [id, bid] of bids) {
    const carrier = carriers.get(id);
    if (!carrier) throw new Error(`no terms for carrier ${id}`);
    const share = Math.exp(bid - top) / norm;
    const tonnes = share * lane.tonnes;
    const freight =
      tonnes *
      lane.distanceKm *
      carrier.ratePerTonneKm *
      (1 + carrier.fuelSurcharge);
    const kg =
      tonnes *
      lane.distanceKm *
      (EMISSIONS.get(carrier.mode)?.kgPerTonneKm ?? 0.062);
    const late = tonnes * (1 - carrier.onTimeRate) * lane.latePenaltyPerTonne;
    const overflow = softplus((tonnes - carrier.capacityTonnes) / 10) * 10;
    cost += freight + (kg / 1000) * lane.carbonPrice + late + 50 * overflow;
  }
  return cost / lane.tonnes;
}

export const dTenderCost = grad(tenderCost);

const CARRIERS = new Map<string, Carrier>([
  [
    "NRTH",
    {
      name: "Northline Haulage",
      ratePerTonneKm: 0.085,
      fuelSurcharge: 0.12,
      onTimeRate: 0.93,
      capacityTonnes: 400,
      mode: "truck",
    },
  ],
  [
    "RLX",
    {
      name: "RailExpress",
      ratePerTonneKm: 0.041,
      fuelSurcharge: 0.05,
      onTimeRate: 0.86,
      capacityTonnes: 900,
      mode: "rail",
    },
  ],
  [
    "RIVR",
    {
      name: "River Freight Co",
      ratePerTonneKm: 0.033,
      fuelSurcharge: 0.04,
      onTimeRate: 0.78,
      capacityTonnes: 300,
      mode: "barge",
    },
  ],
  [
    "SWFT",
    {
      name: "Swift Logistics",
      ratePerTonneKm: 0.092,
      fuelSurcharge: 0.15,
      onTimeRate: 0.97,
      capacityTonnes: 250,
      mode: "truck",
    },
  ],
]);

const BIDS = new Map<string, number>([
  ["NRTH", 0.4],
  ["RLX", 0.9],
  ["RIVR", -0.3],
  ["SWFT", 0.1],
]);

const LANE: Lane = {
  distanceKm: 620,
  tonnes: 1200,
  carbonPrice: 85,
  latePenaltyPerTonne: 14,
};

export const cases = [
  { f: tenderCost, df: dTenderCost, args: [BIDS, CARRIERS, LANE] },
  {
    f: tenderCost,
    df: dTenderCost,
    args: [
      new Map([
        ["RLX", 1.5],
        ["RIVR", 0.2],
      ]),
      CARRIERS,
      { ...LANE, tonnes: 2000, carbonPrice: 140 },
    ],
  },
];
