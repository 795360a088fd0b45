// The Jacobians of the shapes jacobian.ts does not take: a result that is a
// tuple or record (of numbers and arrays, nested), a parameter that is a
// record, tuple, `number[][]` or array of records, and `wrt` as an array of
// positions. Takes: the function, the positions, and its vjp (reverse mode,
// with the same wrt, so one backward sweep gives every selected parameter's
// row) or its jvp (forward mode). Guarantees: one row per scalar output, the
// outputs flattened in result order (tuple elements in order, record fields
// in the order of the result's type, arrays element by element, depth first);
// each row shaped as grad's gradient of the parameter (a number, a number[]
// for an array, the record or tuple itself otherwise); a number result gives
// the gradient itself, no row around it; a wrt array gives a tuple of
// Jacobians, one per position, as jax.jacrev with an argnums tuple.

import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, isArrayType, isStructType, num, v } from "./ir.js";
import { NameScope } from "./names.js";
import { ROW, ROWS, type SharedRows, call, countTo, runtime, second, sharedForward, zeroTangent } from "./jacobian.js";
import { printExpr } from "./print.js";
import { typeNode } from "./emit.js";
import { ts } from "./ts.js";

const at = (e: Expr, i: number): Expr => ({ kind: "index", array: e, index: num(i) });
const sum = (terms: Expr[]): Expr => terms.reduce((a, b) => (a.kind === "num" && a.value === 0 ? b : { kind: "binary", op: "+", left: a, right: b }), num(0));

/** A scalar output, or an array of them, inside a result: where it is read, and its label for names. */
interface Leaf {
  readonly at: Expr;
  readonly type: Type;
  readonly label: string;
}

/** The number and array leaves of a result type, in the order its outputs are flattened. */
export function leavesOf(t: Type, value: Expr, label = "y"): Leaf[] {
  if (t === "number" || (isArrayType(t) && !t.rows)) return [{ at: value, type: t, label }];
  if (isStructType(t)) return t.struct.flatMap(([f, x]) => leavesOf(x, { kind: "field", object: value, name: f }, `${label}_${f}`));
  if (typeof t === "object" && "tuple" in t) return t.tuple.flatMap((x, i) => leavesOf(x, at(value, i), `${label}_${i}`));
  return [];
}

/**
 * The order of a parameter's numbers as its type gives it (runtime Layout):
 * `{ a: 0, b: { x: 0 } }` for a record, its fields in the type's order; `[{ x: 0, v: 0 }]`
 * for an array of records; 0 for a number, an array of numbers, a constant, or
 * a tuple of these (walked by position).
 * jacfwd walks an argument's numbers so, not in the argument's own key order.
 */
export function layoutOf(t: Type): Expr {
  const fields = (names: readonly (readonly [string, Expr])[]): Expr => ({ kind: "object", isTuple: false, fields: names.map(([k, x]) => [k, x] as const) });
  // A tuple's numbers are in its positions' order already, unless a position holds a record.
  const positions = (items: readonly Type[]): Expr => {
    const laid = items.map(layoutOf);
    return laid.every((x) => x.kind === "num") ? num(0) : fields(laid.map((x, i) => [String(i), x] as const));
  };
  if (isStructType(t)) return t.isTuple ? positions(t.struct.map(([, x]) => x)) : fields(t.struct.map(([f, x]) => [f, layoutOf(x)] as const));
  if (typeof t === "object" && "tuple" in t) return positions(t.tuple);
  if (typeof t === "object" && "records" in t) return { kind: "tuple", items: [fields(t.records.map((f) => [f, num(0)] as const))] };
  if (typeof t === "object" && "trees" in t) return { kind: "tuple", items: [layoutOf(t.trees)] };
  return num(0);
}

/** Whether jacobian.ts takes this Jacobian itself: one position, a number or array result, a number or array parameter. */
export function plainJacobian(fn: Fn, wrt: readonly number[], tuple: boolean): boolean {
  const plain = (t: Type): boolean => t === "number" || (isArrayType(t) && !t.rows);
  return !tuple && plain(fn.returnType) && plain(fn.params[wrt[0]!]!.type);
}

/** A row: a number for a number parameter, a number[] for an array, the gradient itself otherwise. */
function rowType(p: Param): Type {
  if (p.type === "number") return "number";
  if (isArrayType(p.type) && !p.type.rows) return ROW;
  return gradientType(p.type, false);
}

