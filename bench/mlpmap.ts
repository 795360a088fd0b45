// Benchmark workload: the MLP of bench/mlp.ts written in application style, with
// `map` and `reduce` over `number[][]` weights and samples instead of index loops
// (issue 13: its gradient must cost what the flat loops' gradient costs).
import { grad } from "tsgrad";
import type { MlpParams } from "./nested.js";

export function mlpMap(p: MlpParams, X: number[][], y: number[]): number {
  const errors = X.map((x, s) => {
    const hidden = p.W1.map((row, h) =>
      Math.tanh(row.reduce((z, w, j) => z + w * x[j]!, p.b1[h]!)),
    );
    const out = hidden.reduce((o, a, h) => o + p.w2[h]! * a, p.b2);
    return (out - y[s]!) ** 2;
  });
  return errors.reduce((total, e) => total + e, 0) / y.length;
}

export const mlpMapGrad = grad(mlpMap);
