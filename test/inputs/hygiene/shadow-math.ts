// A file-level `Math` that is not the built-in: its members are not the
// built-in functions, and generated code must not call them either.
import { grad } from "tsgrad";

const Math = {
  ...globalThis.Math,
  sin: (v: number): number => 2 * v,
  log: (v: number): number => globalThis.Math.log2(v),
  trunc: (v: number): number => globalThis.Math.round(v),
};

/** Math.sin here is the user's 2v, not the sine. */
export function usesSin(x: number): number {
  return Math.sin(x);
}

/** d(a ** b)/db = a ** b * ln a: needs the real natural logarithm. */
export function power(a: number, b: number): number {
  return a ** b;
}

/** d(a % b)/db = -trunc(a / b): needs the real trunc. */
export function remainder(a: number, b: number): number {
  return a % b;
}

// Wrapped in arrows: a refused call is left as written and throws when run.
export const dSin = () => grad(usesSin);
export const dPower = () => grad(power, 1);
export const dRemainder = () => grad(remainder, 1);
