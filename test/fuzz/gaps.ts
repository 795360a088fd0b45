// Constructs of the subset that tsgrad currently gets wrong. Each is a
// generator feature (gen.ts FEATURES) switched off in `npm test` until the
// bug is fixed; `reproducer` is the smallest program that shows it. Run with
// FUZZ_GAPS=all to generate them anyway.

import type { Feature } from "./gen.js";

export interface KnownGap {
  /** The generator features switched off while the gap is open. */
  readonly features: readonly Feature[];
  /** What goes wrong, with the smallest program that shows it. */
  readonly reproducer: string;
}

export const KNOWN_GAPS: readonly KnownGap[] = [
  {
    features: ["raw-division"],
    reproducer: `A value that does not reach the result on the path taken (the other branch of a
?: or if, or overwritten before it is used) still gets an adjoint, emitted as
0 * (its partial derivative); where that partial is infinite the gradient is NaN instead of
the true value (PyTorch gives it: the value is not in the graph of the result; JAX's
jnp.where has the same NaN, a known gotcha there):
  function h(x: number, c: number): number {
    const v = Math.exp(1000 * x);
    return c > 0 ? v : x;
  }
  grad(h)(1, -1);  // NaN: h_grad ends with x_bar += 1000 * (v_bar * Math.exp(1000 * x)), v_bar = 0; expected 1
  function g(x: number): number {
    let y = Math.sqrt(x);
    y = x * x;
    return y;
  }
  grad(g)(0);      // NaN; expected 0
Generated programs hit it through a / i with a loop counter i = 0 in a value that is
overwritten or not used on the branch taken. (The checker also skips a NaN gradient after
an overflow to Infinity, live or not, as ill-conditioned: there no AD can do better, so
overflows cannot show this gap.) An unused const, e.g. const u = Math.sqrt(x), gave NaN
the same way until commit f83b9f0; it now gives the right value.`,
  },
  {
    features: ["struct-array-field"],
    reproducer: `An array field of a record passed to a user function is refused:
  function f(x0: number, a1: number[]): number { return x0 * a1[0]; }
  function S(p: { x0: number; a1: number[] }): number { return f(p.x0, p.a1); }
  grad(S);  // error TS90011: this field is an array; index it or pass it to a runtime function.`,
  },
];
