// A smoothing filter object with private state, setters and chaining.
import { grad } from "tsgrad";

class Smoother {
  #level: number;
  #alpha = 0.5;
  static withAlpha(alpha: number, start: number): Smoother {
    return new Smoother(start).setAlpha(alpha);
  }
  constructor(start: number) {
    this.#level = start;
  }
  setAlpha(a: number): this {
    this.#alpha = a;
    return this;
  }
  get level(): number {
    return this.#level;
  }
  push(x: number): void {
    this.#level = this.#alpha * x + (1 - this.#alpha) * this.#level;
  }
}

export function smoothingLoss(
  alpha: number,
  series: readonly number[],
): number {
  const s = Smoother.withAlpha(alpha, series[0]!);
  let err = 0;
  series.slice(1).forEach((x) => {
    err += (x - s.level) ** 2;
    s.push(x);
  });
  return err / (series.length - 1);
}

export const dAlpha = grad(smoothingLoss);
export const cases = [
  { f: smoothingLoss, df: dAlpha, args: [0.3, [1, 2, 1.5, 3, 2.5, 4, 3.2]] },
];
