// A pendulum integrated with classical Runge-Kutta; the derivative helper
// returns a tuple and the stages are combined with small vector helpers.
import { grad } from "tsgrad";

type Vec2 = [number, number];

const add = (a: Vec2, b: Vec2, s = 1): Vec2 => [a[0] + s * b[0], a[1] + s * b[1]];

function derivative([theta, omega]: Vec2, length: number, g = 9.81): Vec2 {
  return [omega, -(g / length) * Math.sin(theta)];
}

export function swingAngle(length: number, theta0: number, duration = 1.0, steps = 50): number {
  const h = duration / steps;
  let state: Vec2 = [theta0, 0];
  for (let i = 0; i < steps; i++) {
    const k1 = derivative(state, length);
    const k2 = derivative(add(state, k1, h / 2), length);
    const k3 = derivative(add(state, k2, h / 2), length);
    const k4 = derivative(add(state, k3, h), length);
    state = [
      state[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
      state[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
    ];
  }
  return state[0];
}

export const dSwing = grad(swingAngle, [0, 1]);

export const cases = [{ f: swingAngle, df: dSwing, args: [1.5, 0.6], wrt: [0, 1] }];
