// Found by the fuzzer: a Hessian through a call that takes an array depending on
// x. Forward mode took the tangent of the callee's vjp (an array) for zero, so the
// second-order term through the call was lost: hessian(h)([1.18]) gave
// [[5.5696]] instead of [[16.7088]] (d²/dx² of x⁴ = 12x²).
import { grad, hessian } from "tsgrad";

function square(a: number[]): number {
  return a[1]! * a[1]!;
}

export function h(x: number[]): number {
  const b = [x[0]!, -x[0]! * x[0]!];
  return square(b);
}

export const H = hessian(h);
export const g = grad(h);
