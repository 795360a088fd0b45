// Activity analysis. Takes: a function body and its differentiated parameters.
// Guarantees: the set of variables (and arrays) whose value can depend on those
// parameters (flow-insensitive, so a superset); only these get adjoints.

import { type Stmt, readsOf, walkStmts } from "./ir.js";

export function activeVariables(body: readonly Stmt[], params: readonly string[]): Set<string> {
  const active = new Set(params);
  let changed = true;
  while (changed) {
    changed = false;
    walkStmts(body, (s) => {
      let target: string | undefined;
      let reads: Set<string> | undefined;
      if (s.kind === "let" && s.init && s.type !== "boolean") [target, reads] = [s.name, readsOf(s.init)];
      if (s.kind === "assign") [target, reads] = [s.name, readsOf(s.value)];
      if (s.kind === "store") [target, reads] = [s.array, readsOf(s.value)];
      if (!target || !reads || active.has(target)) return;
      if ([...reads].some((name) => active.has(name))) {
        active.add(target);
        changed = true;
      }
    });
  }
  return active;
}
