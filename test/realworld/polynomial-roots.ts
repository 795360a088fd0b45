// Fitting a polynomial given by its roots to samples, and a path-smoothing
// energy: a class with a static factory that grows its coefficients root by
// root, reduceRight for Horner's rule, and differences collected with push.
import { grad, valueAndGrad } from "tsgrad";

class Polynomial {
  constructor(public readonly coefficients: number[]) {}

  static fromRoots(roots: number[]): Polynomial {
    let coeffs = [1];
    for (const r of roots) {
      const next = new Array<number>(coeffs.length + 1).fill(0);
      coeffs.forEach((c, i) => {
        next[i] = next[i]! - r * c;
        next[i + 1] = next[i + 1]! + c;
      });
      coeffs = next;
    }
    return new Polynomial(coeffs);
  }

  evaluate(x: number): number {
    return this.coefficients.reduceRight((acc, c) => acc * x + c, 0);
  }

  get degree(): number {
    return this.coefficients.length - 1;
  }
}

export function rootsFit(roots: number[], samples: [number, number][]): number {
  const p = Polynomial.fromRoots(roots);
  let err = 0;
  for (const [x, y] of samples) err += (p.evaluate(x) - y) ** 2;
  return err / p.degree;
}

export function smoothPath(points: number[], weight = 0.5): number {
  const diffs: number[] = [];
  for (let i = 1; i < points.length; i++) diffs.push(points[i]! - points[i - 1]!);
  const curvature = diffs.slice(1).map((d, i) => d - diffs[i]!);
  const energy = curvature.reduce((s, c) => s + c * c, 0);
  const length = diffs.map(Math.abs).reduce((a, b) => a + b, 0);
  return energy + weight * length;
}

export const dRoots = grad(rootsFit);
export const dSmooth = valueAndGrad(smoothPath);

const samples: [number, number][] = [[-1, 2.5], [0, -0.4], [0.5, 0.3], [1.5, 1.1], [2, 3.2]];
export const cases = [
  { f: rootsFit, df: dRoots, args: [[0.3, -0.8, 1.2], samples] },
  { f: smoothPath, df: dSmooth, args: [[0, 0.4, 1.1, 1.5, 2.4, 2.6]], withValue: true },
];
