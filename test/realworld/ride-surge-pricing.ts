// Surge multipliers for a ride-hailing market, zone by zone. Riders drop off
// as the price rises (a logistic demand curve); drivers are drawn in by the
// surge from neighbouring zones, and completed trips are the smooth minimum of
// riders and drivers. The platform maximises take-rate revenue and pays a
// reputational cost for high surges.
import { valueAndGrad } from "tsgrad";

export interface Zone {
  readonly name: string;
  readonly baseFare: number;
  readonly riders: number; // ride requests per hour at a surge of 1
  readonly priceSensitivity: number;
  readonly drivers: number; // idle drivers per hour at a surge of 1
  readonly neighbours: readonly number[]; // indices of adjacent zones
}

export interface Market {
  takeRate: number;
  driverResponse: number; // elasticity of driver supply to the surge
  migration: number; // share of a zone's drivers that react to a neighbour's surge
  surgeAversion: number;
}

function smoothMin(a: number, b: number, k = 5): number {
  // -k log(e^{-a/k} + e^{-b/k}), written to stay finite for large trip counts
  const m = Math.min(a, b);
  return m - k * Math.log(Math.exp((m - a) / k) + Math.exp((m - b) / k));
}

function demand(zone: Zone, surge: number): number {
  const fare = zone.baseFare * surge;
  return (zone.riders * 2) / (1 + Math.exp(zone.priceSensitivity * (fare - zone.baseFare)));
}

export function negativeRevenue(surges: number[], zones: Zone[], market: Market): number {
  const supply = zones.map((z, i) => z.drivers * surges[i] ** market.driverResponse);
  // drivers drift toward a neighbour whose surge is higher than ours
  const drift = zones.map((z, i) =>
    z.neighbours.reduce((flow, j) => flow + market.migration * supply[j] * Math.tanh(surges[i] - surges[j]), 0),
  );
  let revenue = 0;
  let aversion = 0;
  zones.forEach((zone, i) => {
    const trips = smoothMin(demand(zone, surges[i]), supply[i] + drift[i]);
    revenue += market.takeRate * trips * zone.baseFare * surges[i];
    aversion += market.surgeAversion * zone.riders * (surges[i] - 1) ** 2;
  });
  return aversion - revenue;
}

export const revenueAndGradient = valueAndGrad(negativeRevenue);

const ZONES: Zone[] = [
  { name: "downtown", baseFare: 14, riders: 400, priceSensitivity: 0.12, drivers: 250, neighbours: [1, 2] },
  { name: "airport", baseFare: 38, riders: 150, priceSensitivity: 0.05, drivers: 90, neighbours: [0] },
  { name: "stadium", baseFare: 11, riders: 600, priceSensitivity: 0.15, drivers: 120, neighbours: [0] },
  { name: "suburbs", baseFare: 18, riders: 80, priceSensitivity: 0.09, drivers: 110, neighbours: [] },
];

const MARKET: Market = { takeRate: 0.25, driverResponse: 0.8, migration: 0.1, surgeAversion: 0.5 };

export const cases = [
  { f: negativeRevenue, df: revenueAndGradient, args: [[1.3, 1.1, 1.8, 1], ZONES, MARKET], withValue: true },
  {
    f: negativeRevenue,
    df: revenueAndGradient,
    args: [[1.1, 1.4, 2.2, 0.9], ZONES, { ...MARKET, migration: 0.25 }],
    withValue: true,
  },
];
