// GradBench eval `lstm` (ADBench's LSTM with diagonal weight matrices): the
// mean log-probability loss of predicting each character of a sequence from the
// previous ones, differentiated by tsgrad with respect to the main and extra
// parameters.
//
// Layout (as GradBench's reference lstm.hpp), b = bits per character:
//   main:  2l rows of 4b: row 2i the weights of layer i (forget, ingate,
//          outgate, change; b each), row 2i+1 its biases in the same order
//   extra: 3 rows of b: input weight, output weight, output bias
//   state: 2l rows of b: row 2i the hidden state of layer i, row 2i+1 its cell
//   seq:   c rows of b, the characters as bits
import { grad } from "tsgrad";
import type { GradBenchModule, Runs } from "../protocol.mjs";
import { check, rows } from "./json.mjs";

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function lstmObjective(
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
    // predict character t + 1 from character t
    for (let j = 0; j < b; j++) input[j] = seq[t * b + j]! * extra[j]!;
    for (let layer = 0; layer < l; layer++) {
      const w = 8 * b * layer;
      const bias = w + 4 * b;
      const h = layer * b;
      for (let j = 0; j < b; j++) {
        const forget = sigmoid(input[j]! * main[w + j]! + main[bias + j]!);
        const ingate = sigmoid(hidden[h + j]! * main[w + b + j]! + main[bias + b + j]!);
        const outgate = sigmoid(input[j]! * main[w + 2 * b + j]! + main[bias + 2 * b + j]!);
        const change = Math.tanh(hidden[h + j]! * main[w + 3 * b + j]! + main[bias + 3 * b + j]!);
        cell[h + j] = cell[h + j]! * forget + ingate * change;
        hidden[h + j] = outgate * Math.tanh(cell[h + j]!);
      }
      for (let j = 0; j < b; j++) input[j] = hidden[h + j]!;
    }
    for (let j = 0; j < b; j++) ypred[j] = input[j]! * extra[b + j]! + extra[2 * b + j]!;
    // log(Σ exp(ypred) + 2), as ADBench's logsumexp
    let sumExp = 0;
    for (let j = 0; j < b; j++) sumExp += Math.exp(ypred[j]!);
    const lse = Math.log(sumExp + 2);
    for (let j = 0; j < b; j++) total += seq[(t + 1) * b + j]! * (ypred[j]! - lse);
  }
  return -total / ((c - 1) * b);
}

const jacobian = grad(lstmObjective, [0, 1]);

export interface LstmInput extends Runs {
  main_params: number[][];
  extra_params: number[][];
  state: number[][];
  sequence: number[][];
}

interface LstmArgs {
  main: Float64Array;
  extra: Float64Array;
  state: Float64Array;
  seq: Float64Array;
  l: number;
  c: number;
  b: number;
}

function parse(input: LstmInput): LstmArgs {
  check(Array.isArray(input.main_params) && input.main_params.length % 2 === 0, "input.main_params must have 2l rows");
  const l = input.main_params.length / 2;
  check(l >= 1 && Array.isArray(input.main_params[0]) && input.main_params[0].length % 4 === 0, "input.main_params rows must have 4b numbers");
  const b = input.main_params[0].length / 4;
  check(Array.isArray(input.sequence) && input.sequence.length >= 1, "input.sequence must have at least one row");
  const c = input.sequence.length;
  return {
    main: rows(input.main_params, "main_params", 2 * l, 4 * b),
    extra: rows(input.extra_params, "extra_params", 3, b),
    state: rows(input.state, "state", 2 * l, b),
    seq: rows(input.sequence, "sequence", c, b),
    l,
    c,
    b,
  };
}

export const lstm: GradBenchModule = {
  objective: (input: LstmInput) => {
    const a = parse(input);
    return { run: () => lstmObjective(a.main, a.extra, a.state, a.seq, a.l, a.c, a.b), output: (y: number) => y };
  },
  jacobian: (input: LstmInput) => {
    const a = parse(input);
    return {
      run: () => jacobian(a.main, a.extra, a.state, a.seq, a.l, a.c, a.b),
      // the gradient of main_params then of extra_params, each row after row
      output: ([main, extra]: [Float64Array, Float64Array]) => [...Array.from(main), ...Array.from(extra)],
    };
  },
};
