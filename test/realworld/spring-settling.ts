// Damped spring released from x = 1: energy dissipated until it settles, with
// optional nested config (optional chaining), a while (true) loop and break.
import { grad } from "tsgrad";

interface Config {
  damping?: number;
  limits?: { maxSteps?: number; tol?: number };
}

export function settle(k: number, c: number, cfg: Config): number {
  const damping = cfg.damping ?? 0.1;
  const maxSteps = cfg.limits?.maxSteps ?? 200;
  const tol = cfg.limits?.tol ?? 1e-9;
  let x = 1;
  let v = 0;
  const dt = 0.01;
  let steps = 0;
  let energy = 0;
  while (true) {
    const a = -k * x - (c + damping) * v;
    v += a * dt;
    x += v * dt;
    energy += 0.5 * k * x * x * dt;
    steps++;
    if (steps >= maxSteps) break;
    if (Math.abs(x) < tol && Math.abs(v) < tol) break;
  }
  return energy;
}

export const dSettle = grad(settle, [0, 1]);
export const cases = [
  {
    f: settle,
    df: dSettle,
    args: [4, 0.5, { limits: { maxSteps: 300 } }],
    wrt: [0, 1],
  },
  { f: settle, df: dSettle, args: [2, 0.2, { damping: 0.3 }], wrt: [0, 1] },
];
