// In-place updates: normalise a copy, reverse, splice a window, running extremes.
import { grad } from "tsgrad";

function normalise(xs: number[]): number[] {
  const out = [...xs];
  const total = out.reduce((a, b) => a + b, 0);
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

export function shapeScore(weights: number[], scale: number): number {
  const w = normalise(weights.map((x) => x * x + 0.1));
  const reversed = w.slice().reverse();
  let score = 0;
  for (let i = 0; i < w.length; i++) score += w[i]! * reversed[i]! * (i + 1);
  const window = w.slice(1, 3);
  const peak = Math.max(...window);
  const low = Math.min(...w);
  let running = -Infinity;
  let crossings = 0;
  for (const v of w) {
    if (v > running) {
      running = v;
      crossings += v;
    }
  }
  return scale * score + peak - low + crossings;
}

export const dShape = grad(shapeScore, [0, 1]);
export const cases = [
  {
    f: shapeScore,
    df: dShape,
    wrt: [0, 1],
    args: [[0.3, 1.2, -0.7, 0.9, 2.1], 1.5],
  },
];
