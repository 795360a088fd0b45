// The Jacobians. Takes: the function, the parameter position, and the
// generated vjp (jacobian, reverse mode) or jvp (jacfwd, forward mode) of it.
// Guarantees: an IR function that loops over the rows (one vjp per output,
// seeded with a unit cotangent) or columns (one jvp per element of the
// parameter, seeded with a unit tangent) and returns the Jacobian as rows.
// A number result or parameter needs one sweep and gives the lower-rank shape.
// The seed buffer is allocated once and each unit is set and cleared in turn.

import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, isArrayType, isStructType, num, v } from "./ir.js";
import { NameScope } from "./names.js";

const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const call = (fn: FnRef, args: Expr[]): Expr => ({ kind: "call", callee: { kind: "fn", fn }, args });
const second = (e: Expr): Expr => ({ kind: "index", array: e, index: num(1) });
const ROW: Type = { array: "js" };
const ROWS: Type = { array: "js", rows: "js" };

/** `for (let i = 0; i < n; i++) body`. */
function countTo(i: string, n: Expr, body: Stmt[], note: string): Stmt {
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

/** jacobian(f, k): a vjp per output, the unit cotangent moving along the result. */
export function jacobianRows(base: FnRef, k: number, name: string, vjp: FnRef): Fn {
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

/** A zero tangent of a parameter's type; a value with no tangent (a string, rows of data) stands for its own. */
function zeroTangent(p: Param): Expr {
  if (p.type === "number") return num(0);
  if (isArrayType(p.type) && !p.type.rows) return runtime("zerosLike", v(p.name));
  if (isStructType(p.type)) {
    return { kind: "object", isTuple: p.type.isTuple, fields: p.type.struct.map(([f, t]) => [f, t === "number" ? num(0) : runtime("zerosLike", { kind: "field", object: v(p.name), name: f })] as const) };
  }
  return v(p.name);
}
