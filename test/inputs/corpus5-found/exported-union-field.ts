// From test/realworld/tide-harmonics.ts: an exported string-union type as a
// field of the records a helper's destructured parameter holds. Printing the
// field's type at the rebuilt (parentless) parameter threw inside the checker:
// TS90099 "Cannot read properties of undefined (reading 'id')".
import { grad } from "tsgrad";

export type Name = "a" | "b";

export interface C {
  name: Name;
  amplitude: number;
}

interface Fit {
  mean: number;
  cs: C[];
}

function speed(name: Name): number {
  return name === "a" ? 2 : 3;
}

function predict({ mean, cs }: Fit, t: number): number {
  return cs.reduce((s, { name, amplitude }) => s + amplitude * Math.cos(speed(name) * t), mean);
}

export function loss(fit: Fit, t: number): number {
  return predict(fit, t) ** 2;
}

export const dLoss = grad(loss);
