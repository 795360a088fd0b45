// What stays refused (test/classes.test.ts): each transform call below must be
// refused with a located diagnostic that names the construct.
import { grad } from "tsgrad";

class Vec2 {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  norm2(): number {
    return this.x * this.x + this.y * this.y;
  }
}

/** A function parameter of the differentiated function itself: which function it is is known only at run time. */
export const dParam = grad((x: number, f: (z: number) => number) => f(x));

/** An instance used as a value where only numbers go. */
export const dLogInstance = grad((x: number) => {
  const v = new Vec2(x, x);
  console.log(v);
  return v.norm2();
});

class Stamp extends Date {
  constructor(readonly a: number) {
    super(0);
  }
  twice(): number {
    return 2 * this.a;
  }
}
/** A subclass of a built-in class: its base's fields and constructor are not the program's. */
export const dDerived = grad((x: number) => new Stamp(x).twice());

interface Shape {
  area(): number;
}
/** A method of an interface: no body to inline. */
export const dShape = grad((s: Shape, k: number) => k * s.area(), 1);

/** A method whose body is chosen at run time through a function-valued field. */
class Holder {
  constructor(readonly f: (z: number) => number) {}
}
const holder = new Holder(Math.exp);
export const dHolder = grad((x: number) => holder.f(x));
