// Particles as a small class with a kinetic-energy getter and a method that
// advances them in a uniform field; the total energy after a few steps is
// differentiated with respect to the field strength.
import { grad } from "tsgrad";

class Particle {
  constructor(
    public x: number,
    public v: number,
    public readonly mass: number,
  ) {}

  get kinetic(): number {
    return 0.5 * this.mass * this.v * this.v;
  }

  advance(field: number, dt: number): Particle {
    const v = this.v + (field / this.mass) * dt;
    return new Particle(this.x + v * dt, v, this.mass);
  }
}

export function energyAfter(field: number, steps = 10): number {
  let particles = [new Particle(0, 1, 1), new Particle(1, -0.5, 2), new Particle(-1, 0.2, 0.5)];
  for (let s = 0; s < steps; s++) {
    particles = particles.map((p) => p.advance(field, 0.1));
  }
  return particles.reduce((e, p) => e + p.kinetic + field * p.x, 0);
}

export const dEnergy = grad(energyAfter);

export const cases = [{ f: energyAfter, df: dEnergy, args: [0.7] }];
