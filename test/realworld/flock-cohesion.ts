// A small flock: each boid steers toward the flock's centre and keeps its
// speed; the flock is replaced by its next state every step. How does the
// spread after a few seconds depend on the cohesion gain?
import { valueAndGrad } from "tsgrad";

interface Boid {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

const DT = 0.05;

function centre(flock: Boid[]): { x: number; y: number } {
  const sx = flock.reduce((s, b) => s + b.x, 0);
  const sy = flock.reduce((s, b) => s + b.y, 0);
  return { x: sx / flock.length, y: sy / flock.length };
}

export function spreadAfter(cohesion: number, damping: number): number {
  let flock: Boid[] = [
    { x: 0, y: 0, vx: 1, vy: 0 },
    { x: 1, y: 0.5, vx: 0, vy: 1 },
    { x: -0.5, y: 1, vx: -0.5, vy: 0.2 },
    { x: 0.3, y: -1, vx: 0.4, vy: -0.3 },
  ];
  for (let step = 0; step < 40; step++) {
    const c = centre(flock);
    flock = flock.map((b) => {
      const ax = cohesion * (c.x - b.x) - damping * b.vx;
      const ay = cohesion * (c.y - b.y) - damping * b.vy;
      const vx = b.vx + ax * DT;
      const vy = b.vy + ay * DT;
      return { x: b.x + vx * DT, y: b.y + vy * DT, vx, vy };
    });
  }
  const c = centre(flock);
  return flock.reduce((s, b) => s + (b.x - c.x) ** 2 + (b.y - c.y) ** 2, 0) / flock.length;
}

export const spreadAndGrad = valueAndGrad(spreadAfter, [0, 1]);

export const cases = [{ f: spreadAfter, df: spreadAndGrad, args: [0.8, 0.3], wrt: [0, 1], withValue: true }];
