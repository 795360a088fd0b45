// Short-time energy of a signal: frames are taken from one buffer with
// subarray (views, no copies), tapered in place with a Hann window, and their
// log energies compared with a target envelope.
import { grad } from "tsgrad";

const FRAME = 4;
const HOP = 2;
const TARGET_DB = [-1.2, -0.4, 0.3, -0.6, -1.5];

export function envelopeLoss(gain: number, signal: Float64Array): number {
  const buffer = new Float64Array(signal.length);
  for (let i = 0; i < signal.length; i++) buffer[i] = Math.tanh(gain * signal[i]);
  let loss = 0;
  let frameIndex = 0;
  for (let start = 0; start + FRAME <= buffer.length; start += HOP) {
    const frame = buffer.subarray(start, start + FRAME);
    for (let k = 0; k < frame.length; k++) frame[k] *= 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (FRAME - 1));
    let energy = 1e-6;
    for (let k = 0; k < frame.length; k++) energy += frame[k] ** 2;
    const db = Math.log10(energy);
    loss += (db - TARGET_DB[frameIndex % TARGET_DB.length]) ** 2;
    frameIndex++;
  }
  return loss;
}

export const dEnvelope = grad(envelopeLoss, [0, 1]);

const signal = new Float64Array([0.1, 0.5, 0.9, 0.4, -0.3, -0.8, -0.2, 0.6, 0.7, 0.1]);

export const cases = [{ f: envelopeLoss, df: dEnvelope, args: [1.3, signal], wrt: [0, 1] }];
