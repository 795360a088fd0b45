// Metric multidimensional scaling: place points in the plane so that their
// distances match a dissimilarity matrix (Kruskal's raw stress).
import { grad } from "tsgrad";

const DISSIMILARITY: number[][] = [
  [0, 1.0, 1.4, 2.1],
  [1.0, 0, 1.1, 1.5],
  [1.4, 1.1, 0, 0.9],
  [2.1, 1.5, 0.9, 0],
];

export function stress(layout: [number, number][]): number {
  let total = 0;
  layout.forEach(([xi, yi], i) => {
    layout.slice(i + 1).forEach(([xj, yj], offset) => {
      const j = i + 1 + offset;
      total += (Math.hypot(xi - xj, yi - yj) - DISSIMILARITY[i][j]) ** 2;
    });
  });
  return total;
}

export const dStress = grad(stress);

export const cases = [
  {
    f: stress,
    df: dStress,
    args: [
      [
        [0, 0],
        [1.1, 0.2],
        [1.5, 1.0],
        [2.0, 1.6],
      ],
    ],
  },
];
