// Syntax errors in a file with transform calls.
import { grad } from "tsgrad";

function f(x: number): number {
  return x * * 2;
}

export const d = grad(f)(1;

const g = (x: number) => {
  if (x > ) return x;
  return -x
};
export const e = grad(g)(2);

function h(x: number): number {
  const = x;
  return x +
}
export const k = grad(h, [0)(2);
class {
