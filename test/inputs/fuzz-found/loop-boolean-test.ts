// A boolean declared in a loop body and tested by an if in that body: the
// backward sweep must replay each iteration's decision, not the last value.
import { grad } from "tsgrad";

export function f(w: number, xs: number[]): number {
  let t = 0;
  let k = 0;
  while (true) {
    const test = k < 5;
    let found = false;
    if (test) {
      for (let i = 0; i < xs.length; i++) {
        if (xs[i]! * w > t) {
          found = true;
          break;
        }
      }
    }
    if (!(test && found)) break;
    t += 0.5 * w;
    k++;
  }
  return t;
}

export const df = grad(f);
