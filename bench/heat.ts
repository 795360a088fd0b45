// Benchmark workload: the 1-D heat equation, explicit finite differences on
// 200 cells for 1000 time steps, the two buffers swapped after each step
// (`u = next; next = tmp`) as a simulation is written; the loss is the squared
// misfit of the final profile to a measured one. Differentiated w.r.t. the
// diffusivity and the initial profile. The hand-written adjoint below keeps
// every time step's profile, as the generated one must.
import { grad } from "tsgrad";

export function heat(
  diffusivity: number,
  initial: Float64Array,
  measured: Float64Array,
  steps: number,
): number {
  const n = initial.length;
  const dx = 1 / (n - 1);
  const dt = 0.2 * dx * dx;
  const c = (diffusivity * dt) / (dx * dx);
  let u = new Float64Array(n);
  let next = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = initial[i]!;
  for (let t = 0; t < steps; t++) {
    next[0] = 0;
    next[n - 1] = 0;
    for (let i = 1; i < n - 1; i++)
      next[i] = u[i]! + c * (u[i - 1]! - 2 * u[i]! + u[i + 1]!);
    const tmp = u;
    u = next;
    next = tmp;
  }
  let misfit = 0;
  for (let i = 0; i < n; i++) misfit += (u[i]! - measured[i]!) ** 2;
  return misfit;
}

export const heatGrad = grad(heat, [0, 1]);

/** Every time step's profile, kept between calls (a careful person reuses the buffer). */
let trajectory = new Float64Array(0);

/**
 * The gradient written by hand: the forward steps store each profile, then the
 * adjoint profile runs backward through the (linear) update, taking the
 * diffusivity's share from the stored profile's second difference.
 */
export function heatHand(
  diffusivity: number,
  initial: Float64Array,
  measured: Float64Array,
  steps: number,
): [number, Float64Array] {
  const n = initial.length;
  const dx = 1 / (n - 1);
  const dt = 0.2 * dx * dx;
  const k = dt / (dx * dx);
  const c = diffusivity * k;
  if (trajectory.length < (steps + 1) * n)
    trajectory = new Float64Array((steps + 1) * n);
  const u = trajectory;
  u.set(initial);
  for (let t = 0; t < steps; t++) {
    const at = t * n;
    u[at + n] = 0;
    u[at + 2 * n - 1] = 0;
    for (let i = 1; i < n - 1; i++)
      u[at + n + i] =
        u[at + i]! + c * (u[at + i - 1]! - 2 * u[at + i]! + u[at + i + 1]!);
  }
  let bar = new Float64Array(n);
  let prev = new Float64Array(n);
  for (let i = 0; i < n; i++) bar[i] = 2 * (u[steps * n + i]! - measured[i]!);
  let cBar = 0;
  for (let t = steps - 1; t >= 0; t--) {
    const at = t * n;
    // next[i] = u[i] + c (u[i-1] - 2u[i] + u[i+1]) for 0 < i < n - 1; the ends are set to 0.
    prev.fill(0);
    for (let i = 1; i < n - 1; i++) {
      const b = bar[i]!;
      cBar += b * (u[at + i - 1]! - 2 * u[at + i]! + u[at + i + 1]!);
      prev[i - 1]! += c * b;
      prev[i]! += (1 - 2 * c) * b;
      prev[i + 1]! += c * b;
    }
    const swap = bar;
    bar = prev;
    prev = swap;
  }
  return [cBar * k, bar];
}
