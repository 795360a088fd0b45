// A user function called `grad` that is not tsgrad's, and tsgrad's transforms
// imported under other names.
import { grad as g, valueAndGrad as vg } from "tsgrad";

function grad(x: number): number {
  return 10 * x;
}

function f(x: number): number {
  return grad(x) * x;
}

export const userGrad = grad(2);
export const df = g(f);
export const vgf = vg(f);
export const d2f = g(g(f));
