// Area of a simple polygon by the shoelace formula, written with reduce and a
// wrap-around index; the gradient moves each vertex to grow the area.
import { grad } from "tsgrad";

export function polygonArea(vertices: [number, number][]): number {
  const twice = vertices.reduce((acc, [x, y], i) => {
    const [nx, ny] = vertices[(i + 1) % vertices.length];
    return acc + x * ny - nx * y;
  }, 0);
  return Math.abs(twice) / 2;
}

export const dArea = grad(polygonArea);

export const cases = [
  {
    f: polygonArea,
    df: dArea,
    args: [
      [
        [0, 0],
        [4, 0.5],
        [3.5, 3],
        [1, 2.5],
        [-0.5, 1.2],
      ],
    ],
  },
];
