// Benchmark workload: a two-layer perceptron (8 inputs, 32 tanh hidden units, 1 output) and its
// mean squared error over 256 samples, as flat loops over Float64Arrays; differentiated by the
// tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad, valueAndGrad } from "tsgrad";

// W1 is hidden×inputs row-major, b1 and w2 have one entry per hidden unit, b2 is the output bias;
// X is n×inputs row-major, y holds the n targets.
export function mlp(W1: Float64Array, b1: Float64Array, w2: Float64Array, b2: number, X: Float64Array, y: Float64Array): number {
  const n = y.length;
  const inputs = X.length / n;
  let total = 0;
  for (let s = 0; s < n; s++) {
    let out = b2;
    for (let h = 0; h < b1.length; h++) {
      let z = b1[h]!;
      for (let j = 0; j < inputs; j++) z += W1[h * inputs + j]! * X[s * inputs + j]!;
      out += w2[h]! * Math.tanh(z);
    }
    const diff = out - y[s]!;
    total += diff * diff;
  }
  return total / n;
}

export const mlpGrad = grad(mlp, [0, 1, 2, 3]);

// The same gradients written into the caller's buffers ([W1, b1, w2, b2]; b2's number slot is overwritten).
export const mlpGradInto = grad(mlp, [0, 1, 2, 3], { into: true });
export const mlpValueAndGradInto = valueAndGrad(mlp, [0, 1, 2, 3], { into: true });
// The same network with its per-sample forward pass in a helper, as application code is written:
// its gradient must cost what the flat loss's does (issue 13, "no performance cliff").
function forward(W1: Float64Array, b1: Float64Array, w2: Float64Array, b2: number, X: Float64Array, s: number): number {
  const inputs = W1.length / b1.length;
  let out = b2;
  for (let h = 0; h < b1.length; h++) {
    let z = b1[h]!;
    for (let j = 0; j < inputs; j++) z += W1[h * inputs + j]! * X[s * inputs + j]!;
    out += w2[h]! * Math.tanh(z);
  }
  return out;
}

export function mlpHelper(W1: Float64Array, b1: Float64Array, w2: Float64Array, b2: number, X: Float64Array, y: Float64Array): number {
  let total = 0;
  for (let s = 0; s < y.length; s++) {
    const diff = forward(W1, b1, w2, b2, X, s) - y[s]!;
    total += diff * diff;
  }
  return total / y.length;
}

export const mlpHelperGrad = grad(mlpHelper, [0, 1, 2, 3]);
