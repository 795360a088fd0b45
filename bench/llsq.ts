// Benchmark workload, GradBench `llsq` (cmpad's llsq_obj): a linear least-squares
// objective in the coefficients x of a polynomial of degree m − 1 fitted to the
// sign function at n points. Differentiated by the tsgrad transformer.
import { grad } from "tsgrad";

//    y(x) = ½ Σ_{i<n} (s_i − Σ_{j<m} x_j t_i^j)²,  t_i = −1 + 2i/(n − 1),  s_i = sign(t_i),
//    m = x.length (GradBench's llsq.hpp: sign(0) = 0, t_i^j by pow, 0^0 = 1).

export function llsq(x: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const ti = -1 + (i * 2) / (n - 1);
    let r = Math.sign(ti);
    for (let j = 0; j < x.length; j++) r -= x[j]! * ti ** j;
    sum += r * r;
  }
  return sum / 2;
}

export const llsqGrad = grad(llsq);
