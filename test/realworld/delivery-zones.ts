// Delivery cost per zone: the deliveries of each zone are picked by a loop over
// the zone list, and a zone's van drives out from the depot only when it has
// stops. We differentiate the cost with respect to the depot's position.
import { grad } from "tsgrad";

type Zone = "north" | "east" | "south";

interface Delivery {
  zone: Zone;
  parcels: number;
}

const ZONES: readonly Zone[] = ["north", "east", "south"];
const ZONE_CENTRES: [number, number][] = [
  [0, 10],
  [8, 2],
  [-1, -7],
];

function distance([dx, dy]: [number, number]): number {
  return Math.sqrt(dx * dx + dy * dy + 1e-9);
}

export function routeCost(depot: [number, number], deliveries: Delivery[], perKm = 0.8): number {
  const [x, y] = depot;
  let cost = 0;
  for (let z = 0; z < ZONES.length; z++) {
    const stops = deliveries.filter((d) => d.zone === ZONES[z]);
    const parcels = stops.reduce((sum, d) => sum + d.parcels, 0);
    const [cx, cy] = ZONE_CENTRES[z]!;
    cost += stops.length > 0 ? perKm * distance([cx - x, cy - y]) * (1 + 0.05 * parcels) : 0;
  }
  return cost;
}

const DELIVERIES: Delivery[] = [
  { zone: "north", parcels: 3 },
  { zone: "south", parcels: 5 },
  { zone: "north", parcels: 1 },
];

export const dRoute = grad(routeCost);

export const cases = [
  { f: routeCost, df: dRoute, args: [[1, 1], DELIVERIES] },
  { f: routeCost, df: dRoute, args: [[-2, 4], DELIVERIES, 1.2] },
];
