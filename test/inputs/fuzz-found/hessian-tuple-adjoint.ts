// Found by the fuzzer: a Hessian through a callee of a number and an array, whose
// vjp returns the array's adjoint inside a tuple. Forward mode took that array's
// tangent for zero (later: refused it), losing the term through the array.
import { grad, hessian } from "tsgrad";

function q(s: number, a: number[]): number {
  return s * a[1]! * a[1]!;
}

export function h(x: number[]): number {
  const b = [x[0]!, x[0]! * x[1]!];
  return q(x[0]!, b);
}

export const H = hessian(h);
export const g = grad(h);
