// Getters and setters in object literals and classes, `satisfies`, `using`.
import { grad } from "tsgrad";

type Fn = (x: number) => number;

export const cube = ((x: number) => x ** 3) satisfies Fn;
export const square = (x: number): number => (x * x) satisfies number;
export const settings = { rate: 0.5 } satisfies { rate: number };

const state = {
  _v: 1,
  get v(): number {
    return this._v;
  },
  set v(value: number) {
    this._v = value;
  },
};

export class Temperature {
  #celsius = 0;
  get fahrenheit(): number {
    return this.#celsius * 1.8 + 32;
  }
  set fahrenheit(f: number) {
    this.#celsius = (f - 32) / 1.8;
  }
}

class Handle implements Disposable {
  static closed = 0;
  [Symbol.dispose](): void {
    Handle.closed++;
  }
}

export function withHandle(x: number): number {
  using h = new Handle();
  void h;
  return grad(square)(x);
}

export function usesHandle(x: number): number {
  using h = new Handle();
  void h;
  return x * x;
}

state.v = 3;
export const dCube = grad(cube)(2);
export const dSquare = grad(square)(state.v);
export const dUsing = () => grad(usesHandle)(2);
export const dGetter = () => grad((x: number) => x * state.v)(1);
