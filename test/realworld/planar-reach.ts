// 2D rigid transform chain using small vector helpers and a class-free API.
import { grad } from "tsgrad";

export interface Vec2 {
  readonly x: number;
  readonly y: number;
}
const add = (a: Vec2, b: Vec2): Vec2 => ({ x: a.x + b.x, y: a.y + b.y });
const rotate = ({ x, y }: Vec2, angle: number): Vec2 => ({
  x: x * Math.cos(angle) - y * Math.sin(angle),
  y: x * Math.sin(angle) + y * Math.cos(angle),
});
const lengthOf = (v: Vec2) => Math.sqrt(v.x ** 2 + v.y ** 2);

export function reachError(
  angles: number[],
  segments: readonly number[],
  goal: Vec2,
): number {
  let tip: Vec2 = { x: 0, y: 0 };
  let heading = 0;
  const joints: Vec2[] = [tip];
  angles.forEach((a, i) => {
    heading += a;
    tip = add(tip, rotate({ x: segments[i] ?? 1, y: 0 }, heading));
    joints.push(tip);
  });
  const miss = lengthOf({ x: tip.x - goal.x, y: tip.y - goal.y });
  const bend = angles.slice(1).reduce((s, a) => s + a * a, 0);
  const elbowHeight = joints[1]!.y;
  return miss ** 2 + 0.01 * bend + (elbowHeight < 0 ? elbowHeight ** 2 : 0);
}

export const dReach = grad(reachError);
export const cases = [
  {
    f: reachError,
    df: dReach,
    args: [[0.3, 0.5, -0.2], [1, 0.8, 0.5], { x: 1.2, y: 1.1 }],
  },
];
