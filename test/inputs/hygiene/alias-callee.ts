// A callee imported under another name, next to a local function that has the
// callee's original name.
import { grad } from "tsgrad";
import { poly as p } from "./model.js";
import { softplus as sp } from "./helpers.js";

function poly(x: number): number {
  return 0 * x;
}

/** The forward sweep needs p(x) (for cos(p(x))): it must call model.ts's poly. */
export function f(x: number): number {
  return Math.sin(p(x)) + poly(x);
}

/** The forward sweep needs sp(x) for exp(sp(x)). */
export function h(x: number): number {
  return Math.exp(sp(x));
}

export const df = grad(f);
export const dh = grad(h);
