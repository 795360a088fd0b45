// Smooth a GPS trail: the path is rebuilt one point at a time, each new point
// pulled toward the raw fix by a gain; the loss compares the smoothed trail
// with the raw one and penalises speed changes. Written the way a
// visualisation app does it: arrays grown with spread, a variadic average.
import { grad } from "tsgrad";

const RAW = [0, 0.9, 2.2, 2.8, 4.1, 5.2, 5.8];

function average(...values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

export function trailLoss(gain: number, inertia: number, raw: number[] = RAW): number {
  let path = [raw[0]];
  let velocity = 0;
  for (let i = 1; i < raw.length; i++) {
    const last = path[path.length - 1];
    const predicted = last + inertia * velocity;
    const next = predicted + gain * (raw[i] - predicted);
    velocity = next - last;
    path = [...path, next];
  }
  let error = 0;
  for (let i = 0; i < raw.length; i++) error += (path[i] - raw[i]) ** 2;
  const head = path.slice(0, 3);
  const tail = path.slice(path.length - 3);
  const drift = average(...head, ...tail) - average(...raw);
  return error + 0.5 * drift * drift;
}

export const dTrail = grad(trailLoss, [0, 1]);

export const cases = [{ f: trailLoss, df: dTrail, args: [0.6, 0.4], wrt: [0, 1] }];
