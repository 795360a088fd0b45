// A differential-drive rover steered toward a waypoint: the pose is a record
// replaced each tick by a helper that returns a new pose, and the loss is how
// far the rover ends from the waypoint plus a penalty on wheel effort.
import { grad } from "tsgrad";

interface Pose {
  x: number;
  y: number;
  heading: number;
}

export interface Gains {
  turn: number;
  speed: number;
}

const WAYPOINT = { x: 2.0, y: 1.0 };
const TRACK = 0.3;

function drive(pose: Pose, left: number, right: number, dt: number): Pose {
  const v = (left + right) / 2;
  const omega = (right - left) / TRACK;
  return {
    ...pose,
    x: pose.x + v * Math.cos(pose.heading) * dt,
    y: pose.y + v * Math.sin(pose.heading) * dt,
    heading: pose.heading + omega * dt,
  };
}

function wheelSpeeds(pose: Pose, gains: Gains): [left: number, right: number] {
  const bearing = Math.atan2(WAYPOINT.y - pose.y, WAYPOINT.x - pose.x);
  const error = Math.sin(bearing - pose.heading);
  return [gains.speed - gains.turn * error, gains.speed + gains.turn * error];
}

export function missAfter(gains: Gains, ticks = 60, dt = 0.05): number {
  let pose: Pose = { x: 0, y: 0, heading: 0 };
  let effort = 0;
  for (let t = 0; t < ticks; t++) {
    const [left, right] = wheelSpeeds(pose, gains);
    effort += left * left + right * right;
    pose = drive(pose, left, right, dt);
  }
  const dx = pose.x - WAYPOINT.x;
  const dy = pose.y - WAYPOINT.y;
  return dx * dx + dy * dy + 1e-3 * effort * dt;
}

export const dMissAfter = grad(missAfter);

export const cases = [
  { f: missAfter, df: dMissAfter, args: [{ turn: 0.8, speed: 0.6 }] },
  { f: missAfter, df: dMissAfter, args: [{ turn: 1.5, speed: 0.4 }, 40] },
];
