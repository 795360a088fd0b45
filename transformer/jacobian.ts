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
// sweep and all. A result written as an array literal (`return [a, b]`) that
// nothing else reads is not made at all there: the rows are its length, and
// the unit cotangent is a number per output, declared in the row loop (no
// seed array, and with into nothing lent from the pool).
// With `{ into: true }` (`into` set) the Jacobian is written into the caller's
// storage, a last parameter of the Jacobian's shape (rows of the gradient's
// kind, or one array for a number result or parameter), checked once per call,
// and the unit seed is lent by the runtime (lendSeed/giveSeed): a call
// allocates no rows and no seed, and the rows' gradients are the buffers the
// backward sweep accumulates into.

import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, exprsOf, isArrayType, isKeyedNumbers, isRecordsType, isStructType, isTreesType, mapExpr, mentions, namesUsed, num, readsOf, rewriteStmts, v, walkExpr, walkStmts } from "./ir.js";
import { NameScope } from "./names.js";
import { repeatable, restoredScalars } from "./repeatable.js";
import { pops, tapeLayout } from "./tape.js";

export const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
export const call = (fn: FnRef, args: Expr[]): Expr => ({ kind: "call", callee: { kind: "fn", fn }, args });
export const second = (e: Expr): Expr => ({ kind: "index", array: e, index: num(1) });
/** A Jacobian's row of numbers, and its rows. */
export const ROW: Type = { array: "js" };
export const ROWS: Type = { array: "js", rows: "js" };

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
 * `{ into: true }`: the caller's storage, shaped as the Jacobian of a result
 * `out` with respect to `x` (rows of the gradient's kind; the gradient for a
 * number result; one entry per output, of the result's kind, for a number
 * parameter), or undefined when both are numbers (the Jacobian is returned).
 */
function intoParam(names: NameScope, out: Type, x: Param): Param | undefined {
  const name = names.fresh("into");
  if (!isArrayType(out)) return isArrayType(x.type) ? { name, type: x.type } : undefined;
  if (!isArrayType(x.type)) return { name, type: out };
  return { name, type: { array: "js", rows: x.type.array } };
}

/**
 * The check of the caller's storage, once per call: `intoRows(into, m, x.length, ...arrays)`
 * (m rows of x's length, apart from each other and the array arguments) or
 * `intoColumn(into, m)`.
 */
function checkInto(into: Param, m: Expr, x: Param, params: readonly Param[]): Stmt {
  if (!isArrayType(x.type)) return { kind: "effect", call: runtime("intoColumn", v(into.name), m) };
  const arrays = params.filter((p) => p !== into && isArrayType(p.type) && !p.type.rows).map((p) => v(p.name));
  return { kind: "effect", call: runtime("intoRows", v(into.name), m, { kind: "length", array: v(x.name) }, ...arrays) };
}

/**
 * jacobian(f, k): the unit cotangent moving along the result, the forward
 * sweep shared by the rows where it can be (`byVjp` asks for a vjp call per
 * row regardless, when the shared sweep did not survive the later passes).
 */
