// Pinhole camera reprojection error, as in bundle adjustment: intrinsics in an
// interface, 3-D points as records, observations as pixel tuples.
import { grad } from "tsgrad";

export interface Camera {
  focal: number;
  cx: number;
  cy: number;
  k1?: number; // radial distortion, absent for an ideal lens
}

interface Point3 {
  x: number;
  y: number;
  z: number;
}

function project(cam: Camera, { x, y, z }: Point3): [number, number] {
  const [u, v] = [x / z, y / z];
  const r2 = u * u + v * v;
  const distortion = 1 + (cam.k1 ?? 0) * r2;
  return [cam.focal * distortion * u + cam.cx, cam.focal * distortion * v + cam.cy];
}

const world: Point3[] = [
  { x: 0.1, y: -0.2, z: 4 },
  { x: -0.5, y: 0.3, z: 5 },
  { x: 0.8, y: 0.6, z: 3.5 },
];
const observed: [number, number][] = [
  [338, 214],
  [268, 266],
  [435, 357],
];

export function reprojection(cam: Camera): number {
  let err = 0;
  world.forEach((p, i) => {
    const [u, v] = project(cam, p);
    const [ou, ov] = observed[i];
    err += (u - ou) ** 2 + (v - ov) ** 2;
  });
  return err;
}

export const dReprojection = grad(reprojection);

export const cases = [
  {
    f: reprojection,
    df: dReprojection,
    args: [{ focal: 500, cx: 320, cy: 240 }],
  },
  {
    f: reprojection,
    df: dReprojection,
    args: [{ focal: 510, cx: 318, cy: 242, k1: -0.05 }],
  },
];
