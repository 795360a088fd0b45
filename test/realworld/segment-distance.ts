// Distance from points to a line segment, clamping the projection parameter;
// used to pull a segment's end points towards a set of points.
import { grad } from "tsgrad";

type Segment = { from: [number, number]; to: [number, number] };

const clamp = (v: number, lo = 0, hi = 1): number => Math.min(Math.max(v, lo), hi);

function distanceToSegment([px, py]: [number, number], { from, to }: Segment): number {
  const [ax, ay] = from;
  const [bx, by] = to;
  const [dx, dy] = [bx - ax, by - ay];
  const t = clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function segmentFit(segment: Segment, points: [number, number][]): number {
  return points.map((p) => distanceToSegment(p, segment) ** 2).reduce((a, b) => a + b);
}

export const dSegment = grad(segmentFit);

export const cases = [
  {
    f: segmentFit,
    df: dSegment,
    args: [
      { from: [0, 0.1], to: [3, 1.2] },
      [
        [0.5, 0.2],
        [1.5, 0.9],
        [2.5, 0.7],
        [3.6, 1.5],
        [-0.4, -0.3],
      ],
    ],
  },
];
