// The Jacobians. Takes: the function, the parameter position, and the
// generated vjp (jacobian, reverse mode) or jvp (jacfwd, forward mode) of it.
// Guarantees: an IR function that loops over the rows (one vjp per output,
// seeded with a unit cotangent) or columns (one jvp per element of the
// parameter, seeded with a unit tangent) and returns the Jacobian as rows.
// A number result or parameter needs one sweep and gives the lower-rank shape.
// The seed buffer is allocated once and each unit is set and cleared in turn.
// Reverse mode runs the vjp's forward sweep once and only its backward sweep
// per row (as JAX's jacrev maps the pullback over the unit cotangents) when
// repeatable.ts finds the backward sweep leaves everything the next row reads
// as the forward sweep left it; otherwise each row calls the vjp, forward
// sweep and all.

import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, isArrayType, isKeyedNumbers, isRecordsType, isStructType, isTreesType, mentions, namesUsed, num, readsOf, rewriteStmts, v, walkStmts } from "./ir.js";
import { NameScope } from "./names.js";
import { repeatable, restoredScalars } from "./repeatable.js";
import { pops, tapeLayout } from "./tape.js";

export const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
export const call = (fn: FnRef, args: Expr[]): Expr => ({ kind: "call", callee: { kind: "fn", fn }, args });
export const second = (e: Expr): Expr => ({ kind: "index", array: e, index: num(1) });
const ROW: Type = { array: "js" };
const ROWS: Type = { array: "js", rows: "js" };

/** `for (let i = 0; i < n; i++) body`. */
export function countTo(i: string, n: Expr, body: Stmt[], note: string): Stmt {
  return {
    kind: "loop",
    init: { kind: "let", name: i, type: "number", init: num(0), mutable: true },
    test: { kind: "binary", op: "<", left: v(i), right: n },
    update: [{ kind: "assign", name: i, value: { kind: "binary", op: "+", left: v(i), right: num(1) } }],
    body,
    doWhile: false,
    note,
  };
}

function scope(fn: Fn): NameScope {
  return new NameScope(fn.params.map((p) => p.name));
}

/**
 * jacobian(f, k): the unit cotangent moving along the result, the forward
 * sweep shared by the rows where it can be (`byVjp` asks for a vjp call per
 * row regardless, when the shared sweep did not survive the later passes).
 */
export function jacobianRows(base: FnRef, k: number, name: string, vjp: FnRef, byVjp = false): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const x = params[k]!;
  const args = params.map((p) => v(p.name));
  const names = scope(fn);
  const body: Stmt[] = [];
  const out = fn.returnType;
  const row = (gradient: Expr): Expr => (x.type === "number" ? gradient : runtime("toRow", gradient));
  if (!isArrayType(out)) {
    // One output: the Jacobian is the gradient.
    body.push({ kind: "return", value: row(second(call(vjp, [...args, num(1)]))) });
    return { name, params, returnType: x.type === "number" ? "number" : ROW, body, origin };
  }
  const shared = byVjp ? undefined : sharedForward(vjp.ir(), x, name, row);
  if (shared) return { ...shared, origin };
  const [y, seed, jac, i] = [names.fresh("y"), names.fresh("y_bar"), names.fresh("jac"), names.fresh("i")];
  body.push({ kind: "let", name: y, type: out, init: call(base, args), mutable: false, note: "the value, for the number of rows" });
  body.push({ kind: "let", name: seed, type: out, init: runtime("zerosLike", v(y)), mutable: false });
  const m: Expr = { kind: "length", array: v(y) };
  body.push({ kind: "let", name: jac, type: x.type === "number" ? ROW : ROWS, init: runtime(x.type === "number" ? "zeroRow" : "emptyRows", m), mutable: false });
  body.push(countTo(i, m, [
    { kind: "store", array: seed, index: v(i), value: num(1) },
    { kind: "store", array: jac, index: v(i), value: row(second(call(vjp, [...args, v(seed)]))) },
    { kind: "store", array: seed, index: v(i), value: num(0) },
  ], "row i: the gradient of output i"));
  body.push({ kind: "return", value: v(jac) });
  return { name, params, returnType: x.type === "number" ? ROW : ROWS, body, origin };
}

/** What the shared row loop says of itself: how sharedRowsHold finds it again after the later passes. */
const SHARED_NOTE = "each row: the backward sweep seeded with that output (the forward sweep above ran once for all)";

/**
 * The vjp's forward sweep, then a loop over the rows running its backward
 * sweep with the unit cotangent; undefined when the backward sweep cannot run
 * again (repeatable.ts) or the vjp is not of the shape this reads: a body that
 * ends in `return [value, gradient]` and returns nowhere else.
 */
/**
 * How sharedForward keeps the rows when they are not one parameter's rows of
 * numbers (jacobian-structure.ts: a wrt array, a record parameter): the
 * Jacobian's type and value for m rows, what a row stores from the gradient,
 * and what the function returns of the rows.
 */
