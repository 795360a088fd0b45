// From test/realworld/solar-cell-iv.ts: an optional parameter passed on to a
// constructor whose parameter property has a default (`new Cell(k, tempC)`,
// `readonly tempC = 25`). JavaScript applies the default when the argument is
// undefined; the inlined constructor took the undefined itself, and the
// gradient was NaN.
import { grad } from "tsgrad";

class Cell {
  constructor(
    readonly k: number,
    readonly tempC = 25,
  ) {}

  get kelvin(): number {
    return this.tempC + 273;
  }

  value(x: number): number {
    return this.k * x * this.kelvin;
  }
}

export function f(k: number, tempC?: number): number {
  const c = new Cell(k, tempC);
  return c.value(2) * k;
}

export const df = grad(f);
