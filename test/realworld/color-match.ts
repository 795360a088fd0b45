// Match a target colour's luminance and chroma by adjusting an sRGB colour:
// gamma decoding with the standard piecewise curve, colours as records.
import { grad } from "tsgrad";

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

const toLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function luminance({ r, g, b }: Rgb): number {
  const [lr, lg, lb] = [r, g, b].map(toLinear);
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}

export function colorLoss(color: Rgb, target: Rgb): number {
  const dl = luminance(color) - luminance(target);
  const chroma = (c: Rgb) => Math.max(c.r, c.g, c.b) - Math.min(c.r, c.g, c.b);
  return dl * dl + 0.5 * (chroma(color) - chroma(target)) ** 2;
}

export const dColor = grad(colorLoss);

export const cases = [
  {
    f: colorLoss,
    df: dColor,
    args: [
      { r: 0.6, g: 0.35, b: 0.2 },
      { r: 0.3, g: 0.5, b: 0.7 },
    ],
  },
];
