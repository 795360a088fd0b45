// A single neuron whose activation is picked by name, as in a config-driven
// model builder; the loss sums squared errors over a few inputs.
import { grad } from "tsgrad";

export type Activation = "relu" | "tanh" | "sigmoid" | "softplus" | "linear";

export function activate(z: number, kind: Activation): number {
  switch (kind) {
    case "relu":
      return z > 0 ? z : 0;
    case "tanh":
      return Math.tanh(z);
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    case "softplus":
      return Math.log1p(Math.exp(z));
    default:
      return z;
  }
}

export function neuronLoss(w: number, b: number, kind: Activation): number {
  const inputs = [-1.5, -0.5, 0.25, 1.0, 2.0];
  const targets = [0.0, 0.1, 0.4, 0.8, 0.95];
  let loss = 0;
  for (let i = 0; i < inputs.length; i++) {
    const err = activate(w * inputs[i] + b, kind) - targets[i];
    loss += err * err;
  }
  return loss;
}

export const dNeuron = grad(neuronLoss, [0, 1]);

export const cases = (["relu", "tanh", "sigmoid", "softplus", "linear"] as const).map((kind) => ({
  f: neuronLoss,
  df: dNeuron,
  args: [0.8, 0.3, kind],
  wrt: [0, 1],
}));
