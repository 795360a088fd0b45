// Pass 4b (`{ into: true }`), buffers written whole. Takes: a scalarized IR
// function (scalarize.ts has turned the first accumulation into an adjoint
// array, in the loop that first touches it, into a plain store). Guarantees:
// the caller's buffer is not zeroed (`checkedInto` instead of `zeroed`) when
// that loop stores into every element before anything reads one:
//
//   const x_bar = tsgrad.checkedInto(into, x);
//   i = Math.max(0, x.length);
//   while (i !== 0) { i -= 1; ...; x_bar[i] = e; ... }
//
// Why: the zeroing is a pass over the whole gradient that the backward sweep
// then overwrites. For a gradient as long as the input (log-sum-exp, a softmax)
// it is a third of the backward sweep's memory traffic; a hand-written adjoint
// writing into its output buffer does not clear it first.
//
// When it is sound: the loop runs its counter over exactly 0 .. length - 1 of
// the parameter the buffer has the shape of, with nothing that leaves an
// iteration early (break, continue, return, throw) anywhere in its body, and
// the store at the counter is a statement of the body itself, not inside a
// branch, and the first in the body to mention the buffer, which the loop
// touches at no other index.

import type { Expr, Fn, Stmt } from "./ir.js";
import { assignedIn, exprsOf, isArrayType, mentions, readsOf, walkExpr, walkStmts } from "./ir.js";

export function skipOverwrittenZeroing(fn: Fn): Fn {
  const body = fn.body.map((s, at): Stmt => {
    if (s.kind !== "let" || s.init?.kind !== "call" || s.init.callee.kind !== "runtime" || s.init.callee.name !== "zeroed") return s;
    // A flat array: rows of a nested gradient are arrays of their own, filled elsewhere.
    if (!isArrayType(s.type) || s.type.rows) return s;
    const like = s.init.args[1];
    if (like?.kind !== "var") return s;
    const next = fn.body.findIndex((x, k) => k > at && mentions(x, s.name));
    const loop = fn.body[next];
    if (loop?.kind !== "loop" || !coversEveryIndex(loop, fn.body.slice(at + 1, next), like.name, s.name)) return s;
    return { ...s, init: { ...s.init, callee: { ...s.init.callee, name: "checkedInto" } } };
  });
  return { ...fn, body };
}

type Loop = Extract<Stmt, { kind: "loop" }>;

/** Whether every iteration of `loop`, whose counter runs over 0 .. like.length - 1, first stores `array[counter]`. */
function coversEveryIndex(loop: Loop, before: readonly Stmt[], like: string, array: string): boolean {
  const counter = fullRangeCounter(loop, before, like);
  if (counter === undefined) return false;
  let leaves = false;
  walkStmts(loop.body, (x) => {
    if (x.kind === "break" || x.kind === "continue" || x.kind === "return" || x.kind === "throw") leaves = true;
  });
  // The counter moves only where the loop steps it (a reversed loop's body opens with `i -= 1`).
  const rest = loop.update.length === 0 ? loop.body.slice(1) : loop.body;
  if (leaves || assignedIn(rest).has(counter)) return false;
  // Every access at the counter: an element other iterations touch might be read before its store.
  let elsewhere = false;
  walkStmts(loop.body, (x) => {
    if (x.kind === "store" && x.array === array && !isVar(x.index, counter)) elsewhere = true;
    for (const e of exprsOf(x)) {
      // Every use of the name is an element (not the whole array passed to a call), at the counter.
      let uses = 0;
      let elements = 0;
      walkExpr(e, (y) => {
        if (y.kind === "var" && y.name === array) uses++;
        if (y.kind === "index" && isVar(y.array, array)) {
          elements++;
          if (!isVar(y.index, counter)) elsewhere = true;
        }
      });
      if (uses !== elements) elsewhere = true;
    }
  });
  if (elsewhere) return false;
  const first = loop.body.find((x) => mentions(x, array));
  return (
    first?.kind === "store" &&
    first.array === array &&
    isVar(first.index, counter) &&
    !readsOf(first.value).has(array)
  );
}

/**
 * The counter of `for (i = 0; i < like.length; i++)`, or of the reversed
 * `i = Math.max(0, like.length); while (i !== 0) { i -= 1; ... }`.
 */
function fullRangeCounter(loop: Loop, before: readonly Stmt[], like: string): string | undefined {
  const isLength = (e: Expr): boolean => e.kind === "length" && isVar(e.array, like);
  if (loop.doWhile) return undefined;
  if (loop.init && loop.update.length === 1) {
    const init = loop.init;
    const counter = init.kind === "let" || init.kind === "assign" ? init.name : undefined;
    const start = init.kind === "let" ? init.init : init.kind === "assign" ? init.value : undefined;
    const test = loop.test;
    return counter !== undefined &&
      start?.kind === "num" && start.value === 0 &&
      test.kind === "binary" && test.op === "<" && isVar(test.left, counter) && isLength(test.right) &&
      steps(loop.update[0], counter, "+")
      ? counter
      : undefined;
  }
  if (loop.init || loop.update.length !== 0) return undefined;
  const test = loop.test;
  if (test.kind !== "binary" || test.op !== "!==" || test.left.kind !== "var" || test.right.kind !== "num" || test.right.value !== 0) return undefined;
  const counter = test.left.name;
  if (!steps(loop.body[0], counter, "-")) return undefined;
  // The last statement before the loop that sets the counter sets it to the length.
  let set: Stmt | undefined;
  for (const x of before) if (assignedIn([x]).has(counter) || (x.kind === "let" && x.name === counter)) set = x;
  if (set?.kind !== "assign" || set.name !== counter) return undefined;
  const value = set.value;
  const clamped =
    value.kind === "call" && value.callee.kind === "math" && value.callee.name === "max" && value.args.length === 2 &&
    value.args[0]!.kind === "num" && value.args[0]!.value === 0 && isLength(value.args[1]!);
  return clamped || isLength(value) ? counter : undefined;
}

/** `i = i + 1` (or `- 1`). */
function steps(s: Stmt | undefined, counter: string, op: "+" | "-"): boolean {
  return (
    s?.kind === "assign" && s.name === counter &&
    s.value.kind === "binary" && s.value.op === op && isVar(s.value.left, counter) &&
    s.value.right.kind === "num" && s.value.right.value === 1
  );
}

function isVar(e: Expr, name: string): boolean {
  return e.kind === "var" && e.name === name;
}
