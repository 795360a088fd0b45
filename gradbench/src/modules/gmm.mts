// GradBench eval `gmm` (ADBench's Gaussian mixture model log-likelihood with a
// Wishart prior), written as loops over flat Float64Arrays and differentiated
// by tsgrad with respect to alpha, mu, q and l.
//
// Layout (as GradBench's reference gmm.hpp): mu and q are k rows of d, l is k
// rows of d(d-1)/2 strictly-lower-triangular entries stored column after
// column (column i holds rows i+1..d-1), x is n rows of d. The precision factor
// of component k is Q_k = diag(exp(q_k)) + L_k.
import { grad, stopGradient } from "tsgrad";
import type { GradBenchModule, Runs } from "../protocol.mjs";
import { check, floats, integer, number, rows, unflatten } from "./json.mjs";

/** log Γ(x) by the Lanczos approximation (g = 7, 9 terms); ~1e-15 relative. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  const a =
    0.99999999999980993 +
    676.5203681218851 / (y + 1) -
    1259.1392167224028 / (y + 2) +
    771.32342877765313 / (y + 3) -
    176.61502916214059 / (y + 4) +
    12.507343278686905 / (y + 5) -
    0.13857109526572012 / (y + 6) +
    9.9843695780195716e-6 / (y + 7) +
    1.5056327351493116e-7 / (y + 8);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log of the multivariate gamma function Γ_p(a). */
export function logGammaDistrib(a: number, p: number): number {
  let out = 0.25 * p * (p - 1) * Math.log(Math.PI);
  for (let j = 1; j <= p; j++) out += logGamma(a + 0.5 * (1 - j));
  return out;
}

