// Inverse kinematics of a planar two-link arm: forward kinematics returns the
// elbow and hand positions as records, the loss is the hand's distance to a
// target plus a small joint-effort penalty.
import { grad } from "tsgrad";

interface Arm {
  upper: number;
  fore: number;
}

const ARM: Readonly<Arm> = { upper: 1.0, fore: 0.8 };

function forwardKinematics([shoulder, elbow]: readonly [number, number], arm: Arm = ARM) {
  const elbowPos = {
    x: arm.upper * Math.cos(shoulder),
    y: arm.upper * Math.sin(shoulder),
  };
  const hand = {
    x: elbowPos.x + arm.fore * Math.cos(shoulder + elbow),
    y: elbowPos.y + arm.fore * Math.sin(shoulder + elbow),
  };
  return { elbowPos, hand };
}

export function reachLoss(angles: [number, number], target: { x: number; y: number }): number {
  const { hand } = forwardKinematics(angles);
  const effort = angles.reduce((s, a) => s + a * a, 0);
  return (hand.x - target.x) ** 2 + (hand.y - target.y) ** 2 + 0.01 * effort;
}

export const dReach = grad(reachLoss);

export const cases = [{ f: reachLoss, df: dReach, args: [[0.4, 0.9], { x: 0.6, y: 1.2 }] }];
