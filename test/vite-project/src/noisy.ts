// Entry of the failing build in test/vite.test.ts: Math.random() inside a
// differentiated function is TS90003 at line 6, column 22.
import { grad } from "tsgrad";

export function noisy(x: number): number {
  return x * x + 0.1 * Math.random();
}

console.log(grad(noisy)(2));
