// Spectral-flux-style onset strength of an audio buffer: frames are views into
// one buffer taken by a small helper (no copies), windowed, and their energy
// rises summed; the loss pulls the onset strength toward a target, as a
// learned front-end gain would be tuned.
import { grad } from "tsgrad";

const FRAME_SIZE = 4;
const HOP_SIZE = 2;
const TARGET_STRENGTH = 0.35;

function getFrame(samples: Float64Array, index: number): Float64Array {
  const start = index * HOP_SIZE;
  return samples.subarray(start, start + FRAME_SIZE);
}

function frameCount(samples: Float64Array): number {
  return Math.floor((samples.length - FRAME_SIZE) / HOP_SIZE) + 1;
}

export function onsetLoss(gain: number, samples: Float64Array): number {
  const compressed = samples.map((s) => Math.tanh(gain * s));
  let previous = 0;
  let strength = 0;
  for (let f = 0; f < frameCount(compressed); f++) {
    const frame = getFrame(compressed, f);
    let energy = 0;
    for (let i = 0; i < frame.length; i++) {
      const w = Math.sin((Math.PI * (i + 0.5)) / frame.length);
      energy += (w * frame[i]) ** 2;
    }
    const rise = energy - previous;
    strength += rise > 0 ? rise : 0;
    previous = energy;
  }
  return (strength - TARGET_STRENGTH) ** 2;
}

export const dOnset = grad(onsetLoss, [0, 1]);

const samples = new Float64Array([0.02, -0.05, 0.4, 0.9, -0.7, 0.3, 0.1, -0.05, 0.6, -0.8]);

export const cases = [{ f: onsetLoss, df: dOnset, args: [1.5, samples], wrt: [0, 1] }];
