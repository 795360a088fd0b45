// Fit a cubic Bezier curve's control points to samples with de Casteljau's
// algorithm, building each level with Array.from.
import { grad } from "tsgrad";

type Pt = readonly [number, number];

const lerp = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

function deCasteljau(control: Pt[], t: number): Pt {
  let level = control;
  while (level.length > 1) {
    level = Array.from({ length: level.length - 1 }, (_, i) => lerp(level[i], level[i + 1], t));
  }
  return level[0];
}

const samples: { t: number; at: Pt }[] = [
  { t: 0.0, at: [0, 0] },
  { t: 0.25, at: [0.8, 0.9] },
  { t: 0.5, at: [2.0, 1.3] },
  { t: 0.75, at: [3.1, 0.8] },
  { t: 1.0, at: [4, 0] },
];

export function bezierFit(control: Pt[]): number {
  return samples.reduce((err, { t, at: [x, y] }) => {
    const [bx, by] = deCasteljau(control, t);
    return err + (bx - x) ** 2 + (by - y) ** 2;
  }, 0);
}

export const dBezier = grad(bezierFit);

export const cases = [
  {
    f: bezierFit,
    df: dBezier,
    args: [
      [
        [0, 0],
        [1, 2],
        [3, 2],
        [4, 0],
      ],
    ],
  },
];
