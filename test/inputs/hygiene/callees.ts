// User functions named like generated locals, called from differentiated code.
import { grad } from "tsgrad";

function x_bar(v: number): number {
  return v * v;
}

function _t0(v: number): number {
  return 2 * v + 1;
}

function _d0(v: number): number {
  return Math.sin(v);
}

function result(v: number): number {
  return v * 3;
}

/** Calls x_bar, whose name is the adjoint of x. */
export function usesXBar(x: number): number {
  return x_bar(x) * x;
}

/** y is overwritten (a _t0 save) and _t0 is called on the saved value. */
export function usesT0(x: number): number {
  let y = x * x;
  y = y * _t0(y);
  return y;
}

/** An adjoint read twice (a _d0 local) next to a call of _d0. */
export function usesD0(x: number): number {
  const u = x * 3;
  return _d0(u) * u + u * u;
}

export const dXBar = grad(usesXBar);
export const dT0 = grad(usesT0);
export const dD0 = grad(usesD0);
export const dResult = grad((x: number) => result(x) * x);
