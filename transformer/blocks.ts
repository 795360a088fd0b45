// Pass 4a (with scalarize.ts), elements saved and restored as one block.
// Takes: a simplified IR function. Guarantees: the same values on the tape, in
// the same places, with a forward loop that saves each element of one array
// before overwriting it (`for (i = 1; i < n - 1; i++) { pushValue(next[i]); next[i] = ... }`)
// saving them all with one copy before it, and its reversed loop, which puts
// them back one per iteration (`next[i] = popValue()`), putting them back with
// one copy after it:
//
//   top = tsgrad.saveBlock(tape, top, next, 1, n - 1);
//   for (i = 1; i < n - 1; i++) next[i] = u[i] + c * (u[i - 1] - 2 * u[i] + u[i + 1]);
//   ...
//   const trips_i = i - 1;
//   while (i !== 1) { i -= 1; ...adjoint, no read of next... }
//   top = tsgrad.restoreBlock(tape, top, next, 1, trips_i);
//
// Why: a time-stepping loop overwrites a whole buffer each step; a per-element
// save is a load, a store and a counter update per element, in the loop that
// should only compute, where a block copy (`set`) moves 8 bytes a cycle. A person
// writing the adjoint stores each step's profile with one copy.
//
// When it is sound: the loop counts up by one from an integer to a bound the
// loop does not change, and its only save is the element at the counter right
// before the statement that overwrites it, the only write to that array in the
// loop. Every array the loop writes is one this function created (no two
// variables name it), so each element keeps its value from the loop's start
// until its own iteration overwrites it: the block before the loop is what the
// element-wise saves would have pushed, in their order. The reversed loop pops
// nothing else and reads the array nowhere (nor any array that could be it), so
// restoring after it rather than during it changes nothing it computes. Neither
// loop calls a function that could use the tape in between.

import type { Expr, Fn, Stmt, Type } from "./ir.js";
import { exprsOf, isArrayType, readsOf, walkExpr, walkStmts } from "./ir.js";
import type { NameScope } from "./names.js";

type Loop = Extract<Stmt, { kind: "loop" }>;

const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });

const isRuntimeCall = (e: Expr, names: readonly string[]): boolean => e.kind === "call" && e.callee.kind === "runtime" && names.includes(e.callee.name);

