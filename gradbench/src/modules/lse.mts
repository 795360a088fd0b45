// GradBench eval `lse`: LSE(x) = a + log Σ exp(x_i - a) with a = max x,
// written from its primitives (a max loop and a sum loop) and differentiated by tsgrad.
import { grad } from "tsgrad";
import type { GradBenchModule } from "../protocol.mjs";
import { floats } from "./json.mjs";

export function logSumExpPrimal(x: Float64Array): number {
  let a = x[0]!;
  for (let i = 1; i < x.length; i++) a = Math.max(a, x[i]!);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]! - a);
  return Math.log(s) + a;
}

const gradient = grad(logSumExpPrimal);

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
    return { run: () => gradient(x), output: (g: Float64Array) => Array.from(g) };
  },
};
