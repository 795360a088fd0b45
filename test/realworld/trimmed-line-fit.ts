// Trimmed mean loss: sort residual magnitudes (data order), drop outliers.
import { grad } from "tsgrad";

export function trimmedLoss(
  params: [slope: number, intercept: number],
  xs: number[],
  ys: number[],
): number {
  const [slope, intercept] = params;
  const residuals = xs.map((x, i) => ys[i]! - (slope * x + intercept));
  const order = residuals
    .map((_, i) => i)
    .sort((a, b) => Math.abs(residuals[a]!) - Math.abs(residuals[b]!));
  const keep = order.slice(0, Math.ceil(order.length * 0.8));
  const kept = keep.map((i) => residuals[i]!);
  const [first, ...rest] = kept;
  return rest.reduce((s, r) => s + r * r, first! * first!) / kept.length;
}

export const dTrimmed = grad(trimmedLoss);
export const cases = [
  {
    f: trimmedLoss,
    df: dTrimmed,
    args: [
      [1.5, 0.2],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [0.1, 1.9, 3.1, 4.4, 30, 7.9, 9.2, 10.1, 12.3, 13.2],
    ],
  },
];
