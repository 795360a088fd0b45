// From test/realworld/rocket-ascent.ts: `levels[k + 1] ?? levels[k]`, the
// next phase's level or, after the last, this one. The element's type is
// `number` (without noUncheckedIndexedAccess), so the `??` was dropped as if
// the element were always there: past the end the gradient read undefined and
// every component came out NaN.
import { grad } from "tsgrad";

export function blend(levels: number[], t: number): number {
  let s = 0;
  for (let k = 0; k < levels.length; k++) {
    const next = levels[k + 1] ?? levels[k];
    s += levels[k] * (1 - t) + next * t;
  }
  return s * s;
}

export function lagged(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * (xs[i - 1] ?? 1);
  return s;
}

export const dBlend = grad(blend);
export const dLagged = grad(lagged);