export function gmmObjective(
  alpha: Float64Array,
  mu: Float64Array,
  q: Float64Array,
  l: Float64Array,
  x: Float64Array,
  d: number,
  k: number,
  n: number,
  gamma: number,
  m: number,
): number {
  const ld = (d * (d - 1)) / 2;
  const qdiag = new Float64Array(k * d);
  const sumQ = new Float64Array(k);
  const qmu = new Float64Array(k * d);
  // L_k row after row (row j holds columns 0..j-1 from j(j-1)/2), so that each entry of
  // Q_k x below is a dot product summed in a register rather than a column sweep that
  // loads and stores all of Q_k x once per column
  const lrow = new Float64Array(k * ld);
  for (let ik = 0; ik < k; ik++) {
    for (let i = 0; i < d; i++) {
      const a = ik * ld + (i * (2 * d - i - 1)) / 2 - i - 1; // l[a + j] is row j of column i
      for (let j = i + 1; j < d; j++) lrow[ik * ld + (j * (j - 1)) / 2 + i] = l[a + j]!;
    }
  }
  for (let i = 0; i < k * d; i++) qdiag[i] = Math.exp(q[i]!);
  for (let ik = 0; ik < k; ik++) {
    for (let j = 0; j < d; j++) sumQ[ik] += q[ik * d + j]!;
  }
  // Q_k mu_k, once per component: Q_k (x_i - mu_k) = Q_k x_i - Q_k mu_k, so the loop over
  // the points multiplies each Q_k by the data only (the gradient then carries no adjoint of
  // x_i - mu_k through every point's triangle: mu's goes through this loop, once per component).
  for (let ik = 0; ik < k; ik++) {
    const row = ik * d;
    for (let j = 0; j < d; j++) qmu[row + j] = qdiag[row + j]! * mu[row + j]!;
    for (let i = 0; i < d; i++) {
      const mui = mu[row + i]!;
      const a = ik * ld + (i * (2 * d - i - 1)) / 2 - i - 1; // l[a + j] is row j of column i
      for (let j = i + 1; j < d; j++) qmu[row + j] += l[a + j]! * mui;
    }
  }

  // Σ_i logsumexp_k (alpha_k + Σ q_k - |Q_k x_i - Q_k mu_k|² / 2), the points four at a
  // time (a, b, c, e; past the last point the last one is repeated, and counted once): each
  // entry of Q_k is loaded once per four points, and kept in a register for all four.
  const mainTerm = new Float64Array(4 * k); // the four points' terms per component, a row of k each
  let slse = 0;
  for (let ix = 0; ix < n; ix += 4) {
    const xa = ix * d;
    const xb = Math.min(ix + 1, n - 1) * d;
    const xc = Math.min(ix + 2, n - 1) * d;
    const xe = Math.min(ix + 3, n - 1) * d;
    for (let ik = 0; ik < k; ik++) {
      const row = ik * d;
      const tri = ik * ld;
      // |Q_k x - Q_k mu_k|² for the four points, two rows of Q_k at a time: each entry of
      // L_k is loaded once per pair of rows and four points, each of the points once per
      // pair of rows. With d odd, the last row goes alone after the pairs. (The pairs'
      // loop starts at 0 so that the gradient computes its counter, and the row offsets
      // from it, from the bound: a counter popped from the tape is a double to V8, and
      // every index made from it costs a conversion in the backward triangle.)
      let sqa = 0;
      let sqb = 0;
      let sqc = 0;
      let sqe = 0;
      for (let j = 0; j + 1 < d; j += 2) {
        const r0 = tri + (j * (j - 1)) / 2; // lrow[r0 + i] is column i of row j
        const r1 = r0 + j; // and of row j + 1, which has column j besides
        const q0 = qdiag[row + j]!;
        const q1 = qdiag[row + j + 1]!;
        const m0 = qmu[row + j]!;
        const m1 = qmu[row + j + 1]!;
        const ljj = lrow[r1 + j]!;
        const xaj = x[xa + j]!;
        const xbj = x[xb + j]!;
        const xcj = x[xc + j]!;
        const xej = x[xe + j]!;
        let a0 = q0 * xaj - m0;
        let b0 = q0 * xbj - m0;
        let c0 = q0 * xcj - m0;
        let e0 = q0 * xej - m0;
        let a1 = q1 * x[xa + j + 1]! - m1 + ljj * xaj;
        let b1 = q1 * x[xb + j + 1]! - m1 + ljj * xbj;
        let c1 = q1 * x[xc + j + 1]! - m1 + ljj * xcj;
        let e1 = q1 * x[xe + j + 1]! - m1 + ljj * xej;
        for (let i = 0; i < j; i++) {
          const l0 = lrow[r0 + i]!;
          const l1 = lrow[r1 + i]!;
          const xai = x[xa + i]!;
          const xbi = x[xb + i]!;
          const xci = x[xc + i]!;
          const xei = x[xe + i]!;
          a0 += l0 * xai;
          b0 += l0 * xbi;
          c0 += l0 * xci;
          e0 += l0 * xei;
          a1 += l1 * xai;
          b1 += l1 * xbi;
          c1 += l1 * xci;
          e1 += l1 * xei;
        }
        sqa += a0 * a0 + a1 * a1;
        sqb += b0 * b0 + b1 * b1;
        sqc += c0 * c0 + c1 * c1;
        sqe += e0 * e0 + e1 * e1;
      }
      if (d % 2 === 1) {
        const j = d - 1;
        const r = tri + (j * (j - 1)) / 2; // lrow[r + i] is column i of row d - 1
        let a = qdiag[row + j]! * x[xa + j]! - qmu[row + j]!;
        let b = qdiag[row + j]! * x[xb + j]! - qmu[row + j]!;
        let c = qdiag[row + j]! * x[xc + j]! - qmu[row + j]!;
        let e = qdiag[row + j]! * x[xe + j]! - qmu[row + j]!;
        for (let i = 0; i < j; i++) {
          const li = lrow[r + i]!;
          a += li * x[xa + i]!;
          b += li * x[xb + i]!;
          c += li * x[xc + i]!;
          e += li * x[xe + i]!;
        }
        sqa += a * a;
        sqb += b * b;
        sqc += c * c;
        sqe += e * e;
      }
      const base = alpha[ik]! + sumQ[ik]!;
      mainTerm[ik] = base - 0.5 * sqa;
      mainTerm[k + ik] = base - 0.5 * sqb;
      mainTerm[2 * k + ik] = base - 0.5 * sqc;
      mainTerm[3 * k + ik] = base - 0.5 * sqe;
    }
    // logsumexp shifted by the largest term, a constant to the derivative (as JAX's
    // logsumexp): the shift cancels, so its derivative is rounding noise and its
    // max search needs no reverse pass.
    const points = Math.min(4, n - ix);
    for (let p = 0; p < points; p++) {
      let largest = mainTerm[p * k]!;
      for (let ik = 1; ik < k; ik++) largest = Math.max(largest, mainTerm[p * k + ik]!);
      const mx = stopGradient(largest);
      let se = 0;
      for (let ik = 0; ik < k; ik++) se += Math.exp(mainTerm[p * k + ik]! - mx);
      slse += Math.log(se) + mx;
    }
  }

  let largestAlpha = alpha[0]!;
  for (let ik = 1; ik < k; ik++) largestAlpha = Math.max(largestAlpha, alpha[ik]!);
  const amx = stopGradient(largestAlpha);
  let ase = 0;
  for (let ik = 0; ik < k; ik++) ase += Math.exp(alpha[ik]! - amx);
  const lseAlpha = Math.log(ase) + amx;

  // log Wishart prior of the precision matrices
  const nw = d + m + 1;
  const c = nw * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * nw, d);
  let prior = 0;
  for (let ik = 0; ik < k; ik++) {
    let frobenius = 0;
    for (let j = 0; j < d; j++) frobenius += qdiag[ik * d + j]! * qdiag[ik * d + j]!;
    for (let j = 0; j < ld; j++) frobenius += l[ik * ld + j]! * l[ik * ld + j]!;
    prior += 0.5 * gamma * gamma * frobenius - m * sumQ[ik]!;
  }

  const constant = -n * d * 0.5 * Math.log(2 * Math.PI);
  return constant + slse - n * lseAlpha - prior + k * c;
}

