// A tiny two-unit network whose activation functions are passed in per layer,
// as a small library would let its user choose them.
import { grad } from "tsgrad";

type Activation = (z: number) => number;

const relu: Activation = (z) => Math.max(0, z);
const leaky: Activation = (z) => (z > 0 ? z : 0.05 * z);
const swish: Activation = (z) => z / (1 + Math.exp(-z));

function neuron(w: number, b: number, input: number, activate: Activation): number {
  return activate(w * input + b);
}

function network(weights: number[], x: number, hidden: Activation, output: Activation): number {
  const h1 = neuron(weights[0], weights[1], x, hidden);
  const h2 = neuron(weights[2], weights[3], x, hidden);
  return neuron(weights[4], weights[5] * h2, h1, output);
}

const SAMPLES: [number, number][] = [
  [-1, 0.2],
  [0, 0.5],
  [1, 1.4],
  [2, 2.1],
];

export function loss(weights: number[]): number {
  let total = 0;
  for (const [x, y] of SAMPLES) {
    const a = network(weights, x, swish, leaky) - y;
    const b = network(weights, x, Math.tanh, relu) - y;
    total += a * a + 0.5 * b * b;
  }
  return total / SAMPLES.length;
}

export const dLoss = grad(loss);

export const cases = [{ f: loss, df: dLoss, args: [[0.8, 0.1, -0.4, 0.3, 1.1, 0.9]] }];
