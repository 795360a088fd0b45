// From test/realworld/tide-harmonics.ts: a record whose field is an array of
// records holding a string (`cs: C[]`), passed whole to a helper that
// destructures it. The helper's gradient for `cs` was added into the caller's
// with `+` (`fit_cs_bar += _r0.cs`), which concatenated the records into a string.
import { grad } from "tsgrad";

type Name = "a" | "b";

interface C {
  name: Name;
  amplitude: number;
}

interface Fit {
  mean: number;
  cs: C[];
}

function predict({ mean, cs }: Fit, t: number): number {
  return cs.reduce((s, c) => s + c.amplitude * t, mean);
}

export function loss(fit: Fit): number {
  return predict(fit, 2) ** 2;
}

/** The array passed on by itself, not as a field. */
function weighted(cs: C[], t: number): number {
  return cs.reduce((s, c) => s + c.amplitude * c.amplitude * t, 0);
}

export function direct(cs: C[]): number {
  return weighted(cs, 3) + weighted(cs, 1);
}

export const dLoss = grad(loss);
export const dDirect = grad(direct);
