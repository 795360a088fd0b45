// A tiny learning-to-learn problem: the validation loss after a few steps of
// gradient descent on a quadratic training loss, as a function of the
// learning rate. The inner gradient is written by hand.
import { grad } from "tsgrad";

const TRAIN = { a: 3.0, b: -1.5 }; // loss(w) = a (w - b)^2 / 2
const VALIDATION_TARGET = -1.2;

export function validationAfterTraining(learningRate: number, steps = 5, w0 = 0): number {
  let w = w0;
  const trainGrad = (w: number) => TRAIN.a * (w - TRAIN.b);
  for (let k = 0; k < steps; k++) {
    w -= learningRate * trainGrad(w);
  }
  return (w - VALIDATION_TARGET) ** 2;
}

export const dValidation = grad(validationAfterTraining);

export const cases = [
  { f: validationAfterTraining, df: dValidation, args: [0.1] },
  { f: validationAfterTraining, df: dValidation, args: [0.05, 10, 1] },
];
