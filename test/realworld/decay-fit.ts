// Fit a radioactive decay curve to counts: the model validates its inputs
// and throws on nonsense, as library code does; the data are declared with
// `satisfies` so their literal types are checked.
import { grad } from "tsgrad";

type Reading = readonly [time: number, counts: number];

const READINGS = [
  [0, 1000],
  [1, 820],
  [2, 680],
  [4, 450],
  [8, 205],
] as const satisfies readonly Reading[];

export function decayModel(t: number, initial: number, halfLife: number): number {
  if (halfLife <= 0) throw new RangeError("half-life must be positive");
  return initial * 2 ** (-t / halfLife);
}

export function poissonDeviance(initial: number, halfLife: number): number {
  let deviance = 0;
  for (const [t, observed] of READINGS) {
    const expected = decayModel(t, initial, halfLife);
    deviance += 2 * (observed * Math.log(observed / expected) - (observed - expected));
  }
  return deviance;
}

export const dDeviance = grad(poissonDeviance, [0, 1]);

export const cases = [{ f: poissonDeviance, df: dDeviance, args: [980, 3.6], wrt: [0, 1] }];
