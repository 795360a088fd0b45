// A file without transform calls that uses much of the language: its output
// must be exactly what tsc makes without the transformer.
import { Mode } from "./enums-plain.js";

export abstract class Shape {
  abstract area(): number;
  describe(): string {
    return `${this.constructor.name} of area ${this.area().toFixed(2)}`;
  }
}

export class Circle extends Shape {
  static #count = 0;
  static {
    Circle.#count = 0;
  }
  constructor(private readonly r: number) {
    super();
    Circle.#count++;
  }
  override area(): number {
    return Math.PI * this.r ** 2;
  }
  static get count(): number {
    return Circle.#count;
  }
}

export function* fibonacci(): Generator<number> {
  let [a, b] = [0, 1];
  for (;;) {
    yield a;
    [a, b] = [b, a + b];
  }
}

export async function later<T>(value: T): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return value;
}

export function classify(n: number, mode: Mode): string {
  label: switch (mode) {
    case Mode.Linear:
      if (n > 0) break label;
      return "non-positive";
    default:
      try {
        return n.toString(2);
      } catch (e) {
        return String(e);
      } finally {
        n = 0;
      }
  }
  return "positive";
}

export function grad(x: number): number {
  return x + 1;
}

export const objects = { a: 1, ...{ b: 2 }, get c() { return 3; } } satisfies Record<string, number>;
export const tagged = String.raw`a\nb${1 + 1}`;
export const optional = (o?: { p?: { q?: number } }) => o?.p?.q ?? 0;
export const bigint = 2n ** 64n;
