import { grad } from "tsgrad";
import { springEnergy } from "./physics.js";

export function f(x: number): number {
  return 3 * x ** 2;
}

export function h(u: number, v: number): number {
  return u ** 3 + v ** 2 + 4 * u * v;
}

/** Σ w_i x_i², accumulated in a loop over a Float64Array. */
export function weightedSquares(x: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += w[i]! * x[i]! * x[i]!;
  }
  return s;
}

/** Calls a function of another file. */
export function system(x: number): number {
  return springEnergy(x, 4) + Math.sin(x);
}

/** A gradient computed in this module and exported. */
export const dSystem = grad(system);
