// Source maps: each statement of the generated adjoint maps back to the user
// statement it differentiates.
import { grad } from "tsgrad";

export function cube(x: number): number {
  let y = x;
  y = y * x;
  y = y * x;
  return y;
}

export function wave(x: number, w: number): number {
  const s = Math.sin(w * x);
  const c = s * s + x;
  return c / w;
}

export const dCube = grad(cube);
export const dWave = grad(wave, [0, 1]);
