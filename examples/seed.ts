// The seed examples (PyTorch's classic autograd tutorial), in TypeScript.
// Built by `npm run examples` with tspc and the tsgrad transformer.
import { grad, valueAndGrad } from "tsgrad";

// y = 3x², dy/dx at x = 3
function f(x: number): number {
  return 3 * x ** 2;
}

// y = 6x² + 2x + 4, dy/dx at x = 3
const g = (x: number) => 6 * x ** 2 + 2 * x + 4;

// y = u³ + v² + 4uv, ∂y/∂u and ∂y/∂v at (3, 4)
function h(u: number, v: number): number {
  return u ** 3 + v ** 2 + 4 * u * v;
}

// y = u² + v³ + 2uv + u + v, ∂y/∂u and ∂y/∂v at (3, 4)
function k(u: number, v: number): number {
  return u ** 2 + v ** 3 + 2 * u * v + u + v;
}

export function main(): void {
  const rows: [string, string, number, unknown][] = [
    ["3x²", "x = 3", f(3), grad(f)(3)],
    ["6x² + 2x + 4", "x = 3", g(3), grad(g)(3)],
    ["u³ + v² + 4uv", "(u, v) = (3, 4)", h(3, 4), grad(h, [0, 1])(3, 4)],
    ["u² + v³ + 2uv + u + v", "(u, v) = (3, 4)", k(3, 4), grad(k, [0, 1])(3, 4)],
  ];

  for (const [fn, at, value, derivative] of rows) {
    console.log(`${fn.padEnd(24)} at ${at.padEnd(16)} value ${String(value).padStart(4)}   gradient ${JSON.stringify(derivative)}`);
  }
  const [value, slope] = valueAndGrad(f)(3);
  console.log(`valueAndGrad(f)(3) = [${value}, ${slope}]; second derivative grad(grad(f))(3) = ${grad(grad(f))(3)}`);
}

export const seedValues = {
  d3x2: grad(f)(3),
  dQuadratic: grad(g)(3),
  dCubicMix: grad(h, [0, 1])(3, 4),
  dMixed: grad(k, [0, 1])(3, 4),
};
