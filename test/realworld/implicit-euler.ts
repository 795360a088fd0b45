// One implicit Euler step of a stiff chemical kinetics model (Robertson's
// problem), solved with Newton's method: the Newton matrix needs the Jacobian
// of the right-hand side, which is taken by forward mode (three species).
import { jacfwd, jacobian } from "tsgrad";

const RATES = { k1: 0.04, k2: 3e7, k3: 1e4 } as const;

export function robertson(y: number[]): number[] {
  const [a, b, c] = [y[0]!, y[1]!, y[2]!];
  return [
    -RATES.k1 * a + RATES.k3 * b * c,
    RATES.k1 * a - RATES.k3 * b * c - RATES.k2 * b * b,
    RATES.k2 * b * b,
  ];
}

export const rhsJacobian = jacfwd(robertson);
export const rhsJacobianByRows = jacobian(robertson);

function solve3(m: number[][], r: number[]): number[] {
  // Gaussian elimination without pivoting: the Newton matrix I − h·J is diagonally dominant here.
  const a = m.map((row) => [...row]);
  const x = [...r];
  for (let k = 0; k < 3; k++) {
    for (let i = k + 1; i < 3; i++) {
      const factor = a[i]![k]! / a[k]![k]!;
      for (let j = k; j < 3; j++) a[i]![j]! -= factor * a[k]![j]!;
      x[i]! -= factor * x[k]!;
    }
  }
  for (let i = 2; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < 3; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

export function implicitEulerStep(y: number[], h: number): number[] {
  let next = [...y];
  for (let iteration = 0; iteration < 8; iteration++) {
    const f = robertson(next);
    const jac = rhsJacobian(next);
    const residual = next.map((v, i) => v - y[i]! - h * f[i]!);
    const newton = jac.map((row, i) => row.map((d, j) => (i === j ? 1 : 0) - h * d));
    const delta = solve3(newton, residual);
    next = next.map((v, i) => v - delta[i]!);
  }
  return next;
}

const state = [0.98, 3e-5, 0.02];

// Each row of the Jacobian is the gradient of one species' rate.
export const cases = [0, 1, 2].flatMap((species) => [
  { f: (y: number[]) => robertson(y)[species]!, df: (y: number[]) => rhsJacobian(y)[species]!, args: [state] },
  { f: (y: number[]) => robertson(y)[species]!, df: (y: number[]) => rhsJacobianByRows(y)[species]!, args: [state] },
]);
