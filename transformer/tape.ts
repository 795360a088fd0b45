// Pass 4b, the tape in locals. Takes: a finished IR function (as emission gets
// it). Decides whether its saves can go straight into the runtime's tape
// buffer through two locals, `tape` and `top`, instead of calls to
// pushValue/popValue/pushControl/popControl.
//
// Why: V8 does not inline a call made in a large function once its inlining
// budget is spent, and a double passed to or returned from a call that is not
// inlined is boxed in a fresh heap number, so every save allocated. Module-level
// `let`s the push functions update also cost a load and a store per push that
// locals do not. `tape[top++] = a` is what a person writes by hand.
//
// How it stays correct:
// - the writes of the forward sweep are unchecked: a typed array ignores a
//   write past its end, and `top` counts on. Once the forward sweep is over, a
//   `top` past the end means the tape was too short: the function grows it and
//   runs again, which is sound because the forward sweep has no other effect
//   (the adjoints a fused loop, fuse.ts, adds into are the call's own, made
//   again by the new run; a fused loop checks each iteration's pushes before
//   its adjoint pops them; a forward sweep with the user's effects, console.log, or that calls a
//   function using the tape, is not localised);
// - saved values and control decisions share the one tape, in the order the
//   forward sweep pushed them; the backward sweep pops in exactly the reverse
//   order (reverse.ts and forward.ts mirror every push);
// - a function whose backward sweep calls other functions that use the tape
//   publishes its `top` first, so they save above its values, and puts the
//   runtime's top back before returning. A callee may replace the buffer when it
//   grows it; the caller only reads what it saved, and the old buffer keeps that.

import type { Expr, Fn, Stmt } from "./ir.js";
import { exprsOf, hasUserEffects, namesUsed, walkExpr, walkStmts } from "./ir.js";
import { NameScope } from "./names.js";

export interface TapeLayout {
  /** The local holding the tape buffer. */
  readonly tape: string;
  /** The local holding the index of the first free slot. */
  readonly top: string;
  /** Top-level statements before this index are the forward sweep (all the pushes). */
  readonly split: number;
  /** The backward sweep calls functions that use the tape: publish `top` around it. */
  readonly publish: boolean;
  /** Every push of the forward sweep is in a fused loop, which checks them itself: no check after the sweep. */
  readonly checked: boolean;
}

const PUSHES = new Set(["pushValue", "pushControl", "pushBlock", "pushBlockTangents"]);
const POPS = new Set(["popValue", "popControl"]);
/** Saves and restores of one value each (`tape[top++] = v`, `tape[--top]`). */
const ONE_PUSH = new Set(["pushValue", "pushControl"]);
const ONE_POP = new Set(["popValue", "popControl"]);
/** Block saves (blocks.ts) and the runtime functions that do them on a tape in locals. */
const BLOCKS: Record<string, string> = { pushBlock: "saveBlock", pushBlockTangents: "saveBlockTangents" };

const isRuntime = (e: Expr, names: Set<string>): boolean =>
  e.kind === "call" && e.callee.kind === "runtime" && names.has(e.callee.name);

/** Calls `visit` on every expression of `stmts`, nested statements included. */
function walkAll(stmts: readonly Stmt[], visit: (e: Expr) => void): void {
  walkStmts(stmts, (s) => {
    for (const e of exprsOf(s)) walkExpr(e, visit);
  });
}

function contains(stmts: readonly Stmt[], test: (e: Expr) => boolean): boolean {
  let found = false;
  walkAll(stmts, (e) => {
    if (!found && test(e)) found = true;
  });
  return found;
}

/** Settled answers of usesTape (a function's IR never changes once made). */
const tapeUsers = new WeakMap<Fn, boolean>();

/** The functions being asked about (recursion), and how often one was met again. */
interface Walk {
  readonly seen: Set<Fn>;
  cuts: number;
}

/** Whether calling `fn` can touch the tape: it saves values, or calls something that does. */
function usesTape(fn: Fn, walk: Walk): boolean {
  const known = tapeUsers.get(fn);
  if (known !== undefined) return known;
  if (walk.seen.has(fn)) {
    walk.cuts++;
    return false;
  }
  walk.seen.add(fn);
  const cutsBefore = walk.cuts;
  const uses = contains(fn.body, (e) => isRuntime(e, PUSHES) || isRuntime(e, POPS) || callsTapeUser(e, walk));
  // A "no" that rested on a function still being asked about is not settled.
  if (uses || walk.cuts === cutsBefore) tapeUsers.set(fn, uses);
  return uses;
}

