// GradBench eval `hello`: square(x) = x², double(x) = d/dx square = 2x.
// The input is a bare number, and there are no min_runs / min_seconds.
import { grad } from "tsgrad";
import type { GradBenchModule } from "../protocol.mjs";

export function square(x: number): number {
  return x * x;
}

const double = grad(square);

export const hello: GradBenchModule = {
  square: (x: number) => ({ run: () => square(x), output: (y: number) => y }),
  double: (x: number) => ({ run: () => double(x), output: (y: number) => y }),
};
