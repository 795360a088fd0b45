// Pass 4a (with scalarize.ts), elements saved as one block. Takes: a
// simplified IR function. Guarantees: the same values on the tape, in the same
// places, with a forward loop that saves each element of one array before
// overwriting it (`for (i = 1; i < n - 1; i++) { pushValue(next[i]); next[i] = ... }`)
// saving them all with one copy before it; the reversed loop still pops them
// one per iteration:
//
//   top = tsgrad.saveBlock(tape, top, next, 1, n - 1);
//   for (i = 1; i < n - 1; i++) next[i] = u[i] + c * (u[i - 1] - 2 * u[i] + u[i + 1]);
//
// Why: a time-stepping loop overwrites a whole buffer each step, and a
// per-element save is a load, a store and a counter update per element in the
// loop that should only compute, where the runtime copies the block with
// `set` (a memory copy; see saveBlock for how without allocating a view).
// Putting the block back with one copy as well would need a view of the tape,
// an object allocated per step, so the reversed loop keeps its pops.
//
// When it is sound: the loop counts up by one from an integer to a bound the
// loop does not change, and its only save is the element at the counter right
// before the statement that overwrites it, the only write to that array in the
// loop. Every array the loop writes is one this function created (no two
// variables name it), so each element keeps its value from the loop's start
// until its own iteration overwrites it: the block before the loop is what the
// element-wise saves would have pushed, in their order. The loop calls no
// function that could use the tape, and leaves no iteration early.

import type { Expr, Stmt, Type } from "./ir.js";
import { exprsOf, isArrayType, readsOf, walkExpr, walkStmts } from "./ir.js";

type Loop = Extract<Stmt, { kind: "loop" }>;

const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });

const isRuntimeCall = (e: Expr, names: readonly string[]): boolean => e.kind === "call" && e.callee.kind === "runtime" && names.includes(e.callee.name);

/** How many pushes (or pops) `stmts` make, and whether they call a user function (whose code may use the tape). */
function tapeUse(stmts: readonly Stmt[]): { pushes: number; pops: number; calls: boolean } {
  const use = { pushes: 0, pops: 0, calls: false };
  walkStmts(stmts, (s) => {
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (isRuntimeCall(x, ["pushValue", "pushControl", "pushBlock", "pushBlockTangents", "keepArray"])) use.pushes++;
        if (isRuntimeCall(x, ["popValue", "popControl", "restoreArray"])) use.pops++;
        if (x.kind === "call" && x.callee.kind !== "runtime" && x.callee.kind !== "math" && x.callee.kind !== "global" && x.callee.kind !== "passive") use.calls = true;
        if (x.kind === "function") use.calls = true;
      });
    }
  });
  return use;
}

/** Whether anything in `stmts` leaves an iteration early. */
function leavesEarly(stmts: readonly Stmt[]): boolean {
  let found = false;
  walkStmts(stmts, (s) => {
    if (s.kind === "break" || s.kind === "continue" || s.kind === "return" || s.kind === "throw") found = true;
  });
  return found;
}

/** Arrays `stmts` store into, and the variables they assign or declare. */
function writes(stmts: readonly Stmt[]): { stored: Set<string>; assigned: Set<string> } {
  const stored = new Set<string>();
  const assigned = new Set<string>();
  walkStmts(stmts, (s) => {
    if (s.kind === "store") stored.add(s.array);
    if (s.kind === "assign" || s.kind === "let") assigned.add(s.name);
  });
  return { stored, assigned };
}

/** Whether `e` uses `array` other than as `array[index]`: handed whole to something. */
function usesWhole(e: Expr, array: string): boolean {
  let whole = 0;
  let indexed = 0;
  walkExpr(e, (x) => {
    if (x.kind === "var" && x.name === array) whole++;
    if (x.kind === "index" && x.array.kind === "var" && x.array.name === array) indexed++;
  });
  return whole > indexed;
}

const isCounter = (e: Expr, counter: string): boolean => e.kind === "var" && e.name === counter;

interface Save {
  readonly loop: Loop;
  readonly counter: string;
  readonly array: string;
  readonly low: number;
  readonly bound: Expr;
  /** Where in the body the push is. */
  readonly at: number;
}

