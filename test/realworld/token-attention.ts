// A single attention read-out over a sentence: each token record carries its
// text and embedding, padding tokens are dropped, and the query vector is
// trained so the attended context matches a target vector.
import { grad } from "tsgrad";

interface Token {
  text: string;
  embedding: number[];
}

const PAD = "[PAD]";

const SENTENCE: Token[] = [
  { text: "the", embedding: [0.1, 0.0, -0.2, 0.3] },
  { text: "cat", embedding: [0.8, -0.3, 0.5, 0.1] },
  { text: "sat", embedding: [-0.2, 0.6, 0.1, -0.4] },
  { text: "down", embedding: [0.3, 0.2, -0.6, 0.2] },
  { text: PAD, embedding: [0, 0, 0, 0] },
  { text: PAD, embedding: [0, 0, 0, 0] },
];

const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);

function softmax(logits: number[], temperature = 1): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp((l - top) / temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

function attend(query: number[], tokens: Token[]): { context: number[]; weights: number[] } {
  const visible = tokens.filter((t) => t.text !== PAD);
  const scale = 1 / Math.sqrt(query.length);
  const weights = softmax(visible.map((t) => dot(query, t.embedding) * scale));
  const context = query.map((_, d) => visible.reduce((s, t, k) => s + weights[k] * t.embedding[d], 0));
  return { context, weights };
}

export function readoutLoss(query: number[], target: number[], tokens: Token[] = SENTENCE): number {
  const { context, weights } = attend(query, tokens);
  const error = context.reduce((s, c, d) => s + (c - target[d]) ** 2, 0);
  // A little entropy bonus keeps attention from collapsing onto one token.
  const entropy = -weights.reduce((s, w) => s + w * Math.log(w), 0);
  return error - 0.01 * entropy;
}

export const dQuery = grad(readoutLoss);

export const cases = [{ f: readoutLoss, df: dQuery, args: [[0.5, -0.2, 0.3, 0.1], [0.5, -0.1, 0.3, 0.0]] }];