const jacobian = grad(gmmObjective, [0, 1, 2, 3]);

export interface GmmInput extends Runs {
  d: number;
  k: number;
  n: number;
  x: number[][];
  m: number;
  gamma: number;
  alpha: number[];
  mu: number[][];
  q: number[][];
  l: number[][];
}

interface GmmArgs {
  d: number;
  k: number;
  n: number;
  alpha: Float64Array;
  mu: Float64Array;
  q: Float64Array;
  l: Float64Array;
  x: Float64Array;
  gamma: number;
  m: number;
}

function parse(input: GmmInput): GmmArgs {
  const d = integer(input.d, "d");
  const k = integer(input.k, "k");
  const n = integer(input.n, "n");
  check(d >= 1 && k >= 1 && n >= 0, "input.d and input.k must be at least 1");
  const alpha = floats(input.alpha, "alpha");
  check(alpha.length === k, `input.alpha must have k = ${k} numbers`);
  return {
    d,
    k,
    n,
    alpha,
    mu: rows(input.mu, "mu", k, d),
    q: rows(input.q, "q", k, d),
    l: rows(input.l, "l", k, (d * (d - 1)) / 2),
    x: rows(input.x, "x", n, d),
    gamma: number(input.gamma, "gamma"),
    m: integer(input.m, "m"),
  };
}

export const gmm: GradBenchModule = {
  objective: (input: GmmInput) => {
    const a = parse(input);
    return {
      run: () => gmmObjective(a.alpha, a.mu, a.q, a.l, a.x, a.d, a.k, a.n, a.gamma, a.m),
      output: (y: number) => y,
    };
  },
  jacobian: (input: GmmInput) => {
    const a = parse(input);
    return {
      run: () => jacobian(a.alpha, a.mu, a.q, a.l, a.x, a.d, a.k, a.n, a.gamma, a.m),
      output: ([alpha, mu, q, l]: [Float64Array, Float64Array, Float64Array, Float64Array]) => ({
        alpha: Array.from(alpha),
        mu: unflatten(mu, a.k, a.d),
        q: unflatten(q, a.k, a.d),
        l: unflatten(l, a.k, (a.d * (a.d - 1)) / 2),
      }),
    };
  },
};
