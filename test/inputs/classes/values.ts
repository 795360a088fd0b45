// Classes as value types and functions as arguments, through every transform
// (test/classes.test.ts): each export is checked against values derived by hand.
import { grad, hessian, jvp, valueAndGrad } from "tsgrad";

export class Vec2 {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  static polar(r: number, angle: number): Vec2 {
    return new Vec2(r * Math.cos(angle), r * Math.sin(angle));
  }
  plus(o: Vec2): Vec2 {
    return new Vec2(this.x + o.x, this.y + o.y);
  }
  times(s: number): Vec2 {
    return new Vec2(this.x * s, this.y * s);
  }
  get norm2(): number {
    return this.x * this.x + this.y * this.y;
  }
}

/** |polar(r, a) + (1, 0)|² = r² + 2 r cos a + 1. */
export function around(r: number, a: number): number {
  return Vec2.polar(r, a).plus(new Vec2(1, 0)).norm2;
}
export const dAround = grad(around, [0, 1]);
export const vAround = valueAndGrad(around, [0, 1]);
export const jAround = jvp(around);
export const hAround = hessian((ra: number[]) => around(ra[0]!, ra[1]!));
export const ddAround = grad(grad(around));

/** The gradient of an instance parameter is a plain object of its fields: d/dv |s v|² = 2 s² v. */
export function scaled(v: Vec2, s: number): number {
  return v.times(s).norm2;
}
export const dScaled = grad(scaled);

/** A nested instance: a particle holds two Vec2s, and its step returns a new particle. */
export class Particle {
  constructor(
    readonly pos: Vec2,
    readonly vel: Vec2,
  ) {}
  step(g: number, dt: number): Particle {
    const vel = this.vel.plus(new Vec2(0, -g * dt));
    return new Particle(this.pos.plus(vel.times(dt)), vel);
  }
}

/** Height after n steps of symplectic Euler: y_n = v0 n dt - g dt² n(n+1)/2. */
export function height(v0: number, g: number, n: number): number {
  let p = new Particle(new Vec2(0, 0), new Vec2(1, v0));
  for (let i = 0; i < n; i++) p = p.step(g, 0.1);
  return p.pos.y;
}
export const dHeight = grad(height, [0, 1]);

/** A method that mutates a local instance, and a choice between instances. */
class Accumulator {
  total = 0;
  count = 0;
  push(x: number): void {
    this.total += x;
    this.count += 1;
  }
  get mean(): number {
    return this.total / this.count;
  }
}

/** mean of x, 2x, 3x = 2x (c > 0), else |(x, 1)|² = x² + 1. */
export function chosen(x: number, c: number): number {
  const acc = new Accumulator();
  for (let k = 1; k <= 3; k++) acc.push(k * x);
  const v = c > 0 ? new Vec2(acc.mean, 0) : new Vec2(x, 1);
  return c > 0 ? v.x : v.norm2;
}
export const dChosen = grad(chosen);

/** A module constant named like a local of the caller: the method reads the constant. */
const offset = 10;
class Shifted {
  constructor(readonly a: number) {}
  value(): number {
    return this.a + offset;
  }
}
/** 3y · (x + 10) · x, the caller's local `offset` = 3y read first: d/dx = 3y (2x + 10), d/dy = 3x (x + 10). */
export function shadow(x: number, y: number): number {
  const offset = 3 * y;
  return offset * new Shifted(x).value() * x;
}
export const dShadow = grad(shadow, [0, 1]);

/** A model instance at module level, its loss a method reading its data through `this`. */
export interface Line {
  slope: number;
  bias: number;
}
export class LineModel {
  constructor(
    private readonly xs: readonly number[],
    private readonly ys: readonly number[],
  ) {}
  static fit(points: readonly number[]): LineModel {
    return new LineModel(points.map((_, i) => i), points);
  }
  predict(p: Line, x: number): number {
    return p.slope * x + p.bias;
  }
  loss(p: Line): number {
    let total = 0;
    for (let i = 0; i < this.xs.length; i++) {
      const r = this.predict(p, this.xs[i]!) - this.ys[i]!;
      total += r * r;
    }
    return total;
  }
}
export const model = LineModel.fit([1, 3, 5]);
export const dModel = grad((p: Line) => model.loss(p));

/** A function passed down two levels, and a different one per call site. */
function apply(x: number, f: (z: number) => number): number {
  return f(x) + f(2 * x);
}
function twice(x: number, f: (z: number) => number): number {
  return apply(x, f) * 2;
}
const cube = (z: number): number => z * z * z;
/** 2 (x³ + 8x³) + 2 (sin x + sin 2x). */
export function passed(x: number): number {
  return twice(x, cube) + twice(x, Math.sin);
}
export const dPassed = grad(passed);

/** A debugging print of a field inside differentiated code runs once per call. */
export function logged(x: number): number {
  const v = new Vec2(x, 2 * x);
  console.log(`v = (${v.x.toFixed(2)}, ${v.y.toFixed(2)})`);
  return v.norm2;
}
export const dLogged = grad(logged);
