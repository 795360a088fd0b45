// Negative log-likelihood of a linear-chain CRF tagging a sentence with
// part-of-speech tags: emission scores are a linear function of each token's
// features, transitions a tag-by-tag matrix. The partition function comes from
// the forward algorithm in log space.
import { grad } from "tsgrad";

export enum Tag {
  Noun,
  Verb,
  Adj,
  Det,
}

const TAGS = [Tag.Noun, Tag.Verb, Tag.Adj, Tag.Det];

export interface Token {
  word: string;
  features: number[]; // [bias, capitalised, suffix -ing, suffix -ly/-ous, is short]
}

export interface CrfParams {
  emission: number[][]; // [tag][feature]
  transition: number[][]; // [from][to]
  start: number[]; // [tag]
}

function logSumExp(values: number[]): number {
  const m = Math.max(...values);
  return m + Math.log(values.reduce((acc, v) => acc + Math.exp(v - m), 0));
}

const emissionScore = (params: CrfParams, token: Token, tag: Tag): number =>
  params.emission[tag].reduce((acc, w, f) => acc + w * token.features[f], 0);

function pathScore(params: CrfParams, tokens: Token[], tags: Tag[]): number {
  let score = params.start[tags[0]] + emissionScore(params, tokens[0], tags[0]);
  for (let t = 1; t < tokens.length; t++) {
    score += params.transition[tags[t - 1]][tags[t]] + emissionScore(params, tokens[t], tags[t]);
  }
  return score;
}

function logPartition(params: CrfParams, tokens: Token[]): number {
  let alpha = TAGS.map((tag) => params.start[tag] + emissionScore(params, tokens[0], tag));
  for (const token of tokens.slice(1)) {
    alpha = TAGS.map((to) => logSumExp(TAGS.map((from) => alpha[from] + params.transition[from][to])) + emissionScore(params, token, to));
  }
  return logSumExp(alpha);
}

export function crfNll(params: CrfParams, sentences: { tokens: Token[]; tags: Tag[] }[], l2 = 0.01): number {
  let nll = 0;
  for (const { tokens, tags } of sentences) {
    nll += logPartition(params, tokens) - pathScore(params, tokens, tags);
  }
  const squares = [...params.emission, ...params.transition].flat().reduce((acc, w) => acc + w * w, 0);
  return nll / sentences.length + l2 * squares;
}

export const dParams = grad(crfNll);

const tok = (word: string): Token => ({
  word,
  features: [1, /^[A-Z]/.test(word) ? 1 : 0, word.endsWith("ing") ? 1 : 0, /(ly|ous)$/.test(word) ? 1 : 0, word.length <= 3 ? 1 : 0],
});

const SENTENCES = [
  { tokens: ["The", "dog", "is", "running"].map(tok), tags: [Tag.Det, Tag.Noun, Tag.Verb, Tag.Verb] },
  { tokens: ["a", "famous", "singer", "sings"].map(tok), tags: [Tag.Det, Tag.Adj, Tag.Noun, Tag.Verb] },
  { tokens: ["Cats", "sleep"].map(tok), tags: [Tag.Noun, Tag.Verb] },
];

const PARAMS: CrfParams = {
  emission: TAGS.map((tag) => [0.1 * tag, 0.2 - 0.1 * tag, tag === Tag.Verb ? 0.5 : -0.1, tag === Tag.Adj ? 0.4 : 0, tag === Tag.Det ? 0.6 : -0.2]),
  transition: TAGS.map((from) => TAGS.map((to) => 0.05 * (from - to) + (from === Tag.Det && to === Tag.Noun ? 0.7 : 0))),
  start: [0.1, -0.2, 0, 0.3],
};

export const cases = [{ f: crfNll, df: dParams, args: [PARAMS, SENTENCES] }];
