// White balance: per-channel gains for an RGB colour, fitted so that a grey
// card photographed under a tinted light comes out neutral.
import { grad } from "tsgrad";

type RGB = [number, number, number];

const CARD: RGB = [0.52, 0.47, 0.38];
const LUMA: RGB = [0.2126, 0.7152, 0.0722];

function luminance(c: RGB): number {
  let y = 0;
  for (let ch = 0; ch < 3; ch++) y += LUMA[ch] * c[ch];
  return y;
}

export function balanceLoss(gains: RGB): number {
  const corrected: RGB = [gains[0] * CARD[0], gains[1] * CARD[1], gains[2] * CARD[2]];
  const y = luminance(corrected);
  let loss = 0;
  for (let ch = 0; ch < corrected.length; ch++) loss += (corrected[ch] - y) ** 2;
  // keep the overall exposure where it was
  return loss + 0.1 * (y - luminance(CARD)) ** 2 + 0.01 * gains.reduce((s, g) => s + (g - 1) ** 2, 0);
}

export const dBalance = grad(balanceLoss);

export const cases = [{ f: balanceLoss, df: dBalance, args: [[1.1, 0.9, 1.3]] }];
