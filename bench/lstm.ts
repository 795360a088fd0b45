// Benchmark workload, the ADBench/GradBench LSTM: a 2-layer LSTM with diagonal
// weight matrices (ADBench's quirk) predicting each character of a sequence from
// the previous one; the objective is the mean log-probability loss. Differentiated
// by the tsgrad transformer w.r.t. the main and extra parameters.
import { grad } from "tsgrad";

// Layout (GradBench's lstm.hpp), b = bits per character, l layers, c characters:
//    main:  2l rows of 4b; row 2i the weights of layer i (forget, ingate, outgate,
//           change; b each), row 2i+1 its biases in the same order
//    extra: 3 rows of b: input weight, output weight, output bias
//    state: 2l rows of b: row 2i the hidden state of layer i, row 2i+1 its cell
//    seq:   c rows of b, each character as bits
// The state is copied, not updated in place (the objective leaves its inputs alone).

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function lstm(
  main: Float64Array,
  extra: Float64Array,
  state: Float64Array,
  seq: Float64Array,
  l: number,
  c: number,
  b: number,
): number {
  const hidden = new Float64Array(l * b);
  const cell = new Float64Array(l * b);
  const input = new Float64Array(b);
  const ypred = new Float64Array(b);
  for (let layer = 0; layer < l; layer++) {
    for (let j = 0; j < b; j++) {
      hidden[layer * b + j] = state[2 * layer * b + j]!;
      cell[layer * b + j] = state[(2 * layer + 1) * b + j]!;
    }
  }
  let total = 0;
  for (let t = 0; t < c - 1; t++) {
    // lstm_predict: the input layer, l LSTM layers, the output layer
    for (let j = 0; j < b; j++) input[j] = seq[t * b + j]! * extra[j]!;
    for (let layer = 0; layer < l; layer++) {
      const w = 8 * b * layer; // this layer's weights; its biases follow at w + 4b
      const h = layer * b;
      for (let j = 0; j < b; j++) {
        const forget = sigmoid(input[j]! * main[w + j]! + main[w + 4 * b + j]!);
        const ingate = sigmoid(hidden[h + j]! * main[w + b + j]! + main[w + 5 * b + j]!);
        const outgate = sigmoid(input[j]! * main[w + 2 * b + j]! + main[w + 6 * b + j]!);
        const change = Math.tanh(hidden[h + j]! * main[w + 3 * b + j]! + main[w + 7 * b + j]!);
        cell[h + j] = cell[h + j]! * forget + ingate * change;
        hidden[h + j] = outgate * Math.tanh(cell[h + j]!);
      }
      // the next layer reads this layer's hidden state
      for (let j = 0; j < b; j++) input[j] = hidden[h + j]!;
    }
    for (let j = 0; j < b; j++) ypred[j] = input[j]! * extra[b + j]! + extra[2 * b + j]!;
    // ADBench's logsumexp: log(Σ exp(ypred) + 2)
    let sumExp = 0;
    for (let j = 0; j < b; j++) sumExp += Math.exp(ypred[j]!);
    const lse = Math.log(sumExp + 2);
    for (let j = 0; j < b; j++) total += seq[(t + 1) * b + j]! * (ypred[j]! - lse);
  }
  return -total / ((c - 1) * b);
}

export const lstmGrad = grad(lstm, [0, 1]);