/** The gradient's type as a generated signature prints it (`{ a: number; b: number[] }`, rows of it with `rows`). */
function gradientType(t: Type, rows: boolean): Type {
  if (!rows && isArrayType(t)) return t;
  const node = typeNode(t, true);
  const opaque = rows ? ts.factory.createArrayTypeNode(ts.isTypeLiteralNode(node) || ts.isUnionTypeNode(node) ? ts.factory.createParenthesizedType(node) : node) : node;
  return { opaque, description: "rows of gradients" };
}

/** The Jacobian of parameter p as rows: number[] for a number, number[][] for an array, rows of the gradient otherwise. */
function rowsType(p: Param): Type {
  if (p.type === "number") return ROW;
  if (isArrayType(p.type) && !p.type.rows) return ROWS;
  return gradientType(p.type, true);
}

/** A gradient as its row: an array's as a number[] (a Float64Array's copied), any other as it is. */
function asRow(p: Param, g: Expr): Expr {
  return isArrayType(p.type) && !p.type.rows ? runtime("toRow", g) : g;
}

/**
 * jacobian(f, wrt) by reverse mode: one vjp per output, seeded with the unit
 * cotangent of that output (an object literal of the result's shape: 1 at
 * the output, 0 at the other numbers, and a buffer per array whose element
 * is set and cleared in turn). With a wrt array the vjp's tuple of gradients
 * fills a row of every selected parameter's Jacobian at once.
 */
export function structuredRows(base: FnRef, wrt: readonly number[], tuple: boolean, name: string, vjp: FnRef, byVjp = false): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const selected = wrt.map((k) => params[k]!);
  const args = params.map((p) => v(p.name));
  const names = new NameScope(params.map((p) => p.name));
  const out = fn.returnType;
  const body: Stmt[] = [];
  const returnType: Type = tuple ? { tuple: selected.map(out === "number" ? rowType : rowsType) } : out === "number" ? rowType(selected[0]!) : rowsType(selected[0]!);
  // The rows of each selected parameter, from the gradient (a tuple of them with a wrt array).
  const rowsOf = (g: Expr): Expr[] => (tuple ? selected.map((p, j) => asRow(p, at(g, j))) : [asRow(selected[0]!, g)]);
  if (out === "number") {
    // One output: the Jacobian is the gradient.
    const gradient = second(call(vjp, [...args, num(1)]));
    // A tuple of gradients none of which is an array is the Jacobians as they are.
    if (!tuple || !selected.some((p) => isArrayType(p.type) && !p.type.rows)) return { name, params, returnType, body: [{ kind: "return", value: tuple ? gradient : rowsOf(gradient)[0]! }], origin };
    const g = names.fresh("g");
    body.push({ kind: "let", name: g, type: { tuple: selected.map((p) => p.type) }, init: gradient, mutable: false });
    body.push({ kind: "return", value: { kind: "tuple", items: rowsOf(v(g)) } });
    return { name, params, returnType, body, origin };
  }
  // An array result: the forward sweep shared by the rows where repeatable.ts allows (jacobian.ts).
  const shared = isArrayType(out) && !out.rows && !byVjp ? sharedRows(vjp.ir(), selected, tuple, name, returnType) : undefined;
  if (shared) return { ...shared, origin };
  const y = names.fresh("y");
  body.push({ kind: "let", name: y, type: out, init: call(base, args), mutable: false, note: "the value, for the number of rows" });
  const leaves = leavesOf(out, v(y));
  // A cotangent buffer per array output: zero, but for the element of the row it seeds.
  const buffers = leaves.map((l) => (l.type === "number" ? undefined : names.fresh(`${l.label}_bar`)));
  leaves.forEach((l, k) => buffers[k] && body.push({ kind: "let", name: buffers[k], type: l.type, init: runtime("zerosLike", l.at), mutable: false }));
  const sizes = leaves.map((l): Expr => (l.type === "number" ? num(1) : { kind: "length", array: l.at }));
  const m = names.fresh("m");
  body.push({ kind: "let", name: m, type: "number", init: sum(sizes.length > 0 ? sizes : [num(0)]), mutable: false, note: "one row per output" });
  const jacs = selected.map((p) => (selected.length === 1 ? names.fresh("jac") : names.fresh(`jac_${p.name}`)));
  selected.forEach((p, j) => body.push({ kind: "let", name: jacs[j]!, type: rowsType(p), init: runtime(p.type === "number" ? "zeroRow" : "emptyRows", v(m)), mutable: false }));
  // Row `index` of every Jacobian, from the vjp seeded with `seed`.
  const fill = (index: Expr, seed: Expr): Stmt[] => {
    const gradient = second(call(vjp, [...args, seed]));
    if (!tuple) return [{ kind: "store", array: jacs[0]!, index, value: rowsOf(gradient)[0]! }];
    const g = names.fresh("g");
    return [
      { kind: "let", name: g, type: { tuple: selected.map((p) => p.type) }, init: gradient, mutable: false },
      ...rowsOf(v(g)).map((value, j): Stmt => ({ kind: "store", array: jacs[j]!, index, value })),
    ];
  };
  leaves.forEach((leaf, k) => {
    const offset = sum(sizes.slice(0, k));
    const seed = cotangent(out, { next: 0 }, k, buffers);
    if (leaf.type === "number") {
      const stmts = fill(offset, seed);
      stmts[0]!.note = `row ${printExpr(offset)}: the gradient of ${printExpr(leaf.at)}`;
      body.push(...stmts);
      return;
    }
    const i = names.fresh("i");
    const buffer = buffers[k]!;
    const row: Expr = offset.kind === "num" && offset.value === 0 ? v(i) : { kind: "binary", op: "+", left: offset, right: v(i) };
    body.push(countTo(i, sizes[k]!, [
      { kind: "store", array: buffer, index: v(i), value: num(1) },
      ...fill(row, seed),
      { kind: "store", array: buffer, index: v(i), value: num(0) },
    ], `the rows of ${printExpr(leaf.at)}, element i each`));
  });
  body.push({ kind: "return", value: tuple ? { kind: "tuple", items: jacs.map(v) } : v(jacs[0]!) });
  return { name, params, returnType, body, origin };
}

