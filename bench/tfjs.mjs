// The TF.js versions of the benchmark workloads, built on tf.grad / tf.grads,
// for its pure-JS CPU backend and (logistic regression, MLP, GMM) its Wasm
// backend. Every gradient call runs inside tf.tidy and reads its result back
// with dataSync(), as a caller of tsgrad gets plain numbers back. TF.js
// computes in float32. A builder creates its constant tensors on the backend
// that is active when it is called.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** TF.js takes Float32Array (not Float64Array) data. */
const f32 = (a) => (a instanceof Float32Array ? a : Float32Array.from(a));

/** Loads @tensorflow/tfjs on the CPU backend, in production mode (no debug checks or warnings). */
export async function loadTf() {
  const tf = require("@tensorflow/tfjs");
  tf.enableProdMode();
  await tf.setBackend("cpu");
  await tf.ready();
  return tf;
}

/**
 * Adds TF.js's Wasm backend (@tensorflow/tfjs-backend-wasm, its .wasm files shipped in the
 * package) to `tf` and makes it the active backend; switch back with `await tf.setBackend("cpu")`.
 */
export async function loadTfWasm(tf) {
  require("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
}

/** `fn` run on `backend`: switches the active backend first when another one is active. */
export function onBackend(tf, backend, fn) {
  return (...args) => {
    if (tf.getBackend() !== backend) tf.setBackend(backend); // synchronous for a backend already set up
    return fn(...args);
  };
}

/** Seed polynomial, scalar ops per call: returns (x: number) => d/dx. */
export function seedTf(tf) {
  const six = tf.scalar(6);
  const two = tf.scalar(2);
  const four = tf.scalar(4);
  const g = tf.grad((x) => six.mul(x.square()).add(two.mul(x)).add(four));
  return (x) => tf.tidy(() => g(tf.scalar(x)).dataSync()[0]);
}

/** Rosenbrock with vectorised ops: returns (x: Float64Array) => gradient (Float32Array). */
export function rosenbrockTf(tf) {
  const g = tf.grad((x) => {
    const n = x.shape[0];
    const head = x.slice(0, n - 1);
    const tail = x.slice(1, n - 1);
    const a = tail.sub(head.square());
    const b = tf.scalar(1).sub(head);
    return a.square().mul(100).add(b.square()).sum();
  });
  return (x) => tf.tidy(() => g(tf.tensor1d(f32(x))).dataSync());
}

/**
 * Logistic regression, vectorised: X (n×d) and y stay on the backend as constants;
 * returns (w: Float64Array, d weights then bias) => gradient w.r.t. w.
 */
export function logregTf(tf, X, y, n, d) {
  const Xt = tf.tensor2d(f32(X), [n, d]);
  const yt = tf.tensor1d(f32(y));
  const g = tf.grad((w) => {
    const z = Xt.matMul(w.slice(0, d).reshape([d, 1])).reshape([n]).add(w.slice(d, 1));
    const t = yt.mul(z).neg();
    // softplus(t) = max(t, 0) + log1p(exp(-|t|))
    return t.relu().add(t.abs().neg().exp().log1p()).mean();
  });
  return (w) => tf.tidy(() => g(tf.tensor1d(f32(w))).dataSync());
}

/**
 * Pendulum rollout as a loop of scalar ops (there is nothing to vectorise):
 * returns (theta0, c, steps) => [d/dθ0, d/dc].
 */
export function pendulumTf(tf, dt, gOverL) {
  const dtT = tf.scalar(dt);
  const gl = tf.scalar(gOverL);
  const tenth = tf.scalar(0.1);
  return (theta0, c, steps) =>
    tf.tidy(() => {
      const f = (th0, cc) => {
        let theta = th0;
        let omega = tf.scalar(0);
        for (let s = 0; s < steps; s++) {
          omega = omega.add(dtT.mul(gl.mul(theta.sin()).neg().sub(cc.mul(omega))));
          theta = theta.add(dtT.mul(omega));
        }
        return theta.square().add(tenth.mul(omega.square()));
      };
      const [g0, g1] = tf.grads(f)([tf.scalar(theta0), tf.scalar(c)]);
      return [g0.dataSync()[0], g1.dataSync()[0]];
    });
}

/**
 * GMM, vectorised over samples and components: Q_k is assembled as a dense
 * lower-triangular d×d matrix (the strictly lower part in ADBench's order, plus
 * exp(log-diagonal) on the diagonal) and applied with a batched matMul. The lower
 * part is placed with `gather` where the backend has the kernel of gather's
 * gradient (UnsortedSegmentSum: the CPU backend), else by a matMul with a constant
 * 0/1 matrix (the Wasm backend). Returns (alphas, means, icf) => [∂alphas, ∂means, ∂icf].
 */
export function gmmTf(tf, x, n, d, K, wishartGamma, wishartM, constant) {
  const icfSize = (d * (d + 1)) / 2;
  const lowerSize = icfSize - d;
  const xt = tf.tensor3d(f32(x), [1, n, d]);
  // position of Q[row][col] (row > col) in [0, lower...]; 0 picks a zero column
  const map = new Int32Array(d * d);
  let idx = 1;
  for (let col = 0; col < d; col++) for (let row = col + 1; row < d; row++) map[row * d + col] = idx++;
  const byGather = tf.getKernel("UnsortedSegmentSum", tf.getBackend()) !== undefined;
  const mapT = tf.tensor1d(map, "int32");
  const place = new Float32Array(Math.max(1, lowerSize) * d * d);
  map.forEach((e, at) => e > 0 && (place[(e - 1) * d * d + at] = 1));
  const placeT = tf.tensor2d(place, [Math.max(1, lowerSize), d * d]);
  const eye = tf.eye(d);
  const zeroCol = tf.zeros([K, 1]);
  const zeroL = tf.zeros([K, d, d]);
  const f = (alphas, means, icf) => {
    const logDiag = icf.slice([0, 0], [K, d]);
    const lower = icf.slice([0, d], [K, lowerSize]);
    const L = byGather
      ? tf.gather(tf.concat([zeroCol, lower], 1), mapT, 1).reshape([K, d, d])
      : lowerSize > 0
        ? lower.matMul(placeT).reshape([K, d, d])
        : zeroL;
    const qDiag = logDiag.exp();
    const Q = L.add(qDiag.reshape([K, d, 1]).mul(eye));
    const xc = xt.sub(means.reshape([K, 1, d])); // K×n×d
    const Qx = tf.matMul(xc, Q, false, true); // rows Q_k (x_i - μ_k)
    const main = alphas
      .reshape([K, 1])
      .add(logDiag.sum(1).reshape([K, 1]))
      .sub(Qx.square().sum(2).mul(0.5)); // K×n
    const slse = tf.logSumExp(main, 0).sum();
    const lseAlphas = tf.logSumExp(alphas);
    const prior = qDiag
      .square()
      .sum()
      .add(lower.square().sum())
      .mul(0.5 * wishartGamma * wishartGamma)
      .sub(logDiag.sum().mul(wishartM));
    return slse.sub(lseAlphas.mul(n)).add(prior).add(constant);
  };
  const g = tf.grads(f);
  return (alphas, means, icf) =>
    tf.tidy(() => {
      const gs = g([tf.tensor1d(f32(alphas)), tf.tensor2d(f32(means), [K, d]), tf.tensor2d(f32(icf), [K, icfSize])]);
      return gs.map((t) => t.dataSync());
    });
}

/**
 * The MLP (bench/mlp.ts), vectorised over samples: X (n×inputs) and y stay on the
 * backend as constants; returns (W1, b1, w2, b2) => [∂W1, ∂b1, ∂w2, ∂b2].
 */
export function mlpTf(tf, X, y, n, inputs, hidden) {
  const Xt = tf.tensor2d(f32(X), [n, inputs]);
  const yt = tf.tensor1d(f32(y));
  const g = tf.grads((W1, b1, w2, b2) => {
    const a = Xt.matMul(W1, false, true).add(b1).tanh(); // n×hidden
    const out = a.matMul(w2.reshape([hidden, 1])).reshape([n]).add(b2);
    return out.sub(yt).square().mean();
  });
  return (W1, b1, w2, b2) =>
    tf.tidy(() =>
      g([tf.tensor2d(f32(W1), [hidden, inputs]), tf.tensor1d(f32(b1)), tf.tensor1d(f32(w2)), tf.scalar(b2)]).map((t) => t.dataSync()),
    );
}

/**
 * Log-sum-exp from its primitives, as the tsgrad workload: max, exp(x − max), sum,
 * log. Returns (x: Float64Array) => gradient (softmax, Float32Array).
 */
export function lseTf(tf) {
  const g = tf.grad((x) => {
    const a = x.max();
    return x.sub(a).exp().sum().log().add(a);
  });
  return (x) => tf.tidy(() => g(tf.tensor1d(f32(x))).dataSync());
}
