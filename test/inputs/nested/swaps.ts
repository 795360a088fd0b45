// Local number[][] reassigned (transformer/desugar/matrices.ts): buffer swaps,
// matrices rebuilt each step with map, and swaps of matrices whose shapes are
// only known at run time. Every gradient is checked against finite differences.
import { grad } from "tsgrad";

/** Explicit 2-D diffusion with a buffer swap; the energy of the final plate. */
export function diffuse(k: number, plate: number[][]): number {
  let u = plate.map((row) => row.map((v) => v));
  let next = plate.map((row) => row.map(() => 0));
  for (let step = 0; step < 4; step++) {
    for (let i = 0; i < u.length; i++) {
      for (let j = 0; j < u[i].length; j++) {
        const up = i > 0 ? u[i - 1][j] : 0;
        const down = i + 1 < u.length ? u[i + 1][j] : 0;
        const left = j > 0 ? u[i][j - 1] : 0;
        const right = j + 1 < u[i].length ? u[i][j + 1] : 0;
        next[i][j] = u[i][j] + k * (up + down + left + right - 4 * u[i][j]);
      }
    }
    const tmp = u;
    u = next;
    next = tmp;
  }
  let e = 0;
  for (const row of u) for (const v of row) e += v * v;
  return e;
}
export const dDiffuse = grad(diffuse, [0, 1]);

/** A nonlinear smoothing rebuilt each step (`grid = grid.map(...)`), reading the old grid. */
export function smooth(grid0: number[][], rate: number): number {
  let grid = grid0.map((row) => row.map((v) => v));
  for (let it = 0; it < 3; it++) {
    grid = grid.map((row, i) =>
      row.map((v, j) => {
        const below = i + 1 < grid.length ? grid[i + 1][j] : v;
        return v + rate * Math.tanh(below - v);
      }),
    );
  }
  let s = 0;
  for (let i = 0; i < grid.length; i++) for (let j = 0; j < grid[i].length; j++) s += grid[i][j] * (i + 1) * (j + 2);
  return s;
}
export const dSmooth = grad(smooth, [0, 1]);

/** Jacobi iterations for a 2-D Laplace problem with values read through a swapped pair whose shapes come from two parameters. */
export function jacobi(a: number[][], b: number[][]): number {
  let x = a.map((row) => row.map((v) => v * v));
  let y = b.map((row) => row.map((v) => v));
  for (let it = 0; it < 3; it++) {
    for (let i = 1; i + 1 < x.length; i++) {
      for (let j = 1; j + 1 < x[i].length; j++) y[i][j] = 0.25 * (x[i - 1][j] + x[i + 1][j] + x[i][j - 1] + x[i][j + 1]);
    }
    const t = x;
    x = y;
    y = t;
  }
  return x.reduce((s, row) => s + row.reduce((r, v) => r + Math.sin(v), 0), 0);
}
export const dJacobi = grad(jacobi, [0, 1]);
