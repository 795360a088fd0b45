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

// The two closed before (rest-param-in-loop, struct-array-field: forward
// over reverse through arrays kept per loop iteration, and a rest helper's
// argument list refused when an argument spread an array) pass 600 programs
// with FUZZ_GAPS=rest-param-in-loop,struct-array-field; their programs are
// fixtures/kept-arrays.ts and test/inputs/fuzz-found/rest-spread-argument.ts.
export const KNOWN_GAPS: readonly KnownGap[] = [
  {
    // Seed 5150: 7 of 300 programs (#74, #113, #130, #136, #180, #186, #224) fail,
    // every one through this; more forms in test/corpus4-found.test.ts.
    features: ["records-step-alias"],
    reproducer: `writes to a record of a local array made through another name for it are dropped,
from the value of valueAndGrad and from the gradient (no diagnostic):
  function f(k: number): number {
    const bodies: { x: number; v: number }[] = [{ x: k, v: 2 }];
    for (let j = 0; j < bodies.length; j++) {
      const p = bodies[j];
      p.x *= k;
    }
    return bodies[0].x; // valueAndGrad(f)(1.3) gives [1.3, 1], not [1.69, 2.6]
  }`,
  },
];
