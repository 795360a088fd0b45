// Fuzz seed 5150 #107, minimised: grad(grad(f)) refuses this f with TS90001
// "tsgrad cannot yet differentiate through this value" located at the
// function itself. grad(f) compiles, and so does grad(grad(f)) without the
// early return, without the negation (x0 > Math.tanh(x0)), or with ?: in place of ??.
import { grad, zeros } from "tsgrad";

export function f(x0: number, n1: number): number {
  if (n1 <= 0) return x0 * x0;
  const b0 = zeros(2);
  const v1 = (!(x0 <= Math.tanh(x0)) ? x0 : undefined) ?? b0.reduceRight((m3, m2) => 0.5 * m3 + 0.5, 0);
  return v1 * x0;
}

export const df = grad(f);
export const ddf = grad(grad(f));