export function jacobianRows(base: FnRef, k: number, name: string, vjp: FnRef, byVjp = false, into = false): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const x = params[k]!;
  const args = params.map((p) => v(p.name));
  const names = scope(fn);
  const body: Stmt[] = [];
  const out = fn.returnType;
  const row = (gradient: Expr): Expr => (x.type === "number" ? gradient : runtime("toRow", gradient));
  const target = into ? intoParam(names, out, x) : undefined;
  if (!isArrayType(out)) {
    // One output: the Jacobian is the gradient (with into, the vjp writes it into the caller's array).
    if (target) {
      body.push({ kind: "return", value: second(call(vjp, [...args, num(1), v(target.name)])) });
      return { name, params: [...params, target], returnType: target.type, body, origin };
    }
    body.push({ kind: "return", value: row(second(call(vjp, [...args, num(1)]))) });
    return { name, params, returnType: x.type === "number" ? "number" : ROW, body, origin };
  }
  const shared = byVjp ? undefined : sharedForward(vjp.ir(), x, name, row, target);
  if (shared) return { ...shared, origin };
  const [y, seed, jac, i] = [names.fresh("y"), names.fresh("y_bar"), names.fresh("jac"), names.fresh("i")];
  body.push({ kind: "let", name: y, type: out, init: call(base, args), mutable: false, note: "the value, for the number of rows" });
  const m: Expr = { kind: "length", array: v(y) };
  if (target) {
    // The rows go straight into the caller's storage, the seed is lent and given back.
    body.push({ kind: "let", name: seed, type: out, init: runtime("lendSeed", v(y)), mutable: false });
    body.push(checkInto(target, m, x, params));
    const gradient: Stmt = isArrayType(x.type)
      ? { kind: "effect", call: call(vjp, [...args, v(seed), { kind: "index", array: v(target.name), index: v(i) }]) }
      : { kind: "store", array: target.name, index: v(i), value: second(call(vjp, [...args, v(seed)])) };
    body.push(countTo(i, m, [
      { kind: "store", array: seed, index: v(i), value: num(1) },
      gradient,
      { kind: "store", array: seed, index: v(i), value: num(0) },
    ], "row i: the gradient of output i"));
    body.push({ kind: "effect", call: runtime("giveSeed", v(seed)) });
    body.push({ kind: "return", value: v(target.name) });
    return { name, params: [...params, target], returnType: target.type, body, origin };
  }
  body.push({ kind: "let", name: seed, type: out, init: runtime("zerosLike", v(y)), mutable: false });
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
/** The same loop when its unit cotangent is numbers declared in the row (a result written as an array literal). */
const SHARED_UNITS_NOTE = "each row: the backward sweep seeded with that output's unit (the forward sweep above ran once for all)";

