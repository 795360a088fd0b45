// valueAndGrad's value must be f's value bit for bit: -0, NaN and rounding included.
import { dot, logSumExp, map, map2, max, mean, min, norm, prod, sum, valueAndGrad } from "tsgrad";

export const plusZero = (x: number): number => x + 0;
export const zeroMinus = (x: number): number => 0 - x;
export const reciprocalOfZeroMinus = (x: number): number => 1 / (0 - x);
export const constantFirst = (x: number): number => x * 3 * 5 + x / 3 / 7;

export function poly(x: number): number {
  let acc = 0;
  for (let k = 0; k < 5; k++) acc = acc * x + (k + 1) / 3;
  return acc;
}

export function branches(x: number, y: number): number {
  let r = x * y;
  if (x > y) r = r - x / 3;
  else if (x === y) r = -r;
  return x < 0 || y < 0 ? r * 0.1 : r + 0.1;
}

export function mathChain(x: number): number {
  const a = Math.sin(x) * Math.exp(-x * x) + Math.tanh(x / 7);
  const b = Math.hypot(a, x, 0.3) - Math.atan2(x, 0.7) + Math.log1p(x * x);
  return b ** 3 + Math.cbrt(a) - Math.max(a, b, 0.25) * Math.min(x, 1.5) + (x % 0.7);
}

export function halvings(x: number): number {
  let y = x * x + 1;
  let n = 0;
  while (y > 1) {
    y = y / 3;
    n++;
  }
  return y * n + y;
}

export function rosenbrock(x: number[]): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

export function buffers(x: Float64Array): number {
  const u = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    u[i] = x[i]! / 3;
    u[i] += Math.sin(x[i]!);
    u[i] = u[i]! * u[i]! + 0.1;
  }
  return dot(u, x) / 7 + u[0]!;
}

export function reductions(x: Float64Array, y: Float64Array): number {
  return mean(x) / 3 + dot(x, y) + prod(y) + max(x) - min(y) + norm(x) + logSumExp(y) + sum(y) / 7;
}

export function mapped(x: Float64Array, y: Float64Array): number {
  const a = map(x, (v) => v / 3 + Math.sin(v));
  const b = map2(a, y, (u, v) => (u > v ? u * v : Math.exp(u - v) / 3));
  return sum(b) + norm(a) / 7;
}

export function forOf(xs: number[]): number {
  let s = 0.1;
  for (const x of xs) {
    if (x < 0) continue;
    s = s * 1.1 + x / 3;
    if (s > 50) break;
  }
  return s;
}

export function recursive(x: number, n: number): number {
  if (n <= 0) return x / 3;
  return Math.sin(recursive(x, n - 1)) + x / 7;
}

export const vgPlusZero = valueAndGrad(plusZero);
export const vgZeroMinus = valueAndGrad(zeroMinus);
export const vgReciprocalOfZeroMinus = valueAndGrad(reciprocalOfZeroMinus);
export const vgConstantFirst = valueAndGrad(constantFirst);
export const vgPoly = valueAndGrad(poly);
export const vgBranches = valueAndGrad(branches, [0, 1]);
export const vgMathChain = valueAndGrad(mathChain);
export const vgHalvings = valueAndGrad(halvings);
export const vgRosenbrock = valueAndGrad(rosenbrock);
export const vgBuffers = valueAndGrad(buffers);
export const vgReductions = valueAndGrad(reductions, [0, 1]);
export const vgMapped = valueAndGrad(mapped, [0, 1]);
export const vgForOf = valueAndGrad(forOf);
export const vgRecursive = valueAndGrad(recursive);
