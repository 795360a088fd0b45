// Benchmark workload 5, the ADBench/GradBench GMM: plain TypeScript over Float64Array, differentiated
// by the tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad } from "tsgrad";

// The ADBench / GradBench GMM objective.
//    alphas: K, means: K·d, icf: K·d(d+1)/2 (per component: d log-diagonals, then
//    the strictly lower triangle in ADBench's Qtimesx order), x: n·d.
//    constant = -n·d·0.5·log(2π) - K·C (the Wishart normaliser), precomputed.

export function gmm(
  alphas: Float64Array,
  means: Float64Array,
  icf: Float64Array,
  x: Float64Array,
  d: number,
  K: number,
  wishartGamma: number,
  wishartM: number,
  constant: number,
): number {
  // K is passed in (as in ADBench) rather than read as alphas.length: tsgrad rejects
  // the length of a differentiated array used as a value (see bench/README.md).
  const n = x.length / d;
  const icfSize = (d * (d + 1)) / 2;
  const xcentered = new Float64Array(d);
  const Qxcentered = new Float64Array(d);
  const mainTerm = new Float64Array(K);
  const Qdiags = new Float64Array(K * d);
  const sumQs = new Float64Array(K);

  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      s += icf[k * icfSize + j]!;
      Qdiags[k * d + j] = Math.exp(icf[k * icfSize + j]!);
    }
    sumQs[k] = s;
  }

  let slse = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) xcentered[j] = x[i * d + j]! - means[k * d + j]!;
      // Qtimesx: diagonal part, then the strictly lower triangle.
      for (let j = 0; j < d; j++) Qxcentered[j] = Qdiags[k * d + j]! * xcentered[j]!;
      let idx = k * icfSize + d;
      for (let a = 0; a < d; a++) {
        for (let b = a + 1; b < d; b++) {
          Qxcentered[b] += icf[idx]! * xcentered[a]!;
          idx++;
        }
      }
      let sq = 0;
      for (let j = 0; j < d; j++) sq += Qxcentered[j]! * Qxcentered[j]!;
      mainTerm[k] = alphas[k]! + sumQs[k]! - 0.5 * sq;
    }
    // log-sum-exp over the components
    let mx = mainTerm[0]!;
    for (let k = 1; k < K; k++) mx = Math.max(mx, mainTerm[k]!);
    let se = 0;
    for (let k = 0; k < K; k++) se += Math.exp(mainTerm[k]! - mx);
    slse += mx + Math.log(se);
  }

  let amx = alphas[0]!;
  for (let k = 1; k < K; k++) amx = Math.max(amx, alphas[k]!);
  let ase = 0;
  for (let k = 0; k < K; k++) ase += Math.exp(alphas[k]! - amx);
  const lseAlphas = amx + Math.log(ase);

  // Wishart prior
  let prior = 0;
  for (let k = 0; k < K; k++) {
    let fro = 0;
    for (let j = 0; j < d; j++) fro += Qdiags[k * d + j]! * Qdiags[k * d + j]!;
    for (let j = d; j < icfSize; j++) fro += icf[k * icfSize + j]! * icf[k * icfSize + j]!;
    prior += 0.5 * wishartGamma * wishartGamma * fro - wishartM * sumQs[k]!;
  }

  return constant + slse - n * lseAlphas + prior;
}

export const gmmGrad = grad(gmm, [0, 1, 2]);