/**
 * The vjp's forward sweep, then a loop over the rows running its backward
 * sweep with the unit cotangent; undefined when the backward sweep cannot run
 * again (repeatable.ts) or the vjp is not of the shape this reads: a body that
 * ends in `return [value, gradient]` and returns nowhere else. With `target`
 * (`{ into: true }`) the vjp is the one writing its gradient into a last
 * parameter `into`, which each row reads as the caller's row `into[row]`.
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

export function sharedForward(vjp: Fn, x: Param, name: string, row: (gradient: Expr) => Expr, target: Param | undefined, kept?: SharedRows): Fn | undefined {
  // With into and an array parameter, the vjp's last parameter is its gradient buffer.
  const rowBuffer = target && isArrayType(x.type) ? vjp.params[vjp.params.length - 1]! : undefined;
  const params = vjp.params.slice(0, rowBuffer ? -2 : -1);
  const seed = vjp.params[params.length]!;
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
  let backward = clone(body.slice(split, -1));
  const made = new Set<string>();
  walkStmts(backward, (s) => s.kind === "let" && made.add(s.name));
  // The value tells the number of rows before any backward sweep runs.
  if ([...readsOf(value)].some((n) => made.has(n))) return undefined;
  const names = new NameScope(namesUsed(vjp));
  // The caller's storage: named as the vjp's buffer was, which each row's backward sweep reads as its row.
  const into: Param | undefined = target && { name: rowBuffer?.name ?? names.fresh("into"), type: target.type };
  const prologue: Stmt[] = [];
  let y = value;
  if (value.kind !== "var") {
    const held = names.fresh("y");
    prologue.push({ kind: "let", name: held, type: seed.type, init: value, mutable: false, note: "the value, for the number of rows" });
    y = v(held);
  }
  const [jac, i] = [names.fresh("jac"), names.fresh("row")];
  // A result written as an array literal (`return [a, b]`) has its number of rows in the code: its
  // outputs need no array, and the unit cotangent is one number per output, 1 on the row's own.
  const literal = kept ? undefined : literalOutputs(forward, backward, value, seed.name, names);
  const units: Stmt[] = [];
  if (literal) {
    forward.splice(0, forward.length, ...literal.forward);
    backward = literal.backward;
    prologue.length = 0;
    literal.units.forEach((unit, k) => {
      const note = k === 0 ? "the unit cotangent of this row: 1 for its output, 0 for the others" : undefined;
      units.push({ kind: "let", name: unit, type: "number", init: { kind: "cond", test: { kind: "binary", op: "===", left: v(i), right: num(k) }, then: num(1), else: num(0) }, mutable: false, note });
    });
  }
  const rows: Expr = literal ? num(literal.units.length) : { kind: "length", array: y };
  let store: Stmt[] = [{ kind: "store", array: jac, index: v(i), value: kept?.store(gradient) ?? row(gradient) }];
  if (into) {
    // The seed is lent for the call (unless it is one number per output); the caller's storage is checked once.
    if (!literal) prologue.push({ kind: "let", name: seed.name, type: seed.type, init: runtime("lendSeed", y), mutable: false });
    prologue.push(checkInto(into, rows, x, params));
    if (rowBuffer) {
      // The backward sweep accumulates into its buffer, now the caller's row: nothing to store after it.
      if (!rowGradient(backward, gradient, rowBuffer.name)) return undefined;
      const at: Expr = { kind: "index", array: v(into.name), index: v(i) };
      backward = rewriteStmts(backward, (e) => mapExpr(e, (z) => (z.kind === "var" && z.name === rowBuffer.name ? at : undefined)));
      store = [];
    } else {
      store = [{ kind: "store", array: into.name, index: v(i), value: gradient }];
    }
  } else {
    if (!literal) prologue.push({ kind: "let", name: seed.name, type: seed.type, init: runtime("zerosLike", y), mutable: false });
    prologue.push({ kind: "let", name: jac, type: kept?.type ?? (x.type === "number" ? ROW : ROWS), init: kept?.declare(rows) ?? runtime(x.type === "number" ? "zeroRow" : "emptyRows", rows), mutable: false });
  }
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
  again.unshift(...units);
  again.push(...backward);
  const fnParams = into ? [...params, into] : params;
  if (!repeatable([...forward, ...prologue], again, apartFrom(fnParams, prologue, again, i))) return undefined;
  const loop = literal
    ? countTo(i, rows, [...again, ...store], SHARED_UNITS_NOTE)
    : countTo(i, rows, [
        { kind: "store", array: seed.name, index: v(i), value: num(1) },
        ...again,
        ...store,
        { kind: "store", array: seed.name, index: v(i), value: num(0) },
      ], SHARED_NOTE);
  const giveBack: Stmt[] = literal ? [] : [{ kind: "effect", call: runtime("giveSeed", v(seed.name)) }];
  const end: Stmt[] = into ? [...giveBack, { kind: "return", value: v(into.name) }] : [{ kind: "return", value: kept?.finish(v(jac)) ?? v(jac) }];
  return { name, params: fnParams, returnType: into ? into.type : (kept?.returnType ?? (x.type === "number" ? ROW : ROWS)), body: [...forward, ...prologue, loop, ...end] };
}

/** The forward and backward sweeps of a result written as an array literal, its unit cotangent in numbers. */
interface LiteralOutputs {
  readonly forward: Stmt[];
  readonly backward: Stmt[];
  /** The names of the unit cotangent's numbers, one per output. */
  readonly units: string[];
}

/**
 * A vjp whose value is an array literal of numbers (`return [a, b]`, held as
 * `const result = [a, b]` that nothing else reads) and whose backward sweep
 * reads its cotangent only at constant positions of the literal (`seed[1]`):
 * the number of rows is the literal's length, the array is not made (an output
 * that may call something is kept in a local of its own, the rest are dropped:
 * the Jacobian does not return the value), and `seed[k]` becomes the number
 * `seed_k`. Undefined otherwise (the seed and the value stay arrays).
 */
