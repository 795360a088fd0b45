// A differentiable "soft" renderer: rays from a pinhole camera hit spheres,
// coverage is a sigmoid of how far inside the silhouette a ray passes, and the
// loss compares the rendered silhouette with a target mask.
import { grad } from "tsgrad";

type Vec3 = [number, number, number];

export interface Sphere {
  center: Vec3;
  radius: number;
}

const EYE: Vec3 = [0, 0, -5];
const WIDTH = 6;
const HEIGHT = 5;
const FOV = 0.6;
const SHARPNESS = 8;

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function rayThrough(px: number, py: number): Vec3 {
  const u = ((px + 0.5) / WIDTH - 0.5) * FOV;
  const v = ((py + 0.5) / HEIGHT - 0.5) * FOV;
  return normalize([u, v, 1]);
}

/** Signed distance (positive inside) between the ray and the sphere's silhouette. */
function silhouetteDepth(dir: Vec3, { center, radius }: Sphere): number {
  const toCenter = sub(center, EYE);
  const along = dot(toCenter, dir);
  const miss2 = dot(toCenter, toCenter) - along * along;
  return radius - Math.sqrt(miss2);
}

function coverage(dir: Vec3, spheres: Sphere[]): number {
  // Union of soft silhouettes: 1 - prod(1 - c_i).
  const empty = spheres.reduce((p, s) => p * (1 - 1 / (1 + Math.exp(-SHARPNESS * silhouetteDepth(dir, s)))), 1);
  return 1 - empty;
}

export function silhouetteLoss(spheres: Sphere[], target: number[][]): number {
  let loss = 0;
  for (let py = 0; py < HEIGHT; py++) {
    for (let px = 0; px < WIDTH; px++) {
      const c = coverage(rayThrough(px, py), spheres);
      loss += (c - target[py][px]) ** 2;
    }
  }
  return loss / (WIDTH * HEIGHT);
}

export const dSpheres = grad(silhouetteLoss);

const TARGET: number[][] = [
  [0, 0, 0, 0, 0, 0],
  [0, 1, 1, 0, 0, 0],
  [0, 1, 1, 0, 1, 0],
  [0, 0, 0, 0, 1, 0],
  [0, 0, 0, 0, 0, 0],
];

const spheres: Sphere[] = [
  { center: [-0.4, -0.1, 0.2], radius: 0.45 },
  { center: [0.5, 0.3, 0.5], radius: 0.3 },
];

export const cases = [{ f: silhouetteLoss, df: dSpheres, args: [spheres, TARGET] }];
