// Aim a projectile with quadratic drag so it lands at a target distance. The
// launch is described by angle and speed; the world by an optional config.
import { grad } from "tsgrad";

interface World {
  gravity: number;
  drag: number;
  dt: number;
}

const EARTH: World = { gravity: 9.81, drag: 0.02, dt: 0.01 };

export function landingDistance(angle: number, speed: number, world: World = EARTH): number {
  let x = 0;
  let y = 0;
  let vx = speed * Math.cos(angle);
  let vy = speed * Math.sin(angle);
  let [px, py] = [x, y];
  let steps = 0;
  while (y >= 0 && steps < 10000) {
    [px, py] = [x, y];
    const v = Math.hypot(vx, vy);
    vx -= world.drag * v * vx * world.dt;
    vy -= (world.gravity + world.drag * v * vy) * world.dt;
    x += vx * world.dt;
    y += vy * world.dt;
    steps++;
  }
  // Interpolate between the last two points to where the path crosses y = 0.
  return px + ((x - px) * py) / (py - y);
}

export function aimLoss(angle: number, speed: number, target: number): number {
  return (landingDistance(angle, speed) - target) ** 2;
}

export const dAim = grad(aimLoss, [0, 1]);

export const cases = [{ f: aimLoss, df: dAim, args: [0.7, 12.0, 10.0], wrt: [0, 1] }];
