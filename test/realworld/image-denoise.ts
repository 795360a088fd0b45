// Total-variation denoising of a small grayscale image stored as rows of
// pixels (number[][]): data fidelity plus a smoothed TV penalty. The gradient
// is an image of the same size, as a gradient-descent step needs.
import { grad } from "tsgrad";

const LAMBDA = 0.15;
const EPS = 1e-3;

export function tvObjective(image: number[][], noisy: readonly (readonly number[])[]): number {
  const height = image.length;
  let fidelity = 0;
  let variation = 0;
  for (let r = 0; r < height; r++) {
    const row = image[r];
    for (let c = 0; c < row.length; c++) {
      fidelity += (row[c] - noisy[r][c]) ** 2;
      const dx = c + 1 < row.length ? row[c + 1] - row[c] : 0;
      const dy = r + 1 < height ? image[r + 1][c] - row[c] : 0;
      variation += Math.sqrt(dx * dx + dy * dy + EPS);
    }
  }
  return 0.5 * fidelity + LAMBDA * variation;
}

export const dTv = grad(tvObjective);

const noisy = [
  [0.1, 0.15, 0.9, 0.85],
  [0.05, 0.2, 0.95, 0.8],
  [0.12, 0.1, 0.88, 1.0],
];
const estimate = noisy.map((row) => row.map((v) => 0.9 * v + 0.05));

export const cases = [{ f: tvObjective, df: dTv, args: [estimate, noisy] }];
