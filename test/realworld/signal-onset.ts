// Onset detection on a sampled signal: a smoothed envelope, the first sample
// where it crosses a threshold, and a loss that pulls the detected onset's
// energy towards a target. Typed arrays throughout, as audio code has them.
import { grad } from "tsgrad";

const SAMPLE_RATE = 8;

export function onsetLoss(gains: Float64Array, threshold: number): number {
  const envelope = gains.map((g, i) => g * g * (1 + 0.1 * Math.sin(i / SAMPLE_RATE)));
  const onset = envelope.findIndex((e) => e > threshold);
  if (onset < 0) return envelope.reduce((s, e) => s + e, 0);
  let energy = 0;
  envelope.forEach((e, i) => {
    if (i < onset) return;
    energy += e / (1 + i - onset);
  });
  const tail = envelope.at(-1)!;
  return (energy - 2) ** 2 + 0.1 * tail;
}

export const dOnset = grad(onsetLoss, [0, 1]);

export const cases = [
  { f: onsetLoss, df: dOnset, args: [new Float64Array([0.1, 0.2, 0.15, 0.9, 1.1, 0.8, 0.5]), 0.5], wrt: [0, 1] },
  { f: onsetLoss, df: dOnset, args: [new Float64Array([0.1, 0.2, 0.3]), 2], wrt: [0, 1] },
];
