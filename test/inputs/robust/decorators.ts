// TS 5 standard decorators on a class, a method, a field and an accessor.
import { grad } from "tsgrad";

export const log: string[] = [];

function sealed<T extends abstract new (...args: never[]) => unknown>(value: T, context: ClassDecoratorContext<T>): void {
  log.push(`class ${String(context.name)}`);
  void value;
}

function traced<This, Args extends unknown[], R>(
  target: (this: This, ...args: Args) => R,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
): (this: This, ...args: Args) => R {
  return function (this: This, ...args: Args): R {
    log.push(`call ${String(context.name)}`);
    return target.call(this, ...args);
  };
}

function doubled<This>(_value: undefined, _context: ClassFieldDecoratorContext<This, number>): (initial: number) => number {
  return (initial) => initial * 2;
}

function watched<This, V>(
  value: ClassAccessorDecoratorTarget<This, V>,
  _context: ClassAccessorDecoratorContext<This, V>,
): ClassAccessorDecoratorResult<This, V> {
  return { get(this: This) { return value.get.call(this); } };
}

@sealed
export class Model {
  @doubled weight = 1.5;
  @watched accessor bias = 0.25;

  @traced
  loss(w: number): number {
    const squared = (x: number): number => (x - 1) ** 2;
    return grad(squared)(w);
  }

  @traced
  predict(x: number): number {
    return this.weight * x + this.bias;
  }
}

export const slope = new Model().loss(3);
export const dPredict = () => grad(new Model().predict)(1);
