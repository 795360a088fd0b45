// GradBench eval `llsq` (cmpad's llsq_obj):
//   y(x) = 1/2 Σ_{i<n} (s_i - Σ_{j<m} x_j t_i^j)², t_i = -1 + 2i/(n-1), s_i = sign(t_i),
// m = x.length.
import { grad } from "tsgrad";
import type { GradBenchModule } from "../protocol.mjs";
import { floats, integer } from "./json.mjs";

export function llsqPrimal(x: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const ti = -1 + (i * 2) / (n - 1);
    // Σ_j x_j t_i^j by Horner's rule in s = t_i², two coefficients a step:
    // Σ_k (x_2k + x_2k+1 t_i) s^k. No power is formed, and the chain of dependent
    // multiply-adds is half as long as plain Horner's (which runs at ~2× the
    // reference's running product here); the adjoint needs nothing saved per term.
    const s = ti * ti;
    let p = x.length % 2 === 1 ? x[x.length - 1]! : 0;
    for (let j = x.length - 2 - (x.length % 2); j >= 0; j -= 2) p = p * s + (x[j]! + x[j + 1]! * ti);
    const r = Math.sign(ti) - p;
    sum += r * r;
  }
  return sum / 2;
}

const gradient = grad(llsqPrimal);

export interface LlsqInput {
  x: number[];
  n: number;
}

export const llsq: GradBenchModule = {
  primal: (input: LlsqInput) => {
    const x = floats(input.x, "x");
    const n = integer(input.n, "n");
    return { run: () => llsqPrimal(x, n), output: (y: number) => y };
  },
  gradient: (input: LlsqInput) => {
    const x = floats(input.x, "x");
    const n = integer(input.n, "n");
    return { run: () => gradient(x, n), output: (g: Float64Array) => Array.from(g) };
  },
};
