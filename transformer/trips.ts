// Where a counted loop leaves its counter. Takes: a loop's test and step, its
// counter's start, and what the reverse pass knows of the names they read.
// Guarantees: the counter's value after the forward loop, as an expression of
// values the loop leaves alone, or undefined when that needs the loop to run.
//
// The backward sweep steps a counter back from this value, instead of saving
// the value on the tape each time the loop starts and popping it. That saves a
// tape slot, and more: a value popped from the tape (a Float64Array) is a
// double to V8, so every index computed from the counter in the reversed loop
// nest is a double converted back at each access. A GMM gradient's backward
// triangle, `for (let i = 0; i + 1 < d; i += 2)`, ran 1.6× slower for that.

import {
  type Expr,
  type Stmt,
  add,
  div,
  math,
  mul,
  num,
  sameExpr,
  sub,
  v,
} from "./ir.js";
import { fold } from "./simplify.js";

export interface CounterFacts {
  /** Whether `bound` reads only values the loop leaves alone (no calls). */
  stable(bound: Expr): boolean;
  /** Whether `e` always holds an integer. */
  whole(e: Expr): boolean;
}

/**
 * For `for (let i = start; i < n; i += s)` (or `i + c < n`) with `n` unchanged
 * by the body and `s` a positive integer literal: the value `i` ends with.
 * Step 1: `start + max(0, ceil(n - start))`, the ceiling dropped when `n` is
 * whole. Step s > 1: `start + s * max(0, ceil((n - start) / s))`, for a whole
 * start only, so that every value of `i` is an integer and the product lands
 * exactly where s additions do (the backward sweep stops at `i === start`).
 */
export function counterEnd(
  test: Expr,
  step: Stmt | undefined,
  counter: { name: string; start: Expr },
  facts: CounterFacts,
): Expr | undefined {
  if (test.kind !== "binary" || test.op !== "<") return undefined;
  // `i < n`, or `i + c < n` (that is, i < n - c).
  let bound = test.right;
  const left = test.left;
  if (
    left.kind === "binary" &&
    left.op === "+" &&
    left.left.kind === "var" &&
    left.left.name === counter.name &&
    left.right.kind === "num"
  ) {
    bound = sub(bound, left.right);
  } else if (left.kind !== "var" || left.name !== counter.name)
    return undefined;
  const by = stepSize(step, counter.name);
  if (by === undefined || !facts.stable(bound)) return undefined;
  const start = counter.start;
  let trips: Expr;
  if (by === 1) {
    const count = facts.whole(bound)
      ? sub(bound, start)
      : math("ceil", sub(bound, start));
    trips = math("max", num(0), fold(count));
  } else {
    if (!facts.whole(start)) return undefined;
    const span =
      start.kind === "num" && start.value === 0 ? bound : sub(bound, start);
    trips = mul(
      num(by),
      math("max", num(0), math("ceil", div(fold(span), num(by)))),
    );
  }
  // max(0, ...) is never -0, nor s times it, so 0 + it is it.
  return start.kind === "num" && start.value === 0
    ? trips
    : fold(add(start, trips));
}

/** `s` when `step` is `i = i + s` with `s` a positive integer literal. */
function stepSize(step: Stmt | undefined, counter: string): number | undefined {
  if (step?.kind !== "assign" || step.name !== counter) return undefined;
  const value = step.value;
  if (
    value.kind !== "binary" ||
    value.op !== "+" ||
    !sameExpr(value.left, v(counter)) ||
    value.right.kind !== "num"
  )
    return undefined;
  const s = value.right.value;
  return Number.isInteger(s) && s > 0 ? s : undefined;
}
