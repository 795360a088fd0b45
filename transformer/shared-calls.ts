// Pass 4 (after simplify.ts), transcendental calls and key lookups made once.
// Takes: a simplified IR function. Guarantees: the same values; a Math call of
// an expensive function (sin, cos, exp, log, ...), or the runtime's key lookup
// `keyIndex(record, key)`, made more than once with the same arguments in a
// run of plain statements that leaves the arguments' variables alone is made
// once, into a local (`const _sin0 = Math.sin(a1)`, `const loserAt =
// keyIndex(initial, season[i].loser)`) placed before the first statement that
// makes it.
//
// Why: the backward sweep of `x = l1·cos(a1) + l2·cos(a2)` with y's `sin`s
// needs sin and cos of both angles twice each (one per coordinate's
// adjoint), and a value the backward sweep recomputes (reverse.ts) makes the
// same calls again; V8 does not merge two calls of Math.sin. A person writing
// the adjoint computes each once. Likewise a read of a keyed record
// (desugar/keyed.ts: `r[k]` is `rValues[keyIndex(r, k)]`, two hash lookups)
// appears in every adjoint expression that reads the entry and again in the
// entry's own adjoint update; keyed.ts binds the key of a write once (keySlot),
// and this binds the reads.

import type { Expr, Fn, Stmt } from "./ir.js";
import { assignedIn, exprsOf, mapExpr, namesUsed, readsOf, rewriteStmts, sameExpr, walkExpr } from "./ir.js";
import { NameScope } from "./names.js";

/** Math functions costly enough that a second call is worth a local. */
const COSTLY: ReadonlySet<string> = new Set(["sin", "cos", "tan", "exp", "expm1", "log", "log1p", "log2", "log10", "tanh", "sinh", "cosh", "atan", "atan2", "asin", "acos", "pow", "cbrt", "hypot"]);

type MathCall = Extract<Expr, { kind: "call" }>;

/** A call this pass makes once: a costly Math function, or a key lookup of a keyed record (pure while the keys are fixed, for the whole call). */
function shareable(x: Expr): x is MathCall {
  if (x.kind !== "call") return false;
  if (x.callee.kind === "math") return COSTLY.has(x.callee.name);
  return x.callee.kind === "runtime" && x.callee.name === "keyIndex";
}

/**
 * sameExpr, and also a key lookup's arguments: fields (`season[i].loser`), string
 * literals and the lookups themselves (sameExpr, which other passes use, knows
 * neither).
 */
function sameValue(a: Expr, b: Expr): boolean {
  if (a.kind === "field" && b.kind === "field") return a.name === b.name && sameValue(a.object, b.object);
  if (a.kind === "literal" && b.kind === "literal") return a.value === b.value;
  if (a.kind === "index" && b.kind === "index") return sameValue(a.array, b.array) && sameValue(a.index, b.index);
  if (a.kind === "call" && b.kind === "call" && a.callee.kind === "runtime" && b.callee.kind === "runtime") {
    return a.callee.name === b.callee.name && a.args.length === b.args.length && a.args.every((x, i) => sameValue(x, b.args[i]!));
  }
  return sameExpr(a, b);
}

/** The local's name: `loserAt` for the position of `season[i].loser`, as keyed.ts names a bound key; `_sin0` for Math.sin. */
function localName(call: MathCall, names: NameScope): string {
  if (call.callee.kind === "math") return names.numbered(`_${call.callee.name}`);
  const key = call.args[1];
  const base = key?.kind === "var" || key?.kind === "field" ? key.name : key?.kind === "literal" && typeof key.value === "string" ? key.value : "key";
  return names.fresh(`${/^[A-Za-z_$][\w$]*$/.test(base) ? base : "key"}At`);
}

export function shareCalls(fn: Fn): Fn {
  const names = new NameScope(namesUsed(fn));
  const block = (stmts: readonly Stmt[]): Stmt[] => {
    // Nested blocks first, each on its own.
    let out = stmts.map((s): Stmt => {
      if (s.kind === "if") return { ...s, then: block(s.then), else: block(s.else) };
      if (s.kind === "loop") return { ...s, body: block(s.body) };
      return s;
    });
    for (let k = 0; k < out.length; k++) {
      if (!plain(out[k]!)) continue;
      for (const call of costlyCalls(out[k]!)) {
        const end = runEnd(out, k, call);
        if (occurrences(out.slice(k, end), call) < 2) continue;
        const first = out[k]!;
        if (call.callee.kind === "runtime" && first.kind === "let" && !first.mutable && first.init && sameValue(first.init, call)) {
          // `const aAt = keyIndex(r, "ada")` (keyed.ts) already names it: the later lookups read that const.
          const named = (e: Expr): Expr => mapExpr(e, (x) => (x.kind === "call" && sameValue(x, call) ? { kind: "var", name: first.name } : undefined));
          out = [...out.slice(0, k + 1), ...rewriteStmts(out.slice(k + 1, end), named), ...out.slice(end)];
          continue;
        }
        const local = localName(call, names);
        const replace = (e: Expr): Expr => mapExpr(e, (x) => (x.kind === "call" && sameValue(x, call) ? { kind: "var", name: local } : undefined));
        // The local goes under the comment of the statement that first needs it.
        const made: Stmt = { kind: "let", name: local, type: "number", init: call, mutable: false, note: first.note, origin: first.origin };
        const rest = rewriteStmts(out.slice(k, end), replace);
        rest[0] = { ...rest[0]!, note: undefined };
        out = [...out.slice(0, k), made, ...rest, ...out.slice(end)];
        k++;
      }
    }
    return out;
  };
  return { ...fn, body: block(fn.body) };
}

/** A statement with no nested statements and no effect beyond its assignment. */
function plain(s: Stmt): boolean {
  return s.kind === "let" || s.kind === "assign" || s.kind === "store";
}

/** The distinct shareable calls of pure arguments a plain statement makes, in order. */
function costlyCalls(s: Stmt): MathCall[] {
  const found: MathCall[] = [];
  for (const e of exprsOf(s)) {
    walkExpr(e, (x) => {
      if (!shareable(x) || !x.args.every(pure)) return;
      if (!found.some((y) => sameValue(y, x))) found.push(x);
    });
  }
  return found;
}

/** Loads, fields and arithmetic: the same value wherever its variables are unchanged. */
function pure(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (!["num", "literal", "var", "index", "field", "length", "binary", "neg", "call"].includes(x.kind)) ok = false;
    if (x.kind === "call" && x.callee.kind !== "math") ok = false;
  });
  return ok;
}

/**
 * Where the run of plain statements from `k` in which `call` keeps its value
 * ends: at the first statement that is not plain, or after the first that
 * changes a variable (or array) the call reads (its own reads come before).
 */
function runEnd(stmts: readonly Stmt[], k: number, call: MathCall): number {
  const reads = readsOf(call);
  let j = k;
  for (; j < stmts.length && plain(stmts[j]!); j++) {
    const changed = assignedIn([stmts[j]!]);
    if (stmts[j]!.kind === "let") changed.add((stmts[j] as Extract<Stmt, { kind: "let" }>).name);
    if ([...changed].some((name) => reads.has(name))) return j + 1;
  }
  return j;
}

function occurrences(stmts: readonly Stmt[], call: MathCall): number {
  let n = 0;
  for (const s of stmts) for (const e of exprsOf(s)) walkExpr(e, (x) => x.kind === "call" && sameValue(x, call) && n++);
  return n;
}
