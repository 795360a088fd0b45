// A square metal plate heated from its initial temperature field, simulated
// with the explicit 5-point stencil and two grids swapped every time step. The
// loss compares the final field with thermocouple readings; its gradient with
// respect to the conductivity and the initial field drives an inverse problem.
import { grad } from "tsgrad";

type Grid = number[][];

interface Reading {
  row: number;
  col: number;
  celsius: number;
}

function simulate(conductivity: number, initial: Grid, steps: number): Grid {
  const rows = initial.length;
  const cols = initial[0].length;
  let current: Grid = initial.map((row) => [...row]);
  let next: Grid = initial.map((row) => row.map(() => 0));
  const r = conductivity * 0.2;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        // Edges lose heat to a 0-degree frame around the plate.
        const north = i > 0 ? current[i - 1][j] : 0;
        const south = i < rows - 1 ? current[i + 1][j] : 0;
        const west = j > 0 ? current[i][j - 1] : 0;
        const east = j < cols - 1 ? current[i][j + 1] : 0;
        next[i][j] = current[i][j] + r * (north + south + west + east - 4 * current[i][j]);
      }
    }
    [current, next] = [next, current];
  }
  return current;
}

export function plateMisfit(conductivity: number, initial: Grid, readings: Reading[], steps = 20): number {
  const final = simulate(conductivity, initial, steps);
  let misfit = 0;
  for (const { row, col, celsius } of readings) {
    misfit += (final[row][col] - celsius) ** 2;
  }
  return misfit / readings.length;
}

export const dConductivity = grad(plateMisfit);
export const dInitial = grad(plateMisfit, 1);

const size = 6;
const initial: Grid = Array.from({ length: size }, (_, i) =>
  Array.from({ length: size }, (_, j) => 20 + 60 * Math.exp(-((i - 2.5) ** 2 + (j - 2) ** 2) / 3)),
);
const readings: Reading[] = [
  { row: 1, col: 1, celsius: 31 },
  { row: 2, col: 3, celsius: 44 },
  { row: 4, col: 2, celsius: 29 },
  { row: 3, col: 5, celsius: 12 },
];

export const cases = [
  { f: plateMisfit, df: dConductivity, args: [0.9, initial, readings] },
  { f: plateMisfit, df: dInitial, args: [0.7, initial, readings, 8], wrt: 1 },
];
