// An Elman RNN over a short sequence with scalar hidden state; the weights
// come in a tuple and the state is carried in a destructured pair.
import { grad } from "tsgrad";

type RnnWeights = [wx: number, wh: number, bias: number, wOut: number];

export function sequenceLoss(weights: RnnWeights, sequence: number[], target: number): number {
  const [wx, wh, bias, wOut] = weights;
  let [h, steps] = [0, 0];
  for (const x of sequence) {
    h = Math.tanh(wx * x + wh * h + bias);
    steps++;
  }
  const prediction = wOut * h;
  return (prediction - target) ** 2 / steps;
}

export const dSequence = grad(sequenceLoss);

export const cases = [
  {
    f: sequenceLoss,
    df: dSequence,
    args: [[0.5, 0.8, -0.1, 1.5], [1.0, 0.5, -0.3, 0.8, 0.1], 0.7],
  },
];
