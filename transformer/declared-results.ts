// The values a generated function hands back as f's own: a vjp's and a jvp's
// value, a jvp's tangent, hasAux's aux. Takes: such a value and the type f
// declares for it. Guarantees: each `number[]` part of it is a number[], as f
// returns one (Array.isArray holds, push is there, the emitted type is true):
// an array tsgrad kept as a Float64Array (a `map` result, float64-reach.ts) is
// given back through `asArray`, which copies it into a number[] once, when the
// value is returned; an array that is a number[] already is returned as it is.

import { type Expr, type Type, isArrayType, isStructType } from "./ir.js";

export function asDeclared(e: Expr, type: Type, mayBeFloat64: (e: Expr) => boolean): Expr {
  if (isArrayType(type)) {
    if (type.array !== "js" || type.rows || !mayBeFloat64(e)) return e;
    return { kind: "call", callee: { kind: "runtime", name: "asArray" }, args: [e] };
  }
  // A tuple or record literal: each part by its field's type.
  if (isStructType(type) && e.kind === "object") {
    const field = (k: string): Type | undefined => type.struct.find(([name]) => name === k)?.[1];
    return { ...e, fields: e.fields.map(([k, x]) => { const t = field(k); return [k, t ? asDeclared(x, t, mayBeFloat64) : x] as const; }) };
  }
  if (typeof type === "object" && "tuple" in type && e.kind === "tuple") {
    return { ...e, items: e.items.map((x, i) => (type.tuple[i] ? asDeclared(x, type.tuple[i], mayBeFloat64) : x)) };
  }
  return e;
}