export interface SharedRows {
  readonly type: Type;
  declare(m: Expr): Expr;
  store(gradient: Expr): Expr;
  finish(jac: Expr): Expr;
  readonly returnType: Type;
}

export function sharedForward(vjp: Fn, x: Param, name: string, row: (gradient: Expr) => Expr, kept?: SharedRows): Fn | undefined {
  const params = vjp.params.slice(0, -1);
  const seed = vjp.params[vjp.params.length - 1]!;
  const body = vjp.body;
  const last = body[body.length - 1];
  if (!last || last.kind !== "return" || last.value.kind !== "tuple" || last.value.items.length !== 2) return undefined;
  let returns = 0;
  walkStmts(body, (s) => s.kind === "return" && returns++);
  if (returns !== 1) return undefined;
  const [value, gradient] = last.value.items as [Expr, Expr];
  // The backward sweep starts with the adjoints' declarations, just before the seed is first read.
  let split = body.findIndex((s) => mentions(s, seed.name));
  if (split < 0) return undefined;
  while (split > 0 && zeroDeclaration(body[split - 1]!)) split--;
  const forward = clone(body.slice(0, split));
  const backward = clone(body.slice(split, -1));
  const made = new Set<string>();
  walkStmts(backward, (s) => s.kind === "let" && made.add(s.name));
  // The value tells the number of rows before any backward sweep runs.
  if ([...readsOf(value)].some((n) => made.has(n))) return undefined;
  const names = new NameScope(namesUsed(vjp));
  const prologue: Stmt[] = [];
  let y = value;
  if (value.kind !== "var") {
    const held = names.fresh("y");
    prologue.push({ kind: "let", name: held, type: seed.type, init: value, mutable: false, note: "the value, for the number of rows" });
    y = v(held);
  }
  const [jac, i] = [names.fresh("jac"), names.fresh("row")];
  const rows: Expr = { kind: "length", array: y };
  prologue.push({ kind: "let", name: seed.name, type: seed.type, init: runtime("zerosLike", y), mutable: false });
  prologue.push({ kind: "let", name: jac, type: kept?.type ?? (x.type === "number" ? ROW : ROWS), init: kept?.declare(rows) ?? runtime(x.type === "number" ? "zeroRow" : "emptyRows", rows), mutable: false });
  // Each row's backward sweep starts where the forward sweep left it: the tape it pops and the numbers it restores.
  const again: Stmt[] = [];
  if (backward.some(pops)) {
    const mark = names.fresh("mark");
    prologue.push({ kind: "let", name: mark, type: "number", init: runtime("tapeMark"), mutable: false, note: "where the forward sweep left the tape: each row's backward sweep pops from there" });
    again.push({ kind: "effect", call: runtime("rewindTape", v(mark)) });
  }
  const types = new Map<string, Type>();
  walkStmts(forward, (s) => s.kind === "let" && types.set(s.name, s.type));
  for (const [k, name] of restoredScalars([...forward, ...prologue], backward, params).entries()) {
    const kept = names.fresh(`${name}_kept`);
    const note = k === 0 ? "the numbers each row's backward sweep restores, as the forward sweep left them" : undefined;
    prologue.push({ kind: "let", name: kept, type: types.get(name) ?? "number", init: v(name), mutable: false, note });
    again.push({ kind: "assign", name, value: v(kept) });
  }
  if (again.length > 0) again[0]!.note = "back to where the forward sweep left things";
  again.push(...backward);
  if (!repeatable([...forward, ...prologue], again, params)) return undefined;
  const loop = countTo(i, rows, [
    { kind: "store", array: seed.name, index: v(i), value: num(1) },
    ...again,
    { kind: "store", array: jac, index: v(i), value: kept?.store(gradient) ?? row(gradient) },
    { kind: "store", array: seed.name, index: v(i), value: num(0) },
  ], SHARED_NOTE);
  return { name, params, returnType: kept?.returnType ?? (x.type === "number" ? ROW : ROWS), body: [...forward, ...prologue, loop, { kind: "return", value: kept?.finish(v(jac)) ?? v(jac) }] };
}

/** `let a = 0`, `const a_bar = zerosLike(a)`, `let t: number;`: a declaration a backward sweep may make again each row. */
function zeroDeclaration(s: Stmt): boolean {
  if (s.kind !== "let") return false;
  const init = s.init;
  if (!init) return true;
  if (init.kind === "num") return init.value === 0;
  if (init.kind === "alloc") return true;
  return init.kind === "call" && init.callee.kind === "runtime" && ["zerosLike", "zerosRows", "zerosTree", "zeroed", "zeroedLike", "zeros"].includes(init.callee.name);
}

/** Fresh statements (the vjp keeps its own; later passes may change theirs in place). */
function clone(stmts: readonly Stmt[]): Stmt[] {
  return rewriteStmts(stmts, (e) => e, (s) => [{ ...s }]);
}

