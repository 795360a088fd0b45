// Issue 11 finding 1 as reported, and the transforms other than grad through
// getters, constant parameters and inner functions.
import { grad, hessian, jvp, valueAndGrad } from "tsgrad";

export class Pt {
  constructor(public a: number) {}
  get sq(): number {
    return this.a * this.a;
  }
}

export function f(p: Pt): number {
  return p.sq + 3 * p.a;
}

export const reported = grad(f)(new Pt(1.5));

export function g(x: number, kind: "tanh" | "cube"): number {
  const inner = (t: number) => (kind === "tanh" ? Math.tanh(t) : t * t * t);
  return inner(x) * x;
}

export const dg = grad(g);
export const ddg = grad(grad(g));
export const jg = jvp(g);
export const vg = valueAndGrad(g);

export class Quad {
  constructor(
    public a: number,
    public b: number,
  ) {}
  get energy(): number {
    return this.a * this.a * this.b + Math.sin(this.b);
  }
  norm(): number {
    return Math.hypot(this.a, this.b);
  }
}

export function energy(q: Quad): number {
  return q.energy;
}
export const jEnergy = jvp(energy);
export const dEnergy = grad(energy);

export function h(x: Float64Array): number {
  const w = (i: number) => x[i]! * x[i]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w(i) * x[(i + 1) % x.length]!;
  return s;
}
export const hh = hessian(h);
