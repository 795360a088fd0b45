// Activity analysis. Takes: a function body and its differentiated parameters.
// Guarantees: the set of variables (and arrays) whose value can depend on those
// parameters (flow-insensitive, so a superset); only these get adjoints.

import { type Stmt, walkStmts } from "./ir.js";
import { variedReadsOf } from "./stop.js";

export function activeVariables(body: readonly Stmt[], params: readonly string[], groups: readonly ReadonlySet<string>[] = []): Set<string> {
  const active = new Set(params);
  let changed = true;
  while (changed) {
    changed = joinGroups(active, groups);
    walkStmts(body, (s) => {
      let target: string | undefined;
      let reads: Set<string> | undefined;
      if (s.kind === "let" && s.init && s.type !== "boolean") [target, reads] = [s.name, variedReadsOf(s.init)];
      if (s.kind === "assign") [target, reads] = [s.name, variedReadsOf(s.value)];
      if (s.kind === "store") [target, reads] = [s.array, variedReadsOf(s.value)];
      if (!target || !reads || active.has(target)) return;
      if ([...reads].some((name) => active.has(name))) {
        active.add(target);
        changed = true;
      }
    });
  }
  return active;
}

/**
 * Usefulness, the other half of activity analysis: the variables whose value
 * can reach a returned value. An active variable that is not useful gets no
 * adjoint code, so an unused intermediate never adds 0 × (an infinite or NaN
 * partial) to a gradient.
 */
export function usefulVariables(body: readonly Stmt[], groups: readonly ReadonlySet<string>[] = []): Set<string> {
  const useful = new Set<string>();
  walkStmts(body, (s) => {
    if (s.kind === "return") variedReadsOf(s.value, useful);
  });
  let changed = true;
  while (changed) {
    changed = joinGroups(useful, groups);
    walkStmts(body, (s) => {
      let target: string | undefined;
      let value;
      if (s.kind === "let" && s.init) [target, value] = [s.name, s.init];
      if (s.kind === "assign") [target, value] = [s.name, s.value];
      if (s.kind === "store") [target, value] = [s.array, s.value];
      if (!target || !value || !useful.has(target)) return;
      for (const name of variedReadsOf(value)) {
        if (!useful.has(name)) {
          useful.add(name);
          changed = true;
        }
      }
    });
  }
  return useful;
}

/**
 * Names of one array object (`const re = xs` of an inlined helper's parameter,
 * `u = next`): a store through one is a store into all, so each set holds all of
 * a group or none. Whether that added a name.
 */
function joinGroups(set: Set<string>, groups: readonly ReadonlySet<string>[]): boolean {
  let added = false;
  for (const group of groups) {
    if (![...group].some((name) => set.has(name))) continue;
    for (const name of group) {
      if (set.has(name)) continue;
      set.add(name);
      added = true;
    }
  }
  return added;
}
