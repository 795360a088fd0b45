// GradBench eval `lse`: LSE(x) = a + log Σ exp(x_i - a) with a = max x,
// written from its primitives (a max loop and a sum loop) and differentiated by tsgrad.
// The shift a is under stopGradient, as in JAX's logsumexp: it cancels in the value, so
// its derivative is 1 − Σ softmax, zero but for rounding, which would all land on the
// argmax element. Without it the gradient is exactly the softmax.
import { grad, stopGradient } from "tsgrad";
import type { GradBenchModule } from "../protocol.mjs";
import { floats } from "./json.mjs";

export function logSumExpPrimal(x: Float64Array): number {
  let max = x[0]!;
  for (let i = 1; i < x.length; i++) max = Math.max(max, x[i]!);
  const a = stopGradient(max);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]! - a);
  return Math.log(s) + a;
}

// The gradient is written into a buffer kept across runs, as GradBench's manual C++
// tool resizes its output once and reuses it: a fresh 10 MB array per call (n = 1.28M)
// costs page faults and collections the primal does not have.
const gradient = grad(logSumExpPrimal, 0, { into: true });

export interface LseInput {
  x: number[];
}

export const lse: GradBenchModule = {
  primal: (input: LseInput) => {
    const x = floats(input.x, "x");
    return { run: () => logSumExpPrimal(x), output: (y: number) => y };
  },
  gradient: (input: LseInput) => {
    const x = floats(input.x, "x");
    const g = new Float64Array(x.length);
    return { run: () => gradient(x, g), output: (g: Float64Array) => Array.from(g) };
  },
};
