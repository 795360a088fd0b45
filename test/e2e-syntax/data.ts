// Issue 13 as a user meets it: the data shapes of application code, one
// function per item of the issue, each gradient checked against central
// differences by check-data.ts. Compiled by the e2e test from the packed
// tarball with tspc.
import { grad, valueAndGrad } from "tsgrad";

// 1. Nested arrays: parameters, fields, locals and module constants.
const MIX: readonly (readonly number[])[] = [[1, 0.5], [-0.25, 2]];

export function nested(W: number[][], rows: Float64Array[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < W.length; i++) {
    for (let j = 0; j < W[i]!.length; j++) s += W[i]![j]! * x[j % x.length]!;
  }
  const gram: number[][] = W.map((a) => W.map((b) => a[0]! * b[0]!));
  for (const row of gram) for (const v of row) s += 0.1 * v;
  for (const r of rows) s += r[0]! * MIX[0]![1]! + r[r.length - 1]! * MIX[1]![1]!;
  return s;
}

// 2. Arrays of records and tuples, as data and as the differentiated parameter.
interface Body { x: number; y: number; mass: number }

export function potential(bodies: Body[], observations: readonly [number, number][]): number {
  let e = 0;
  for (let i = 0; i < bodies.length; i++) {
    for (let j = i + 1; j < bodies.length; j++) {
      const { x, y } = bodies[i]!;
      const dx = x - bodies[j]!.x;
      const dy = y - bodies[j]!.y;
      e -= (bodies[i]!.mass * bodies[j]!.mass) / Math.sqrt(dx * dx + dy * dy + 0.01);
    }
  }
  for (const [t, value] of observations) e += 0.5 * (bodies[0]!.x * t - value) ** 2;
  return e;
}

// 3. Local arrays: made per iteration, grown, copied, filled, swapped.
export function heat(initial: number[], alpha: number, steps = 4): number {
  let u = initial.slice();
  let next = new Array<number>(u.length).fill(0);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < u.length; i++) {
      const left = u[i === 0 ? 0 : i - 1]!;
      const right = u[i === u.length - 1 ? i : i + 1]!;
      next[i] = u[i]! + alpha * (left - 2 * u[i]! + right);
    }
    const tmp = u;
    u = next;
    next = tmp;
  }
  const history: number[] = [];
  for (const v of u) history.push(v * v);
  const copy = [...history];
  return copy.reduce((a, b) => a + b, 0);
}

// 4. Array methods with callbacks.
export function methods(xs: number[], k: number): number {
  const scaled = xs.map((x, i) => x * k + i);
  const total = scaled.reduce((a, b) => a + b);
  const positive = scaled.filter((v) => v > 0);
  let s = total + positive.reduce((a, v) => a + v * v, 0);
  scaled.forEach((v) => (s += 0.5 * v));
  if (scaled.some((v) => v > 100)) s *= 2;
  const first = scaled.find((v) => v > 1);
  if (first !== undefined) s += first;
  const at = scaled.findIndex((v) => v > 1);
  if (at >= 0) s += xs[at]! * k;
  const squares = Array.from({ length: xs.length }, (_, i) => xs[i]! * xs[i]!);
  for (const [i, v] of squares.entries()) s += i * v;
  return s + scaled.at(-1)! + scaled.concat([k]).length * k;
}

// 5. Helpers that return structures.
function polar(r: number, theta: number): [number, number] {
  return [r * Math.cos(theta), r * Math.sin(theta)];
}
function centroid(points: { x: number; y: number }[]): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}
function normalise(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((e) => e / norm);
}
export function helpers(r: number, theta: number, points: { x: number; y: number }[]): number {
  const [px, py] = polar(r, theta);
  const c = centroid(points);
  const unit = normalise([px - c.x, py - c.y]);
  return unit[0]! * px + unit[1]! * py + c.x * c.y;
}

// 6. Classes as value types.
export class Vec3 {
  constructor(readonly x: number, readonly y: number, readonly z: number) {}
  static of(s: number): Vec3 {
    return new Vec3(s, s, s);
  }
  add(o: Vec3): Vec3 {
    return new Vec3(this.x + o.x, this.y + o.y, this.z + o.z);
  }
  scale(s: number): Vec3 {
    return new Vec3(this.x * s, this.y * s, this.z * s);
  }
  dot(o: Vec3): number {
    return this.x * o.x + this.y * o.y + this.z * o.z;
  }
  get length(): number {
    return Math.sqrt(this.dot(this));
  }
}
export function vectors(a: Vec3, b: Vec3, s: number): number {
  return a.add(b).scale(s).dot(Vec3.of(0.5)) + a.length * b.length;
}

export interface Params { w: number[]; b: number }
export class Model {
  constructor(private readonly data: readonly { x: number[]; y: number }[]) {}
  predict(p: Params, x: number[]): number {
    let z = p.b;
    for (let i = 0; i < x.length; i++) z += p.w[i]! * x[i]!;
    return Math.tanh(z);
  }
  loss(p: Params): number {
    let s = 0;
    for (const { x, y } of this.data) s += (this.predict(p, x) - y) ** 2;
    return s / this.data.length;
  }
}
const model = new Model([{ x: [1, 2], y: 0.5 }, { x: [-1, 0.5], y: -0.25 }, { x: [0.3, -0.7], y: 0.1 }]);
export const modelLoss = (p: Params) => model.loss(p);

// 7. Functions passed as arguments, specialised per call site.
function fit(predict: (x: number) => number, loss: (r: number) => number, xs: number[], ys: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += loss(predict(xs[i]!) - ys[i]!);
  return s;
}
export function chosen(a: number, b: number): number {
  const xs = [0.5, 1, 1.5];
  const ys = [1, 2, 2.5];
  const squared = fit((x) => a * x + b, (r) => r * r, xs, ys);
  const cosh = fit((x) => Math.tanh(a * x) + b, (r) => Math.log(Math.cosh(r)), xs, ys);
  return squared + cosh;
}

export const gradients = {
  nested: grad(nested, [0, 1]),
  potential: grad(potential),
  heat: grad(heat, [0, 1]),
  methods: grad(methods, [0, 1]),
  helpers: grad(helpers, [0, 1, 2]),
  vectors: grad(vectors, [0, 1, 2]),
  modelLoss: valueAndGrad(modelLoss),
  chosen: grad(chosen, [0, 1]),
};
