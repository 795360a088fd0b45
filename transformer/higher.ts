// Derivatives of generated functions by forward mode. Takes: a generated
// function G with a scalar result (a gradient w.r.t. a number, a vjp of one)
// and the plan's jvp of G. Guarantees: the IR of grad / valueAndGrad / vjp of
// G w.r.t. the selected number and array parameters, each gradient entry one
// call of G's jvp along a unit direction. This is how grad(grad(f)) is made
// where f has loops, reductions or calls: forward over reverse goes through the
// runtime stacks and the adjoint helpers that reverse over reverse cannot.

import { Code, fail } from "./diagnostics.js";
import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, exprsOf, isArrayType, isStructType, isTreesType, num, v, walkExpr, walkStmts } from "./ir.js";
import { NameScope, adjointName } from "./names.js";

export interface ByForwardRequest {
  readonly kind: "grad" | "valueAndGrad" | "vjp";
  readonly wrt: readonly number[];
  readonly tuple: boolean;
  readonly name: string;
}

const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const call = (fn: FnRef, args: Expr[]): Expr => ({ kind: "call", callee: { kind: "fn", fn }, args });
const at = (array: Expr, index: Expr): Expr => ({ kind: "index", array, index });

/** A number or a flat array: forward mode moves it along 1 or along each e_i. */
const isFlat = (t: Type | undefined): boolean => t === "number" || (isArrayType(t) && !t.rows);

/** Whether forward mode can make these gradients: every selected parameter is flat, or a record or tuple of flat fields. */
export function forwardCanSelect(fn: Fn, wrt: readonly number[]): boolean {
  return wrt.every((i) => {
    const t = fn.params[i]?.type;
    return isFlat(t) || (isStructType(t) && t.struct.every(([, field]) => isFlat(field)));
  });
}

/**
 * Whether reverse mode over this generated function is known to work: straight
 * scalar code, with no runtime stacks (loops that save values), no adjoint
 * helpers of the runtime's reductions and no calls of other generated
 * functions (whose tuples of results reverse mode cannot take apart).
 * Elsewhere its derivatives are made forward over reverse.
 */
export function reverseCanRunOver(fn: Fn): boolean {
  let plain = true;
  walkStmts(fn.body, (s) => {
    if (s.kind === "effect") plain = false;
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind === "call" && (x.callee.kind === "fn" || x.callee.kind === "rule" || (x.callee.kind === "runtime" && /^(push|pop)(Value|Control)$|Adjoint$/.test(x.callee.name)))) plain = false;
        if (x.kind === "function") plain = false;
      });
    }
  });
  return plain;
}

export function gradByForward(baseRef: FnRef, baseJvp: FnRef, req: ByForwardRequest): Fn {
  const base = baseRef.ir();
  if (base.returnType !== "number") fail(Code.NotScalar, base.origin, "forward mode over this function needs it to return a number; return a scalar.");
  const names = new NameScope([...base.params.map((p) => p.name), baseJvp.name, base.name]);
  const body: Stmt[] = [];
  const seedParam: Param | undefined = req.kind === "vjp" ? { name: names.fresh(`${base.name}_bar`), type: "number" } : undefined;
  const scaled = (e: Expr): Expr => (seedParam ? { kind: "binary", op: "*", left: v(seedParam.name), right: e } : e);
  const args = base.params.map((p) => v(p.name));
  /** The tangent each parameter gets when parameter `k` moves along `direction`: zero for the others. */
  const tangents = (k: number, direction: Expr): Expr[] =>
    base.params.map((p, j) => {
      if (j === k) return direction;
      if (p.type === "number") return num(0);
      if (isArrayType(p.type) && !p.type.rows) return runtime("zerosLike", v(p.name));
      // (An array of records holding constants too: forward mode reads its numbers' tangents; zerosOf keeps the constants.)
      if (isStructType(p.type) || isTreesType(p.type)) return runtime("zerosOf", v(p.name));
      // A parameter with no tangent (a string, a flag, rows of data): forward mode never reads it.
      return v(p.name);
    });
  const derivativeAlong = (k: number, direction: Expr): Expr => at(call(baseJvp, [...args, ...tangents(k, direction)]), num(1));

  /**
   * The local holding the derivative along each coordinate of `value`, a
   * number or flat array named `name` (parameter k or a field of it): one jvp
   * along 1, or one per entry along the unit vector e_i; `along(d)` is
   * parameter k's tangent when `value` moves along d.
   */
  const flatGradient = (k: number, name: string, value: Expr, type: Type, along: (d: Expr) => Expr): string => {
    const bar = names.fresh(adjointName(name));
    if (type === "number") {
      body.push({ kind: "let", name: bar, type: "number", init: scaled(derivativeAlong(k, along(num(1)))), mutable: false });
      return bar;
    }
    const dir = names.fresh(`${name}_dir`);
    const i = names.fresh("i");
    body.push({ kind: "let", name: bar, type, init: runtime("zerosLike", value), mutable: false });
    body.push({ kind: "let", name: dir, type, init: runtime("zerosLike", value), mutable: false });
    body.push({
      kind: "loop",
      init: { kind: "let", name: i, type: "number", init: num(0), mutable: true },
      test: { kind: "binary", op: "<", left: v(i), right: { kind: "length", array: value } },
      update: [{ kind: "assign", name: i, value: { kind: "binary", op: "+", left: v(i), right: num(1) } }],
      body: [
        { kind: "store", array: dir, index: v(i), value: num(1) },
        { kind: "store", array: bar, index: v(i), value: scaled(derivativeAlong(k, along(v(dir)))) },
        { kind: "store", array: dir, index: v(i), value: num(0) },
      ],
      doWhile: false,
    });
    return bar;
  };
  const gradients = req.wrt.map((k): Expr => {
    const p = base.params[k]!;
    if (!isStructType(p.type)) return v(flatGradient(k, p.name, v(p.name), p.type, (d) => d));
    // A record or tuple of flat fields: each field moves while the others stay (tangent zero).
    const struct = p.type;
    const fieldOf = (f: string): Expr => ({ kind: "field", object: v(p.name), name: f });
    const still = (f: string, t: Type): Expr => (t === "number" ? num(0) : runtime("zerosLike", fieldOf(f)));
    const fields = struct.struct.map(([f, t]) => {
      const along = (d: Expr): Expr => ({ kind: "object", fields: struct.struct.map(([g, gt]) => [g, g === f ? d : still(g, gt)] as const), isTuple: struct.isTuple });
      return [f, v(flatGradient(k, `${p.name}_${struct.isTuple ? `c${f}` : f}`, fieldOf(f), t, along))] as const;
    });
    const bar = names.fresh(adjointName(p.name));
    body.push({ kind: "let", name: bar, type: struct, init: { kind: "object", fields, isTuple: struct.isTuple }, mutable: false });
    return v(bar);
  });
  const types: Type[] = req.wrt.map((k) => base.params[k]!.type);
  const many = req.tuple || gradients.length !== 1;
  let value: Expr = many ? { kind: "tuple", items: gradients } : gradients[0]!;
  let returnType: Type = many ? { tuple: types } : types[0]!;
  if (req.kind === "valueAndGrad") {
    const result = names.fresh("result");
    body.unshift({ kind: "let", name: result, type: "number", init: call(baseRef, args), mutable: false });
    value = { kind: "tuple", items: [v(result), value] };
    returnType = { tuple: ["number", returnType] };
  }
  body.push({ kind: "return", value });
  const params = seedParam ? [...base.params, seedParam] : base.params;
  return { name: req.name, params, returnType, body, origin: base.origin };
}
