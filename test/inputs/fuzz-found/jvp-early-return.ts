// Found by the fuzzer: jvp of a function that returns from inside a loop. The
// simplifier took the loop for dead code (it wrote nothing read afterwards) and
// dropped it with its return: jvp(f)(2, 1, 1, 0) gave [2, 1] instead of [0, 0].
import { jvp } from "tsgrad";

export function f(x: number, y: number): number {
  for (let i = 0; i < 2; i++) {
    if (x >= y) return x * i;
  }
  return y * x;
}

export const df = jvp(f);
