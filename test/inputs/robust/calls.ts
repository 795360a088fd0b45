// Unusual shapes of transform calls and of the functions they name.
import * as tsgrad from "tsgrad";
import { grad, valueAndGrad } from "tsgrad";

const sq = (x: number): number => x * x;
const args = [sq] as const;

// @ts-expect-error grad needs a function
export const noArgument = () => grad();
export const spread = () => grad(...args);
// @ts-expect-error too many arguments
export const extra = () => grad(sq, 0, 1); // @ts-expect-error wrt -1 is past the parameters
export const negativeWrt = () => grad(sq, -1); // @ts-expect-error so is 1.5
export const fractionalWrt = () => grad(sq, 1.5);
export const hexWrt = () => grad(sq, 0x0);
export const emptyWrt = () => grad(sq, []);
// @ts-expect-error grad is not a scalar function
export const ofGrad = () => grad(grad);
export const ofMathSin = () => grad(Math.sin);
export const ofAny = () => grad(sq as any);
export const parenthesised = () => (grad)(sq);
export const optionalCall = grad?.(sq);
export const withTypeArguments = grad<typeof sq>(sq);
export const throughNamespace = tsgrad.grad(sq);
export const namedExpression = grad(function named(x: number) {
  return x * x * x;
});
export const constant = grad((x: number): number => 1 + 0 * x);
export const ignoresArgument = grad((_x: number): number => 4);

function withDefault(x: number, k = 2): number {
  return x * k;
}
export const ofDefault = () => grad(withDefault);

function destructured({ a }: { a: number }): number {
  return a * a;
}
export const ofDestructured = () => grad(destructured);

function nested(x: number): number {
  return grad(sq)(x) * x;
}
export const ofNested = () => grad(nested);

function throws(x: number): number {
  if (x > 1e9) throw new Error("too big");
  return x;
}
export const ofThrows = () => grad(throws);

function usesArguments(x: number): number {
  return arguments.length * x;
}
export const ofArguments = () => grad(usesArguments);

function optionalChain(x: number, o?: { k: number }): number {
  return x * (o?.k ?? 1);
}
export const ofOptionalChain = () => grad(optionalChain);

const isEven = (n: number): boolean => (n === 0 ? true : isOdd(n - 1));
const isOdd = (n: number): boolean => (n === 0 ? false : isEven(n - 1));
const mutual = (x: number, n: number): number => (isEven(n) ? x * x : x);
export const ofMutual = grad(mutual);

const fact = (x: number, n: number): number => (n <= 0 ? 1 : x * fact(x, n - 1));
export const ofRecursive = grad(fact);

export class Holder {
  field = grad((x: number) => x * 4)(1);
  static staticField = valueAndGrad((x: number) => x * 5)(1);
  method(d = grad((x: number) => x * 6)(1)): number {
    return d;
  }
}

export default grad(sq);
