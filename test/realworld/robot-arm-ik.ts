// Inverse kinematics of a planar two-link arm by damped least squares: the
// end effector's position [x, y] as a function of the joint angles, its
// Jacobian for the Newton-like step, and the Jacobian of the full pose
// with respect to the angles and the link lengths together (for calibrating
// the lengths from measured poses).
import { jacfwd, jacobian } from "tsgrad";

export interface Links {
  upper: number;
  forearm: number;
}

export interface Pose {
  x: number;
  y: number;
  heading: number;
}

const DAMPING = 1e-3;

export function endEffector(angles: number[], links: Links): [number, number] {
  const [shoulder, elbow] = angles;
  const reach = shoulder! + elbow!;
  const x = links.upper * Math.cos(shoulder!) + links.forearm * Math.cos(reach);
  const y = links.upper * Math.sin(shoulder!) + links.forearm * Math.sin(reach);
  return [x, y];
}

export function pose(angles: number[], links: Links): Pose {
  const [x, y] = endEffector(angles, links);
  const heading = angles.reduce((sum, a) => sum + a, 0);
  return { x, y, heading };
}

export const reachJacobian = jacobian(endEffector);
export const poseJacobians = jacobian(pose, [0, 1]);
export const poseJacobiansForward = jacfwd(pose, [0, 1]);

/** One damped least-squares step towards `target`: Δθ = Jᵀ (J Jᵀ + λI)⁻¹ e. */
export function ikStep(
  angles: number[],
  links: Links,
  target: [number, number],
): number[] {
  const [x, y] = endEffector(angles, links);
  const error = [target[0] - x, target[1] - y];
  const J = reachJacobian(angles, links);
  const a = J[0]![0]! * J[0]![0]! + J[0]![1]! * J[0]![1]! + DAMPING;
  const b = J[0]![0]! * J[1]![0]! + J[0]![1]! * J[1]![1]!;
  const d = J[1]![0]! * J[1]![0]! + J[1]![1]! * J[1]![1]! + DAMPING;
  const det = a * d - b * b;
  const u = (d * error[0]! - b * error[1]!) / det;
  const w = (a * error[1]! - b * error[0]!) / det;
  return angles.map((angle, j) => angle + J[0]![j]! * u + J[1]![j]! * w);
}

export function solveIk(
  start: number[],
  links: Links,
  target: [number, number],
  steps = 20,
): number[] {
  let angles = [...start];
  for (let i = 0; i < steps; i++) angles = ikStep(angles, links, target);
  return angles;
}

const links: Links = { upper: 1.2, forearm: 0.8 };
const angles = [0.4, 0.9];
const fields = ["x", "y", "heading"] as const;

export const cases = [
  // Row k of the reach Jacobian is the gradient of coordinate k.
  ...[0, 1].map((k) => ({
    f: (theta: number[]) => endEffector(theta, links)[k]!,
    df: (theta: number[]) => reachJacobian(theta, links)[k]!,
    args: [angles],
  })),
  // The pose's rows follow its type's fields: x, y, heading; by angles and by link lengths.
  ...fields.flatMap((field, k) => [
    {
      f: (theta: number[]) => pose(theta, links)[field],
      df: (theta: number[]) => poseJacobians(theta, links)[0][k]!,
      args: [angles],
    },
    {
      f: (l: Links) => pose(angles, l)[field],
      df: (l: Links) => poseJacobians(angles, l)[1][k]!,
      args: [links],
    },
    {
      f: (l: Links) => pose(angles, l)[field],
      df: (l: Links) => poseJacobiansForward(angles, l)[1][k]!,
      args: [links],
    },
  ]),
];
