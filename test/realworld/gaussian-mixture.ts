// Two-component Gaussian mixture negative log-likelihood with a log-sum-exp
// helper that returns the maximum alongside the sum.
import { grad } from "tsgrad";

interface Component {
  weightLogit: number;
  mean: number;
  logStd: number;
}

function logSumExp(xs: number[]): { max: number; value: number } {
  const max = Math.max(...xs);
  const value = max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
  return { max, value };
}

function logNormal(x: number, mean: number, logStd: number): number {
  const z = (x - mean) / Math.exp(logStd);
  return -0.5 * z * z - logStd - 0.5 * Math.log(2 * Math.PI);
}

export function mixtureNll(components: Component[], data: number[]): number {
  const { value: logNorm } = logSumExp(components.map((c) => c.weightLogit));
  let nll = 0;
  for (const x of data) {
    const terms = components.map(({ weightLogit, mean, logStd }) => weightLogit - logNorm + logNormal(x, mean, logStd));
    nll -= logSumExp(terms).value;
  }
  return nll;
}

export const dMixture = grad(mixtureNll);

const components: Component[] = [
  { weightLogit: 0.2, mean: -1.0, logStd: -0.2 },
  { weightLogit: -0.1, mean: 1.5, logStd: 0.1 },
];

export const cases = [
  {
    f: mixtureNll,
    df: dMixture,
    args: [components, [-1.3, -0.8, 0.1, 1.2, 1.9, 2.4]],
  },
];
