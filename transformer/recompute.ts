// What the backward sweep may evaluate again instead of reading a saved value
// (reverse.ts): an expression of loads and arithmetic whose variables hold, at
// the place the backward sweep evaluates it, what they held forward.

import type { Expr } from "./ir.js";

/** Math functions cheap enough to evaluate again backward: one instruction each. */
export const CHEAP_CALLS: ReadonlySet<string> = new Set(["sqrt", "abs", "min", "max"]);

/**
 * Whether `e` is loads, field reads, `+ - * /`, negation and `CHEAP_CALLS` of
 * variables `stable` accepts: evaluating it again costs less than a save and a
 * restore. `callOk` widens the Math calls allowed (a loop's paired sin and cos).
 */
export function cheapToRecompute(
  e: Expr,
  stable: (name: string) => boolean,
  callOk: (call: Extract<Expr, { kind: "call" }>) => boolean = (call) => call.callee.kind === "math" && CHEAP_CALLS.has(call.callee.name),
): boolean {
  const cheap = (x: Expr): boolean => {
    switch (x.kind) {
      case "num":
      case "free":
        return true;
      case "var":
        return stable(x.name);
      case "index":
        return cheap(x.array) && cheap(x.index);
      case "length":
        return cheap(x.array);
      case "field":
        return cheap(x.object);
      case "call":
        return callOk(x) && x.args.every(cheap);
      case "neg":
        return cheap(x.arg);
      case "binary": {
        // Down a chain's left operands in a loop: it may nest thousands deep.
        let node: Expr = x;
        while (node.kind === "binary") {
          if (!(node.op === "+" || node.op === "-" || node.op === "*" || node.op === "/") || !cheap(node.right)) return false;
          node = node.left;
        }
        return cheap(node);
      }
      default:
        return false;
    }
  };
  return cheap(e);
}

/**
 * Whether `e`, a value that depends on no differentiated input, is loads, field
 * reads, arithmetic and bit operations, comparisons, `?:` and Math calls
 * (Math.random is refused before this point) of variables `stable` accepts: a
 * pure function of them, so the backward sweep may evaluate it again, at the
 * cost the primal pays for it once per iteration, instead of putting every
 * iteration's value on the tape (a loop-invariant `Math.cos(seed) * 3`, a
 * per-iteration `Math.sin(seed * i)`). With nothing else to save the forward
 * loop is then dropped, and the value computed backward only.
 */
export function passiveRecomputable(e: Expr, stable: (name: string) => boolean): boolean {
  const pure = (x: Expr): boolean => {
    switch (x.kind) {
      case "num":
      case "free":
        return true;
      case "var":
        return stable(x.name);
      case "index":
        return pure(x.array) && pure(x.index);
      case "length":
        return pure(x.array);
      case "field":
        return pure(x.object);
      case "call":
        return x.callee.kind === "math" && x.args.every(pure);
      case "neg":
      case "not":
        return pure(x.arg);
      case "cond":
        return pure(x.test) && pure(x.then) && pure(x.else);
      case "binary": {
        // Down a chain's left operands in a loop: it may nest thousands deep.
        let node: Expr = x;
        while (node.kind === "binary") {
          if (!pure(node.right)) return false;
          node = node.left;
        }
        return pure(node);
      }
      default:
        return false;
    }
  };
  return pure(e);
}
