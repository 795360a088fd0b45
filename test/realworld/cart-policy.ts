// A linear policy with a named squashing function steering a point mass to
// the origin; the squash is chosen by a string union and switched on.
import { grad } from "tsgrad";

type Squash = "tanh" | "clip" | "softsign";

interface Rollout {
  squash: Squash;
  maxForce: number;
  steps: number;
}

function squash(u: number, kind: Squash, limit: number): number {
  switch (kind) {
    case "tanh":
      return limit * Math.tanh(u / limit);
    case "softsign":
      return (limit * u) / (limit + Math.abs(u));
    case "clip":
    default:
      return Math.min(limit, Math.max(-limit, u));
  }
}

export function policyCost(weights: [number, number], options: Rollout): number {
  let [x, v] = [1.0, 0.0];
  const dt = 0.1;
  let cost = 0;
  for (let t = 0; t < options.steps; t++) {
    const force = squash(-(weights[0] * x + weights[1] * v), options.squash, options.maxForce);
    v += force * dt;
    x += v * dt;
    cost += x * x + 0.1 * v * v + 0.01 * force * force;
  }
  return cost;
}

export const dPolicy = grad(policyCost);

export const cases = (["tanh", "clip", "softsign"] as const).map((s) => ({
  f: policyCost,
  df: dPolicy,
  args: [[1.5, 1.1], { squash: s, maxForce: 2, steps: 30 }],
}));
