// Array methods whose values must be f's to the bit, and whose gradients must
// match finite differences, through chains, early exits and nested callbacks.
import { grad, valueAndGrad } from "tsgrad";

/** Sums whose floating-point value depends on the order of the additions. */
export function sumLeft(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}
export const sumLeftVG = valueAndGrad(sumLeft);

export function sumRight(xs: number[]): number {
  return xs.reduceRight((s, x) => s + x);
}
export const sumRightVG = valueAndGrad(sumRight);

/** A mapped chain without an initial value: the first mapped element starts the fold. */
export function chained(xs: number[], w: number): number {
  return xs
    .map((x) => x * w)
    .filter((v) => v > -1)
    .reduce((s, v) => s + Math.exp(v) / 3);
}
export const chainedVG = valueAndGrad(chained);

/** some/every/find over a mapped chain; the index of filter's output. */
export function exits(xs: number[], t: number): number {
  const near = xs.map((x) => (x - t) ** 2);
  const hit = near.some((d) => d < 0.01);
  const first = near.find((d) => d > 1) ?? t;
  const weighted = xs.filter((x) => x > 0).reduce((s, x, i) => s + x * (i + 1), 0);
  return (hit ? 2 : 1) * first + weighted;
}
export const dExits = grad(exits, [0, 1]);

/** A callback declared as a const arrow in the function, used by two methods. */
export function shared(xs: number[], a: number): number {
  const bump = (x: number): number => Math.exp(-a * x * x);
  return xs.map(bump).reduce((s, v) => s + v, 0) + xs.reduce((s, x) => s + bump(x + 1), 0);
}
export const dShared = grad(shared, [0, 1]);

/** && and ?: whose right side walks an array: the walk runs only when JavaScript evaluates it. */
export function lazy(xs: number[], t: number): number {
  const ok = xs.length > 2 && xs.every((x) => x > t);
  return ok ? xs.reduce((s, x) => s + x * t, 0) : xs.length === 0 ? 0 : xs.at(-1)! * t;
}
export const dLazy = grad(lazy, [0, 1]);

/** A for...of over a mapped array, and entries() of a concat. */
export function walks(xs: number[], ys: number[]): number {
  let s = 0;
  for (const v of xs.map((x) => x * x)) s += v;
  const both = xs.concat(ys);
  for (const [i, v] of both.entries()) s += v * (i % 2 === 0 ? 1 : -0.5);
  return s;
}
export const dWalks = grad(walks, [0, 1]);

/** Windows of a signal walked in place: a subarray view, a subarray and a slice in for...of, negative bounds. */
export function windows(signal: Float64Array, size: number): number {
  let total = 0;
  for (let i = 0; i + size <= signal.length; i++) {
    const w = signal.subarray(i, i + size);
    let m = 0;
    for (const x of w) m += x;
    m /= w.length;
    total += w.reduce((s, x) => s + (x - m) ** 2, 0);
    for (const x of signal.subarray(i - signal.length, i + 1)) total += 0.1 * x * m;
  }
  for (const x of signal.slice(-2)) total += x * x;
  return total + signal.subarray(1).map((x) => x * 0.5).reduce((a, b) => a + b);
}
export const dWindows = grad(windows, [0]);

/** A switch case falling through into one that maps in a loop: the case's array is declared on both paths. */
export function fallthrough(xs: number[], k: number): number {
  let s = 0;
  for (let t = 0; t < 3; t++) {
    switch (t % 2) {
      case 0:
        s += k * t;
      // falls through
      case 1: {
        const ys = xs.map((x) => x * k + t);
        s += ys[0]! * ys[ys.length - 1]!;
      }
    }
  }
  return s;
}
export const dFallthrough = grad(fallthrough, [0, 1]);

/**
 * The statements after an `if` whose other branch returns are copied onto both
 * paths (fuzz seed 7331, #473): the array the loop maps is declared twice, and
 * its adjoint buffer, which zeroedLike reuses, was hoisted twice (`let mapped_bar`,
 * a SyntaxError that stopped the whole file loading).
 */
export function tailCopied(xs: number[], k: number): number {
  let s = k;
  if (s > 2) s = 2;
  else if (s < -1) return xs[0]!;
  let ys = [0.5, 0.5];
  for (let t = 0; t < 2; t++) ys = ys.map((y) => 0.5 * y + Math.tanh(s * xs[t]!));
  return ys[0]! * ys[1]!;
}
export const dTailCopied = grad(tailCopied, [0, 1]);

/** Array methods in loop conditions run at the top of every iteration; `continue` tests again. */
export function loopConditions(xs: number[], w: number): number {
  let t = 0;
  let k = 0;
  while (k < 5 && xs.some((x) => x * w > t)) {
    t += 0.5 * w;
    k++;
  }
  do {
    k++;
    if (k % 2 === 0) continue;
    t += w * xs.reduce((a, x) => a + x, 0);
  } while (k < 8 && xs.every((x) => x < t));
  for (let j = 0; j < 3 && xs.reduce((a, x) => a + x * w, 0) > j; j++) t += w;
  const u = w > 0 && xs.some((x) => x > w) ? xs.reduce((a, x) => a + x * x, 0) : w;
  return t + u;
}
export const dLoopConditions = grad(loopConditions, [0, 1]);
export const loopConditionsVG = valueAndGrad(loopConditions);

/** for...of over a filter/map chain, fused into one loop; the break leaves it. */
export function fusedBreak(xs: number[], s: number): number {
  let acc = 0;
  for (const v of xs.filter((x) => x > 0).map((x) => s * x)) {
    if (v > 2) break;
    acc += v * v + 0.1;
  }
  return acc;
}
export const fusedBreakVG = valueAndGrad(fusedBreak, [0, 1]);

/** The body writes the array the chain maps: the mapped array is made first, so every y is w times the original. */
export function keptArrays(xs: number[], w: number): number {
  const ys = [...xs];
  let acc = 0;
  for (const y of ys.map((v) => w * v)) {
    ys[ys.length - 1] = 100;
    acc += y * y;
  }
  return acc;
}
export const keptArraysVG = valueAndGrad(keptArrays, [0, 1]);
export const dFusedBreak = grad(fusedBreak, [0, 1]);
export const dKeptArrays = grad(keptArrays, [0, 1]);
