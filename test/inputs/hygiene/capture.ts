// Inline arrows that read a variable of the scope they are written in.
import { grad } from "tsgrad";

/** The inline arrow reads the parameter of the enclosing expression-bodied arrow. */
export const slopeAt = (y: number): number => grad((x: number) => x * y)(2);

/** The inline arrow reads the loop variable of a for...of without braces. */
export function sumOfSlopes(ks: number[]): number {
  let total = 0;
  for (const k of ks) total += grad((x: number) => k * x * x)(1);
  return total;
}

/** A module-level `y` that the generated code must not read instead. */
export const y = 100;
export const k = 1000;
