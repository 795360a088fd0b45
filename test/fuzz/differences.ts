// Central differences for the second-order checks (transforms-check.ts and
// more-transforms-check.ts): a derivative the transformer computed, against
// differences of a lower-order one that the traced f allows at this point.

import { argsOf } from "./check.js";
import type { ExtrasTarget } from "./transforms-check.js";

/** true (agrees with `exact`), false (two agreeing estimates disagree with it) or null (no verdict). */
export type Along = (at: (y: readonly number[]) => number, d: readonly number[], exact: number) => boolean | null;

/**
 * Central differences of `at` along `d`, Richardson-extrapolated at steps h,
 * h/4, ..., counted only where the traced f takes the centre's decisions at
 * every step.
 */
export function differences(c: { readonly t: ExtrasTarget; readonly x: readonly number[]; readonly centre: readonly number[] }): { along: Along } {
  const { t, x, centre } = c;
  const skip = t.skip;
  const same = (y: readonly number[]): boolean => {
    t.tracer.reset();
    t.traced(...argsOf(t.kinds, t.prog.n, y));
    return t.tracer.trace.length === centre.length && t.tracer.trace.every((e, i) => e === centre[i]);
  };
  return {
    along(at, d, exact) {
      const size = Math.max(1, ...x.map((v, k) => (d[k] ? Math.abs(v) : 0)));
      const h0 = 1e-3 * size;
      const step = (s: number): { v: number; ok: boolean } => {
        const y = x.map((v, k) => v + s * d[k]!);
        return { v: at(y), ok: same(y) };
      };
      let previous: { value: number; noise: number } | null = null;
      let agreeing = false;
      let pairs = 0;
      // Consecutive settled pairs: three successive estimates that agree. One pair can agree by chance
      // where the function changes below every step: sin(y) at y = 5.6e30 (seed 20240611 #484, jacfwd(V)[2][0],
      // whose ulp is 1e15) had estimates 5141 and 5192 at h = 1.1e-4 and 2.8e-5 between -55, 2686 and
      // -190170, and failed a right derivative (-8.3e31, which jacobian's rows from vjp confirm).
      let run = 0;
      for (let k = 0; k <= 5; k++) {
        const h = h0 / 4 ** k;
        const [a, b, p, q] = [step(h / 2), step(-h / 2), step(h), step(-h)];
        const estimate = (4 * ((a.v - b.v) / h) - (p.v - q.v) / (2 * h)) / 3;
        if (!(a.ok && b.ok && p.ok && q.ok) || !Number.isFinite(estimate)) {
          previous = null;
          run = 0;
          continue;
        }
        const scale = 1 + Math.abs(exact) + Math.abs(estimate);
        // What rounding the values alone leaves in the estimate: a derivative of 1e-3 of a function of
        // 4e8 (seed 90210, #7) is below it, and two estimates of 0 would agree on a wrong verdict.
        const noise = (64 * Number.EPSILON * Math.max(Math.abs(a.v), Math.abs(b.v), Math.abs(p.v), Math.abs(q.v))) / h;
        if (Math.abs(exact - estimate) <= 1e-5 * scale + noise) return true;
        if (previous !== null) {
          pairs++;
          run = settled(previous.value, estimate, scale, previous.noise + noise) ? run + 1 : 0;
          if (run >= 2) agreeing = true;
        }
        previous = { value: estimate, noise };
      }
      // Successive estimates that never settle: the function changes on a scale below every step
      // (sin of 4e9, seed 9191 #130), so the differences say nothing about the derivative.
      if (!agreeing && pairs > 0) skip?.("differences change with the step");
      return agreeing ? false : null;
    },
  };
}

/**
 * Whether two successive estimates agree: within 1e-6 of the scale, and with
 * each other, to 1% or to their rounding noise. Agreeing only against the
 * scale is not enough: estimates of sin(y) at y = 4e9 are below 1e-6 at every
 * step (|sin(y + h) - sin(y - h)| / h <= 2 / h, h >= 4e3) and so agreed on 0
 * though they change sign from one step to the next, and a right cos(y) was
 * failed on them. A derivative that is really about 0 has estimates of 0 to
 * the noise, and still fails a transform that says otherwise.
 */
export function settled(a: number, b: number, scale: number, noise: number): boolean {
  const gap = Math.abs(a - b);
  return gap <= 1e-6 * scale && gap <= 1e-2 * Math.max(Math.abs(a), Math.abs(b)) + noise;
}
