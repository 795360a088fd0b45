// A delivery route through depots: each leg is a record of tuples (from, to)
// with a nested via point, and the cost of a stop is looked up in a price list
// by the stop's name, with a default for stops the list does not know.
import { grad } from "tsgrad";

type Point = [number, number];

export interface Leg {
  from: Point;
  to: Point;
  via: { at: Point; pull: number };
}

interface Fee {
  stop: string;
  perKm: number;
}

const FEES: readonly Fee[] = [
  { stop: "harbour", perKm: 1.4 },
  { stop: "market", perKm: 0.9 },
];

const DEFAULT_FEE = 1.1;

const dist = ([ax, ay]: Point, [bx, by]: Point): number => Math.hypot(bx - ax, by - ay);

function legCost(leg: Leg, stop: string): number {
  const perKm = FEES.find((f) => f.stop === stop)?.perKm ?? DEFAULT_FEE;
  const { at, pull } = leg.via;
  const length = dist(leg.from, at) + dist(at, leg.to),
    detour = length - dist(leg.from, leg.to);
  return perKm * length + pull * detour * detour;
}

export function routeCost(leg: Leg, stops: string[]): number {
  let cost = 0;
  for (const stop of stops) cost += legCost(leg, stop);
  return cost;
}

export const dRoute = grad(routeCost);

export const cases = [
  {
    f: routeCost,
    df: dRoute,
    args: [{ from: [0, 0], to: [4, 1], via: { at: [2, 1.5], pull: 0.3 } }, ["harbour", "depot", "market"]],
  },
];
