// Calibrating a lens from a checkerboard: the intrinsics are a record with a
// nested principal point, radial distortion terms are optional (a model may
// leave out k2), and each detected corner is matched to its board point by id.
import { valueAndGrad } from "tsgrad";

export interface Intrinsics {
  focal: number;
  center: [number, number];
  distortion: { k1: number; k2?: number };
}

interface BoardPoint {
  id: number;
  x: number;
  y: number;
}

interface Detection {
  id: number;
  u: number;
  v: number;
}

const BOARD: BoardPoint[] = [
  { id: 1, x: -0.2, y: -0.1 },
  { id: 2, x: 0.2, y: -0.1 },
  { id: 3, x: -0.2, y: 0.15 },
  { id: 4, x: 0.2, y: 0.15 },
  { id: 5, x: 0, y: 0 },
];

const DETECTIONS: Detection[] = [
  { id: 4, u: 421.5, v: 318.2 },
  { id: 1, u: 221.7, v: 187.9 },
  { id: 5, u: 322.4, v: 241.1 },
  { id: 2, u: 419.8, v: 190.3 },
];

function distort(k: Intrinsics["distortion"], r2: number): number {
  return 1 + k.k1 * r2 + (k.k2 ?? 0) * r2 * r2;
}

export function calibrationError(lens: Intrinsics, detections: Detection[] = DETECTIONS): number {
  const [cx, cy] = lens.center,
    scale = lens.focal / 1000;
  let total = 0;
  for (const { id, u, v } of detections) {
    const corner = BOARD.find((p) => p.id === id);
    if (!corner) throw new Error(`corner ${id} is not on the board`);
    const r2 = corner.x * corner.x + corner.y * corner.y;
    const d = distort(lens.distortion, r2);
    const du = cx + 1000 * scale * d * corner.x - u;
    const dv = cy + 1000 * scale * d * corner.y - v;
    total += du * du + dv * dv;
  }
  return total / detections.length;
}

export const calibrate = valueAndGrad(calibrationError);

export const cases = [
  {
    f: calibrationError,
    df: calibrate,
    args: [{ focal: 495, center: [321, 240], distortion: { k1: 0.02 } }],
    withValue: true,
  },
  {
    f: calibrationError,
    df: calibrate,
    args: [{ focal: 502, center: [319.5, 241], distortion: { k1: 0.015, k2: -0.004 } }],
    withValue: true,
  },
];
