// Found by the fuzzer (the "array-methods" gap): (1) a reduce with no initial
// value inside one branch of `?:` declared its accumulator inside the `if` that
// guards it, so the jvp read it out of scope ("m13 is not defined" at run time);
// (2) a Hessian through an array made afresh in each iteration of a loop was
// refused: forward mode knew neither the stack that keeps those arrays for the
// backward sweep (keepArray/restoreArray) nor the zeroed adjoint buffer.
import { grad, hessian, jvp, max } from "tsgrad";

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

// (3) A test `a && b` whose right operand needs loops is kept in a local; inside
// a switch case of a function with a default parameter (a body an earlier pass
// rebuilt) the checker could not type it: "'test' has type 'any'".
export function guarded(a0: Float64Array, x1: number, x2: number = 0.5): number {
  let y = x1;
  switch (7 % 3) {
    case 0: {
      break;
    }
    default: {
      if ((-2 >= a0.reduce((m3, m2, m4) => m3 + (m2 < x1 ? m2 : a0[1]!) / (m4 + 1), x2) - 4 * x1 || max(a0) < x1) && !(0.9 > (a0.length === 0 ? 0 : a0.map((m5) => Math.tanh(m5)).reduce((m6, v) => m6 * v)))) {
        y = y * x1;
      }
    }
  }
  return y;
}
export const guardedGrad = grad(guarded, 1);
