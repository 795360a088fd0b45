// Benchmark workload 2, Rosenbrock: plain TypeScript over Float64Array, differentiated
// by the tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad, valueAndGrad } from "tsgrad";

// Rosenbrock: sum over i of 100 (x[i+1] - x[i]²)² + (1 - x[i])².

export function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    s += 100 * a * a + b * b;
  }
  return s;
}

export const rosenbrockGrad = grad(rosenbrock);

// The same gradient written into a buffer the caller passes (a training loop allocates nothing per step).
export const rosenbrockGradInto = grad(rosenbrock, 0, { into: true });
export const rosenbrockValueAndGradInto = valueAndGrad(rosenbrock, 0, { into: true });
