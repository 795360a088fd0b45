// A model object that owns its data and computes its loss from parameters
// passed in, as in a small training script; the gradient is taken through an
// inline arrow that calls the method.
import { grad } from "tsgrad";

export interface QuadParams {
  a: number;
  b: number;
  c: number;
}

export class QuadraticModel {
  private constructor(
    private readonly xs: readonly number[],
    private readonly ys: readonly number[],
  ) {}

  static fromPairs(pairs: readonly (readonly [number, number])[]): QuadraticModel {
    return new QuadraticModel(
      pairs.map(([x]) => x),
      pairs.map(([, y]) => y),
    );
  }

  get size(): number {
    return this.xs.length;
  }

  predict({ a, b, c }: QuadParams, x: number): number {
    return a * x * x + b * x + c;
  }

  loss(params: QuadParams): number {
    let total = 0;
    for (let i = 0; i < this.size; i++) total += (this.predict(params, this.xs[i]) - this.ys[i]) ** 2;
    return total / this.size;
  }
}

export const model = QuadraticModel.fromPairs([
  [-1, 2.1],
  [0, 0.9],
  [1, 1.8],
  [2, 5.2],
]);

const objective = (p: QuadParams) => model.loss(p);
export const dObjective = grad((p: QuadParams) => model.loss(p));

export const cases = [{ f: objective, df: dObjective, args: [{ a: 1.0, b: -0.2, c: 1.0 }] }];
