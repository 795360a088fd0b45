// Helpers that import another module.
import { K, scale } from "./constants.js";

export function softplus(v: number): number {
  return Math.log1p(Math.exp(v)) + scale(v);
}

export const bilinear = (a: number, b: number): number => K * a * b + a;
