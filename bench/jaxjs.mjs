// The jax-js (`@jax-js/jax`) versions of the benchmark workloads that have a
// JavaScript peer: logistic regression, the MLP and GMM, written as JAX code is
// (vectorised array ops), differentiated by `grad` and compiled by `jit`, on
// jax-js's Wasm device in float64 (so its gradients must match tsgrad's to
// rounding). Every call creates its parameter arrays from the caller's
// Float64Arrays and reads the gradients back with dataSync(), as a caller of
// tsgrad gets plain numbers back. jax-js counts references: an array passed to
// a function is consumed, so a value used twice is passed as `.ref` first.

/**
 * Loads jax-js on its Wasm device. jax-js 0.1.25 classifies typed-array data with
 * `data instanceof Float16Array`, a global Node 20 does not have (Node 24 has it):
 * when it is missing, an empty class stands in, which no array is an instance of,
 * exactly as on a Node that has it and is given no float16 data.
 */
export async function loadJax() {
  globalThis.Float16Array ??= class Float16Array {};
  const jax = await import("@jax-js/jax");
  const devices = await jax.init("wasm");
  if (!devices.includes("wasm")) throw new Error(`jax-js has no wasm device here (devices: ${devices.join(", ")})`);
  jax.defaultDevice("wasm");
  return jax;
}

const f64 = (np, data, shape) => np.array(Float64Array.from(data), { dtype: np.float64, shape });

/** Logistic regression (bench/logreg.ts): returns (w: d weights then b) => gradient. */
export function logregJax(jax, X, y, n, d) {
  const { numpy: np } = jax;
  const Xa = f64(np, X, [n, d]);
  const ya = f64(np, y, [n]);
  const loss = (w, X, y) => {
    const z = np.matmul(X, w.ref.slice([0, d]).reshape([d, 1])).reshape([n]).add(w.slice([d, d + 1]));
    const t = y.mul(z).neg();
    // softplus(t) = max(t, 0) + log1p(exp(-|t|))
    return np.maximum(t.ref, 0).add(np.log1p(np.exp(np.abs(t).neg()))).mean();
  };
  const g = jax.jit(jax.grad(loss));
  return (w) => g(f64(np, w, [d + 1]), Xa.ref, ya.ref).dataSync();
}

/** The MLP (bench/mlp.ts): returns (W1, b1, w2, b2) => [∂W1, ∂b1, ∂w2, ∂b2]. */
export function mlpJax(jax, X, y, n, inputs, hidden) {
  const { numpy: np } = jax;
  const Xa = f64(np, X, [n, inputs]);
  const ya = f64(np, y, [n]);
  const loss = (W1, b1, w2, b2, X, y) => {
    const a = np.tanh(np.matmul(X, W1.transpose()).add(b1)); // n×hidden
    const out = np.matmul(a, w2.reshape([hidden, 1])).reshape([n]).add(b2);
    return np.square(out.sub(y)).mean();
  };
  const g = jax.jit(jax.grad(loss, { argnums: [0, 1, 2, 3] }));
  return (W1, b1, w2, b2) =>
    g(f64(np, W1, [hidden, inputs]), f64(np, b1, [hidden]), f64(np, w2, [hidden]), f64(np, [b2], []), Xa.ref, ya.ref).map((t) =>
      t.dataSync(),
    );
}

/**
 * GMM (bench/gmm.ts), vectorised over points and components as the TF.js version:
 * the strictly lower triangles are placed into dense d×d matrices by a constant 0/1
 * matrix (a matmul), the diagonal added as exp(log-diagonal) · I, and Q_k (x − μ_k)
 * applied to every point with a batched matmul. Returns (alphas, means, icf) =>
 * [∂alphas, ∂means, ∂icf].
 */
export function gmmJax(jax, x, n, d, K, wishartGamma, wishartM, constant) {
  const { numpy: np, nn } = jax;
  const icfSize = (d * (d + 1)) / 2;
  const lowerSize = icfSize - d;
  // place[e][row·d + col] = 1 for the e-th lower entry, in ADBench's order (column after column)
  const place = new Float64Array(Math.max(1, lowerSize) * d * d);
  let e = 0;
  for (let col = 0; col < d; col++) for (let row = col + 1; row < d; row++) place[e++ * d * d + row * d + col] = 1;
  const xa = f64(np, x, [1, n, d]);
  const placeA = f64(np, place, [Math.max(1, lowerSize), d * d]);
  const eye = np.eye(d, undefined, { dtype: np.float64 });
  const loss = (alphas, means, icf, x, place, eye) => {
    const logDiag = icf.ref.slice([], [0, d]); // K×d
    const lower = icf.slice([], [d, icfSize]); // K×lowerSize
    const qDiag = np.exp(logDiag.ref);
    const L = lowerSize > 0 ? np.matmul(lower.ref, place).reshape([K, d, d]) : (place.dispose(), np.zeros([K, d, d], { dtype: np.float64 }));
    const Q = L.add(qDiag.ref.reshape([K, d, 1]).mul(eye)); // Q[k][row][col]
    const xc = x.sub(means.reshape([K, 1, d])); // K×n×d
    const Qx = np.matmul(xc, Q.transpose([0, 2, 1])); // rows Q_k (x_i − μ_k)
    const main = alphas.ref
      .reshape([K, 1])
      .add(logDiag.ref.sum(1).reshape([K, 1]))
      .sub(np.square(Qx).sum(2).mul(0.5)); // K×n
    const slse = nn.logsumexp(main, 0).sum();
    const lseAlphas = nn.logsumexp(alphas);
    const prior = np
      .square(qDiag)
      .sum()
      .add(np.square(lower).sum())
      .mul(0.5 * wishartGamma * wishartGamma)
      .sub(logDiag.sum().mul(wishartM));
    return slse.sub(lseAlphas.mul(n)).add(prior).add(constant);
  };
  const g = jax.jit(jax.grad(loss, { argnums: [0, 1, 2] }));
  return (alphas, means, icf) =>
    g(f64(np, alphas, [K]), f64(np, means, [K, d]), f64(np, icf, [K, icfSize]), xa.ref, placeA.ref, eye.ref).map((t) => t.dataSync());
}
