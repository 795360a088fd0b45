// Points as records: spread updates, reduce with object accumulator, at(-1).
import { grad } from "tsgrad";

type Point = { x: number; y: number };

const centroid = (pts: Point[]): Point => {
  const { sx, sy, n } = pts.reduce(
    (acc, p) => ({ sx: acc.sx + p.x, sy: acc.sy + p.y, n: acc.n + 1 }),
    { sx: 0, sy: 0, n: 0 },
  );
  return { x: sx / n, y: sy / n };
};

const shift = (p: Point, d: Point): Point => ({
  ...p,
  x: p.x + d.x,
  y: p.y + d.y,
});

export function spread(pts: Point[], offset: Point): number {
  const moved = pts.map((p) => shift(p, offset));
  const c = centroid(moved);
  const last = moved.at(-1)!;
  const dists = moved.map((p) => Math.hypot(p.x - c.x, p.y - c.y));
  const far = Math.max(...dists);
  return far + 0.1 * (last.x ** 2 + last.y ** 2);
}

export const dSpread = grad(spread);
export const cases = [
  {
    f: spread,
    df: dSpread,
    args: [
      [
        { x: 0, y: 0 },
        { x: 1, y: 2 },
        { x: 3.2, y: 1 },
      ],
      { x: 0.5, y: -0.5 },
    ],
  },
];
