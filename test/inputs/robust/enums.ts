// Regular and const enums read inside differentiated code.
import { grad } from "tsgrad";
import { Mode } from "./enums-plain.js";

export const enum Scale {
  Two = 2,
  Three = 3,
}

export function scaled(x: number): number {
  return x * Scale.Two;
}

export function byMode(x: number, mode: Mode): number {
  if (mode === Mode.Linear) return x;
  return x * x;
}

/** An enum value passed in as a number parameter is just a number. */
export function weighted(x: number, w: Scale): number {
  return x * w;
}

export const dScaled = () => grad(scaled)(1);
export const dByMode = () => grad(byMode)(2, Mode.Quadratic);
export const dWeighted = grad(weighted)(2, Scale.Three);
