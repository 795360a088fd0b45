// Classes: fields, private names, static blocks, getters/setters, methods.
// Some transform calls are differentiable (const arrows inside methods and
// static blocks), some are not (methods, private methods, arrow fields).
import { grad, valueAndGrad } from "tsgrad";

export class Particle {
  static created = 0;
  static dCube = 0;
  static readonly square = (x: number): number => x * x;
  #mass = 2;
  position: number;

  constructor(position: number) {
    this.position = position;
    Particle.created++;
  }

  static {
    const cube = (x: number): number => x * x * x;
    Particle.dCube = grad(cube)(2);
  }

  get mass(): number {
    return this.#mass;
  }

  set mass(m: number) {
    this.#mass = m;
  }

  energy(v: number): number {
    return 0.5 * this.#mass * v * v;
  }

  static kinetic(m: number, v: number): number {
    return 0.5 * m * v * v;
  }

  force(x: number): number {
    const potential = (y: number): number => 3 * y * y;
    return -grad(potential)(x);
  }

  #hidden(x: number): number {
    return x * this.#mass;
  }

  dHidden(x: number): number {
    return grad(this.#hidden)(x);
  }

  dThis(x: number): number {
    return grad((v: number) => this.#mass * v)(x);
  }
}

// Refused calls are wrapped in arrows: left as written, they throw when run.
export const dKinetic = () => grad(Particle.kinetic, 1)(2, 3);
export const dEnergy = () => grad(new Particle(0).energy)(1);
export const dSquare = () => grad(Particle.square)(3);
export const force = new Particle(1).force(2);
export const valueOfCube = valueAndGrad((x: number) => x ** 3)(2);
