// Rigid 2-D registration (one ICP step with known correspondences): rotate
// and translate source points onto targets; the pose is a record.
import { grad } from "tsgrad";

export interface Pose {
  theta: number;
  tx: number;
  ty: number;
}

const correspondences = [
  { source: [1, 0], target: [0.9, 0.6] },
  { source: [0, 1], target: [-0.4, 1.1] },
  { source: [-1, 0.5], target: [-0.9, -0.1] },
  { source: [0.5, -1], target: [1.1, -0.5] },
] as const;

export function alignmentError(pose: Pose): number {
  const { theta, tx, ty } = pose;
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  let error = 0;
  for (const {
    source: [x, y],
    target: [u, v],
  } of correspondences) {
    error += (c * x - s * y + tx - u) ** 2 + (s * x + c * y + ty - v) ** 2;
  }
  return error;
}

export const dAlignment = grad(alignmentError);

export const cases = [
  {
    f: alignmentError,
    df: dAlignment,
    args: [{ theta: 0.3, tx: 0.1, ty: -0.05 }],
  },
];
