// Robust location/scale estimation with a Student-t likelihood; the degrees
// of freedom come from an enum of presets.
import { grad } from "tsgrad";

export enum Tails {
  Heavy = 1,
  Moderate = 4,
  Light = 30,
}

export function studentNll(location: number, logScale: number, data: number[], nu: Tails = Tails.Moderate): number {
  const scale = Math.exp(logScale);
  let nll = data.length * logScale;
  for (const x of data) {
    const z = (x - location) / scale;
    nll += ((nu + 1) / 2) * Math.log1p((z * z) / nu);
  }
  return nll;
}

export const dStudent = grad(studentNll, [0, 1]);

const data = [0.2, -0.4, 0.1, 0.3, 5.0, -0.1];

export const cases = [
  { f: studentNll, df: dStudent, args: [0.1, -0.5, data], wrt: [0, 1] },
  {
    f: studentNll,
    df: dStudent,
    args: [0.1, -0.5, data, Tails.Heavy],
    wrt: [0, 1],
  },
];