function literalOutputs(forward: readonly Stmt[], backward: readonly Stmt[], value: Expr, seed: string, names: NameScope): LiteralOutputs | undefined {
  let at = -1;
  let items: readonly Expr[] | undefined;
  if (value.kind === "tuple") {
    items = value.items;
    at = forward.length;
  } else if (value.kind === "var") {
    at = forward.findIndex((s) => s.kind === "let" && s.name === value.name);
    const held = forward[at];
    if (held?.kind !== "let" || held.init?.kind !== "tuple" || !isArrayType(held.type) || held.type.rows) return undefined;
    items = held.init.items;
    // Read nowhere else: not in the forward sweep after it, not by the backward sweep.
    const elsewhere = [...forward.slice(0, at), ...forward.slice(at + 1), ...backward].some((s) => mentions(s, value.name) || (s.kind === "assign" && s.name === value.name));
    if (elsewhere) return undefined;
  }
  if (!items || items.length === 0 || items.some((e) => e.kind === "tuple" || e.kind === "object" || e.kind === "alloc")) return undefined;
  const m = items.length;
  // The cotangent read only as seed[k], k a position of the literal.
  let uses = 0;
  let constant = 0;
  let stored = false;
  walkStmts(backward, (s) => {
    if ((s.kind === "store" && s.array === seed) || (s.kind === "assign" && s.name === seed) || (s.kind === "let" && s.name === seed)) stored = true;
    for (const e of exprsOf(s)) {
      walkExpr(e, (z) => {
        if (z.kind === "var" && z.name === seed) uses++;
        if (z.kind === "index" && z.array.kind === "var" && z.array.name === seed && z.index.kind === "num" && Number.isInteger(z.index.value) && z.index.value >= 0 && z.index.value < m) constant++;
      });
    }
  });
  if (stored || uses !== constant) return undefined;
  const units = items.map((_, k) => names.fresh(`${seed}_${k}`));
  const unit = (z: Expr): Expr | undefined => (z.kind === "index" && z.array.kind === "var" && z.array.name === seed && z.index.kind === "num" ? v(units[z.index.value]!) : undefined);
  // An output that may call a function keeps its call, in order; arithmetic on what the sweep holds is dropped.
  const kept: Stmt[] = [];
  items.forEach((e, k) => {
    let calls = false;
    walkExpr(e, (z) => z.kind === "call" && z.callee.kind !== "math" && (calls = true));
    if (calls) kept.push({ kind: "let", name: names.fresh(`output_${k}`), type: "number", init: e, mutable: false });
  });
  return {
    forward: [...forward.slice(0, at), ...kept, ...forward.slice(at + 1)],
    backward: rewriteStmts(backward, (e) => mapExpr(e, unit)),
    units,
  };
}

/**
 * Whether the vjp's gradient is its `into` buffer itself (`const x_bar =
 * zeroed(into, x)` or `checkedInto(into, x)`, returned as it is), the only
 * mention of the buffer: then the caller's row is the gradient.
 */
function rowGradient(backward: readonly Stmt[], gradient: Expr, buffer: string): boolean {
  if (gradient.kind !== "var") return false;
  let declared = false;
  let uses = 0;
  walkStmts(backward, (s) => {
    if ((s.kind === "store" && s.array === buffer) || (s.kind === "assign" && s.name === buffer)) uses += 2;
    for (const e of exprsOf(s)) walkExpr(e, (z) => z.kind === "var" && z.name === buffer && uses++);
    if (s.kind !== "let" || s.name !== gradient.name || s.init?.kind !== "call" || s.init.callee.kind !== "runtime") return;
    const first = s.init.args[0];
    declared = ["zeroed", "checkedInto"].includes(s.init.callee.name) && first?.kind === "var" && first.name === buffer;
  });
  return declared && uses === 1;
}