/**
 * The rows of an array result over one forward sweep (jacobian.ts
 * sharedForward): a record parameter's rows are its gradients; with a wrt
 * array each row keeps the vjp's tuple of gradients, split into one Jacobian
 * per parameter at the end (runtime jacobiansOf).
 */
function sharedRows(vjp: Fn, selected: readonly Param[], tuple: boolean, name: string, returnType: Type): Fn | undefined {
  const p = selected[0]!;
  const kept: SharedRows = tuple
    ? {
        type: gradientType({ tuple: selected.map((q) => q.type) }, true),
        declare: (m) => runtime("emptyRows", m),
        store: (gradient) => gradient,
        finish: (jac) => runtime("jacobiansOf", jac, num(selected.length)),
        returnType,
      }
    : {
        type: rowsType(p),
        declare: (m) => runtime(p.type === "number" ? "zeroRow" : "emptyRows", m),
        store: (gradient) => asRow(p, gradient),
        finish: (jac) => jac,
        returnType,
      };
  return sharedForward(vjp, p, name, (g) => g, undefined, kept);
}

/** The unit cotangent of leaf `target`: the result's shape, 1 at a number target, each array its buffer. */
function cotangent(t: Type, walk: { next: number }, target: number, buffers: readonly (string | undefined)[]): Expr {
  if (t === "number") return num(walk.next++ === target ? 1 : 0);
  if (isArrayType(t)) return v(buffers[walk.next++]!);
  if (isStructType(t)) return { kind: "object", isTuple: t.isTuple, fields: t.struct.map(([f, x]) => [f, cotangent(x, walk, target, buffers)] as const) };
  if (typeof t === "object" && "tuple" in t) return { kind: "tuple", items: t.tuple.map((x) => cotangent(x, walk, target, buffers)) };
  return num(0);
}

/**
 * jacfwd(f, wrt) by forward mode: for each selected parameter, one jvp per
 * element of it, seeded with that element's unit tangent; the result's
 * tangent, flattened, is the Jacobian's column. A record, tuple or array of
 * records is walked element by element by the runtime (unitLike), and each
 * row of numbers is given the parameter's shape at the end (rowsLike).
 */
