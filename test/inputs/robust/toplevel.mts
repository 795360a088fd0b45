// Top-level await in an ES module with transform calls.
import { grad } from "tsgrad";

const base = await Promise.resolve(2);
export const dInline = grad((x: number) => x * x)(base);

const k = await Promise.resolve(3);
export const scaled = (x: number): number => k * x * x;
export const dScaled = grad(scaled)(1);

export function usesAwait(x: number): number {
  return x * base;
}
export const dUsesAwait = grad(usesAwait)(1);