/**
 * The parameters for repeatable.ts, the caller's Jacobian storage left out
 * when it is apart from every argument (checked by `intoRows`/`intoColumn`
 * before the rows, every other parameter a number, a boolean or a flat array,
 * which is all the check compares) and each row's sweep reaches it only as its
 * own row, `into[row]` (rows checked apart from each other): a row's writes
 * then reach nothing another row, or the forward sweep, reads.
 */
function apartFrom(params: readonly Param[], once: readonly Stmt[], again: readonly Stmt[], counter: string): Param[] {
  const checked = new Set<string>();
  for (const s of once) {
    if (s.kind !== "effect" || s.call.kind !== "call" || s.call.callee.kind !== "runtime" || !["intoRows", "intoColumn"].includes(s.call.callee.name)) continue;
    const first = s.call.args[0];
    if (first?.kind === "var") checked.add(first.name);
  }
  const into = params.find((p) => checked.has(p.name));
  if (!into) return [...params];
  if (!params.every((p) => p === into || p.type === "number" || p.type === "boolean" || (isArrayType(p.type) && !p.type.rows))) return [...params];
  let elsewhere = false;
  walkStmts(again, (s) => {
    if (s.kind === "assign" && s.name === counter) elsewhere = true;
    if (s.kind === "store" && s.array === into.name && !(s.index.kind === "var" && s.index.name === counter)) elsewhere = true;
    for (const e of exprsOf(s)) {
      let uses = 0;
      let rows = 0;
      walkExpr(e, (z) => {
        if (z.kind === "var" && z.name === into.name) uses++;
        if (z.kind === "index" && z.array.kind === "var" && z.array.name === into.name && z.index.kind === "var" && z.index.name === counter) rows++;
      });
      if (uses !== rows) elsewhere = true;
    }
  });
  return elsewhere ? [...params] : params.filter((p) => p !== into);
}

/** `let a = 0`, `const a_bar = zerosLike(a)`, `let t: number;`: a declaration a backward sweep may make again each row. */
function zeroDeclaration(s: Stmt): boolean {
  if (s.kind !== "let") return false;
  const init = s.init;
  if (!init) return true;
  if (init.kind === "num") return init.value === 0;
  if (init.kind === "alloc") return true;
  return init.kind === "call" && init.callee.kind === "runtime" && ["zerosLike", "zerosRows", "zerosTree", "zeroed", "checkedInto", "zeroedLike", "zeros"].includes(init.callee.name);
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
  const at = fn.body.findIndex((s) => s.kind === "loop" && (s.note === SHARED_NOTE || s.note === SHARED_UNITS_NOTE));
  if (at < 0) return true;
  const loop = fn.body[at] as Extract<Stmt, { kind: "loop" }>;
  if (loop.init?.kind !== "let") return false;
  // The row between the seed's unit set and cleared (a seed array), or all of it (the unit in numbers it declares).
  let row = loop.body;
  if (loop.note === SHARED_NOTE) {
    const [first, clear] = [loop.body[0], loop.body[loop.body.length - 1]];
    if (loop.body.length < 3 || first?.kind !== "store" || clear?.kind !== "store" || first.array !== clear.array) return false;
    row = loop.body.slice(1, -1);
  }
  // The backward sweep, and the row's store into the caller's storage when there is one. A store into
  // the Jacobian the function made before the rows is left out: no row reads it, and a row may be a
  // record the backward sweep made (jacobian-structure.ts).
  const counter = loop.init.name;
  const store = row[row.length - 1];
  const made = store?.kind === "store" && store.index.kind === "var" && store.index.name === counter && !fn.params.some((p) => p.name === store.array);
  const again = made ? row.slice(0, -1) : row;
  // The rewind is `top = mark` on a tape kept in locals, which holds the control decisions too.
  if (again.some(pops) && !tapeLayout(fn)) return false;
  const once = [...fn.body.slice(0, at), loop.init];
  return repeatable(once, again, apartFrom(fn.params, once, again, loop.init.name));
}

