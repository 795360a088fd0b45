// Gravitational potential energy of a few bodies in the plane, with softening;
// bodies are { x, y } records and masses a separate array.
import { grad } from "tsgrad";

export interface Body {
  x: number;
  y: number;
}

const G = 1.0;
const SOFTENING = 0.01;

export function potential(bodies: Body[], masses: number[]): number {
  let energy = 0;
  for (let i = 0; i < bodies.length; i++) {
    for (let j = i + 1; j < bodies.length; j++) {
      const dx = bodies[i].x - bodies[j].x;
      const dy = bodies[i].y - bodies[j].y;
      const r = Math.sqrt(dx * dx + dy * dy + SOFTENING * SOFTENING);
      energy -= (G * masses[i] * masses[j]) / r;
    }
  }
  return energy;
}

export const dPotential = grad(potential);

const bodies: Body[] = [
  { x: 0, y: 0 },
  { x: 1, y: 0.2 },
  { x: -0.4, y: 0.9 },
  { x: 0.5, y: -1.1 },
];

export const cases = [{ f: potential, df: dPotential, args: [bodies, [1.0, 0.5, 0.8, 0.3]] }];
