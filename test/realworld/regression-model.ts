// A small regression model written as a class: its parameters are fields, it
// predicts and scores itself, and the training loop asks for the gradient of
// the loss with respect to the model instance.
import { grad } from "tsgrad";

export class SaturatingModel {
  constructor(
    readonly gain: number,
    readonly rate: number,
    readonly offset: number,
  ) {}

  predict(dose: number): number {
    return this.offset + this.gain * (1 - Math.exp(-this.rate * dose));
  }

  loss(doses: readonly number[], responses: readonly number[]): number {
    let sum = 0;
    for (let i = 0; i < doses.length; i++) {
      const residual = this.predict(doses[i]) - responses[i];
      sum += residual * residual;
    }
    return sum / doses.length + this.penalty();
  }

  private penalty(): number {
    return 1e-3 * (this.gain * this.gain + this.rate * this.rate);
  }
}

const DOSES = [0, 0.5, 1, 2, 4, 8];
const RESPONSES = [0.1, 1.3, 2.2, 3.1, 3.8, 4.0];

export const dModel = grad((model: SaturatingModel) => model.loss(DOSES, RESPONSES));

export function train(steps: number): SaturatingModel {
  let model = new SaturatingModel(3, 0.5, 0);
  for (let s = 0; s < steps; s++) {
    const g = dModel(model);
    model = new SaturatingModel(model.gain - 0.1 * g.gain, model.rate - 0.1 * g.rate, model.offset - 0.1 * g.offset);
  }
  return model;
}

export const cases = [
  {
    f: (model: SaturatingModel) => model.loss(DOSES, RESPONSES),
    df: dModel,
    args: [new SaturatingModel(3.5, 0.7, 0.2)],
  },
];
