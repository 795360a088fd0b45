// A `this` parameter is not a parameter position: grad(f) is d/dx.
import { grad } from "tsgrad";

function unbound(this: void, x: number): number {
  return x * x;
}

function typedThis(this: number, x: number): number {
  return x * 2;
}

export const dUnbound = () => grad(unbound)(3);
export const dTypedThis = () => grad(typedThis)(3);
