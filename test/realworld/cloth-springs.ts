// A strip of cloth as particles joined by springs; the rest pose minimises
// spring energy plus gravity. The particles are plain { x, y } records, the
// springs index pairs, the gradient is the force on each particle.
import { grad } from "tsgrad";

export interface Particle {
  x: number;
  y: number;
}

interface Spring {
  a: number;
  b: number;
  rest: number;
}

const STIFFNESS = 40;
const GRAVITY = 9.81;
const MASS = 0.05;

const SPRINGS: Spring[] = [
  { a: 0, b: 1, rest: 1 },
  { a: 1, b: 2, rest: 1 },
  { a: 2, b: 3, rest: 1 },
  { a: 0, b: 2, rest: 2 },
  { a: 1, b: 3, rest: 2 },
];

export function clothEnergy(particles: Particle[]): number {
  let energy = 0;
  for (const spring of SPRINGS) {
    const p = particles[spring.a];
    const q = particles[spring.b];
    const length = Math.hypot(q.x - p.x, q.y - p.y);
    energy += 0.5 * STIFFNESS * (length - spring.rest) ** 2;
  }
  for (const { y } of particles) {
    energy += MASS * GRAVITY * y;
  }
  return energy;
}

export const clothForces = grad(clothEnergy);

const pose: Particle[] = [
  { x: 0, y: 0 },
  { x: 1.1, y: -0.2 },
  { x: 1.9, y: -0.1 },
  { x: 3.05, y: 0.15 },
];

export const cases = [{ f: clothEnergy, df: clothForces, args: [pose] }];
