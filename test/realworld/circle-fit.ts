// Fit a circle to noisy points by minimizing the squared radial residuals
// (the geometric fit); the circle is a [cx, cy, r] tuple.
import { grad } from "tsgrad";

type Circle = [cx: number, cy: number, r: number];

export function circleResidual([cx, cy, r]: Circle, points: [number, number][]): number {
  let sum = 0;
  for (const [x, y] of points) {
    const d = Math.hypot(x - cx, y - cy) - r;
    sum += d * d;
  }
  return sum / points.length;
}

export const dCircle = grad(circleResidual);

const points: [number, number][] = [
  [2.9, 1.1],
  [1.1, 2.95],
  [-0.95, 1.0],
  [1.05, -1.02],
  [2.4, 2.45],
  [-0.4, -0.35],
];

export const cases = [{ f: circleResidual, df: dCircle, args: [[0.9, 1.1, 1.8], points] }];
