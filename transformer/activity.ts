// Activity analysis. Takes: a function body and its differentiated parameters.
// Guarantees: the set of variables whose value can depend on those parameters
// (flow-insensitive, so a superset); only these get adjoints.

import { type Stmt, readsOf, walkStmts } from "./ir.js";

export function activeVariables(body: readonly Stmt[], params: readonly string[]): Set<string> {
  const active = new Set(params);
  let changed = true;
  while (changed) {
    changed = false;
    walkStmts(body, (s) => {
      const target = s.kind === "let" ? s.name : s.kind === "assign" ? s.name : undefined;
      const value = s.kind === "let" ? s.init : s.kind === "assign" ? s.value : undefined;
      if (!target || !value || active.has(target) || s.kind === "let" && s.type !== "number") return;
      if ([...readsOf(value)].some((name) => active.has(name))) {
        active.add(target);
        changed = true;
      }
    });
  }
  return active;
}