/** A forward loop `for (i = low; i < bound; i++) { ...; pushValue(a[i]); a[i] = e; ... }` as described above. */
function forwardSave(loop: Loop, types: ReadonlyMap<string, Type>, created: ReadonlySet<string>): Save | undefined {
  const init = loop.init;
  if (loop.doWhile || !init || loop.update.length !== 1) return undefined;
  const counter = init.kind === "assign" || init.kind === "let" ? init.name : undefined;
  const start = init.kind === "assign" ? init.value : init.kind === "let" ? init.init : undefined;
  if (!counter || start?.kind !== "num" || !Number.isInteger(start.value)) return undefined;
  const step = loop.update[0]!;
  if (step.kind !== "assign" || step.name !== counter || step.value.kind !== "binary" || step.value.op !== "+") return undefined;
  if (!isCounter(step.value.left, counter) || step.value.right.kind !== "num" || step.value.right.value !== 1) return undefined;
  const test = loop.test;
  if (test.kind !== "binary" || test.op !== "<" || !isCounter(test.left, counter)) return undefined;
  const bound = test.right;
  const { stored, assigned } = writes(loop.body);
  if (assigned.has(counter) || [...readsOf(bound)].some((name) => name === counter || assigned.has(name))) return undefined;
  let boundCalls = false;
  walkExpr(bound, (x) => void ((x.kind === "call" || x.kind === "index") && (boundCalls = true)));
  if (boundCalls || leavesEarly(loop.body)) return undefined;
  const use = tapeUse(loop.body);
  if (use.pushes !== 1 || use.pops !== 0 || use.calls) return undefined;
  const at = loop.body.findIndex((s) => s.kind === "effect" && isRuntimeCall(s.call, ["pushValue"]));
  const push = loop.body[at];
  const write = loop.body[at + 1];
  if (push?.kind !== "effect" || push.call.kind !== "call") return undefined;
  const saved = push.call.args[0];
  if (saved?.kind !== "index" || saved.array.kind !== "var" || !isCounter(saved.index, counter)) return undefined;
  const array = saved.array.name;
  if (write?.kind !== "store" || write.array !== array || !isCounter(write.index, counter)) return undefined;
  const type = types.get(array);
  if (!isArrayType(type) || type.array !== "f64" || type.rows || assigned.has(array)) return undefined;
  // The one write to the array, and no array written here can be it.
  let storesToArray = 0;
  walkStmts(loop.body, (s) => void (s.kind === "store" && s.array === array && storesToArray++));
  if (storesToArray !== 1 || [...stored].some((a) => !created.has(a))) return undefined;
  for (const s of loop.body) for (const e of exprsOf(s)) if (usesWhole(e, array)) return undefined;
  return { loop, counter, array, low: start.value, bound, at };
}

/** `stmts` without the one at `at`, whose comment (`// adjoint of: ...`) the next statement takes. */
function without(stmts: readonly Stmt[], at: number): Stmt[] {
  const out = stmts.filter((_, k) => k !== at);
  const dropped = stmts[at]!;
  const next = out[at];
  if (dropped.note && next && !next.note) out[at] = { ...next, note: dropped.note, source: next.source ?? dropped.source };
  return out;
}

/**
 * `body` with each forward loop that saves the elements of one array as it
 * overwrites them saving them as one block before it instead.
 */
export function saveBlocks(body: Stmt[], types: ReadonlyMap<string, Type>, created: ReadonlySet<string>): Stmt[] {
  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.flatMap((s): Stmt[] => {
      if (s.kind === "if") return [{ ...s, then: rewrite(s.then), else: rewrite(s.else) }];
      if (s.kind !== "loop") return [s];
      const save = forwardSave(s, types, created);
      if (!save) return [{ ...s, body: rewrite(s.body) }];
      const push: Stmt = { kind: "effect", call: runtime("pushBlock", { kind: "var", name: save.array }, { kind: "num", value: save.low }, save.bound), origin: s.origin };
      return [push, { ...s, body: without(s.body, save.at) }];
    });
  return rewrite(body);
}
