// Benchmark workload 4, the pendulum rollout: plain TypeScript over Float64Array, differentiated
// by the tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad } from "tsgrad";

// Pendulum rollout: explicit Euler, state (θ, ω); loss on the final state.
//    Differentiated w.r.t. the initial angle θ0 and the damping c.

export function pendulum(theta0: number, c: number, steps: number, dt: number, gOverL: number): number {
  let theta = theta0;
  let omega = 0;
  for (let s = 0; s < steps; s++) {
    omega += dt * (-gOverL * Math.sin(theta) - c * omega);
    theta += dt * omega;
  }
  return theta * theta + 0.1 * omega * omega;
}

export const pendulumGrad = grad(pendulum, [0, 1]);
