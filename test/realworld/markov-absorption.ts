// A small customer-journey Markov chain: the transition matrix is built from
// logits with a softmax per row, the state distribution is pushed through it for
// a few steps, and the loss compares where customers end up with what was seen.
import { grad } from "tsgrad";

const OBSERVED = [0.15, 0.25, 0.6];

function softmaxRows(logits: number[][]): number[][] {
  return logits.map((row) => {
    const top = Math.max(...row);
    const exps = row.map((z) => Math.exp(z - top));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  });
}

export function journeyLoss(logits: number[][], steps = 4): number {
  const P = softmaxRows(logits);
  let dist = [1, 0, 0];
  for (let t = 0; t < steps; t++) {
    const next = [0, 0, 0];
    for (let i = 0; i < P.length; i++) {
      for (let j = 0; j < P[i].length; j++) next[j] += dist[i] * P[i][j];
    }
    dist = next;
  }
  return dist.reduce((loss, p, k) => loss + (p - OBSERVED[k]) ** 2, 0);
}

export const dJourney = grad(journeyLoss);

export const cases = [
  {
    f: journeyLoss,
    df: dJourney,
    args: [
      [
        [0.2, 0.5, -0.3],
        [-0.4, 0.1, 0.6],
        [-1.0, -0.5, 1.5],
      ],
    ],
  },
];
