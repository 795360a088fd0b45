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
  return addRosenbrockGradient(x, new Float64Array(x.length));
}

/** rosenbrockHand writing into the caller's buffer `g` (zeroed first). */
export function rosenbrockHandInto(x: Float64Array, g: Float64Array): Float64Array {
  g.fill(0);
  return addRosenbrockGradient(x, g);
}

/** Adds the gradient of Rosenbrock at x into `g` (zeros when the caller made it). */
function addRosenbrockGradient(x: Float64Array, g: Float64Array): Float64Array {
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

/**
 * Gradient of the GMM objective (bench/gmm.ts) w.r.t. alphas, means and icf,
 * following the published manual adjoint (ADBench's / GradBench's
 * `tools/manual/gmm_d`): for every point and component, Qₖ(x − μₖ) forward, then
 * the per-component partials (Qₖᵀ Qₖ (x − μₖ) for the mean, 1 − q_j (x − μ)_j (Qx)_j
 * for a log-diagonal, −(x − μ)_a (Qx)_b for a lower entry), weighted by the
 * softmax of the main terms; the log-sum-exp of alphas and the Wishart prior added
 * at the end. Scratch arrays are allocated per call, as the C++ allocates its vectors.
 */
export function gmmHand(
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  d: number,
  K: number,
  wishartGamma: number,
  wishartM: number,
): [Float64Array, Float64Array, Float64Array] {
  const n = x.length / d;
  const icfSize = (d * (d + 1)) / 2;
  const lowerSize = icfSize - d;
  const alphasD = new Float64Array(K);
  const meansD = new Float64Array(K * d);
  const icfD = new Float64Array(K * icfSize);

  // preprocess_qs
  const Qdiags = new Float64Array(K * d);
  const sumQs = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const q = icf[k * icfSize + j]!;
      s += q;
      Qdiags[k * d + j] = Math.exp(q);
    }
    sumQs[k] = s;
  }

  const mainTerm = new Float64Array(K);
  const xc = new Float64Array(d);
  const Qxc = new Float64Array(d);
  const currMeansD = new Float64Array(K * d);
  const currQD = new Float64Array(K * d);
  const currLD = new Float64Array(K * lowerSize);

  for (let i = 0; i < n; i++) {
    const xOff = i * d;
    for (let k = 0; k < K; k++) {
      const icfOff = k * icfSize;
      const qOff = k * d;
      for (let j = 0; j < d; j++) xc[j] = x[xOff + j]! - means[qOff + j]!;
      // Qtimesx
      for (let j = 0; j < d; j++) Qxc[j] = Qdiags[qOff + j]! * xc[j]!;
      let idx = icfOff + d;
      for (let a = 0; a < d; a++) {
        const xa = xc[a]!;
        for (let b = a + 1; b < d; b++) Qxc[b] += icf[idx++]! * xa;
      }
      // Qtransposetimesx: ∂(−½|Qxc|²)/∂μ = Qᵀ Q xc
      idx = icfOff + d;
      for (let a = 0; a < d; a++) {
        let v = Qdiags[qOff + a]! * Qxc[a]!;
        for (let b = a + 1; b < d; b++) v += icf[idx++]! * Qxc[b]!;
        currMeansD[qOff + a] = v;
      }
      // compute_q_inner_term and compute_L_inner_term
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const qx = Qxc[j]!;
        currQD[qOff + j] = 1 - Qdiags[qOff + j]! * xc[j]! * qx;
        sq += qx * qx;
      }
      let li = k * lowerSize;
      for (let a = 0; a < d; a++) {
        const xa = xc[a]!;
        for (let b = a + 1; b < d; b++) currLD[li++] = -xa * Qxc[b]!;
      }
      mainTerm[k] = alphas[k]! + sumQs[k]! - 0.5 * sq;
    }
    // logsumexp_d: mainTerm becomes softmax(mainTerm)
    let mx = mainTerm[0]!;
    for (let k = 1; k < K; k++) if (mainTerm[k]! > mx) mx = mainTerm[k]!;
    let semx = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(mainTerm[k]! - mx);
      mainTerm[k] = e;
      semx += e;
    }
    const inv = semx === 0 ? 0 : 1 / semx;
    for (let k = 0; k < K; k++) {
      const p = mainTerm[k]! * inv;
      const icfOff = k * icfSize;
      const qOff = k * d;
      alphasD[k] += p;
      for (let j = 0; j < d; j++) {
        meansD[qOff + j] += currMeansD[qOff + j]! * p;
        icfD[icfOff + j] += currQD[qOff + j]! * p;
      }
      const lOff = k * lowerSize - d;
      for (let j = d; j < icfSize; j++) icfD[icfOff + j] += currLD[lOff + j]! * p;
    }
  }

  // −n · logsumexp(alphas) and the Wishart prior
  let amx = alphas[0]!;
  for (let k = 1; k < K; k++) if (alphas[k]! > amx) amx = alphas[k]!;
  let ase = 0;
  for (let k = 0; k < K; k++) ase += Math.exp(alphas[k]! - amx);
  const g2 = wishartGamma * wishartGamma;
  for (let k = 0; k < K; k++) {
    alphasD[k] -= (n * Math.exp(alphas[k]! - amx)) / ase;
    const icfOff = k * icfSize;
    for (let j = 0; j < d; j++) {
      const q = Qdiags[k * d + j]!;
      icfD[icfOff + j] += g2 * q * q - wishartM;
    }
    for (let j = d; j < icfSize; j++) icfD[icfOff + j] += g2 * icf[icfOff + j]!;
  }
  return [alphasD, meansD, icfD];
}

