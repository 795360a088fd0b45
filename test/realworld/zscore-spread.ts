// Helpers returning tuples and records, destructured with defaults and renames.
import { grad } from "tsgrad";

type Stats = { mean: number; std: number; n: number };

function stats(xs: readonly number[]): Stats {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}

function minMax(xs: readonly number[]): [min: number, max: number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return [lo, hi];
}

export function zScoreSpread(
  samples: number[],
  { clip = 3, bias = 0 }: { clip?: number; bias?: number } = {},
): number {
  const { mean: mu, std: sigma } = stats(samples);
  const [lo, hi] = minMax(samples.map((x) => (x - mu) / sigma));
  const clipped = Math.min(hi, clip) - Math.max(lo, -clip);
  return clipped + bias * mu;
}

export const dZ = grad(zScoreSpread);
export const cases = [
  { f: zScoreSpread, df: dZ, args: [[1.2, 3.4, 2.2, 5.1, 0.3, 2.8]] },
  {
    f: zScoreSpread,
    df: dZ,
    args: [[1.2, 3.4, 2.2, 5.1, 0.3, 2.8], { clip: 1.2, bias: 0.5 }],
  },
];
