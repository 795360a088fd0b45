// Snap loss for anchor points: each sample is pulled to its nearest anchor,
// found by a search that gives up early (labeled break) once an anchor is
// close enough, starting from Infinity.
import { grad } from "tsgrad";

const SAMPLES: readonly (readonly [number, number])[] = [
  [0.1, 0.2],
  [0.9, 1.1],
  [2.1, 0.4],
  [1.6, 1.9],
];
const GOOD_ENOUGH = 1e-3;

export function snapLoss(anchors: number[][]): number {
  let loss = 0;
  for (const [sx, sy] of SAMPLES) {
    let best = Infinity;
    search: for (let a = 0; a < anchors.length; a++) {
      const d2 = (anchors[a][0] - sx) ** 2 + (anchors[a][1] - sy) ** 2;
      if (d2 < best) best = d2;
      if (best < GOOD_ENOUGH) break search;
    }
    loss += best;
  }
  return loss;
}

export const dSnap = grad(snapLoss);

export const cases = [
  {
    f: snapLoss,
    df: dSnap,
    args: [
      [
        [0, 0],
        [1, 1],
        [2, 0.5],
      ],
    ],
  },
];
