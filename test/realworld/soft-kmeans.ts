// Soft k-means: the negative log of a sum of Gaussian bumps around each
// centroid, written with tuple points and Array.prototype methods.
import { grad } from "tsgrad";

type Point = [number, number];

const points: Point[] = [
  [0.1, 0.2],
  [0.3, -0.1],
  [2.1, 1.9],
  [1.8, 2.2],
  [-1.0, 1.5],
  [-1.2, 1.1],
];

const sqDist = ([ax, ay]: Point, [bx, by]: Point): number => (ax - bx) ** 2 + (ay - by) ** 2;

export function softKMeans(centroids: Point[], temperature = 0.5): number {
  return points
    .map((p) => {
      const weights = centroids.map((c) => Math.exp(-sqDist(p, c) / temperature));
      return -Math.log(weights.reduce((a, b) => a + b, 0));
    })
    .reduce((a, b) => a + b, 0);
}

export const dSoftKMeans = grad(softKMeans);

export const cases = [
  {
    f: softKMeans,
    df: dSoftKMeans,
    args: [
      [
        [0.0, 0.0],
        [2.0, 2.0],
        [-1.0, 1.0],
      ],
    ],
  },
];
