// Fitting the knobs of a photo-editing pipeline (exposure, contrast,
// saturation, warmth) so that a small image matches a reference edit. Each
// filter is a (pixel) => pixel callback made by a factory from its knob; the
// pipeline applies them in order to every pixel.
import { grad } from "tsgrad";

export interface Pixel {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface Knobs {
  exposure: number; // stops
  contrast: number;
  saturation: number;
  warmth: number;
}

type PixelFilter = (pixel: Pixel) => Pixel;

const luminance = ({ r, g, b }: Pixel): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

const mapChannels = (p: Pixel, f: (c: number) => number): Pixel => ({ r: f(p.r), g: f(p.g), b: f(p.b) });

const exposure =
  (stops: number): PixelFilter =>
  (p) =>
    mapChannels(p, (c) => c * 2 ** stops);

const contrast =
  (amount: number, pivot = 0.5): PixelFilter =>
  (p) =>
    mapChannels(p, (c) => pivot + (c - pivot) * amount);

function saturation(amount: number): PixelFilter {
  return (p) => {
    const y = luminance(p);
    return mapChannels(p, (c) => y + (c - y) * amount);
  };
}

const warmth =
  (amount: number): PixelFilter =>
  ({ r, g, b }) => ({ r: r * (1 + 0.1 * amount), g, b: b * (1 - 0.1 * amount) });

// soft clip to [0, 1] so that the gradient is informative near the ends
const softClip = (c: number): number => 1 / (1 + Math.exp(-6 * (c - 0.5)));

function applyPipeline(image: readonly Pixel[], filters: readonly PixelFilter[]): Pixel[] {
  return image.map((pixel) => mapChannels(filters.reduce((p, filter) => filter(p), pixel), softClip));
}

export function editLoss(knobs: Knobs, image: readonly Pixel[], reference: readonly Pixel[]): number {
  const pipeline = [
    exposure(knobs.exposure),
    contrast(knobs.contrast),
    saturation(knobs.saturation),
    warmth(knobs.warmth),
  ];
  const edited = applyPipeline(image, pipeline);
  const error = edited.reduce((sum, p, i) => {
    const q = reference[i];
    return sum + (p.r - q.r) ** 2 + (p.g - q.g) ** 2 + (p.b - q.b) ** 2;
  }, 0);
  return error / (3 * edited.length);
}

export const dEditLoss = grad(editLoss);

const IMAGE: Pixel[] = [
  { r: 0.2, g: 0.3, b: 0.4 },
  { r: 0.8, g: 0.6, b: 0.5 },
  { r: 0.1, g: 0.1, b: 0.1 },
  { r: 0.5, g: 0.7, b: 0.3 },
  { r: 0.9, g: 0.9, b: 0.8 },
  { r: 0.35, g: 0.2, b: 0.6 },
];

const REFERENCE: Pixel[] = [
  { r: 0.3, g: 0.38, b: 0.42 },
  { r: 0.88, g: 0.72, b: 0.55 },
  { r: 0.12, g: 0.1, b: 0.08 },
  { r: 0.6, g: 0.8, b: 0.3 },
  { r: 0.95, g: 0.94, b: 0.85 },
  { r: 0.45, g: 0.28, b: 0.6 },
];

export const cases = [
  { f: editLoss, df: dEditLoss, args: [{ exposure: 0.2, contrast: 1.1, saturation: 1.2, warmth: 0.3 }, IMAGE, REFERENCE] },
];
