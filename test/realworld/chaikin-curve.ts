// Smooth a polyline with a few rounds of Chaikin's corner cutting and fit its
// control points so that the smoothed curve passes near a set of targets.
import { grad } from "tsgrad";

type Point = [number, number];

function chaikin(points: Point[], rounds: number): Point[] {
  let pts = points;
  for (let r = 0; r < rounds; r++) {
    const next: Point[] = [];
    for (let i = 0; i + 1 < pts.length; i++) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[i + 1];
      next.push([0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1]);
      next.push([0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1]);
    }
    pts = next;
  }
  return pts;
}

const targets: Point[] = [
  [0.2, 0.1],
  [1.0, 0.9],
  [2.1, 1.2],
  [3.0, 0.6],
];

export function fitError(control: Point[]): number {
  const curve = chaikin(control, 3);
  let error = 0;
  for (const [tx, ty] of targets) {
    // distance to the closest smoothed point, softened so that it is differentiable
    let soft = 0;
    for (let i = 0; i < curve.length; i++) {
      const d2 = (curve[i][0] - tx) ** 2 + (curve[i][1] - ty) ** 2;
      soft += Math.exp(-d2 / 0.05);
    }
    error -= 0.05 * Math.log(soft + 1e-12);
  }
  return error;
}

export const dFitError = grad(fitError);

export const cases = [
  {
    f: fitError,
    df: dFitError,
    args: [
      [
        [0, 0],
        [1, 1.5],
        [2.5, 1.5],
        [3.2, 0.4],
      ],
    ],
  },
];
