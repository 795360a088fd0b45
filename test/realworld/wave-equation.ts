// The 1-D wave equation with three rotating buffers (previous, current, next);
// the loss is the energy measured at a probe after some steps.
import { grad } from "tsgrad";

export function probeEnergy(speed: number, pulseWidth: number, cells = 20, steps = 30): number {
  const dx = 1 / cells;
  const dt = 0.5 * dx;
  const courant = ((speed * dt) / dx) ** 2;
  const center = cells / 2;
  let previous = Array.from({ length: cells }, (_, i) => Math.exp(-(((i - center) / pulseWidth) ** 2)));
  let current = [...previous];
  for (let t = 0; t < steps; t++) {
    const next: number[] = new Array(cells).fill(0);
    for (let i = 1; i < cells - 1; i++) {
      next[i] = 2 * current[i] - previous[i] + courant * (current[i + 1] - 2 * current[i] + current[i - 1]);
    }
    [previous, current] = [current, next];
  }
  const probe = current.slice(2, 5);
  return probe.reduce((e, u) => e + u * u, 0);
}

export const dProbe = grad(probeEnergy, [0, 1]);

export const cases = [{ f: probeEnergy, df: dProbe, args: [0.9, 2.5], wrt: [0, 1] }];
