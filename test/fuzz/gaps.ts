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
    features: ["additive-chain"],
    reproducer: `Consecutive additive updates of a variable are merged, which reassociates floating-point
additions: valueAndGrad's value is then not bit-identical to f's (README: "the value is
bit-identical to calling f"), and the forward values the backward sweep uses change too:
  function f(x: number, y: number): number {
    let v = x;
    v -= y;
    v += 0.1;          // also: v = v - y; v = v + 0.1;   v++; v += 0.1;   v++; v++;
    return v;
  }
  f(1, 0.3);                  // 0.7999999999999999 = (1 - 0.3) + 0.1
  valueAndGrad(f)(1, 0.3)[0]; // 0.8: f_valueAndGrad emits v -= y - 0.1
  // v++; v += 0.1 becomes v += 1.1, v++; v++ becomes v += 2 (differs for some x).`,
  },
  {
    features: ["while-in-loop"],
    reproducer: `A while / do...while loop inside another loop pushes its trip count on the control
stack in the forward sweep, but when its body has nothing to differentiate the backward
sweep never pops it. The entries are left on the stack after grad returns (stackDepth()
is not 0; the stack grows with every call), and branch decisions popped after them are
misaligned: the backward sweep takes the wrong branch (a silently wrong gradient) or pops
values that were never saved ("the backward sweep read more values than the forward
sweep saved"):
  function r(x: number): number {
    let v = x;
    for (let i = 0; i < 3; i++) {
      let w = 0;
      do { w++; } while (w < 1);
      if (x > w) { v = 3 * v; } else { v = 2 * v; }
    }
    return v;
  }
  grad(r)(0.5);   // 12; r(x) = 8x for x < 1, so 8
  // r_grad: the forward loop does pushControl(_n0) and pushControl(branch) each
  // iteration; the backward loop only pops the branch.
  function a(x: number): number {
    for (let i = 0; i < 2; i++) { let w = 0; do { w++; } while (w < 1); }
    return x * x;
  }
  grad(a)(3);     // 6, right, but leaves 2 entries on the control stack`,
  },
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
];
