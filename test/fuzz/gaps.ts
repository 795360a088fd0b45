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
    features: ["rest-param-in-loop"],
    reproducer: `Forward over reverse (grad(grad(f)), hessian, jvp of a gradient) does not go through an
array that the reverse sweep keeps once per loop iteration (keepArray / restoreArray / zeroedLike):
the build is refused, never wrong. A call of a rest helper passes an array literal of its arguments,
made once per iteration in a loop (FUZZ_SEED=20240611 FUZZ_ONLY=311 with the feature on):
  function f(x: number, xs: number[]): number {
    let s = 0;
    for (let i = 0; i < 2; i++) {
      const t = [...xs, x];
      s += sum(t) * x;
    }
    return s;
  }
  grad(grad(f));  // error TS90001: forward mode through zeroedLike() is not supported yet
grad of the same programs passes.`,
  },
  {
    features: ["struct-array-field"],
    reproducer: `An array field of a record passed to a user function now compiles and checks
(grad, valueAndGrad and jvp of S(p: { x0: number; a1: number[] }) = f(p.x0, p.a1): 600 programs,
FUZZ_GAPS=struct-array-field FUZZ_RUNS=600). What is left is jvp(S) where the array reaches a
helper whose generated adjoint keeps and restores a local array it overwrites, which forward mode
does not go through (FUZZ_SEED=20240611 FUZZ_ONLY=559 FUZZ_GAPS=struct-array-field):
  error TS90001: forward mode through zeroedLike() is not supported yet (then restoreArray()).`,
  },
];
