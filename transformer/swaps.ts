// Arrays that only trade places. Takes: a generated IR function. Gives: the
// assignments that swap two array variables through a temporary
// (`tmp = u; u = next; next = tmp`, forward and swapped back), for the passes
// that must know which array variables can name the same object.
//
// Why: a time-stepping loop swaps two buffers each step, and its adjoint swaps
// their adjoint buffers alongside. Two variables that each start with an array
// of their own and are only ever swapped with each other never name the same
// array, so an element of one can be kept in a local while the other is
// written (scalarize.ts, window.ts), as for any array the function allocates.

import type { Stmt, Type } from "./ir.js";
import { exprsOf, isArrayType, readsOf, walkStmts } from "./ir.js";

export interface Swap {
  readonly tmp: string;
  readonly a: string;
  readonly b: string;
  /** `tmp = a`, `a = b`, `b = tmp`. */
  readonly stmts: readonly Stmt[];
}

/**
 * Every swap `tmp = a; a = b; b = tmp` (or `let tmp = a; ...`)
 * of three array variables in one block, a and b assigned nowhere else and
 * tmp read nowhere else. The caller still treats tmp as naming a or b (it
 * does, after the swap).
 */
export function swapStatements(body: readonly Stmt[], types: ReadonlyMap<string, Type>): Swap[] {
  const candidates: Stmt[][] = [];
  const scan = (stmts: readonly Stmt[]): void => {
    for (let k = 0; k + 2 < stmts.length; k++) {
      const [s0, s1, s2] = [stmts[k]!, stmts[k + 1]!, stmts[k + 2]!];
      const first = s0.kind === "assign" ? s0.value : s0.kind === "let" ? s0.init : undefined;
      if (first?.kind !== "var" || (s0.kind !== "assign" && s0.kind !== "let")) continue;
      const [tmp, a] = [s0.name, first.name];
      if (s1.kind !== "assign" || s1.name !== a || s1.value.kind !== "var") continue;
      const b = s1.value.name;
      if (s2.kind !== "assign" || s2.name !== b || s2.value.kind !== "var" || s2.value.name !== tmp) continue;
      if (new Set([tmp, a, b]).size !== 3 || ![tmp, a, b].every((name) => isArrayType(types.get(name)))) continue;
      candidates.push([s0, s1, s2]);
    }
  };
  walkStmts(body, (s) => {
    if (s.kind === "loop") scan(s.body);
    if (s.kind === "if") {
      scan(s.then);
      scan(s.else);
    }
  });
  scan(body);
  const inSwaps = new Set(candidates.flat());
  const nameOf = (s: Stmt): string => (s as { name: string }).name;
  // a and b must be assigned by swaps only (any other assignment could make them one array), and
  // no temporary may be one of them.
  const swapped = new Set(candidates.flatMap(([, s1, s2]) => [nameOf(s1!), nameOf(s2!)]));
  const spoiled = new Set<string>(candidates.map(([s0]) => nameOf(s0!)).filter((tmp) => swapped.has(tmp)));
  walkStmts(body, (s) => {
    if (s.kind === "assign" && swapped.has(s.name) && !inSwaps.has(s)) spoiled.add(s.name);
  });
  // A temporary read anywhere but in its swaps' last assignments names one of the two arrays
  // there: the two are then not the only names of their arrays.
  const temporaries = new Set(candidates.map(([s0]) => nameOf(s0!)));
  const lastOfSwap = new Set(candidates.map(([, , s2]) => s2!));
  walkStmts(body, (s) => {
    if (lastOfSwap.has(s)) return;
    for (const e of exprsOf(s)) for (const name of readsOf(e)) if (temporaries.has(name)) spoiled.add(name);
  });
  return candidates
    .filter(([s0, s1, s2]) => !spoiled.has(nameOf(s0!)) && !spoiled.has(nameOf(s1!)) && !spoiled.has(nameOf(s2!)))
    .map((stmts) => ({ tmp: nameOf(stmts[0]!), a: nameOf(stmts[1]!), b: nameOf(stmts[2]!), stmts }));
}
