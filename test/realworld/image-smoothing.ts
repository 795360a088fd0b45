// Edge-preserving smoothing of a grayscale image (rows of pixels), unrolled for
// a few iterations so that its strength can be learned: each iteration builds
// the next image from the current one with map, and the energy is the squared
// distance to a clean reference plus a small roughness term.
import { grad } from "tsgrad";

type Image = number[][];

function roughness(img: Image): number {
  let total = 0;
  for (let r = 0; r + 1 < img.length; r++) {
    for (let c = 0; c + 1 < img[r].length; c++) {
      total += Math.hypot(img[r + 1][c] - img[r][c], img[r][c + 1] - img[r][c], 0.01);
    }
  }
  return total;
}

export function smoothingLoss(strength: number, noisy: Image, clean: Image, iterations = 3): number {
  let img = noisy.map((row) => row.slice());
  for (let it = 0; it < iterations; it++) {
    img = img.map((row, r) =>
      row.map((pixel, c) => {
        const up = r > 0 ? img[r - 1][c] : pixel;
        const down = r + 1 < img.length ? img[r + 1][c] : pixel;
        const left = c > 0 ? row[c - 1] : pixel;
        const right = c + 1 < row.length ? row[c + 1] : pixel;
        // Perona-Malik style: small differences are smoothed, edges kept.
        const flux = [up, down, left, right].reduce((sum, n) => sum + (n - pixel) / (1 + ((n - pixel) / 0.3) ** 2), 0);
        return pixel + strength * 0.25 * flux;
      }),
    );
  }
  let error = 0;
  img.forEach((row, r) => row.forEach((pixel, c) => (error += (pixel - clean[r][c]) ** 2)));
  return error + 0.01 * roughness(img);
}

export const dStrength = grad(smoothingLoss);
export const dNoisy = grad(smoothingLoss, 1);

const clean: Image = [
  [0.1, 0.1, 0.1, 0.9, 0.9],
  [0.1, 0.1, 0.1, 0.9, 0.9],
  [0.1, 0.1, 0.9, 0.9, 0.9],
  [0.1, 0.9, 0.9, 0.9, 0.9],
];
const noise = [0.05, -0.08, 0.03, 0.07, -0.04, 0.02, -0.06];
const noisy: Image = clean.map((row, r) => row.map((p, c) => p + noise[(r * 5 + c) % noise.length]));

export const cases = [
  { f: smoothingLoss, df: dStrength, args: [0.6, noisy, clean] },
  { f: smoothingLoss, df: dNoisy, args: [0.4, noisy, clean, 2], wrt: 1 },
];
