// Found by the fuzzer (the "array-methods" gap): (1) a reduce with no initial
// value inside one branch of `?:` declared its accumulator inside the `if` that
// guards it, so the jvp read it out of scope ("m13 is not defined" at run time);
// (2) a Hessian through an array made afresh in each iteration of a loop was
// refused: forward mode knew neither the stack that keeps those arrays for the
// backward sweep (keepArray/restoreArray) nor the zeroed adjoint buffer.
import { grad, hessian, jvp } from "tsgrad";

export function product(a: number[], x: number): number {
  const p = a.length === 0 ? 0 : a.map((v) => Math.tanh(x * v)).reduce((acc, v) => acc * v);
  return p * x;
}

export function layers(x: number[]): number {
  let s = 0;
  for (let k = 0; k < 3; k++) {
    const t = x.map((v) => v * x[0]! * (k + 1));
    s += t.reduce((acc, v) => acc + v * v, 0);
  }
  return s;
}

export const productJvp = jvp(product);
export const productGrad = grad(product, 1);
export const H = hessian(layers);
export const g = grad(layers);