/**
 * softmax(x), the gradient of log-sum-exp, as GradBench's manual `lse` computes
 * it: the max, then exp(x_i − max) into the output while summing, then a division.
 */
export function lseHand(x: Float64Array): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  let mx = x[0]!;
  for (let i = 1; i < n; i++) if (x[i]! > mx) mx = x[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(x[i]! - mx);
    g[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) g[i] /= sum;
  return g;
}

/**
 * Gradient of the LLSQ objective (bench/llsq.ts), as GradBench's manual `llsq`
 * computes it: the residuals r_i = s_i − Σ_j x_j t_i^j first, then
 * ∂y/∂x_j = −Σ_i r_i t_i^j (t_i^j by pow, as in the objective).
 */
export function llsqHand(x: Float64Array, n: number): Float64Array {
  const m = x.length;
  const g = new Float64Array(m);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ti = -1 + (i * 2) / (n - 1);
    let ri = Math.sign(ti);
    for (let j = 0; j < m; j++) ri -= x[j]! * ti ** j;
    r[i] = ri;
  }
  for (let i = 0; i < n; i++) {
    const ti = -1 + (i * 2) / (n - 1);
    const ri = r[i]!;
    for (let j = 0; j < m; j++) g[j] -= ri * ti ** j;
  }
  return g;
}

/**
 * Gradient of the MLP's mean squared error (bench/mlp.ts) w.r.t. W1, b1, w2 and b2: per
 * sample, the hidden activations forward (kept in a scratch array), then the output error
 * back through w2 and tanh' = 1 − tanh² into the first layer.
 */
export function mlpHand(
  W1: Float64Array,
  b1: Float64Array,
  w2: Float64Array,
  b2: number,
  X: Float64Array,
  y: Float64Array,
): [Float64Array, Float64Array, Float64Array, number] {
  const hidden = b1.length;
  // Fresh buffers (zeroing them again costs nothing next to the n·hidden·inputs loop).
  return mlpHandInto(W1, b1, w2, b2, X, y, [new Float64Array(W1.length), new Float64Array(hidden), new Float64Array(hidden), 0], new Float64Array(hidden));
}

/** mlpHand writing into the caller's buffers `into` = [W1D, b1D, w2D, b2D] and a scratch `act` of one entry per hidden unit. */
export function mlpHandInto(
  W1: Float64Array,
  b1: Float64Array,
  w2: Float64Array,
  b2: number,
  X: Float64Array,
  y: Float64Array,
  into: [Float64Array, Float64Array, Float64Array, number],
  act: Float64Array,
): [Float64Array, Float64Array, Float64Array, number] {
  const n = y.length;
  const hidden = b1.length;
  const inputs = X.length / n;
  const [W1D, b1D, w2D] = into;
  W1D.fill(0);
  b1D.fill(0);
  w2D.fill(0);
  let b2D = 0;
  for (let s = 0; s < n; s++) {
    const row = s * inputs;
    let out = b2;
    for (let h = 0; h < hidden; h++) {
      let z = b1[h]!;
      for (let j = 0; j < inputs; j++) z += W1[h * inputs + j]! * X[row + j]!;
      const a = Math.tanh(z);
      act[h] = a;
      out += w2[h]! * a;
    }
    const outD = (2 * (out - y[s]!)) / n;
    b2D += outD;
    for (let h = 0; h < hidden; h++) {
      const a = act[h]!;
      w2D[h] += outD * a;
      const zD = outD * w2[h]! * (1 - a * a);
      b1D[h] += zD;
      for (let j = 0; j < inputs; j++) W1D[h * inputs + j] += zD * X[row + j]!;
    }
  }
  into[3] = b2D;
  return into;
}

/**
 * The Hessian of Rosenbrock written out by hand: tridiagonal, each term
 * 100 (x[i+1] - x[i]²)² + (1 - x[i])² adding to the 2×2 block of (i, i+1).
 */
export function rosenbrockHessianHand(x: Float64Array): number[][] {
  const n = x.length;
  const h: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i + 1 < n; i++) {
    const xi = x[i]!;
    h[i]![i]! += 1200 * xi * xi - 400 * x[i + 1]! + 2;
    h[i]![i + 1]! -= 400 * xi;
    h[i + 1]![i]! -= 400 * xi;
    h[i + 1]![i + 1]! += 200;
  }
  return h;
}

/** The Jacobian of Lorenz-96 (bench/transforms.ts) by hand: four entries per row. */
export function lorenz96JacobianHand(u: Float64Array): number[][] {
  const n = u.length;
  const J: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const row = J[i]!;
    const [next, prev, prev2] = [(i + 1) % n, (i + n - 1) % n, (i + n - 2) % n];
    row[next]! += u[prev]!;
    row[prev2]! -= u[prev]!;
    row[prev]! += u[next]! - u[prev2]!;
    row[i]! -= 1;
  }
  return J;
}
