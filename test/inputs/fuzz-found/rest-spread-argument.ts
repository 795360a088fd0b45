// A rest helper called with an argument that itself spreads an array
// (`f0(a[0], Math.max(...a))`): the array literal of its arguments was typed as
// its first element, a number, once the spread inside it was rewritten, and the
// call was refused ("this value is not an array of numbers").
import { grad } from "tsgrad";

function product(...xs: number[]): number {
  return xs[0]! * xs[1]!;
}
export function f(a: Float64Array): number {
  return product(a[0]!, Math.max(...a));
}
export const df = grad(f);
export function inLoop(a: number[]): number {
  let s = a[0]!;
  for (let i = 0; i < 3; i++) s = s + product(s, Math.min(...a), Math.hypot(...a));
  return s;
}
export const dInLoop = grad(inLoop);
