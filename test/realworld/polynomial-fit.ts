// Least-squares polynomial fit, the polynomial evaluated by Horner's rule
// written as coeffs.reduce (highest degree first).
import { grad } from "tsgrad";

export const evaluate = (coeffs: number[], x: number): number => coeffs.reduce((acc, c) => acc * x + c, 0);

export function polyFit(coeffs: number[], points: { x: number; y: number }[]): number {
  return points.reduce((sse, { x, y }) => sse + (evaluate(coeffs, x) - y) ** 2, 0);
}

export const dPolyFit = grad(polyFit);

const points = [-1, -0.5, 0, 0.5, 1, 1.5].map((x) => ({ x, y: Math.cos(x) }));

export const cases = [{ f: polyFit, df: dPolyFit, args: [[-0.3, 0.05, -0.4, 0.1, 1.0], points] }];