/** jacfwd(f, k): a jvp per element of parameter k, the unit tangent moving along it. */
export function jacobianColumns(base: FnRef, k: number, name: string, jvp: FnRef, into = false): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const x = params[k]!;
  const args = params.map((p) => v(p.name));
  const names = scope(fn);
  const out = fn.returnType;
  const body: Stmt[] = [];
  const target = into ? intoParam(names, out, x) : undefined;
  const withInto = (returnType: Type): Fn => (target ? { name, params: [...params, target], returnType: target.type, body, origin } : { name, params, returnType, body, origin });
  // Every other parameter's tangent is zero (a constant's tangent is never read: it is passed itself).
  const tangents: Expr[] = params.map((p, j) => (j === k && p.type === "number" ? num(1) : zeroTangent(p)));
  const column = (e: Expr): Expr => (isArrayType(out) ? runtime("toRow", e) : e);
  if (x.type === "number") {
    const derivative = second(call(jvp, [...args, ...tangents]));
    // With into, the jvp's column copied into the caller's array.
    body.push({ kind: "return", value: target ? runtime("copyColumn", v(target.name), derivative) : column(derivative) });
    return withInto(isArrayType(out) ? ROW : "number");
  }
  const [dx, jac, j, col] = [names.fresh(`${x.name}_dot`), names.fresh("jac"), names.fresh("j"), names.fresh("column")];
  // With into, the unit tangent is lent for the call and given back, and the columns go into the caller's storage.
  body.push({ kind: "let", name: dx, type: x.type, init: runtime(target ? "lendSeed" : "zerosLike", v(x.name)), mutable: false });
  tangents[k] = v(dx);
  const n: Expr = { kind: "length", array: v(x.name) };
  const end = (result: string): Stmt[] => [...(target ? [{ kind: "effect", call: runtime("giveSeed", v(dx)) } as const] : []), { kind: "return", value: v(result) }];
  if (!isArrayType(out)) {
    if (target) body.push({ kind: "effect", call: runtime("checkedInto", v(target.name), v(x.name)) });
    else body.push({ kind: "let", name: jac, type: ROW, init: runtime("zeroRow", n), mutable: false });
    const row = target?.name ?? jac;
    body.push(countTo(j, n, [
      { kind: "store", array: dx, index: v(j), value: num(1) },
      { kind: "store", array: row, index: v(j), value: second(call(jvp, [...args, ...tangents])) },
      { kind: "store", array: dx, index: v(j), value: num(0) },
    ], "element j: the derivative along parameter element j"));
    body.push(...end(row));
    return withInto(ROW);
  }
  if (!target) body.push({ kind: "let", name: jac, type: ROWS, init: runtime("emptyRows", num(0)), mutable: true });
  const rows = target?.name ?? jac;
  // The first column tells the number of rows: the Jacobian is made, or the caller's checked, then.
  const first: Stmt = target ? checkInto(target, { kind: "length", array: v(col) }, x, params) : { kind: "assign", name: jac, value: runtime("jacobianRows", { kind: "length", array: v(col) }, n) };
  body.push(countTo(j, n, [
    { kind: "store", array: dx, index: v(j), value: num(1) },
    { kind: "let", name: col, type: out, init: second(call(jvp, [...args, ...tangents])), mutable: false },
    { kind: "store", array: dx, index: v(j), value: num(0) },
    { kind: "if", test: { kind: "binary", op: "===", left: v(j), right: num(0) }, then: [first], else: [] },
    { kind: "effect", call: runtime("setColumn", v(rows), v(j), v(col)) },
  ], "column j: the derivative along parameter element j"));
  body.push(...end(rows));
  return withInto(ROWS);
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
