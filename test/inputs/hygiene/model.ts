// The shared functions: `poly` is differentiated from several files, `model`
// with a different wrt in each, and it imports modules that import modules.
import { bilinear, softplus } from "./helpers.js";
import { scale } from "./constants.js";

export function poly(x: number): number {
  return x ** 3 - 2 * x;
}

export function model(x: number, w: number): number {
  let acc = softplus(x * w);
  for (let i = 0; i < 3; i++) acc = acc * 0.5 + bilinear(acc, w) + scale(x);
  return acc;
}

export default function defaultModel(x: number): number {
  return softplus(x) * x;
}
