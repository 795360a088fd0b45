// Bezier curve via recursive de Casteljau, arc-length penalty.
import { grad } from "tsgrad";

type Pt = [number, number];
const lerp = (a: Pt, b: Pt, t: number): Pt => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
];

function deCasteljau(points: Pt[], t: number): Pt {
  if (points.length === 1) return points[0]!;
  const next: Pt[] = [];
  for (let i = 0; i + 1 < points.length; i++)
    next.push(lerp(points[i]!, points[i + 1]!, t));
  return deCasteljau(next, t);
}

export function curveLength(control: Pt[], samples = 20): number {
  let length = 0;
  let prev = deCasteljau(control, 0);
  for (let k = 1; k <= samples; k++) {
    const cur = deCasteljau(control, k / samples);
    length += Math.hypot(cur[0] - prev[0], cur[1] - prev[1]);
    prev = cur;
  }
  return length;
}

export const dLength = grad(curveLength);
export const cases = [
  {
    f: curveLength,
    df: dLength,
    args: [
      [
        [0, 0],
        [1, 2],
        [3, 3],
        [4, 0],
      ],
    ],
  },
];
