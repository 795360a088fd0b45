// Hill shading of a small height field: each cell's normal comes from the
// slopes around it, normalized, and lit by a sun whose elevation we fit so the
// shaded image matches a measured one. Geometry helpers take tuples and a
// point record, and the call sites build them inline, as map code does.
import { grad } from "tsgrad";

type Vec3 = [number, number, number];

interface Cell {
  x: number;
  y: number;
}

function normalize(v: Vec3): Vec3 {
  const len = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / len, v[1] / len, v[2] / len];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function height(c: Cell, relief: number): number {
  return relief * Math.sin(0.7 * c.x) * Math.cos(0.4 * c.y);
}

const MEASURED = [0.62, 0.71, 0.55, 0.8, 0.67, 0.59];
const CELL = 1.5;

export function shadingError(elevation: number, relief: number): number {
  const sun = normalize([Math.cos(elevation), 0.3, Math.sin(elevation)]);
  let err = 0;
  for (let i = 0; i < MEASURED.length; i++) {
    const x = i % 3;
    const y = Math.floor(i / 3);
    const dx = height({ x: x + 1, y }, relief) - height({ x: x - 1, y }, relief);
    const dy = height({ x, y: y + 1 }, relief) - height({ x, y: y - 1 }, relief);
    const shade = Math.max(0, dot(normalize([-dx, -dy, 2 * CELL]), sun));
    err += (shade - MEASURED[i]) ** 2;
  }
  return err / MEASURED.length;
}

export const dShading = grad(shadingError, [0, 1]);

export const cases = [{ f: shadingError, df: dShading, args: [0.9, 0.8], wrt: [0, 1] }];
