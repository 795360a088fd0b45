// Benchmark workload, GradBench `lse`: log-sum-exp of a vector written from its
// primitives (a max loop, a sum-of-exp loop, a log), as GradBench asks: "not by
// calling a builtin LSE function with a hand-written derivative". Its gradient
// is softmax(x). Differentiated by the tsgrad transformer (no hand derivative).
import { grad } from "tsgrad";

//    LSE(x) = a + log Σ_i exp(x_i − a),  a = max_i x_i   (GradBench's lse.hpp)

export function lse(x: Float64Array): number {
  let a = x[0]!;
  for (let i = 1; i < x.length; i++) a = Math.max(a, x[i]!);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]! - a);
  return Math.log(s) + a;
}

export const lseGrad = grad(lse);
