// Helpers of several shapes, each called in a `?:` branch: whether branches.ts
// lifts the `?:` and whether lowering inlines the helper (test/inlining.test.ts).
import { grad } from "tsgrad";
import { applyTimes, Gain, remote, sumOf } from "./branch-helpers-lib.js";

// One expression: inlined on any path, nothing to lift.
function oneExpression(x: number, u: number): number {
  return x * u + Math.sin(x);
}

// Statements: inlined once the `?:` is an if statement.
function withStatements(x: number, u: number): number {
  const t = x * u;
  return t * t + Math.sin(x);
}

// One expression as written, a loop once desugared: inlined with statements too.
function reduces(x: number, us: number[]): number {
  return us.reduce((a, u) => a + u * x, 0);
}

// Reaches itself: no pass inlines it, it is called through its adjoint.
function powerOf(x: number, n: number): number {
  if (n <= 0) return 1;
  const rest = powerOf(x, n - 1);
  return x * rest;
}

export function viaOneExpression(x: number, c: number): number {
  return c > 0 ? oneExpression(x, c) : x * x;
}
export function viaStatements(x: number, c: number): number {
  return c > 0 ? withStatements(x, c) : x * x;
}
export function viaReduce(x: number, c: number): number {
  return c > 0 ? reduces(x, [c, 2, 3]) : x * x;
}
export function viaRecursion(x: number, c: number): number {
  return c > 0 ? powerOf(x, 3) : x * x;
}
export function viaOtherFile(x: number, c: number): number {
  return c > 0 ? remote(x, c) : x * x;
}
export function viaFunctionArgument(x: number, c: number): number {
  return c > 0 ? applyTimes(x, Math.sin) : x * x;
}
export function viaMethod(x: number, c: number): number {
  const gain = new Gain(c);
  return c > 0 ? gain.twice(x) : x * x;
}
export function viaFunctionReduce(x: number, c: number): number {
  return c > 0 ? sumOf([x, c * x], Math.sin) : x * x;
}

// An inner function, one expression as written, a loop once desugared: lowering inlines it with statements.
export function viaInner(x: number, c: number): number {
  const total = (us: number[]) => us.reduce((a, u) => a + u * x, 0);
  return c > 0 ? total([c, 2]) : x * x;
}

export const dOneExpression = grad(viaOneExpression);
export const dStatements = grad(viaStatements);
export const dReduce = grad(viaReduce);
export const dRecursion = grad(viaRecursion);
export const dOtherFile = grad(viaOtherFile);
export const dFunctionArgument = grad(viaFunctionArgument);
export const dMethod = grad(viaMethod);
export const dInner = grad(viaInner);
export const dFunctionReduce = grad(viaFunctionReduce);
