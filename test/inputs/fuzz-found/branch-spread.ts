// Fuzz seed 20240611 #340: `c ? sum of kept : product(...a, ...a)`. The array
// joining the spread arguments was made inside the else branch's block and the
// call read it after the block: the jvp threw "joined is not defined".
import { grad, jvp } from "tsgrad";
import { product } from "./branch-spread-lib.js";

export function f(x: number, a: number[], w: number): number {
  const v = a.some((m) => m > 0)
    ? a.filter((m) => m > 0).reduce((s, m) => s + w * m, 0)
    : product(...a, ...a);
  return x + 0.25 * v;
}

export const df = jvp(f);
export const g = grad(f, [0, 1, 2]);

// The same through `&&`: the joined array is made only when x > 0.
export function h(x: number, a: number[]): number {
  const big = x > 0 && product(...a, ...a) > 1;
  return big ? x * a[0]! : x + a[1]!;
}

export const dh = jvp(h);
