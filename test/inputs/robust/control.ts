// switch, try/catch/finally, labelled statements, with transform calls inside
// them and transform calls of functions that use them.
import { grad } from "tsgrad";

export function pick(x: number, k: number): number {
  switch (k) {
    case 0:
      return x;
    default:
      return x * x;
  }
}

export function labelled(x: number): number {
  let y = x;
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if (j === i) continue outer;
      y = y * x;
    }
  }
  return y;
}

export function guarded(x: number): number {
  try {
    return x * x;
  } catch {
    return 0;
  }
}

export const dPick = () => grad(pick)(2, 1);
export const dLabelled = () => grad(labelled)(2);
export const dGuarded = () => grad(guarded)(2);

export function host(xs: number[]): number {
  let total = 0;
  scan: for (const x of xs) {
    const sq = (v: number): number => v * v;
    total += grad(sq)(x);
    if (total > 100) break scan;
  }
  try {
    total += grad((v: number) => v * 3)(1);
  } catch {
    total = -1;
  } finally {
    total += 0;
  }
  switch (xs.length) {
    case 0: {
      const h = (v: number): number => v * 5;
      return grad(h)(0);
    }
    case 1:
      const k = (v: number): number => 2 * v * v;
      return grad(k)(1) + total;
    default:
      return total;
  }
}