/**
 * Whether a Jacobian made by sharedForward still may share its forward sweep
 * after the passes that ran over it (a function without the shared loop holds).
 */
export function sharedRowsHold(fn: Fn): boolean {
  const at = fn.body.findIndex((s) => s.kind === "loop" && s.note === SHARED_NOTE);
  if (at < 0) return true;
  const loop = fn.body[at] as Extract<Stmt, { kind: "loop" }>;
  const [first, clear, store] = [loop.body[0], loop.body[loop.body.length - 1], loop.body[loop.body.length - 2]];
  if (loop.body.length < 3 || first?.kind !== "store" || clear?.kind !== "store" || store?.kind !== "store" || first.array !== clear.array) return false;
  const again = loop.body.slice(1, -2);
  // The rewind is `top = mark` on a tape kept in locals, which holds the control decisions too.
  if (again.some(pops) && !tapeLayout(fn)) return false;
  return repeatable([...fn.body.slice(0, at), ...(loop.init ? [loop.init] : [])], again, fn.params);
}

/** jacfwd(f, k): a jvp per element of parameter k, the unit tangent moving along it. */
export function jacobianColumns(base: FnRef, k: number, name: string, jvp: FnRef): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const x = params[k]!;
  const args = params.map((p) => v(p.name));
  const names = scope(fn);
  const out = fn.returnType;
  const body: Stmt[] = [];
  // Every other parameter's tangent is zero (a constant's tangent is never read: it is passed itself).
  const tangents: Expr[] = params.map((p, j) => (j === k && p.type === "number" ? num(1) : zeroTangent(p)));
  const column = (e: Expr): Expr => (isArrayType(out) ? runtime("toRow", e) : e);
  if (x.type === "number") {
    body.push({ kind: "return", value: column(second(call(jvp, [...args, ...tangents]))) });
    return { name, params, returnType: isArrayType(out) ? ROW : "number", body, origin };
  }
  const [dx, jac, j, col] = [names.fresh(`${x.name}_dot`), names.fresh("jac"), names.fresh("j"), names.fresh("column")];
  body.push({ kind: "let", name: dx, type: x.type, init: runtime("zerosLike", v(x.name)), mutable: false });
  tangents[k] = v(dx);
  const n: Expr = { kind: "length", array: v(x.name) };
  if (!isArrayType(out)) {
    body.push({ kind: "let", name: jac, type: ROW, init: runtime("zeroRow", n), mutable: false });
    body.push(countTo(j, n, [
      { kind: "store", array: dx, index: v(j), value: num(1) },
      { kind: "store", array: jac, index: v(j), value: second(call(jvp, [...args, ...tangents])) },
      { kind: "store", array: dx, index: v(j), value: num(0) },
    ], "element j: the derivative along parameter element j"));
    body.push({ kind: "return", value: v(jac) });
    return { name, params, returnType: ROW, body, origin };
  }
  body.push({ kind: "let", name: jac, type: ROWS, init: runtime("emptyRows", num(0)), mutable: true });
  body.push(countTo(j, n, [
    { kind: "store", array: dx, index: v(j), value: num(1) },
    { kind: "let", name: col, type: out, init: second(call(jvp, [...args, ...tangents])), mutable: false },
    { kind: "store", array: dx, index: v(j), value: num(0) },
    // The first column tells the number of rows.
    { kind: "if", test: { kind: "binary", op: "===", left: v(j), right: num(0) }, then: [{ kind: "assign", name: jac, value: runtime("jacobianRows", { kind: "length", array: v(col) }, n) }], else: [] },
    { kind: "effect", call: runtime("setColumn", v(jac), v(j), v(col)) },
  ], "column j: the derivative along parameter element j"));
  body.push({ kind: "return", value: v(jac) });
  return { name, params, returnType: ROWS, body, origin };
}

/**
 * A zero tangent of a parameter's type; a value with no tangent (a string, a
 * config object) stands for its own. Rows (`number[][]`), arrays of records
 * and nested records are zeroed whole (zerosTree): the jvp reads their tangents.
 */
export function zeroTangent(p: Param): Expr {
  if (p.type === "number") return num(0);
  if (isArrayType(p.type) && !p.type.rows) return runtime("zerosLike", v(p.name));
  const flat = (t: Type): boolean => t === "number" || (isArrayType(t) && !t.rows);
  if (isStructType(p.type) && p.type.struct.every(([, t]) => flat(t))) {
    return { kind: "object", isTuple: p.type.isTuple, fields: p.type.struct.map(([f, t]) => [f, t === "number" ? num(0) : runtime("zerosLike", { kind: "field", object: v(p.name), name: f })] as const) };
  }
  if (isArrayType(p.type) || isStructType(p.type) || isRecordsType(p.type) || isTreesType(p.type) || isKeyedNumbers(p.type)) return runtime("zerosTree", v(p.name));
  return v(p.name);
}
