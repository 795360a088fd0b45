// Leave-one-out log-likelihood of a Gaussian kernel density estimate, used to
// choose the bandwidth; the kernel is a closure over the bandwidth.
import { grad } from "tsgrad";

const SAMPLE = [0.1, 0.5, 0.55, 1.3, 2.0, 2.2, 2.25, 3.1];

export function looLogLikelihood(bandwidth: number, xs: readonly number[] = SAMPLE): number {
  const norm = 1 / (bandwidth * Math.sqrt(2 * Math.PI));
  const kernel = (d: number) => norm * Math.exp(-0.5 * (d / bandwidth) ** 2);
  let total = 0;
  xs.forEach((xi, i) => {
    const density = xs.filter((_, j) => j !== i).reduce((s, xj) => s + kernel(xi - xj), 0) / (xs.length - 1);
    total += Math.log(density);
  });
  return -total;
}

export const dLoo = grad(looLogLikelihood);

export const cases = [
  { f: looLogLikelihood, df: dLoo, args: [0.4] },
  { f: looLogLikelihood, df: dLoo, args: [0.9, [0, 1, 1.5, 4]] },
];
