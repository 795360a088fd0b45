// stopGradient(x). Takes: the IR of a value the user wrapped in stopGradient.
// Guarantees: one IR form for it, `tsgrad.stopGradient(x)` (a runtime call that is
// the identity when it runs), and the one question the analyses ask about it:
// which variables an expression reads *through its derivative*. Activity
// analysis (activity.ts) and the sweeps' own activity tests use that, so a value
// computed from stopGradient(x) alone is a constant: no adjoint, no tangent.
// Its adjoint rule (rules/runtime.ts) and tangent (forward.ts) are zero.

import type { ts } from "./ts.js";
import { type Expr, children } from "./ir.js";

export const STOP_GRADIENT = "stopGradient";

/** `stopGradient(value)`, printed through the user's own identifier when they wrote the call. */
export function stopped(value: Expr, node?: ts.Identifier): Expr {
  return { kind: "call", callee: { kind: "runtime", name: STOP_GRADIENT, node }, args: [value] };
}

/** Runtime calls whose value is data whatever they read: a key's position in a record keyed by strings, the key at a position. */
const KEY_LOOKUPS = new Set(["keyIndex", "keyAt", "keySlot"]);

export function isStopped(e: Expr): boolean {
  return e.kind === "call" && e.callee.kind === "runtime" && (e.callee.name === STOP_GRADIENT || KEY_LOOKUPS.has(e.callee.name));
}

/** The variables whose derivatives flow into `e`'s: what it reads, except inside stopGradient(...). */
export function variedReadsOf(e: Expr, into: Set<string> = new Set()): Set<string> {
  // An explicit stack, as walkExpr: generated expressions nest deeper than the call stack.
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === "var") into.add(x.name);
    // An array's length has no derivative: `n - xs.length` does not vary with xs's elements.
    // Nor does a passive expression (passive.ts): what it reads only picks data.
    else if (x.kind !== "length" && !isStopped(x) && !(x.kind === "call" && x.callee.kind === "passive")) stack.push(...children(x));
  }
  return into;
}

/** Whether `e` reads any of `names` other than through stopGradient. */
export function readsVaried(e: Expr, names: ReadonlySet<string>): boolean {
  for (const name of variedReadsOf(e)) if (names.has(name)) return true;
  return false;
}
