// The 1-D heat equation with explicit finite differences and two buffers that
// are swapped each time step; the loss compares the final profile with a
// measured one, as in a parameter-identification problem.
import { grad } from "tsgrad";

export function heatMisfit(diffusivity: number, initial: number[], measured: number[], steps = 100): number {
  const n = initial.length;
  const dx = 1 / (n - 1);
  const dt = 0.2 * dx * dx;
  let u = initial.slice();
  let next = new Array<number>(n).fill(0);
  for (let t = 0; t < steps; t++) {
    next[0] = 0;
    next[n - 1] = 0;
    for (let i = 1; i < n - 1; i++) {
      next[i] = u[i] + ((diffusivity * dt) / (dx * dx)) * (u[i - 1] - 2 * u[i] + u[i + 1]);
    }
    const tmp = u;
    u = next;
    next = tmp;
  }
  let misfit = 0;
  for (let i = 0; i < n; i++) misfit += (u[i] - measured[i]) ** 2;
  return misfit;
}

export const dHeatDiffusivity = grad(heatMisfit);
export const dHeatInitial = grad(heatMisfit, 1);

const n = 12;
const initial = Array.from({ length: n }, (_, i) => Math.sin((Math.PI * i) / (n - 1)));
const measured = initial.map((v) => 0.6 * v);

export const cases = [
  { f: heatMisfit, df: dHeatDiffusivity, args: [1.2, initial, measured] },
  {
    f: heatMisfit,
    df: dHeatInitial,
    args: [0.8, initial, measured, 40],
    wrt: 1,
  },
];
