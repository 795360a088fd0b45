// Pass 2a, structured loops. Takes: lowered IR whose loops may contain break,
// continue and return. Guarantees: loops without them, and returns only
// outside loops. A return inside a loop stores its value, sets a flag and
// breaks; break and continue set flags that guard the rest of the iteration
// (and the loop test), so the reverse pass only sees plain counted loops.

import { type Expr, type Stmt, mapChildren } from "./ir.js";
import type { NameScope } from "./names.js";

const flag = (name: string, value: boolean): Stmt => ({ kind: "assign", name, value: { kind: "bool", value } });
const declareFlag = (name: string): Stmt => ({ kind: "let", name, type: "boolean", init: { kind: "bool", value: false }, mutable: true });
const not = (arg: Expr): Expr => ({ kind: "not", arg });
const v = (name: string): Expr => ({ kind: "var", name });

export function structureLoops(body: readonly Stmt[], names: NameScope): Stmt[] {
  if (!body.some(hasLoop)) return [...body];
  const returns = { value: "", done: "" };
  const lowered = returnsToBreaks(body, false, names, returns);
  const declarations: Stmt[] = returns.done
    ? [{ kind: "let", name: returns.value, type: "number", init: { kind: "num", value: 0 }, mutable: true }, declareFlag(returns.done)]
    : [];
  return [...declarations, ...removeJumps(lowered, names)];
}

function hasLoop(s: Stmt): boolean {
  if (s.kind === "loop") return true;
  return s.kind === "if" && (s.then.some(hasLoop) || s.else.some(hasLoop));
}

function containsReturn(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => {
    if (s.kind === "return") return true;
    if (s.kind === "if") return containsReturn(s.then) || containsReturn(s.else);
    if (s.kind === "loop") return containsReturn(s.body);
    return false;
  });
}

/** `return e` inside a loop becomes `_ret = e; _done = true; break`, checked again after each loop. */
function returnsToBreaks(stmts: readonly Stmt[], inLoop: boolean, names: NameScope, r: { value: string; done: string }): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if (s.kind === "return" && inLoop) {
      out.push({ kind: "assign", name: r.value, value: s.value, source: s.source }, flag(r.done, true), { kind: "break" });
      return out;
    }
    if (s.kind === "loop" && containsReturn(s.body)) {
      if (!r.done) {
        r.value = names.fresh("_ret");
        r.done = names.fresh("_done");
      }
      out.push({ ...s, body: returnsToBreaks(s.body, true, names, r) });
      const leave: Stmt = inLoop ? { kind: "break" } : { kind: "return", value: v(r.value) };
      out.push({ kind: "if", test: v(r.done), then: [leave], else: [] });
      continue;
    }
    if (s.kind === "if") {
      out.push({ ...s, then: returnsToBreaks(s.then, inLoop, names, r), else: returnsToBreaks(s.else, inLoop, names, r) });
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Whether a loop body jumps (break/continue) at its own level, not inside a nested loop. */
function jumps(stmts: readonly Stmt[], kind: "break" | "continue"): boolean {
  return stmts.some((s) => s.kind === kind || (s.kind === "if" && (jumps(s.then, kind) || jumps(s.else, kind))));
}

function removeJumps(stmts: readonly Stmt[], names: NameScope): Stmt[] {
  return stmts.flatMap((s) => removeJumpsIn(mapChildren(s, (children) => removeJumps(children, names)), names));
}

/** A loop with break/continue as flags; its flags are declared just before it. */
function removeJumpsIn(inner: Stmt, names: NameScope): Stmt[] {
  if (inner.kind !== "loop") return [inner];
  const hasBreak = jumps(inner.body, "break");
  const hasContinue = jumps(inner.body, "continue");
  if (!hasBreak && !hasContinue) return [inner];
  const brk = hasBreak ? names.fresh("_break") : "";
  const cnt = hasContinue ? names.fresh("_continue") : "";
  const stopped: Expr | undefined =
    brk && cnt ? { kind: "binary", op: "||", left: v(brk), right: v(cnt) } : v(brk || cnt);
  const body = guard(inner.body, brk, cnt, stopped);
  const update = hasBreak && inner.update.length > 0 ? [{ kind: "if", test: not(v(brk)), then: inner.update, else: [] } as Stmt] : inner.update;
  // `while (true)` with a break runs while the flag is down: `!_break`, not `!_break && true`.
  const endless = inner.test.kind === "bool" && inner.test.value;
  const test: Expr = !hasBreak ? inner.test : endless ? not(v(brk)) : { kind: "binary", op: "&&", left: not(v(brk)), right: inner.test };
  const loop: Stmt = {
    ...inner,
    test,
    body: hasContinue ? [flag(cnt, false), ...body] : body,
    update,
  };
  return [...[brk, cnt].filter(Boolean).map(declareFlag), loop];
}

/** Replaces jumps with flag assignments and guards whatever follows a possible jump. */
function guard(stmts: readonly Stmt[], brk: string, cnt: string, stopped: Expr | undefined): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (s.kind === "break" || s.kind === "continue") {
      out.push(flag(s.kind === "break" ? brk : cnt, true));
      return out;
    }
    if (s.kind === "if" && (jumps([s], "break") || jumps([s], "continue"))) {
      out.push({ ...s, then: guard(s.then, brk, cnt, stopped), else: guard(s.else, brk, cnt, stopped) });
      const rest = guard(stmts.slice(i + 1), brk, cnt, stopped);
      if (rest.length > 0) out.push({ kind: "if", test: not(stopped!), then: rest, else: [] });
      return out;
    }
    out.push(s);
  }
  return out;
}
