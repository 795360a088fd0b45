// Match a photo's graded colours to reference swatches: colours are RGB
// tuples, small helpers convert and blend them and return new tuples, and the
// grade's lift/gamma/gain is fitted by gradient descent.
import { grad } from "tsgrad";

type Rgb = [r: number, g: number, b: number];

export interface Grade {
  lift: number;
  gamma: number;
  gain: number;
}

const luma = ([r, g, b]: Rgb): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

function applyGrade([r, g, b]: Rgb, { lift, gamma, gain }: Grade): Rgb {
  const channel = (c: number) => gain * (c + lift * (1 - c)) ** (1 / gamma);
  return [channel(r), channel(g), channel(b)];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const SWATCHES: { source: Rgb; target: Rgb }[] = [
  { source: [0.1, 0.12, 0.15], target: [0.16, 0.17, 0.2] },
  { source: [0.45, 0.4, 0.35], target: [0.55, 0.5, 0.44] },
  { source: [0.8, 0.78, 0.7], target: [0.86, 0.84, 0.78] },
];

export function gradeError(grade: Grade, strength = 0.9): number {
  let error = 0;
  for (const { source, target } of SWATCHES) {
    const graded = mix(source, applyGrade(source, grade), strength);
    const [dr, dg, db] = [graded[0] - target[0], graded[1] - target[1], graded[2] - target[2]];
    error += dr * dr + dg * dg + db * db + 0.1 * (luma(graded) - luma(target)) ** 2;
  }
  return error;
}

export const dGradeError = grad(gradeError);

export const cases = [{ f: gradeError, df: dGradeError, args: [{ lift: 0.05, gamma: 1.1, gain: 1.05 }] }];
