// Benchmark workload 1, the seed polynomial: plain TypeScript, differentiated by
// the tsgrad transformer when bench/ is compiled with tspc (bench/tsconfig.json).
import { grad } from "tsgrad";

// The seed polynomial 6x² + 2x + 4, called once per x.

export function seed(x: number): number {
  return 6 * x ** 2 + 2 * x + 4;
}

export const seedGrad = grad(seed);

/** Calls the primal once per element of xs and accumulates, so nothing is dead. */
export function seedPrimalLoop(xs: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < xs.length; i++) acc += seed(xs[i]!);
  return acc;
}

/**
 * Calls tsgrad's gradient once per element of xs. `grad(seed)` is written at the
 * call so it compiles to a direct call of the generated seed_grad, like the
 * direct calls of seed and seedHand in the other two loops.
 */
export function seedGradLoop(xs: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < xs.length; i++) acc += grad(seed)(xs[i]!);
  return acc;
}
