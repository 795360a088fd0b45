// Lennard-Jones energy of a small cluster with a cutoff radius from a config
// object; positions arrive as a flat array [x0, y0, z0, x1, ...].
import { grad } from "tsgrad";

const LJ = { epsilon: 1.0, sigma: 1.0, cutoff: 2.5 } as const;

function pairEnergy(r2: number): number {
  if (r2 > LJ.cutoff * LJ.cutoff) return 0;
  const s2 = (LJ.sigma * LJ.sigma) / r2;
  const s6 = s2 * s2 * s2;
  return 4 * LJ.epsilon * (s6 * s6 - s6);
}

export function clusterEnergy(positions: number[]): number {
  const count = Math.floor(positions.length / 3);
  let total = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let r2 = 0;
      for (let d = 0; d < 3; d++) {
        const delta = positions[3 * i + d] - positions[3 * j + d];
        r2 += delta * delta;
      }
      total += pairEnergy(Math.max(r2, Number.EPSILON));
    }
  }
  return total;
}

export const dCluster = grad(clusterEnergy);

export const cases = [
  {
    f: clusterEnergy,
    df: dCluster,
    args: [[0, 0, 0, 1.1, 0, 0, 0.5, 0.95, 0, 0.4, 0.3, 0.9]],
  },
];
