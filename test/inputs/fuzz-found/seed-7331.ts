// Programs the fuzzer found at seed 7331 (test/fuzz/), each as small as shows it.
import { grad, jvp, stopGradient, valueAndGrad } from "tsgrad";

// #535: Math.hypot(...xs) was the runtime's norm, which rounds differently, so
// valueAndGrad's value differed from f's in the last bit.
export function length(xs: number[]): number {
  return Math.hypot(...xs);
}
export const lengthValueAndGrad = valueAndGrad(length);
export const lengthJvp = jvp(length);

// #71: stopGradient of a parenthesised test's ?: in a ?: branch, under ??, was
// refused as a function whose body tsgrad cannot see.
export function damped(x: number, c: number): number {
  const v = (c > 0 ? stopGradient((x < 3) ? x * x : x) : undefined) ?? 2 * x;
  return v * x;
}
export const dDamped = grad(damped);

// #100: arrays spread into a rest parameter among other arguments, where no
// statement can build the joined array first, were refused.
function total(...xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return s;
}
function scaled(a: number, ...rest: number[]): number {
  return a * total(...rest);
}
export function spreads(x: number, xs: number[], ys: number[]): number {
  const branch = x > 0 ? total(x, ...xs) : total(...ys, x);
  const nested = total(total(...xs, ...ys), ...xs);
  const computed = total(...xs.slice(1), ...ys);
  return branch + 0.01 * nested + computed + (x > 1 && scaled(x, x, ...ys) > 0 ? 1 : 0) + scaled(x, ...xs);
}
export const dSpreads = grad(spreads, [0, 1, 2]);
