// Audio: a feed-forward dynamic range compressor (the kind in every DAW).
// The level detector follows the signal's envelope with separate attack and
// release time constants; the gain computer applies a soft-knee threshold and
// ratio in dB. The settings are tuned so that the compressed signal matches a
// reference mix's loudness contour, sample by sample, over 2048 samples.
import { grad } from "tsgrad";

export interface CompressorSettings {
  thresholdDb: number;
  ratio: number;
  kneeDb: number;
  attackMs: number;
  releaseMs: number;
  makeupDb?: number;
}

const SAMPLE_RATE = 8000;

const toDb = (x: number): number => 20 * Math.log10(Math.max(x, 1e-9));
const fromDb = (db: number): number => 10 ** (db / 20);

class GainComputer {
  constructor(private readonly s: CompressorSettings) {}

  get slope(): number {
    return 1 - 1 / this.s.ratio;
  }

  /** Gain reduction in dB (≤ 0) for an input level in dB. */
  reduction(levelDb: number): number {
    const { thresholdDb, kneeDb } = this.s;
    const over = levelDb - thresholdDb;
    if (2 * over < -kneeDb) return 0;
    if (2 * Math.abs(over) <= kneeDb) return (-this.slope * (over + kneeDb / 2) ** 2) / (2 * kneeDb);
    return -this.slope * over;
  }
}

function coefficient(ms: number): number {
  return Math.exp(-1 / ((ms / 1000) * SAMPLE_RATE));
}

export function compress(settings: CompressorSettings, input: number[]): number[] {
  const gc = new GainComputer(settings);
  const attack = coefficient(settings.attackMs);
  const release = coefficient(settings.releaseMs);
  const makeup = fromDb(settings.makeupDb ?? 0);
  let envelope = 0;
  const output: number[] = [];
  input.forEach((x) => {
    const rectified = Math.abs(x);
    // Attack while the signal rises above the envelope, release while it falls; blended over a few
    // hundredths so the detector does not click when the two cross.
    const rising = 1 / (1 + Math.exp(-(rectified - envelope) / 0.02));
    const a = rising * attack + (1 - rising) * release;
    envelope = a * envelope + (1 - a) * rectified;
    const gain = fromDb(gc.reduction(toDb(envelope)));
    output.push(x * gain * makeup);
  });
  return output;
}

export function contourLoss(settings: CompressorSettings, input: number[], reference: number[], block = 256): number {
  const out = compress(settings, input);
  let loss = 0;
  for (let start = 0; start + block <= out.length; start += block) {
    let energy = 0;
    let refEnergy = 0;
    for (let i = start; i < start + block; i++) {
      energy += out[i] ** 2;
      refEnergy += reference[i] ** 2;
    }
    loss += (toDb(Math.sqrt(energy / block)) - toDb(Math.sqrt(refEnergy / block))) ** 2;
  }
  return loss;
}

export const dSettings = grad(contourLoss);

// A drum-like signal: decaying bursts on a quieter sustained tone.
const INPUT = Array.from({ length: 2048 }, (_, n) => {
  const beat = n % 512;
  return 0.8 * Math.exp(-beat / 60) * Math.sin(0.9 * n) + 0.12 * Math.sin(0.05 * n + 0.3);
});
const TARGET: CompressorSettings = {
  thresholdDb: -18,
  ratio: 4,
  kneeDb: 6,
  attackMs: 5,
  releaseMs: 80,
  makeupDb: 4,
};
const REFERENCE = compress(TARGET, INPUT);

export const cases = [
  {
    f: contourLoss,
    df: dSettings,
    args: [
      {
        thresholdDb: -14,
        ratio: 3,
        kneeDb: 8,
        attackMs: 8,
        releaseMs: 120,
        makeupDb: 2,
      },
      INPUT,
      REFERENCE,
    ],
  },
  {
    f: contourLoss,
    df: dSettings,
    args: [{ thresholdDb: -22, ratio: 5.5, kneeDb: 4, attackMs: 3, releaseMs: 60 }, INPUT, REFERENCE, 128],
  },
];
