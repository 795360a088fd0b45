// A satellite around a fixed mass with leapfrog integration; vectors are
// { x, y } records built by small helpers that return new objects.
import { grad } from "tsgrad";

interface Vec {
  x: number;
  y: number;
}

const vec = (x: number, y: number): Vec => ({ x, y });
const plus = (a: Vec, b: Vec): Vec => vec(a.x + b.x, a.y + b.y);
const times = (a: Vec, s: number): Vec => vec(a.x * s, a.y * s);

function gravity(p: Vec, mu: number): Vec {
  const r = Math.hypot(p.x, p.y);
  return times(p, -mu / (r * r * r));
}

export function missDistance(launch: Vec, mu = 1.0, steps = 100, dt = 0.02): number {
  let pos = vec(1, 0);
  let vel = launch;
  for (let i = 0; i < steps; i++) {
    vel = plus(vel, times(gravity(pos, mu), dt / 2));
    pos = plus(pos, times(vel, dt));
    vel = plus(vel, times(gravity(pos, mu), dt / 2));
  }
  const target = vec(0, 1);
  return Math.hypot(pos.x - target.x, pos.y - target.y);
}

export const dMiss = grad(missDistance);

export const cases = [{ f: missDistance, df: dMiss, args: [{ x: 0.05, y: 1.02 }] }];
