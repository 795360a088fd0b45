// Hand-written adjoints, the reference that tsgrad's generated code is timed and
// checked against. Written as a careful person would: one forward pass, no
// stack, results accumulated straight into the output.

/** d/dx (6x² + 2x + 4). */
export function seedHand(x: number): number {
  return 12 * x + 2;
}

export function seedHandLoop(xs: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < xs.length; i++) acc += seedHand(xs[i]!);
  return acc;
}

export function rosenbrockHand(x: Float64Array): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i + 1 < x.length; i++) {
    const xi = x[i]!;
    const a = x[i + 1]! - xi * xi;
    g[i] += -400 * a * xi - 2 * (1 - xi);
    g[i + 1] += 200 * a;
  }
  return g;
}

/**
 * Gradient of mean softplus(-y_i (w·x_i + b)) w.r.t. w (d weights then b).
 * d softplus(t)/dt = sigmoid(t), computed stably on both sides of 0.
 */
export function logregHand(w: Float64Array, X: Float64Array, y: Float64Array): Float64Array {
  const n = y.length;
  const d = w.length - 1;
  const g = new Float64Array(d + 1);
  const b = w[d]!;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * X[row + j]!;
    const yi = y[i]!;
    const t = -yi * z;
    let s: number;
    if (t >= 0) {
      s = 1 / (1 + Math.exp(-t));
    } else {
      const e = Math.exp(t);
      s = e / (1 + e);
    }
    const gz = (-yi * s) / n;
    for (let j = 0; j < d; j++) g[j] += gz * X[row + j]!;
    g[d] += gz;
  }
  return g;
}
