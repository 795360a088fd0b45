// A one-layer softmax classifier: weights as a number[][] (classes × features)
// inside a model object, a batch of feature rows, cross-entropy loss with an
// L2 penalty. The gradient comes back as a model of the same shape.
import { grad } from "tsgrad";

export interface DenseModel {
  weights: number[][];
  bias: number[];
}

const L2 = 1e-3;

export function crossEntropy(model: DenseModel, batch: number[][], labels: number[]): number {
  let loss = 0;
  for (let n = 0; n < batch.length; n++) {
    const features = batch[n];
    const logits: number[] = [];
    let maxLogit = -Infinity;
    for (let c = 0; c < model.weights.length; c++) {
      const w = model.weights[c];
      let z = model.bias[c];
      for (let k = 0; k < features.length; k++) z += w[k] * features[k];
      logits[c] = z;
      maxLogit = Math.max(maxLogit, z);
    }
    let partition = 0;
    for (let c = 0; c < logits.length; c++) partition += Math.exp(logits[c] - maxLogit);
    loss += maxLogit + Math.log(partition) - logits[labels[n]];
  }
  let penalty = 0;
  for (const row of model.weights) for (const w of row) penalty += w * w;
  return loss / batch.length + L2 * penalty;
}

export const dCrossEntropy = grad(crossEntropy);

const model: DenseModel = {
  weights: [
    [0.2, -0.1, 0.05],
    [-0.3, 0.25, 0.1],
    [0.05, 0.1, -0.2],
  ],
  bias: [0, 0.1, -0.1],
};
const batch = [
  [1.0, 0.5, -0.5],
  [0.2, -1.2, 0.7],
  [-0.8, 0.3, 1.1],
  [0.6, 0.9, 0.0],
];

export const cases = [{ f: crossEntropy, df: dCrossEntropy, args: [model, batch, [0, 2, 1, 0]] }];