/** How many pushes (or pops) `stmts` make, and whether they call a user function (whose code may use the tape). */
function tapeUse(stmts: readonly Stmt[]): { pushes: number; pops: number; calls: boolean } {
  const use = { pushes: 0, pops: 0, calls: false };
  walkStmts(stmts, (s) => {
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (isRuntimeCall(x, ["pushValue", "pushControl", "pushBlock", "keepArray"])) use.pushes++;
        if (isRuntimeCall(x, ["popValue", "popControl", "popBlock", "restoreArray"])) use.pops++;
        if (x.kind === "call" && x.callee.kind !== "runtime" && x.callee.kind !== "math" && x.callee.kind !== "global") use.calls = true;
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

/** The reversed loop of `save`: `while (i !== low) { i -= 1; ...; a[i] = popValue(); ... }`, popping nothing else, reading `a` nowhere. */
function backwardRestore(loop: Loop, save: Save, created: ReadonlySet<string>, params: ReadonlySet<string>, types: ReadonlyMap<string, Type>): number | undefined {
  const { counter, array, low } = save;
  if (loop.doWhile || loop.init || loop.update.length !== 0) return undefined;
  const test = loop.test;
  if (test.kind !== "binary" || test.op !== "!==" || !isCounter(test.left, counter) || test.right.kind !== "num" || test.right.value !== low) return undefined;
  const step = loop.body[0];
  if (step?.kind !== "assign" || step.name !== counter || step.value.kind !== "binary" || step.value.op !== "-") return undefined;
  if (!isCounter(step.value.left, counter) || step.value.right.kind !== "num" || step.value.right.value !== 1) return undefined;
  const rest = loop.body.slice(1);
  const { assigned } = writes(rest);
  if (assigned.has(counter) || assigned.has(array) || leavesEarly(rest)) return undefined;
  const use = tapeUse(rest);
  if (use.pops !== 1 || use.pushes !== 0 || use.calls) return undefined;
  const at = rest.findIndex((s) => s.kind === "store" && s.array === array && isCounter(s.index, counter) && isRuntimeCall(s.value, ["popValue"]));
  if (at < 0) return undefined;
  // Nothing else reads or writes the array, nor an array that could be it (only this function's own arrays and the parameters are read).
  let ok = true;
  rest.forEach((s, k) => {
    if (k === at) return;
    walkStmts([s], (x) => {
      if (x.kind === "store" && (x.array === array || !created.has(x.array))) ok = false;
      for (const e of exprsOf(x)) {
        walkExpr(e, (y) => {
          if (y.kind !== "var" || !isArrayType(types.get(y.name))) return;
          if (y.name === array || !(created.has(y.name) || params.has(y.name))) ok = false;
        });
      }
    });
  });
  return ok ? at + 1 : undefined;
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
 * overwrites them, and the reversed loop that restores them, turned into one
 * block save before the first and one block restore after the second.
 */
export function saveBlocks(fn: Fn, body: Stmt[], types: ReadonlyMap<string, Type>, created: ReadonlySet<string>, names: NameScope): Stmt[] {
  const saves = new Map<string, Save>();
  const duplicate = new Set<string>();
  const restores = new Map<string, Loop[]>();
  walkStmts(body, (s) => {
    if (s.kind !== "loop") return;
    const save = forwardSave(s, types, created);
    if (save) {
      if (saves.has(save.counter)) duplicate.add(save.counter);
      saves.set(save.counter, save);
    }
  });
  const params = new Set(fn.params.map((p) => p.name));
  walkStmts(body, (s) => {
    if (s.kind !== "loop" || s.body[0]?.kind !== "assign") return;
    const save = saves.get(s.body[0].name);
    if (!save || duplicate.has(save.counter) || save.loop === s || backwardRestore(s, save, created, params, types) === undefined) return;
    restores.set(save.counter, [...(restores.get(save.counter) ?? []), s]);
  });
  // One forward loop, one reversed loop, for each counter.
  const pairs = new Map<Loop, Save>();
  const reversed = new Map<Loop, Save>();
  for (const [counter, loops] of restores) {
    if (loops.length !== 1) continue;
    const save = saves.get(counter)!;
    pairs.set(save.loop, save);
    reversed.set(loops[0]!, save);
  }
  if (pairs.size === 0) return body;

  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.flatMap((s): Stmt[] => {
      if (s.kind === "if") return [{ ...s, then: rewrite(s.then), else: rewrite(s.else) }];
      if (s.kind !== "loop") return [s];
      const save = pairs.get(s);
      if (save) {
        const push: Stmt = { kind: "effect", call: runtime("pushBlock", { kind: "var", name: save.array }, { kind: "num", value: save.low }, save.bound), origin: s.origin };
        return [push, { ...s, body: rewrite(without(s.body, save.at)) }];
      }
      const restore = reversed.get(s);
      if (restore) {
        const at = backwardRestore(s, restore, created, params, types)!;
        const trips = names.fresh(`trips_${restore.counter}`);
        const count: Stmt = {
          kind: "let",
          name: trips,
          type: "number",
          init: restore.low === 0 ? { kind: "var", name: restore.counter } : { kind: "binary", op: "-", left: { kind: "var", name: restore.counter }, right: { kind: "num", value: restore.low } },
          mutable: false,
          note: `the loop below puts back ${restore.array}[${restore.low} ..] after it, as one block`,
        };
        const pop: Stmt = {
          kind: "effect",
          call: runtime("popBlock", { kind: "var", name: restore.array }, { kind: "num", value: restore.low }, { kind: "var", name: trips }),
          origin: s.origin,
        };
        return [count, { ...s, body: rewrite(without(s.body, at)) }, pop];
      }
      return [{ ...s, body: rewrite(s.body) }];
    });
  return rewrite(body);
}
