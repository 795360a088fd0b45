// Cost of a model-predictive controller's horizon for a car following a
// curved lane, with the kinematic bicycle model integrated by forward Euler.
// The controls are [acceleration, steering] pairs, one per step.
import { grad } from "tsgrad";

export interface CarState {
  x: number;
  y: number;
  heading: number;
  speed: number;
}

export type Control = [accel: number, steer: number];

export interface MpcOptions {
  dt?: number;
  wheelbase?: number;
  targetSpeed?: number;
  weights?: { lateral: number; heading: number; speed: number; effort: number };
}

const LANE_CURVATURE = 0.02; // 1/m, a gentle left-hand bend

function laneAt(x: number): { y: number; heading: number } {
  // A circle of radius 1/kappa tangent to the x-axis at the origin.
  const r = 1 / LANE_CURVATURE;
  const y = r - Math.sqrt(r * r - x * x);
  return { y, heading: Math.atan2(x, Math.sqrt(r * r - x * x)) };
}

function step(s: CarState, [accel, steer]: Control, dt: number, wheelbase: number): CarState {
  return {
    x: s.x + s.speed * Math.cos(s.heading) * dt,
    y: s.y + s.speed * Math.sin(s.heading) * dt,
    heading: s.heading + (s.speed / wheelbase) * Math.tan(steer) * dt,
    speed: s.speed + accel * dt,
  };
}

export function horizonCost(
  controls: Control[],
  start: CarState,
  { dt = 0.1, wheelbase = 2.7, targetSpeed = 15, weights = { lateral: 4, heading: 2, speed: 0.1, effort: 0.5 } }: MpcOptions = {},
): number {
  let state = start;
  let cost = 0;
  for (const control of controls) {
    state = step(state, control, dt, wheelbase);
    const lane = laneAt(state.x);
    const lateral = state.y - lane.y;
    const headingError = state.heading - lane.heading;
    cost +=
      weights.lateral * lateral ** 2 +
      weights.heading * headingError ** 2 +
      weights.speed * (state.speed - targetSpeed) ** 2 +
      weights.effort * (control[0] ** 2 + 10 * control[1] ** 2);
  }
  return cost;
}

export const dControls = grad(horizonCost);
export const dStart = grad(horizonCost, 1);

const START: CarState = { x: 0, y: 0.3, heading: 0.05, speed: 12 };
const CONTROLS: Control[] = Array.from({ length: 12 }, (_, k): Control => [0.8 - 0.05 * k, 0.04 + 0.002 * k]);

export const cases = [
  { f: horizonCost, df: dControls, args: [CONTROLS, START] },
  { f: horizonCost, df: dStart, args: [CONTROLS, START, { dt: 0.05, targetSpeed: 13 }], wrt: 1 },
];
