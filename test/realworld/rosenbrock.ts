// The extended Rosenbrock function, as written for an optimizer benchmark.
import { grad } from "tsgrad";

export function rosenbrock(x: number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length - 1; i++) {
    sum += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  }
  return sum;
}

export const dRosenbrock = grad(rosenbrock);

export const cases = [
  { f: rosenbrock, df: dRosenbrock, args: [[-1.2, 1.0, 0.8, 1.1]] },
  { f: rosenbrock, df: dRosenbrock, args: [[1, 1, 1]] },
];
