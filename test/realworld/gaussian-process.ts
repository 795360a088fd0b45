// Gaussian-process regression: negative log marginal likelihood with an RBF
// kernel, the Cholesky factor computed in place in a local number[][], and
// hyper-parameters as a record of log values.
import { grad } from "tsgrad";

export interface Hyper {
  logLengthScale: number;
  logVariance: number;
  logNoise: number;
}

const X = [0.0, 0.7, 1.5, 2.1, 3.0];
const Y = [0.1, 0.6, 1.0, 0.8, 0.1];

function cholesky(A: number[][]): number[][] {
  const n = A.length;
  const L = A.map((row) => row.map(() => 0));
  for (let j = 0; j < n; j++) {
    let d = A[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] ** 2;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  return L;
}

export function negLogMarginal(h: Hyper): number {
  const ell = Math.exp(h.logLengthScale);
  const sf2 = Math.exp(h.logVariance);
  const sn2 = Math.exp(h.logNoise);
  const K = X.map((xi, i) =>
    X.map((xj, j) => sf2 * Math.exp(-((xi - xj) ** 2) / (2 * ell * ell)) + (i === j ? sn2 : 0)),
  );
  const L = cholesky(K);
  // Solve L alpha = y by forward substitution.
  const alpha: number[] = [];
  for (let i = 0; i < Y.length; i++) {
    let s = Y[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * alpha[k];
    alpha.push(s / L[i][i]);
  }
  const quad = alpha.reduce((acc, a) => acc + a * a, 0);
  const logDet = L.reduce((acc, row, i) => acc + 2 * Math.log(row[i]), 0);
  return 0.5 * quad + 0.5 * logDet + 0.5 * Y.length * Math.log(2 * Math.PI);
}

export const dMarginal = grad(negLogMarginal);

export const cases = [
  { f: negLogMarginal, df: dMarginal, args: [{ logLengthScale: 0.0, logVariance: -0.5, logNoise: -3.0 }] },
];
