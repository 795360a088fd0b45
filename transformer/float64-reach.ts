// Which values of an IR function may be Float64Arrays where the user's types
// say `number[]`. Takes: an IR function (lowered, or generated). Guarantees:
// plain data, read by emission (to type such locals `number[] | Float64Array`)
// and by declared-results.ts (to give back the number[] the user's type promises).
//
// Why they exist: tsgrad keeps an array it builds (a `map` result, a `new
// Array(n)` filled by a loop) as a Float64Array, whatever the user declared,
// and a `number[]` local may be given one (`x = matVec(R, x)` of a helper that
// maps); whatever is copied, kept or restored from it may hold one in turn.

import { ts } from "./ts.js";
import { type Expr, type Fn, type Stmt, type Type, isArrayType, isOpaqueType, walkStmts } from "./ir.js";

export interface Float64Reach {
  /**
   * The `number[]` locals that may also hold a Float64Array, and the stacks of
   * `number[]` rows that keep them (runtime keepArray).
   */
  readonly mixed: ReadonlySet<string>;
  /** Whether `e`, a value of `fn`, may be a Float64Array. */
  mayBeFloat64(e: Expr): boolean;
}

export function float64Reach(fn: { readonly params: Fn["params"]; readonly body: readonly Stmt[] }): Float64Reach {
  const declared = new Map<string, Type>(fn.params.map((p) => [p.name, p.type]));
  walkStmts(fn.body, (s) => void (s.kind === "let" && declared.set(s.name, s.type)));
  const mixed = new Set<string>();
  const numbers = (name: string): boolean => { const t = declared.get(name); return isArrayType(t) && t.array === "js" && !t.rows; };
  // A stack of kept arrays (reverse.ts, runtime keepArray) is typed by its rows: `number[][]`, `Float64Array[]`.
  const keptRows = (name: string): ts.TypeNode | undefined => {
    const t = declared.get(name);
    return isOpaqueType(t) && t.description === "kept arrays" && ts.isArrayTypeNode(t.opaque) ? t.opaque.elementType : undefined;
  };
  const rows = (name: string): boolean => { const row = keptRows(name); return !!row && ts.isArrayTypeNode(row) && row.elementType.kind === ts.SyntaxKind.NumberKeyword; };
  /** Whether `e` may be a Float64Array (for `row`: a row of the stack `e`). */
  const mayBeF64 = (e: Expr | undefined, row = false): boolean => {
    if (!e) return false;
    if (e.kind === "var") {
      if (mixed.has(e.name)) return true;
      if (row) { const r = keptRows(e.name); return !!r && ts.isTypeReferenceNode(r); }
      const t = declared.get(e.name);
      return isArrayType(t) && !t.rows && t.array === "f64";
    }
    if (e.kind === "alloc") return !row && !e.records;
    if (e.kind === "cond") return mayBeF64(e.then, row) || mayBeF64(e.else, row);
    if (e.kind !== "call" || e.callee.kind !== "runtime" || row) return false;
    const name = e.callee.name;
    // Copies and zeros of an array are of its kind.
    if (name === "sliceOf" || name === "zerosLike" || name === "copyOf") return mayBeF64(e.args[0]);
    if (name === "restoreArray") return mayBeF64(e.args[0], true);
    // zeroedLike(buffer, like) is a buffer of like's kind.
    if (name === "zeroedLike") return mayBeF64(e.args[1]);
    return name === "zeros" || name === "tensor";
  };
  for (let grew = true; grew; ) {
    grew = false;
    const add = (name: string): void => void (!mixed.has(name) && (mixed.add(name), (grew = true)));
    walkStmts(fn.body, (s) => {
      const value = s.kind === "let" ? s.init : s.kind === "assign" ? s.value : undefined;
      if ((s.kind === "let" || s.kind === "assign") && numbers(s.name) && mayBeF64(value)) add(s.name);
      const kept = s.kind === "effect" && s.call.kind === "call" && s.call.callee.kind === "runtime" && s.call.callee.name === "keepArray" ? s.call.args : undefined;
      if (kept && kept[0]?.kind === "var" && rows(kept[0].name) && mayBeF64(kept[1])) add(kept[0].name);
    });
  }
  return { mixed, mayBeFloat64: (e) => mayBeF64(e) };
}
