// Item 9: every blocker of a function in one build, each located and saying
// what to do, and a parameter refused for one field names that field.
import { grad } from "tsgrad";

interface Model {
  w: number;
  labels: string[];
}

function jitter(x: number): number {
  return x * Math.random();
}

export function loss(m: Model, x: number): number {
  const noisy = jitter(x) * m.w;
  try {
    x = x * 2;
  } catch {
    x = 0;
  }
  for (const key in m) void key;
  return noisy + m.w * x;
}

export const dLoss = grad(loss);
