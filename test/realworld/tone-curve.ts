// Fitting a tone-mapping curve to a graded reference: pixels are [r, g, b]
// tuples in linear HDR, the curve's family is chosen by name, and the loss is
// the mean squared error in display space.
import { grad } from "tsgrad";

type Rgb = [number, number, number];
type CurveKind = "reinhard" | "filmic" | "exponential";

export interface ToneParams {
  exposure: number;
  whitePoint: number;
  gamma: number;
}

const LUMA: Rgb = [0.2126, 0.7152, 0.0722];

function curve(kind: CurveKind, x: number, white: number): number {
  switch (kind) {
    case "reinhard":
      return (x * (1 + x / (white * white))) / (1 + x);
    case "filmic": {
      const a = 2.51, b = 0.03, c = 2.43, d = 0.59, e = 0.14;
      return (x * (a * x + b)) / (x * (c * x + d) + e) / white;
    }
    case "exponential":
      return 1 - Math.exp(-x / white);
  }
}

function toneMap([r, g, b]: Rgb, p: ToneParams, kind: CurveKind): Rgb {
  const lum = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
  const mapped = curve(kind, lum * 2 ** p.exposure, p.whitePoint);
  const ratio = mapped / lum;
  const display = (c: number): number => Math.pow(c * ratio, 1 / p.gamma);
  return [display(r), display(g), display(b)];
}

export function gradingLoss(p: ToneParams, pixels: Rgb[], reference: Rgb[], kind: CurveKind = "reinhard"): number {
  let sse = 0;
  pixels.forEach((px, i) => {
    const out = toneMap(px, p, kind);
    for (let ch = 0; ch < 3; ch++) sse += (out[ch] - reference[i][ch]) ** 2;
  });
  return sse / (3 * pixels.length);
}

export const dGrading = grad(gradingLoss);

const PIXELS: Rgb[] = [
  [0.05, 0.04, 0.03],
  [0.4, 0.35, 0.3],
  [1.2, 1.0, 0.8],
  [3.5, 3.0, 2.2],
  [0.8, 0.2, 0.1],
];
const REFERENCE: Rgb[] = [
  [0.2, 0.18, 0.16],
  [0.55, 0.5, 0.46],
  [0.8, 0.74, 0.66],
  [0.95, 0.9, 0.8],
  [0.7, 0.35, 0.25],
];

const params: ToneParams = { exposure: 0.2, whitePoint: 2.5, gamma: 2.2 };

export const cases = [
  { f: gradingLoss, df: dGrading, args: [params, PIXELS, REFERENCE] },
  { f: gradingLoss, df: dGrading, args: [params, PIXELS, REFERENCE, "filmic"] },
  { f: gradingLoss, df: dGrading, args: [params, PIXELS, REFERENCE, "exponential"] },
];
