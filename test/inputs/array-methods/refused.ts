// Array methods tsgrad refuses, each with a located message naming the call.
import { grad } from "tsgrad";

const NAMES = ["a", "bb", "ccc"];

export function strings(x: number): number {
  return NAMES.map((s) => s.length * x).reduce((a, b) => a + b, 0) + NAMES.filter((s) => s.length > x).length;
}
export const dStrings = grad(strings);

export function unknownCallback(xs: number[], f: (x: number) => number): number {
  return xs.map(f).reduce((a, b) => a + b, 0);
}
export const dUnknown = grad(unknownCallback);

export function loopUpdate(xs: number[]): number {
  let s = 0;
  for (let k = 0; k < 3; k += xs.filter((x) => x > 0).length) s += xs[k]!;
  return s;
}
export const dLoopUpdate = grad(loopUpdate);

export function returnInLoop(xs: number[]): number {
  return xs.map((x) => {
    for (let k = 0; k < 3; k++) if (x * k > 1) return x * k;
    return x;
  }).reduce((a, b) => a + b, 0);
}
export const dReturnInLoop = grad(returnInLoop);

export function thisArgument(xs: number[]): number {
  return xs.map((x) => x * 2, undefined).reduce((a, b) => a + b, 0);
}
export const dThisArgument = grad(thisArgument);
