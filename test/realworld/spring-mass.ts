// A damped spring-mass system integrated with semi-implicit Euler; the loss is
// how far the mass ends from a target position. State is a [position,
// velocity] tuple, parameters are a record.
import { grad } from "tsgrad";

type State = [position: number, velocity: number];

export interface Spring {
  stiffness: number;
  damping: number;
  mass: number;
}

function step([x, v]: State, { stiffness, damping, mass }: Spring, dt: number): State {
  const force = -stiffness * x - damping * v;
  const vNext = v + (dt * force) / mass;
  return [x + dt * vNext, vNext];
}

export function finalMiss(spring: Spring, start: State, target = 0.25, steps = 200, dt = 0.01): number {
  let state = start;
  for (let i = 0; i < steps; i++) {
    state = step(state, spring, dt);
  }
  const [x] = state;
  return (x - target) ** 2;
}

export const dFinalMiss = grad(finalMiss);
export const dFinalMissStart = grad(finalMiss, 1);

const spring: Spring = { stiffness: 4.0, damping: 0.3, mass: 1.2 };

export const cases = [
  { f: finalMiss, df: dFinalMiss, args: [spring, [1.0, 0.0]] },
  {
    f: finalMiss,
    df: dFinalMissStart,
    args: [spring, [1.0, -0.5], 0.1, 50],
    wrt: 1,
  },
];
