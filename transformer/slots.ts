// Pass 4c (after overwrite.ts), values kept in the gradient's own slots. Takes:
// a scalarized IR function. Guarantees: the same values, with a number a loop
// of the forward sweep saves once per iteration (on the tape, to be restored by
// the reversed loop) kept instead in the element of an adjoint array that the
// reversed loop stores, at its counter, once per iteration:
//
//   for (i = 0; i < x.length; i++) { e = Math.exp(x[i] - a); x_bar[i] = e; s += e; }
//   ...
//   while (i !== 0) { i -= 1; e = x_bar[i]; ...; x_bar[i] = e_bar * e; ... }
//
// where it was `pushValue(e); e = ...` forward and `...; e = popValue()` backward,
// or `e = ...; ...; pushValue(e)` forward and `e = popValue(); ...` backward
// (a value saved at the end of the iteration, iteration-saves.ts).
//
// Why: the tape doubles the memory traffic of such a loop (each value written to
// the tape, then read back, then its adjoint written to the gradient), and it is
// what a person writing a softmax does not do: exp(x_i − a) goes straight into
// the output, which is then scaled. For a gradient as long as the input (GradBench
// `lse`) the tape is the whole difference from the hand-written adjoint.
//
// When it is sound:
// - the forward loop F runs its counter up by one from a constant start S ≥ 0
//   while it is below the length of the parameter the adjoint array has the
//   shape of (so every slot it writes exists), and the reversed loop R, later
//   in the function, steps the same counter down by one until it is S; neither
//   leaves an iteration early (break, continue, return, throw) nor moves the
//   counter elsewhere; both are statements of the function body (not inside
//   another loop, so each runs once per call). R pops the value once per
//   iteration for each push of F, so it visits the same counters, in reverse;
// - the value is assigned once per iteration of F and saved once, both
//   statements of F's body, and popped once, a statement of R's body, with
//   nothing after the pop reading it (saved before the assignment) or the pop
//   before R's store into the array (saved after it); it is named nowhere else
//   but its declaration, so the value R's iteration at counter k reads is the
//   one F's iteration at k left, and nothing after R reads what the pops restored;
// - the array is named, between its declaration and R's end, only by one store
//   at the counter, a statement of R's body, whose value does not read it: the
//   slot F writes at k is untouched until R's iteration at k, which reads it
//   first (the load opens the body) and then overwrites it as before, so the
//   array after R holds what it held without this pass;
// - the array is fresh (`zerosLike`) or the caller's `into` buffer, which could
//   be an argument: it is then checked to share no memory with one
//   (`apartInto`), and every parameter of the function is a number, a boolean or
//   a flat array, and no module-level array is read, so nothing else can name it.
//   Its declaration moves up to just before F; what it reads (parameters) is
//   never assigned.

import type { Expr, Fn, Param, Stmt, Type } from "./ir.js";
import { assignedIn, exprsOf, isArrayType, mentions, readsOf, v, walkExpr, walkStmts } from "./ir.js";

type Loop = Extract<Stmt, { kind: "loop" }>;
type Let = Extract<Stmt, { kind: "let" }>;

/** The runtime calls that give an adjoint array: a fresh one, or the caller's buffer (cleared or not). */
const BUFFERS: ReadonlySet<string> = new Set(["zerosLike", "zeroed", "checkedInto"]);

export function keepInSlots(fn: Fn): Fn {
  let body = fn.body;
  // One kept value per adjoint array; each rewrite leaves the others' conditions to be asked again.
  for (let at = 0; at < body.length; at++) {
    const done = keepOne(fn, body, at);
    if (done) body = done;
  }
  return body === fn.body ? fn : { ...fn, body };
}

/** `body` with a value kept in the array that `body[at]` declares, or undefined when none can be. */
function keepOne(fn: Fn, body: readonly Stmt[], at: number): Stmt[] | undefined {
  const decl = body[at]!;
  const buffer = bufferOf(decl, fn.params);
  if (!buffer) return undefined;
  const array = (decl as Let).name;
  if (!readsOnlyArguments(body, buffer)) return undefined;
  const r = body.findIndex((x, k) => k > at && mentions(x, array));
  const back = body[r];
  if (back?.kind !== "loop") return undefined;
  const reversed = reversedLoop(back);
  if (!reversed) return undefined;
  const { counter, start } = reversed;
  // The array's one use in R: a store at the counter, a statement of the body, reading no element of it.
  const storeAt = back.body.findIndex((x) => x.kind === "store" && x.array === array);
  const store = back.body[storeAt];
  if (store?.kind !== "store" || !isVar(store.index, counter) || uses(back, array) !== 1) return undefined;
  // The forward loop that saves a value R restores.
  for (const pop of back.body) {
    const kept = poppedName(pop);
    if (kept === undefined) continue;
    const f = body.findIndex((x, k) => k < at && x.kind === "loop" && mentions(x, kept));
    const forward = body[f];
    if (forward?.kind !== "loop" || !countsUp(forward, counter, start, buffer.like)) continue;
    const rewritten = keep(body, { at, f, r, kept, counter, array, init: buffer.init, forward, back, pop });
    if (rewritten) return rewritten;
  }
  return undefined;
}

