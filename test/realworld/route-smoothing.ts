// Smooths a delivery route: waypoints may move, but the route must stay close
// to the surveyed points, keep its first and last stop, and avoid sharp turns.
import { grad } from "tsgrad";

export type Waypoint = [number, number];

export const SURVEYED: readonly Waypoint[] = [
  [0, 0],
  [1.0, 0.4],
  [2.1, 0.2],
  [2.9, 1.1],
  [4.2, 1.0],
  [5.0, 2.0],
];

function turnPenalty(a: Waypoint, b: Waypoint, c: Waypoint): number {
  const [ux, uy] = [b[0] - a[0], b[1] - a[1]];
  const [vx, vy] = [c[0] - b[0], c[1] - b[1]];
  const cos = (ux * vx + uy * vy) / Math.sqrt((ux * ux + uy * uy) * (vx * vx + vy * vy));
  return 1 - cos;
}

export function routeCost(route: Waypoint[], surveyed: readonly Waypoint[], stiffness = 2): number {
  let fidelity = 0;
  for (const i of route.keys()) {
    const [x, y] = route[i];
    const [sx, sy] = surveyed[i];
    fidelity += (x - sx) ** 2 + (y - sy) ** 2;
  }
  let turning = 0;
  for (let i = 1; i + 1 < route.length; i++) turning += turnPenalty(route[i - 1], route[i], route[i + 1]);
  // The depot and the final stop are fixed: pull the ends back hard.
  const last = route.at(-1)!;
  const target = surveyed.at(-1)!;
  const ends = route[0][0] ** 2 + route[0][1] ** 2 + (last[0] - target[0]) ** 2 + (last[1] - target[1]) ** 2;
  return fidelity + stiffness * turning + 100 * ends;
}

export const dRoute = grad(routeCost);

const start = (): Waypoint[] => SURVEYED.map(([x, y], i) => [x + 0.05 * i, y - 0.03 * i]);

export const cases = [{ f: routeCost, df: dRoute, args: [start(), SURVEYED, 2] }];