function callsTapeUser(e: Expr, walk: Walk): boolean {
  if (e.kind === "function") return usesTape(e.fn.ir(), walk);
  if (e.kind !== "call") return false;
  if (e.callee.kind === "fn" && !e.callee.fn.custom) return usesTape(e.callee.fn.ir(), walk);
  // A customGrad rule is user code and cannot reach the tape.
  return false;
}

/**
 * How `fn` keeps its tape in locals, or undefined when it saves nothing or
 * its shape does not allow it (then it calls the runtime's push and pop).
 */
export function tapeLayout(fn: Fn): TapeLayout | undefined {
  const body = fn.body;
  let lastPush = -1;
  body.forEach((s, i) => pushes(s) && (lastPush = i));
  if (lastPush < 0) return undefined;
  const forward = body.slice(0, lastPush + 1);
  const backward = body.slice(lastPush + 1);
  // Every pop after every push, so the check can sit between the sweeps; but a fused loop
  // (fuse.ts) pops, in each iteration, what that iteration pushed: the check sits between them too.
  if (forward.some((s) => pops(s) && !(s.kind === "loop" && s.fused))) return undefined;
  // One return, the last statement: the runtime's top is restored right before it.
  let returns = 0;
  walkStmts(body, (s) => {
    if (s.kind === "return") returns++;
  });
  if (returns !== 1 || body[body.length - 1]?.kind !== "return") return undefined;
  // Running the forward sweep again must repeat nothing but its own saves.
  if (contains(forward, (e) => callsTapeUser(e, { seen: new Set([fn]), cuts: 0 }))) return undefined;
  // Nor the user's effects (console.log), which run once per call: such a sweep uses the growing runtime tape.
  if (hasUserEffects(forward, new Set([fn]))) return undefined;
  const publish = contains(backward, (e) => callsTapeUser(e, { seen: new Set(), cuts: 0 }));
  const names = new NameScope(namesUsed(fn));
  const checked = forward.every((s) => !pushes(s) || (s.kind === "loop" && s.fused === true));
  return { tape: names.fresh("tape"), top: names.fresh("top"), split: lastPush + 1, publish, checked };
}

/** Whether `s` pushes a value, a control decision or a block (at any depth). */
export const pushes = (s: Stmt): boolean => contains([s], (e) => isRuntime(e, PUSHES));

/** Whether `s` pops a value or a control decision (at any depth). */
export const pops = (s: Stmt): boolean => contains([s], (e) => isRuntime(e, POPS));

/** `pushValue(e)` / `pushControl(e)`: the saved expression, if `s` is a push. */
export function pushed(s: Stmt): Expr | undefined {
  return s.kind === "effect" && isRuntime(s.call, ONE_PUSH) && s.call.kind === "call" ? s.call.args[0] : undefined;
}

/** `tapeMark()`: where the tape stands (in locals, `top`). */
export const isMark = (e: Expr): e is Extract<Expr, { kind: "call" }> => isRuntime(e, new Set(["tapeMark"]));

/** `rewindTape(mark)`: the tape put back where a mark found it (in locals, `top = mark`). */
export const isRewind = (e: Expr): e is Extract<Expr, { kind: "call" }> => isRuntime(e, new Set(["rewindTape"]));

/** Whether `e` is a pop of one value. */
export const isPop = (e: Expr): boolean => isRuntime(e, ONE_POP);

/**
 * `pushBlock(a, lo, hi)` (or `pushBlockTangents(a, aDot, lo, hi)`): the runtime
 * function that does it on a tape in locals (`top = saveBlock(tape, top, a, lo, hi)`), and its arguments.
 */
export function block(s: Stmt): { helper: string; args: readonly Expr[] } | undefined {
  if (s.kind !== "effect" || s.call.kind !== "call" || s.call.callee.kind !== "runtime") return undefined;
  const helper = BLOCKS[s.call.callee.name];
  return helper ? { helper, args: s.call.args } : undefined;
}
