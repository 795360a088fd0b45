// Inverse kinematics of a planar arm described as a list of joints: each joint
// has a link length and an angle relative to the previous link, and limits the
// angle softly. The forward kinematics fold over the chain, carrying the
// position and the absolute heading; the loss is the squared distance of the
// end effector to a target plus the limit penalties. Differentiated with
// respect to the joints (lengths are differentiated too, for design studies).
import { grad } from "tsgrad";

export interface Joint {
  readonly name: string;
  readonly length: number;
  readonly angle: number;
  readonly limit?: readonly [min: number, max: number];
}

interface Pose {
  readonly x: number;
  readonly y: number;
  readonly heading: number;
}

const BASE: Pose = { x: 0, y: 0, heading: Math.PI / 2 };

function advance(pose: Pose, joint: Joint): Pose {
  const heading = pose.heading + joint.angle;
  return { x: pose.x + joint.length * Math.cos(heading), y: pose.y + joint.length * Math.sin(heading), heading };
}

const forwardKinematics = (chain: readonly Joint[], base: Pose = BASE): Pose => chain.reduce(advance, base);

function limitPenalty({ angle, limit }: Joint, stiffness: number): number {
  if (!limit) return 0;
  const [min, max] = limit;
  const below = Math.max(0, min - angle);
  const above = Math.max(0, angle - max);
  return stiffness * (below * below + above * above);
}

export function reachLoss(chain: readonly Joint[], target: { x: number; y: number }, stiffness = 10): number {
  const tip = forwardKinematics(chain);
  const dx = tip.x - target.x;
  const dy = tip.y - target.y;
  const penalties = chain.map((j) => limitPenalty(j, stiffness)).reduce((a, b) => a + b, 0);
  return dx * dx + dy * dy + penalties;
}

export const dReachLoss = grad(reachLoss);

const ARM: Joint[] = [
  { name: "shoulder", length: 1.0, angle: -0.4, limit: [-1.5, 1.5] },
  { name: "elbow", length: 0.8, angle: 0.9, limit: [0, 2.5] },
  { name: "wrist", length: 0.3, angle: 1.7, limit: [-1.2, 1.2] },
  { name: "tool", length: 0.15, angle: 0.1 },
];

export const cases = [
  { f: reachLoss, df: dReachLoss, args: [ARM, { x: 1.2, y: 0.9 }] },
  { f: reachLoss, df: dReachLoss, args: [ARM, { x: -0.5, y: 1.4 }, 50] },
];
