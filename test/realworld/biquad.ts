// A biquad IIR filter in transposed direct form II whose state is a small
// record updated every sample; the loss matches a target impulse response.
import { grad } from "tsgrad";

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function impulseResponse(coef: Biquad, length: number): number[] {
  const state = { z1: 0, z2: 0 };
  const out: number[] = [];
  for (let n = 0; n < length; n++) {
    const x = n === 0 ? 1 : 0;
    const y = coef.b0 * x + state.z1;
    state.z1 = coef.b1 * x - coef.a1 * y + state.z2;
    state.z2 = coef.b2 * x - coef.a2 * y;
    out.push(y);
  }
  return out;
}

const TARGET = [0.2, 0.35, 0.3, 0.18, 0.08, 0.02, -0.01, -0.015];

export function responseError(coef: Biquad): number {
  const h = impulseResponse(coef, TARGET.length);
  let err = 0;
  for (const [n, value] of h.entries()) err += (value - TARGET[n]) ** 2;
  return err;
}

export const dResponse = grad(responseError);

export const cases = [
  {
    f: responseError,
    df: dResponse,
    args: [{ b0: 0.2, b1: 0.3, b2: 0.1, a1: -0.6, a2: 0.2 }],
  },
];
