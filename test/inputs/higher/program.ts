// Higher-order derivatives the higher.test.ts checks against finite
// differences of the lower order: Hessians through every runtime function and
// w.r.t. any parameter, grad of grad through loops and arrays, third
// derivatives, and calls of transform results inside differentiated code.
import { dot, grad, hessian, jvp, logSumExp, max, mean, min, norm, prod, sum, valueAndGrad } from "tsgrad";

export function reductions(x: Float64Array): number {
  return logSumExp(x) + prod(x) + norm(x) + max(x) * min(x) + sum(x) * mean(x) + dot(x, x) * x[0]!;
}
export const reductionsGrad = grad(reductions);
export const reductionsHessian = hessian(reductions);

export function reductionsJs(x: number[]): number {
  return logSumExp(x) * norm(x) + prod(x);
}
export const reductionsJsGrad = grad(reductionsJs);
export const reductionsJsHessian = hessian(reductionsJs);

/** A Hessian w.r.t. the second parameter, the first a constant for it. */
export function chain(s: number, x: number[]): number {
  let t = 0;
  for (let i = 0; i < x.length; i++) t += s * x[i]! * x[i]! * x[(i + 1) % x.length]! + Math.cos(x[i]! * s);
  return t;
}
export const chainGradX = grad(chain, 1);
export const chainHessianX = hessian(chain, 1);
export const chainGradS = grad(chain);
export const chainHessianS = hessian(chain, 0);

/** A loop whose adjoint uses the tape: d/dx of d/ds is one jvp per entry of x. */
export function rollout(s: number, x: Float64Array): number {
  let y = s;
  for (let i = 0; i < x.length; i++) y = Math.sin(y * x[i]!) + 0.5 * y;
  return y * y;
}
export const rolloutSlope = grad(rollout);
export const rolloutMixed = grad(grad(rollout), 1);
export const rolloutCurvature = grad(grad(rollout));
export const rolloutThird = grad(grad(grad(rollout)));
export const rolloutValueAndCurvature = valueAndGrad(grad(rollout));
export const rolloutHessianX = hessian(rollout, 1);
export const rolloutGradX = grad(rollout, 1);

/** A local array rewritten in a loop, a reduction of it, and an early return. */
export function scratch(x: number, n: number): number {
  if (n <= 0) return x;
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.exp(-x * i) * (i + 1);
  return logSumExp(b) + norm(b) * x;
}
export const scratchSlope = grad(scratch);
export const scratchCurvature = grad(grad(scratch));
export const scratchHessian = hessian(scratch);

/** A call of two active arguments passed to another (the inner vjp returns a tuple). */
function g(a: number, b: number): number {
  return a * b + Math.sin(a);
}
export function nestedCalls(x: number): number {
  return g(x, g(x, x));
}
export const nestedCallsSlope = grad(nestedCalls);
export const nestedCallsCurvature = grad(grad(nestedCalls));

/** grad of a function that calls a jvp result and a gradient, each bound to a const. */
function wave(x: number, k: number): number {
  let y = 0;
  for (let i = 1; i <= 3; i++) y += Math.sin(k * x * i) / i;
  return y;
}
const waveJvp = jvp(wave);
const waveSlope = grad(wave);
export function usesTransforms(x: number): number {
  return waveJvp(x, 2, 1, 0)[1] * x + waveSlope(x, x);
}
export const usesTransformsSlope = grad(usesTransforms);
export const usesTransformsCurvature = grad(grad(usesTransforms));
