// Benchmark workload: a 2-D heat plate, the explicit 5-point stencil on a
// 64 x 64 grid for 200 steps, written twice: as application code writes it,
// with the grid as number[][] and two grids swapped after each step, and over
// one flat Float64Array with a row stride, as numeric code is written by hand
// for speed. tsgrad keeps a local number[][] as one flat array, so the two
// gradients should run at the same speed.
import { grad } from "tsgrad";

export function plate(conductivity: number, initial: number[][], steps: number): number {
  const rows = initial.length;
  const cols = initial[0]!.length;
  let u = initial.map((row) => row.map((v) => v));
  let next = initial.map((row) => row.map(() => 0));
  const r = 0.2 * conductivity;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const north = i > 0 ? u[i - 1]![j]! : 0;
        const south = i < rows - 1 ? u[i + 1]![j]! : 0;
        const west = j > 0 ? u[i]![j - 1]! : 0;
        const east = j < cols - 1 ? u[i]![j + 1]! : 0;
        next[i]![j] = u[i]![j]! + r * (north + south + west + east - 4 * u[i]![j]!);
      }
    }
    const tmp = u;
    u = next;
    next = tmp;
  }
  let energy = 0;
  for (const row of u) for (const v of row) energy += v * v;
  return energy;
}

export const plateGrad = grad(plate, [0, 1]);

export function plateFlat(conductivity: number, initial: Float64Array, rows: number, cols: number, steps: number): number {
  let u = new Float64Array(rows * cols);
  let next = new Float64Array(rows * cols);
  for (let k = 0; k < rows * cols; k++) u[k] = initial[k]!;
  const r = 0.2 * conductivity;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const north = i > 0 ? u[k - cols]! : 0;
        const south = i < rows - 1 ? u[k + cols]! : 0;
        const west = j > 0 ? u[k - 1]! : 0;
        const east = j < cols - 1 ? u[k + 1]! : 0;
        next[k] = u[k]! + r * (north + south + west + east - 4 * u[k]!);
      }
    }
    const tmp = u;
    u = next;
    next = tmp;
  }
  let energy = 0;
  for (let k = 0; k < rows * cols; k++) energy += u[k]! * u[k]!;
  return energy;
}

export const plateFlatGrad = grad(plateFlat, [0, 1]);
