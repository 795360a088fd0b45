// Energy of a small triangle mesh: spring energy along edges plus a penalty
// keeping each triangle's signed area near its rest value.
import { grad } from "tsgrad";

interface Mesh {
  triangles: [number, number, number][];
  restArea: number;
}

const MESH: Mesh = {
  triangles: [
    [0, 1, 2],
    [1, 3, 2],
    [2, 3, 4],
  ],
  restArea: 0.5,
};

type P = { x: number; y: number };

function signedArea(a: P, b: P, c: P): number {
  return 0.5 * ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
}

export function meshEnergy(vertices: P[], stiffness = 1.0): number {
  let energy = 0;
  MESH.triangles.forEach(([i, j, k]) => {
    const [a, b, c] = [vertices[i], vertices[j], vertices[k]];
    for (const [p, q] of [
      [a, b],
      [b, c],
      [c, a],
    ]) {
      energy += stiffness * ((p.x - q.x) ** 2 + (p.y - q.y) ** 2);
    }
    energy += (signedArea(a, b, c) - MESH.restArea) ** 2;
  });
  return energy;
}

export const dMesh = grad(meshEnergy);

const vertices: P[] = [
  { x: 0, y: 0 },
  { x: 1, y: 0.1 },
  { x: 0.4, y: 0.9 },
  { x: 1.3, y: 1.0 },
  { x: 0.7, y: 1.8 },
];

export const cases = [{ f: meshEnergy, df: dMesh, args: [vertices] }];
