// Benchmark workloads of the transforms beyond grad (issue 15): a Hessian, the
// Jacobians of a vector-valued function, and a long rollout through a
// checkpointed step. Plain TypeScript, differentiated by the tsgrad transformer
// when bench/ is compiled with tspc (bench/tsconfig.json).
import { checkpoint, grad, hessian, jacfwd, jacobian } from "tsgrad";

// Rosenbrock (bench/rosenbrock.ts), its Hessian at n = 100: forward over reverse, one row per element.
export function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    s += 100 * a * a + b * b;
  }
  return s;
}

export const rosenbrockHessian = hessian(rosenbrock);

// Lorenz-96, the right-hand side of an ODE with one output per state (50 here):
// du_i/dt = (u_{i+1} - u_{i-2}) u_{i-1} - u_i + F, indices cyclic.
export function lorenz96(u: Float64Array): Float64Array {
  const n = u.length;
  const du = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const next = u[(i + 1) % n]!;
    const prev = u[(i + n - 1) % n]!;
    const prev2 = u[(i + n - 2) % n]!;
    du[i] = (next - prev2) * prev - u[i]! + 8;
  }
  return du;
}

export const lorenz96Jacobian = jacobian(lorenz96);
export const lorenz96Jacfwd = jacfwd(lorenz96);

// A damped pendulum θ'' = -p sin θ - c θ', integrated by RK4 with step h for
// 10^6 steps. The state is two numbers; each step function computes the four
// stages and returns one component of the new state.

const H = 1e-5;

/** The RK4 increment of the state (θ, ω) over one step, component `which` (0: θ, 1: ω). */
function rk4(theta: number, omega: number, p: number, c: number, which: number): number {
  const k1t = omega;
  const k1o = -p * Math.sin(theta) - c * omega;
  const k2t = omega + 0.5 * H * k1o;
  const k2o = -p * Math.sin(theta + 0.5 * H * k1t) - c * k2t;
  const k3t = omega + 0.5 * H * k2o;
  const k3o = -p * Math.sin(theta + 0.5 * H * k2t) - c * k3t;
  const k4t = omega + H * k3o;
  const k4o = -p * Math.sin(theta + H * k3t) - c * k4t;
  return which === 0 ? theta + (H / 6) * (k1t + 2 * k2t + 2 * k3t + k4t) : omega + (H / 6) * (k1o + 2 * k2o + 2 * k3o + k4o);
}

const thetaStep = checkpoint((theta: number, omega: number, p: number, c: number): number => rk4(theta, omega, p, c, 0));
const omegaStep = checkpoint((theta: number, omega: number, p: number, c: number): number => rk4(theta, omega, p, c, 1));

/** The rollout through checkpointed steps: the tape keeps θ and ω per step. */
export function rolloutCheckpointed(p: number, c: number, steps: number): number {
  let theta = 1;
  let omega = 0;
  for (let t = 0; t < steps; t++) {
    const next = thetaStep(theta, omega, p, c);
    omega = omegaStep(theta, omega, p, c);
    theta = next;
  }
  return theta * theta + omega * omega;
}

/** The same rollout with the RK4 step written in the loop: its stages go on the tape too. */
export function rolloutInline(p: number, c: number, steps: number): number {
  let theta = 1;
  let omega = 0;
  for (let t = 0; t < steps; t++) {
    const k1t = omega;
    const k1o = -p * Math.sin(theta) - c * omega;
    const k2t = omega + 0.5 * H * k1o;
    const k2o = -p * Math.sin(theta + 0.5 * H * k1t) - c * k2t;
    const k3t = omega + 0.5 * H * k2o;
    const k3o = -p * Math.sin(theta + 0.5 * H * k2t) - c * k3t;
    const k4t = omega + H * k3o;
    const k4o = -p * Math.sin(theta + H * k3t) - c * k4t;
    theta = theta + (H / 6) * (k1t + 2 * k2t + 2 * k3t + k4t);
    omega = omega + (H / 6) * (k1o + 2 * k2o + 2 * k3o + k4o);
  }
  return theta * theta + omega * omega;
}

export const rolloutCheckpointedGrad = grad(rolloutCheckpointed, [0, 1]);
export const rolloutInlineGrad = grad(rolloutInline, [0, 1]);

// A few outputs over a costly forward sweep: each output a weighted sum of a
// feature of every input (m = 2 and 10 here, 2,000 inputs). jacobian(f) runs
// the forward sweep once and the backward sweep once per output.
export function features(x: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp(Math.sin(x[i]!) * 0.5);
    for (let k = 0; k < m; k++) out[k] += e * Math.cos((k + 1) * x[i]!);
  }
  return out;
}

export const featuresJacobian = jacobian(features);
export const featuresJacfwd = jacfwd(features);