interface Candidate {
  readonly at: number;
  readonly f: number;
  readonly r: number;
  readonly kept: string;
  readonly counter: string;
  readonly array: string;
  readonly init: Expr;
  readonly forward: Loop;
  readonly back: Loop;
  readonly pop: Stmt;
}

/** The function body with `kept` held in `array[counter]` between F and R, or undefined when that is not sound. */
function keep(body: readonly Stmt[], c: Candidate): Stmt[] | undefined {
  const { kept, counter, array, forward, back, pop } = c;
  // Named nowhere but its declaration (a number, before F), F and R.
  const declared = body.findIndex((x) => x.kind === "let" && x.name === kept);
  const declaration = body[declared];
  if (declaration?.kind !== "let" || declaration.type !== "number" || declared > c.f) return undefined;
  if (body.some((x, k) => k !== declared && k !== c.f && k !== c.r && mentions(x, kept))) return undefined;
  if (declaration.init && readsOf(declaration.init).has(kept)) return undefined;
  // Assigned once and saved once in F, both statements of its body.
  const set = forward.body.findIndex((x) => x.kind === "assign" && x.name === kept);
  const save = forward.body.findIndex((x) => isPushOf(x, kept));
  if (set < 0 || save < 0 || assignments(forward.body, kept) !== 1 || pushesOf(forward.body, kept) !== 1) return undefined;
  if (mentionsRuntime(forward.body, kept, "popValue")) return undefined;
  // Popped once in R, a statement of its body, saved by nothing in it.
  const popAt = back.body.indexOf(pop);
  if (assignments(back.body, kept) !== 1 || pushesOf(back.body, kept) !== 0) return undefined;
  const store: Stmt = { kind: "store", array, index: v(counter), value: v(kept), note: `kept for the backward sweep in ${array}[${counter}], which its adjoint overwrites` };
  const load: Stmt = { kind: "assign", name: kept, value: { kind: "index", array: v(array), index: v(counter) }, note: `the value the forward sweep kept in ${array}[${counter}]` };
  // Nothing between F and R names the array: it was declared after F, first named by R.
  let forwardBody: Stmt[];
  let backBody: Stmt[];
  if (save > set) {
    // The value the iteration ended with, saved at its end and restored where the reversed iteration
    // begins (reverse.ts, iteration-saves.ts): the store and the load take their places, the load
    // before R's store at the counter overwrites the slot.
    if (popAt > back.body.findIndex((x) => x.kind === "store" && x.array === array)) return undefined;
    forwardBody = forward.body.map((x, k) => (k === save ? store : x));
    backBody = back.body.map((x) => (x === pop ? load : x));
  } else {
    // The value saved before it is overwritten and restored last: read by nothing after the pop.
    if (back.body.slice(popAt + 1).some((x) => mentions(x, kept))) return undefined;
    forwardBody = [...forward.body];
    forwardBody.splice(set + 1, 0, store);
    forwardBody.splice(save, 1);
    backBody = back.body.filter((x) => x !== pop);
    backBody.splice(1, 0, load);
  }
  const moved: Stmt = { ...(body[c.at] as Let), init: c.init };
  return body.flatMap((x, k): Stmt[] => {
    if (k === c.at) return [];
    if (k === c.f) return [moved, { ...forward, body: forwardBody }];
    if (k === c.r) return [{ ...back, body: backBody }];
    return [x];
  });
}

/**
 * `let a_bar = zerosLike(x)` (or the caller's buffer, `zeroed(into, x)` or
 * `checkedInto(into, x)`) of a flat array parameter x nothing assigns: what
 * it is shaped like, and its initialiser once moved (the caller's buffer
 * checked apart from the arguments), or undefined.
 */
function bufferOf(s: Stmt, params: readonly Param[]): { like: string; init: Expr; caller: boolean } | undefined {
  if (s.kind !== "let" || !isFlatArray(s.type) || s.init?.kind !== "call" || s.init.callee.kind !== "runtime") return undefined;
  const name = s.init.callee.name;
  if (!BUFFERS.has(name)) return undefined;
  const args = s.init.args;
  const like = name === "zerosLike" ? args[0] : args[1];
  const param = (e: Expr | undefined): e is Extract<Expr, { kind: "var" }> => e?.kind === "var" && params.some((p) => p.name === e.name);
  if (!param(like) || !isFlatArray(params.find((p) => p.name === like.name)!.type)) return undefined;
  if (name === "zerosLike") return { like: like.name, init: s.init, caller: false };
  const into = args[0];
  if (!param(into)) return undefined;
  // Every other array the function can read is an argument, which apartInto checks.
  if (!params.every((p) => p.name === into.name || p.type === "number" || p.type === "boolean" || isFlatArray(p.type))) return undefined;
  const arrays = params.filter((p) => p.name !== into.name && isFlatArray(p.type)).map((p) => v(p.name));
  const call = (callee: string, ...xs: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name: callee }, args: xs });
  return { like: like.name, init: call("apartInto", s.init, ...arrays), caller: true };
}

