// An alpha-beta tracker over noisy position readings: the state vector is
// replaced by a new array each step, the smoothed track is scored over sliding
// windows, and a rolling buffer of recent residuals is rotated with a swap.
import { grad } from "tsgrad";

const READINGS = [0.0, 0.9, 2.2, 2.8, 4.1, 5.2, 5.8, 7.1, 8.0, 9.2];

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function trackingLoss(alpha: number, beta: number, initial: number[] = [0, 1]): number {
  let state = initial;
  const track: number[] = [];
  let recent = [0, 0, 0];
  let older = [0, 0, 0];
  let penalty = 0;
  for (const reading of READINGS) {
    const predicted = [state[0] + state[1], state[1]];
    const residual = reading - predicted[0];
    state = predicted.map((value, i) => value + (i === 0 ? alpha : beta) * residual);
    track.push(state[0]);
    older = recent.map((r, i) => (i === 0 ? residual : recent[i - 1]));
    [recent, older] = [older, recent];
    penalty += mean(recent) ** 2;
  }
  let smoothness = 0;
  for (let t = 2; t < track.length; t++) {
    const window = track.slice(t - 2, t + 1);
    smoothness += (window[0] - 2 * window[1] + window[2]) ** 2;
  }
  return penalty + 0.1 * smoothness;
}

export const dTracking = grad(trackingLoss, [0, 1]);

export const cases = [
  { f: trackingLoss, df: dTracking, args: [0.5, 0.2], wrt: [0, 1] },
  { f: trackingLoss, df: dTracking, args: [0.8, 0.1, [0.2, 0.8]], wrt: [0, 1] },
];
