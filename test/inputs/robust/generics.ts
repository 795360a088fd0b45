// Generics and overloads.
import { grad } from "tsgrad";

export function identity<T>(x: T): T {
  return x;
}

export function scaleBy<T extends number>(x: T, k: number): number {
  return x * k;
}

export class Box<T> {
  constructor(readonly value: T) {}
  map<U>(f: (v: T) => U): Box<U> {
    return new Box(f(this.value));
  }
}

export function area(r: number): number;
export function area(w: number, h: number): number;
export function area(a: number, b?: number): number {
  return b === undefined ? Math.PI * a * a : a * b;
}

/** A generic helper the differentiated function calls with numbers. */
function twice<T extends number>(v: T): number {
  return 2 * v;
}

export function usesGeneric(x: number): number {
  return twice(x) * x;
}

export const dScaleBy = () => grad(scaleBy)(2, 3);
export const dArea = () => grad(area)(2, 3);
export const dUsesGeneric = () => grad(usesGeneric)(3);
export const boxed = () => new Box(2).map((v) => grad((x: number) => x * v)(1));