/**
 * Whether the parameters the buffer's initialiser reads are never assigned (it
 * moves up), and, for the caller's buffer, the function reads no array but
 * its arguments and its own (a module-level array could be the buffer).
 */
function readsOnlyArguments(body: readonly Stmt[], buffer: { init: Expr; caller: boolean }): boolean {
  const assigned = assignedIn(body);
  if ([...readsOf(buffer.init)].some((n) => assigned.has(n))) return false;
  if (!buffer.caller) return true;
  let other = false;
  walkStmts(body, (s) => {
    for (const e of exprsOf(s)) walkExpr(e, (x) => {
      if ((x.kind === "index" || x.kind === "length") && x.array.kind !== "var") other = true;
      if (x.kind === "call" && x.callee.kind !== "math" && x.callee.kind !== "runtime") other = true;
    });
  });
  return !other;
}

/** `while (i !== S) { i = i - 1; ... }` with S a constant ≥ 0, nothing else moving i and nothing leaving early: i and S. */
function reversedLoop(loop: Loop): { counter: string; start: number } | undefined {
  if (loop.fused || loop.doWhile || loop.init || loop.update.length !== 0) return undefined;
  const test = loop.test;
  if (test.kind !== "binary" || test.op !== "!==" || test.left.kind !== "var" || !isStart(test.right)) return undefined;
  const counter = test.left.name;
  if (!steps(loop.body[0], counter, "-") || assignedIn(loop.body.slice(1)).has(counter) || leaves(loop.body)) return undefined;
  return { counter, start: test.right.value };
}

/** `for (i = S; i < like.length; i = i + 1)`, nothing else moving i and nothing leaving early. */
function countsUp(loop: Loop, counter: string, start: number, like: string): boolean {
  if (loop.fused || loop.doWhile || loop.update.length !== 1 || !steps(loop.update[0], counter, "+")) return false;
  const init = loop.init;
  const from = init?.kind === "assign" && init.name === counter ? init.value : init?.kind === "let" && init.name === counter ? init.init : undefined;
  if (from?.kind !== "num" || from.value !== start) return false;
  const test = loop.test;
  const bounded = test.kind === "binary" && test.op === "<" && isVar(test.left, counter) && test.right.kind === "length" && isVar(test.right.array, like);
  return bounded && !assignedIn(loop.body).has(counter) && !leaves(loop.body);
}

const isStart = (e: Expr): e is { kind: "num"; value: number } => e.kind === "num" && Number.isInteger(e.value) && e.value >= 0;

/** `i = i ± 1`. */
function steps(s: Stmt | undefined, counter: string, op: "+" | "-"): boolean {
  return (
    s?.kind === "assign" && s.name === counter &&
    s.value.kind === "binary" && s.value.op === op && isVar(s.value.left, counter) &&
    s.value.right.kind === "num" && s.value.right.value === 1
  );
}

function leaves(stmts: readonly Stmt[]): boolean {
  let found = false;
  walkStmts(stmts, (x) => {
    if (x.kind === "break" || x.kind === "continue" || x.kind === "return" || x.kind === "throw") found = true;
  });
  return found;
}

/** `v = popValue()`: v. */
function poppedName(s: Stmt): string | undefined {
  return s.kind === "assign" && isRuntimeCall(s.value, "popValue") ? s.name : undefined;
}

function isPushOf(s: Stmt, name: string): boolean {
  return s.kind === "effect" && isRuntimeCall(s.call, "pushValue") && s.call.kind === "call" && s.call.args.length === 1 && isVar(s.call.args[0]!, name);
}

function pushesOf(stmts: readonly Stmt[], name: string): number {
  let n = 0;
  walkStmts(stmts, (s) => {
    if (s.kind === "effect" && isRuntimeCall(s.call, "pushValue") && s.call.kind === "call" && s.call.args.some((a) => readsOf(a).has(name))) n++;
  });
  return n;
}

function mentionsRuntime(stmts: readonly Stmt[], name: string, callee: string): boolean {
  let found = false;
  walkStmts(stmts, (s) => {
    if (s.kind === "assign" && s.name === name && isRuntimeCall(s.value, callee)) found = true;
  });
  return found;
}

function assignments(stmts: readonly Stmt[], name: string): number {
  let n = 0;
  walkStmts(stmts, (s) => {
    if ((s.kind === "assign" || s.kind === "let") && s.name === name) n++;
  });
  return n;
}

/** How often `loop` names `array`: stores into it and reads of it (the whole array or an element). */
function uses(loop: Loop, array: string): number {
  let n = 0;
  walkStmts([loop], (s) => {
    if (s.kind === "store" && s.array === array) n++;
    for (const e of exprsOf(s)) if (readsOf(e).has(array)) walkExpr(e, (x) => {
      if (x.kind === "var" && x.name === array) n++;
    });
  });
  return n;
}

const isRuntimeCall = (e: Expr, name: string): boolean => e.kind === "call" && e.callee.kind === "runtime" && e.callee.name === name;

const isFlatArray = (t: Type | undefined): boolean => isArrayType(t) && !t.rows;

function isVar(e: Expr, name: string): boolean {
  return e.kind === "var" && e.name === name;
}
