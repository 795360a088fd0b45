// Cox-Ross-Rubinstein binomial tree for an American put: the option values are
// rolled back one level at a time into a fresh array.
import { grad } from "tsgrad";

export function americanPut(spot: number, vol: number, strike = 100, expiry = 1, rate = 0.02, levels = 40): number {
  const dt = expiry / levels;
  const up = Math.exp(vol * Math.sqrt(dt));
  const down = 1 / up;
  const p = (Math.exp(rate * dt) - down) / (up - down);
  const discount = Math.exp(-rate * dt);
  let values: number[] = [];
  for (let i = 0; i <= levels; i++) {
    values.push(Math.max(strike - spot * up ** (levels - i) * down ** i, 0));
  }
  for (let level = levels - 1; level >= 0; level--) {
    const rolled: number[] = [];
    for (let i = 0; i <= level; i++) {
      const hold = discount * (p * values[i] + (1 - p) * values[i + 1]);
      const exercise = strike - spot * up ** (level - i) * down ** i;
      rolled.push(Math.max(hold, exercise));
    }
    values = rolled;
  }
  return values[0];
}

export const dPut = grad(americanPut, [0, 1]);

export const cases = [{ f: americanPut, df: dPut, args: [97.3, 0.27], wrt: [0, 1] }];
