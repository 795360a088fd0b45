// Fuzz seed 5150 #237, minimised by hand: grad(grad(f1)) at x0 = 1.685102618
// gives 19845184.3, where central differences of grad(f1) (itself right, checked
// against differences of f1) give 68758.367 at every step from 1e-3 to 1e-6.
// A recursive helper whose recursive calls nest (f0(x2, f0(v0, ...), ...)),
// called with a sum of two of its own calls. With Math.sin(x0) * x1 as v0 the
// result is right; at x0 = 0.6 it is right too.
import { grad } from "tsgrad";

const f0 = (x0: number, x1: number, x2: number, n3: number): number => {
  if (n3 <= 0) return x1;
  const v0 = Math.atan(4 * x0) + Math.log2(1 + Math.exp(4 * x0)) * x1;
  return f0(x2, f0(v0, x1, -2, n3 - 1), -2, n3 - 1) + 0.25 * v0;
};

export function f1(x0: number, a1: number[]): number {
  return f0(x0, 3, f0(x0, x0, a1[0], 2) + f0(x0, x0, a1[1], 2), 2);
}

export const df = grad(f1);
export const ddf = grad(grad(f1));