export function structuredColumns(base: FnRef, wrt: readonly number[], tuple: boolean, name: string, jvp: FnRef): Fn {
  const fn = base.ir();
  const { params, origin } = fn;
  const args = params.map((p) => v(p.name));
  const names = new NameScope(params.map((p) => p.name));
  const out = fn.returnType;
  const body: Stmt[] = [];
  const scalar = out === "number";
  const selected = wrt.map((k) => params[k]!);
  const results = wrt.map((k) => columns(k));
  const returnType: Type = tuple ? { tuple: selected.map(scalar ? rowType : rowsType) } : scalar ? rowType(selected[0]!) : rowsType(selected[0]!);
  body.push({ kind: "return", value: tuple ? { kind: "tuple", items: results } : results[0]! });
  return { name, params, returnType, body, origin };

  /** The outputs of a tangent of the result, flattened: a number, or a number[] or Float64Array. */
  function flat(t: Expr): Expr {
    if (scalar || (isArrayType(out) && !out.rows)) return t;
    return runtime("outputs", ...leavesOf(out, t).map((l) => l.at));
  }

  /** The statements making parameter k's Jacobian; its value. */
  function columns(k: number): Expr {
    const x = params[k]!;
    const tangents: Expr[] = params.map((p, j) => (j === k && p.type === "number" ? num(1) : zeroTangent(p)));
    const tangent = (): Expr => second(call(jvp, [...args, ...tangents]));
    if (x.type === "number") {
      // One jvp: the column is the Jacobian (a number for a number result).
      if (scalar) return tangent();
      const col = names.fresh(`${x.name}_column`);
      body.push({ kind: "let", name: col, type: out, init: tangent(), mutable: false });
      return isArrayType(out) ? runtime("toRow", v(col)) : flat(v(col));
    }
    const plain = isArrayType(x.type) && !x.type.rows;
    const [n, jac, j, col] = [names.fresh(`${x.name}_size`), names.fresh(`jac_${x.name}`), names.fresh("j"), names.fresh("column")];
    // A record's numbers in its type's order, not the argument's own key order (SPEC §2).
    const layout = layoutOf(x.type);
    const laid = layout.kind === "num" ? [] : [layout];
    body.push({ kind: "let", name: n, type: "number", init: plain ? { kind: "length", array: v(x.name) } : runtime("leafCount", v(x.name), ...laid), mutable: false, note: `one jvp per element of ${x.name}` });
    let dx: string | undefined;
    if (plain) {
      dx = names.fresh(`${x.name}_dot`);
      body.push({ kind: "let", name: dx, type: x.type, init: runtime("zerosLike", v(x.name)), mutable: false });
      tangents[k] = v(dx);
    } else {
      tangents[k] = runtime("unitLike", v(x.name), v(j), ...laid);
    }
    const set = (value: number): Stmt[] => (dx ? [{ kind: "store", array: dx, index: v(j), value: num(value) }] : []);
    if (scalar) {
      // A number result: one row, element j of it the derivative along element j.
      body.push({ kind: "let", name: jac, type: ROW, init: runtime("zeroRow", v(n)), mutable: false });
      body.push(countTo(j, v(n), [...set(1), { kind: "store", array: jac, index: v(j), value: tangent() }, ...set(0)], `element j of ${x.name}`));
      return plain ? v(jac) : runtime("unflattenLike", v(x.name), v(jac), ...laid);
    }
    body.push({ kind: "let", name: jac, type: ROWS, init: runtime("emptyRows", num(0)), mutable: true });
    // A tuple or record tangent is flattened into the column's outputs.
    const structured = !(isArrayType(out) && !out.rows);
    const dy = structured ? names.fresh("y_dot") : col;
    const columnStmts: Stmt[] = [{ kind: "let", name: dy, type: out, init: tangent(), mutable: false }];
    if (structured) columnStmts.push({ kind: "let", name: col, type: ROW, init: flat(v(dy)), mutable: false });
    body.push(countTo(j, v(n), [
      ...set(1),
      ...columnStmts,
      ...set(0),
      // The first column tells the number of rows.
      { kind: "if", test: { kind: "binary", op: "===", left: v(j), right: num(0) }, then: [{ kind: "assign", name: jac, value: runtime("jacobianRows", { kind: "length", array: v(col) }, v(n)) }], else: [] },
      { kind: "effect", call: runtime("setColumn", v(jac), v(j), v(col)) },
    ], `column j: the derivative along element j of ${x.name}`));
    return plain ? v(jac) : runtime("rowsLike", v(x.name), v(jac), ...laid);
  }
}
