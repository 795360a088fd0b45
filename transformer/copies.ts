// Pass 4c (after overwrite.ts), copies that share instead. Takes: a generated
// IR function. Guarantees: the same values; `x = sliceOf(m, 0, m.length)`, the
// whole copy lower.ts makes for `let x = x0` of a parameter and for `x =
// matVec(R, x)` (a helper's or a desugaring's fresh result given to a
// reassigned local), becomes `x = m` when no element of either array can
// change while both name it:
//
//   - x is never written (no `x[i] = ...`) and never handed on whole (only its
//     elements and length are read, and the runtime's keepArray, zerosLike,
//     zeroedLike and sliceOf read it as a whole);
//   - m is read the same ways, and written only in the block of the copy,
//     before it, after that block gave m a fresh array (`m = zeros(2)` at the
//     top of the loop body): the arrays x took from earlier iterations are
//     never written again.
//
// Then the arrays keepArray saves for the backward sweep are unchanged too, and
// the adjoints, which stay apart (x_bar flows into m_bar through the copy's
// adjoint, sliceAdjoint), are those of the copy. Why: the copy costs an array
// and a pass over it per assignment, per iteration of a rollout
// (`x = step(x)`), which the primal, sharing the array, does not.

import type { Expr, Fn, Stmt, Type } from "./ir.js";
import { children, exprsOf, walkStmts } from "./ir.js";

/** The runtime functions that only read a whole array, and the position they read it at. */
const READS_WHOLE: ReadonlyMap<string, number> = new Map([
  ["keepArray", 1],
  ["zerosLike", 0],
  ["zeroedLike", 1],
  ["sliceOf", 0],
]);

type Copy = Extract<Stmt, { kind: "let" | "assign" }>;

export function shareCopies(fn: Fn): Fn {
  const types = declaredTypes(fn);
  const candidates: { stmt: Copy; target: string; source: string }[] = [];
  walkStmts(fn.body, (s) => {
    if (s.kind !== "let" && s.kind !== "assign") return;
    const source = wholeCopyOf(s.kind === "let" ? s.init : s.value);
    if (source) candidates.push({ stmt: s, target: s.name, source });
  });
  const shared = new Set<Stmt>();
  for (const c of candidates) {
    const [tx, ts] = [types.get(c.target), types.get(c.source)];
    if (!tx || !ts || JSON.stringify(tx) !== JSON.stringify(ts)) continue;
    // One copy of the source in the function: the freshness rule below looks at one place.
    if (candidates.filter((d) => d.source === c.source).length !== 1) continue;
    if (!readOnly(fn.body, c.target) || !readOnly(fn.body, c.source) || storesInto(fn.body, c.target)) continue;
    if (!writtenOnlyFreshBefore(fn.body, c.source, c.stmt)) continue;
    shared.add(c.stmt);
  }
  if (shared.size === 0) return fn;
  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.map((s): Stmt => {
      if (shared.has(s)) {
        const source: Expr = { kind: "var", name: wholeCopyOf(s.kind === "let" ? s.init : (s as Extract<Stmt, { kind: "assign" }>).value)! };
        return s.kind === "let" ? { ...s, init: source } : { ...(s as Extract<Stmt, { kind: "assign" }>), value: source };
      }
      if (s.kind === "if") return { ...s, then: rewrite(s.then), else: rewrite(s.else) };
      if (s.kind === "loop") return { ...s, body: rewrite(s.body) };
      return s;
    });
  return { ...fn, body: rewrite(fn.body) };
}

/** `m` of `sliceOf(m, 0, m.length)`. */
function wholeCopyOf(e: Expr | undefined): string | undefined {
  if (e?.kind !== "call" || e.callee.kind !== "runtime" || e.callee.name !== "sliceOf" || e.args.length !== 3) return undefined;
  const [array, start, end] = e.args;
  if (array?.kind !== "var" || start?.kind !== "num" || start.value !== 0) return undefined;
  if (end?.kind !== "length" || end.array.kind !== "var" || end.array.name !== array.name) return undefined;
  return array.name;
}

/** The type of each name declared once (a parameter or one `let`). */
function declaredTypes(fn: Fn): Map<string, Type> {
  const out = new Map<string, Type>();
  const twice = new Set<string>();
  for (const p of fn.params) out.set(p.name, p.type);
  walkStmts(fn.body, (s) => {
    if (s.kind !== "let") return;
    if (out.has(s.name)) twice.add(s.name);
    out.set(s.name, s.type);
  });
  for (const name of twice) out.delete(name);
  return out;
}

/** Whether every mention of `name` reads an element or the length, or is a whole read by READS_WHOLE (stores are checked apart). */
function readOnly(body: readonly Stmt[], name: string): boolean {
  let ok = true;
  const visit = (e: Expr): void => {
    if (!ok) return;
    switch (e.kind) {
      case "var":
        if (e.name === name) ok = false;
        return;
      case "index":
        if (e.array.kind === "var" && e.array.name === name) return visit(e.index);
        visit(e.array);
        return visit(e.index);
      case "length":
        if (e.array.kind === "var" && e.array.name === name) return;
        return visit(e.array);
      case "call": {
        const at = e.callee.kind === "runtime" ? READS_WHOLE.get(e.callee.name) : undefined;
        e.args.forEach((a, i) => (i === at && a.kind === "var" && a.name === name ? undefined : visit(a)));
        return;
      }
      default:
        for (const x of children(e)) visit(x);
    }
  };
  walkStmts(body, (s) => {
    for (const e of exprsOf(s)) visit(e);
  });
  return ok;
}

/**
 * Whether every store into `source` is in the block holding `copy`, before it,
 * after a statement of that block that gives `source` a fresh array.
 */
function writtenOnlyFreshBefore(body: readonly Stmt[], source: string, copy: Stmt): boolean {
  const block = blockOf(body, copy);
  if (!block) return false;
  const at = block.indexOf(copy);
  const fresh = block.findIndex((s, k) => k < at && (s.kind === "assign" || s.kind === "let") && s.name === source && isFresh(s.kind === "let" ? s.init : s.value));
  let ok = true;
  block.forEach((s, k) => {
    if (storesInto([s], source) && (fresh < 0 || k <= fresh || k >= at)) ok = false;
  });
  // No store anywhere outside the block.
  let total = 0;
  let inside = 0;
  walkStmts(body, (s) => s.kind === "store" && s.array === source && total++);
  walkStmts(block, (s) => s.kind === "store" && s.array === source && inside++);
  return ok && total === inside;
}

function storesInto(body: readonly Stmt[], name: string): boolean {
  let found = false;
  walkStmts(body, (s) => s.kind === "store" && s.array === name && (found = true));
  return found;
}

function isFresh(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === "alloc" || e.kind === "tuple") return true;
  return e.kind === "call" && e.callee.kind === "runtime" && ["zeros", "filled", "zerosLike"].includes(e.callee.name);
}

/** The statement list that holds `s` directly. */
function blockOf(body: readonly Stmt[], s: Stmt): readonly Stmt[] | undefined {
  if (body.includes(s)) return body;
  for (const x of body) {
    const inner = x.kind === "if" ? blockOf(x.then, s) ?? blockOf(x.else, s) : x.kind === "loop" ? blockOf(x.body, s) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
