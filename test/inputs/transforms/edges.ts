// Edge cases of vjp, jvp, the Jacobians, hasAux and into (checked in
// test/transforms.test.ts): inline arrows, a returned parameter, a runtime
// map, returns on several paths, a string aux, records in and out.
import { grad, hessian, jacfwd, jacobian, jvp, map, valueAndGrad, vjp } from "tsgrad";

export const inlineVjp = vjp((x: number[]) => [x[0]! * x[1]!, Math.sin(x[0]!)]);
export const inlineJacScalar = jacobian((x: Float64Array) => x[0]! * x[1]!);
export const inlineJacfwd = jacfwd((x: Float64Array) => [x[0]! * x[1]!, x[1]!]);

export function identity(x: Float64Array): Float64Array {
  return x;
}
export const identityVjp = vjp(identity);

export function squares(x: Float64Array): Float64Array {
  return map(x, (v) => v * v);
}
export const squaresVjp = vjp(squares);
export const squaresJac = jacobian(squares);

export function pick(x: Float64Array, c: number): Float64Array {
  const a = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = x[i]! * c;
  if (c > 0) return a;
  const b = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) b[i] = Math.exp(x[i]!);
  return b;
}
export const pickVjp = vjp(pick, [0, 1]);
export const pickJvp = jvp(pick);

export function labelled(w: number[]): [number, string] {
  const s = w[0]! * w[0]! + w[1]!;
  return [s, s > 1 ? "big" : "small"];
}
export const labelledGrad = grad(labelled, 0, { hasAux: true });

export function model(p: { w: Float64Array; b: number }, x: number): { y: number; z: Float64Array } {
  const z = new Float64Array(p.w.length);
  for (let i = 0; i < z.length; i++) z[i] = p.w[i]! * x + p.b;
  return { y: p.b * x, z };
}
export const modelVjp = vjp(model);
export const modelJvp = jvp(model);

export function loss(p: { w: Float64Array; b: number }, x: number): number {
  let s = p.b * p.b;
  for (let i = 0; i < p.w.length; i++) s += Math.sin(p.w[i]! * x);
  return s;
}
export const lossInto = grad(loss, 0, { into: true });
export const lossValueInto = valueAndGrad(loss, [0, 1], { into: true });
export const lossScalarInto = grad(loss, 1, { into: true });

export function noisy(x: number[]): number[] {
  console.log("noisy", x.length);
  return [x[0]! * 2, x[1]! * x[0]!];
}
export const noisyVjp = vjp(noisy);

/** An aux record with a string field, of a value the loss depends on. */
export function metrics(w: number[]): [number, { y: number; label: string }] {
  const y = w[0]! * w[1]!;
  return [y * y, { y, label: "run" }];
}
export const metricsGrad = grad(metrics, 0, { hasAux: true });

/** jacobian(grad(f)) where f loops: made by forward mode, the Hessian all the same. */
export function chain(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += Math.sin(x[i]!) * x[i + 1]! ** 2;
  return s;
}
export const chainJacobianOfGrad = jacobian(grad(chain));
export const chainHessian = hessian(chain);
