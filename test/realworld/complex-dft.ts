// Power of a signal at one DFT bin, with complex numbers as [re, im] tuples
// and small helpers that return them.
import { grad } from "tsgrad";

type Complex = [re: number, im: number];

const cmul = ([a, b]: Complex, [c, d]: Complex): Complex => [a * c - b * d, a * d + b * c];
const cadd = ([a, b]: Complex, [c, d]: Complex): Complex => [a + c, b + d];
const expi = (phi: number): Complex => [Math.cos(phi), Math.sin(phi)];
const abs2 = ([re, im]: Complex): number => re * re + im * im;

export function binPower(signal: number[], bin: number): number {
  const n = signal.length;
  let acc: Complex = [0, 0];
  signal.forEach((x, t) => {
    acc = cadd(acc, cmul([x, 0], expi((-2 * Math.PI * bin * t) / n)));
  });
  return abs2(acc) / n;
}

export const dBinPower = grad(binPower);

export const cases = [
  {
    f: binPower,
    df: dBinPower,
    args: [[0.5, 1.2, -0.3, 0.8, -1.1, 0.2, 0.9, -0.6], 1],
  },
  { f: binPower, df: dBinPower, args: [[1, 0, -1, 0, 1, 0, -1, 0], 2] },
];
