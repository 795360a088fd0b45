// Soft dynamic time warping between a template and a recorded gesture: the
// alignment table is a number[][] filled cell by cell, and the template is
// fitted to the recording by gradient descent on the soft-DTW distance.
import { grad } from "tsgrad";

function softMin(a: number, b: number, c: number, gamma: number): number {
  const m = Math.min(a, b, c);
  return m - gamma * Math.log(Math.exp((m - a) / gamma) + Math.exp((m - b) / gamma) + Math.exp((m - c) / gamma));
}

export function softDtw(template: number[], recording: number[], gamma = 0.1): number {
  const n = template.length;
  const m = recording.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(Infinity));
  table[0][0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const d = (template[i - 1] - recording[j - 1]) ** 2;
      table[i][j] = d + softMin(table[i - 1][j], table[i][j - 1], table[i - 1][j - 1], gamma);
    }
  }
  return table[n][m];
}

export const dTemplate = grad(softDtw);

export const cases = [
  { f: softDtw, df: dTemplate, args: [[0.0, 0.4, 1.0, 0.6], [0.1, 0.2, 0.5, 1.1, 0.9, 0.5], 0.3] },
];
