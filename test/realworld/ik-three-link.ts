// Inverse kinematics of a planar three-link arm: each joint is a Joint object
// that knows where it puts the next link; the loss is the squared distance of
// the end effector to the target plus a comfort term keeping joints near rest.
import { grad } from "tsgrad";

export class Joint {
  constructor(
    public readonly length: number,
    public angle: number,
    public readonly rest = 0,
  ) {}

  /** Carries a pose [x, y, heading] to the end of this link. */
  advance([x, y, heading]: [number, number, number]): [number, number, number] {
    const h = heading + this.angle;
    return [x + this.length * Math.cos(h), y + this.length * Math.sin(h), h];
  }

  get strain(): number {
    return (this.angle - this.rest) ** 2;
  }
}

const LINK_LENGTHS = [1.0, 0.8, 0.5] as const;
const COMFORT = 0.05;

function buildArm(angles: number[]): Joint[] {
  return LINK_LENGTHS.map((len, i) => new Joint(len, angles[i], i === 0 ? 0.3 : 0));
}

export function reachLoss(angles: number[], target: { x: number; y: number }): number {
  const arm = buildArm(angles);
  let pose: [number, number, number] = [0, 0, 0];
  for (const joint of arm) pose = joint.advance(pose);
  const [x, y] = pose;
  const comfort = arm.reduce((sum, j) => sum + j.strain, 0);
  return (x - target.x) ** 2 + (y - target.y) ** 2 + COMFORT * comfort;
}

export const dReach = grad(reachLoss);

export const cases = [{ f: reachLoss, df: dReach, args: [[0.4, 0.5, -0.3], { x: 1.2, y: 1.1 }] }];
