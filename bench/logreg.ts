// Benchmark workload 3, logistic regression: plain TypeScript over Float64Array, differentiated
// by the tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad } from "tsgrad";

// Logistic-regression loss: mean over samples of log(1 + exp(-y_i (w·x_i + b))).
//    w holds d weights then the bias; X is n×d row-major; y holds labels ±1.
//    softplus(t) = max(t, 0) + log1p(exp(-|t|)) is stable for any t.

export function logreg(w: Float64Array, X: Float64Array, y: Float64Array): number {
  // d comes from X, not from w: tsgrad rejects w.length of a differentiated array
  // used as a value (see bench/README.md).
  const n = y.length;
  const d = X.length / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let z = w[d]!;
    for (let j = 0; j < d; j++) z += w[j]! * X[i * d + j]!;
    const t = -y[i]! * z;
    total += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
  }
  return total / n;
}

export const logregGrad = grad(logreg, 0);
