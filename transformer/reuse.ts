// Pass 3a (reverse mode), results the backward sweep reuses. Takes: a
// structured, single-exit function body. Guarantees: every call to a Math
// function whose derivative is written with its own result (exp, sqrt, tanh,
// cbrt, hypot) is the whole value of a declaration or assignment, binding the
// result to a name (`_exp0`, ...) where it is not already, or to the array
// element it is the whole value of (`K[i] = Math.exp(...)`: the element keeps it).
//
// Why: the backward sweep then multiplies by that name instead of evaluating
// the function again. `s += Math.exp(x[i] - a)` in a loop otherwise costs a
// second exp per element backward; saving the one double the forward sweep
// already computed is several times cheaper (GradBench's manual adjoints keep
// their exps the same way).

import { type BinaryExpr, type Expr, type Stmt, foldLeft, readsOf, walkExpr } from "./ir.js";
import type { NameScope } from "./names.js";
import { printExpr } from "./print.js";
import { mathRule } from "./rules/math.js";

/**
 * The Math functions whose derivative is their result times something cheap,
 * kept only while their rule (rules/math.ts) still reads the result `r`.
 */
const REUSES_RESULT: ReadonlySet<string> = new Set(
  ["exp", "sqrt", "tanh", "cbrt", "hypot"].filter((name) => {
    const marker: Expr = { kind: "var", name: "@result" };
    let reads = false;
    for (const p of mathRule(name)!.partials([{ kind: "var", name: "x" }, { kind: "var", name: "y" }], marker)) {
      if (p) walkExpr(p, (e) => (reads ||= e === marker));
    }
    return reads;
  }),
);

/** Whether `e` is a call whose derivative the backward sweep can take from its bound result. */
export function reusesResult(e: Expr): boolean {
  return e.kind === "call" && e.callee.kind === "math" && REUSES_RESULT.has(e.callee.name);
}

/** `keeps(array)`: whether an element of `array` may hold a result its store computed (no other name shares the array). */
export function bindReusedResults(body: readonly Stmt[], names: NameScope, keeps: (array: string) => boolean): Stmt[] {
  const out: Stmt[] = [];
  for (const s of body) {
    const bound: Stmt[] = [];
    const bind = (call: Extract<Expr, { kind: "call" }>): Expr => {
      const name = names.numbered(`_${call.callee.kind === "math" ? call.callee.name : "r"}`);
      bound.push({ kind: "let", name, type: "number", init: call, mutable: false, origin: s.origin, source: `${printExpr(call)}, kept in ${name}` });
      return { kind: "var", name };
    };
    // A value that is itself such a call is bound already, to the name it is assigned.
    const value = (e: Expr): Expr => (e.kind === "call" && reusesResult(e) ? { ...e, args: e.args.map((a) => extract(a, bind)) } : extract(e, bind));
    switch (s.kind) {
      case "let":
        out.push(s.init && s.type === "number" ? { ...s, init: value(s.init) } : s);
        break;
      case "assign":
        out.push({ ...s, value: value(s.value) });
        break;
      case "store":
        // `K[i] = Math.exp(...)`: the element holds the result (reverse.ts reads it there), unless the call reads K.
        out.push({ ...s, value: !keeps(s.array) || readsOf(s.value).has(s.array) || readsOf(s.index).has(s.array) ? extract(s.value, bind) : value(s.value) });
        break;
      case "return":
        out.push({ ...s, value: extract(s.value, bind) });
        break;
      case "if":
        // Tests of branches are left alone: nothing backward reads them.
        out.push({ ...s, then: bindReusedResults(s.then, names, keeps), else: bindReusedResults(s.else, names, keeps) });
        break;
      case "loop":
        out.push({ ...s, body: bindReusedResults(s.body, names, keeps) });
        break;
      default:
        out.push(s);
    }
    out.splice(out.length - 1, 0, ...bound);
  }
  return out;
}

/**
 * `e` with each reusable call (innermost first) replaced by what `bind` gives
 * for it. Calls under `?:`, `&&` and `||` stay: evaluating them unconditionally
 * could turn an infinite derivative on the untaken side into 0 * Infinity.
 */
function extract(e: Expr, bind: (call: Extract<Expr, { kind: "call" }>) => Expr): Expr {
  switch (e.kind) {
    case "neg":
    case "not":
      return { ...e, arg: extract(e.arg, bind) };
    case "binary": {
      const logical = (x: BinaryExpr): boolean => x.op === "&&" || x.op === "||";
      if (logical(e)) return e;
      // Down a chain's left operands in a loop: it may nest thousands deep.
      return foldLeft(e, (leaf) => extract(leaf, bind), (node, left) => ({ ...node, left, right: extract(node.right, bind) }), (x) => !logical(x));
    }
    case "call": {
      const call = { ...e, args: e.args.map((a) => extract(a, bind)) };
      return reusesResult(call) ? bind(call) : call;
    }
    case "index":
      return { ...e, index: extract(e.index, bind) };
    case "tuple":
      return { ...e, items: e.items.map((x) => extract(x, bind)) };
    default:
      return e;
  }
}
