// User names that look like the names tsgrad generates: locals, parameters,
// module-level consts, and a module-level const and a local named `tsgrad`.
import { grad, valueAndGrad } from "tsgrad";

export const tsgrad = 7;
const f_grad = 3;
const f_vjp = 2;
const f_valueAndGrad = 0.5;
const result = 1.5;
const helper_vjp = 0.25;

function helper(v: number, w: number): number {
  const _r0 = v * w;
  return _r0 + Math.sin(v);
}

/** Locals named like generated temporaries, overwritten in a loop with branches and calls. */
export function f(x: number, x_bar: number): number {
  const y_bar_1 = x * x_bar;
  let _t0 = y_bar_1;
  let _d0 = 0.5;
  let _b0 = 0;
  let _n0 = 1;
  let _i0 = 0;
  for (let i = 0; i < 4; i++) {
    _t0 = _t0 * 0.5 + x;
    if (_t0 > 1) {
      _b0 = _b0 + _t0 * _d0;
    } else {
      _b0 = _b0 - x_bar;
    }
    _n0 = _n0 * helper(_t0, x_bar);
    _i0 += i;
  }
  const tsgrad = _b0 + _n0;
  const result = tsgrad * f_grad + f_vjp * _i0;
  const _r0 = helper(result * 0.01, f_valueAndGrad) * helper_vjp;
  return _r0 + x_bar * x;
}

/** A function whose parameters are called `result` and `tsgrad`. */
export function g(result: number, tsgrad: number): number {
  let acc = result;
  for (let k = 0; k < 3; k++) acc = acc * tsgrad + result;
  return acc;
}

export const dfAll = grad(f, [0, 1]);
export const df0 = grad(f);
export const vgf = valueAndGrad(f, [0, 1]);
export const dg = grad(g, [0, 1]);
export const vgg = valueAndGrad(g, 1);
export const constants = [tsgrad, result];
