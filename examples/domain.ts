// The seed's domain example: y = 10x³ over linspace(-10, 10, 100), its
// derivative 30x² three ways (through sum(map(...)), element-wise with
// map(x, grad(...)), and through a plain loop), plotted by `npm run examples`.
import { grad, linspace, map, sum } from "tsgrad";

export const x = linspace(-10, 10, 100);

/** The scalar whose gradient is the element-wise derivative: sum of 10 x_i³. */
export function total(x: Float64Array): number {
  return sum(map(x, (xi) => 10 * xi ** 3));
}

export function cube(xi: number): number {
  return 10 * xi ** 3;
}

/** The same sum with a plain loop over number[]. */
export function totalByLoop(xs: number[]): number {
  let s = 0;
  for (const v of xs) s += 10 * v ** 3;
  return s;
}

export const y = map(x, cube);
export const viaSum = grad(total)(x);
export const viaMap = map(x, grad(cube));
export const viaLoop = grad(totalByLoop)(Array.from(x));

export function main(): void {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const exact = 30 * x[i]! ** 2;
    worst = Math.max(worst, Math.abs(viaSum[i]! - exact), Math.abs(viaMap[i]! - exact), Math.abs(viaLoop[i]! - exact));
  }
  const show = (i: number) => `x = ${x[i]!.toFixed(4).padStart(8)}   y = ${y[i]!.toFixed(2).padStart(9)}   dy/dx = ${viaSum[i]!.toFixed(4).padStart(9)}`;
  for (const i of [0, 25, 50, 99]) console.log(show(i));
  console.log(`largest difference from 30x² over the 100 points, all three routes: ${worst.toExponential(2)}`);
}
