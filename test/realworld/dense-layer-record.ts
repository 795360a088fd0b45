// A dense layer described by a record that carries its activation function,
// the way a small neural-network module is often organised.
import { grad } from "tsgrad";

type Activation = (z: number) => number;
const sigmoid: Activation = (z) => 1 / (1 + Math.exp(-z));

interface Layer {
  weights: number[][];
  bias: number[];
  activation: Activation;
}

function applyLayer(layer: Layer, input: number[]): number[] {
  return layer.weights.map((row, i) => layer.activation(row.reduce((acc, w, j) => acc + w * input[j]!, layer.bias[i]!)));
}

export function loss(weights: number[][], bias: number[], inputs: number[][], targets: number[]): number {
  const layer: Layer = { weights, bias, activation: sigmoid };
  let total = 0;
  inputs.forEach((x, n) => {
    const out = applyLayer(layer, x);
    const prediction = out.reduce((a, b) => a + b, 0);
    total += (prediction - targets[n]!) ** 2;
  });
  return total / inputs.length;
}

export const dLoss = grad(loss, [0, 1]);

export const cases = [
  {
    f: loss,
    df: dLoss,
    args: [[[0.2, -0.5, 0.1], [0.7, 0.3, -0.4]], [0.05, -0.1], [[1, 0.5, -1], [0.2, -0.3, 0.8], [-0.6, 1.2, 0.4]], [0.9, 0.4, 1.1]],
    wrt: [0, 1],
  },
];
