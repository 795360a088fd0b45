// Pass 2, single exit. Takes: a lowered body whose returns may sit anywhere in
// if/else trees. Guarantees: every return is the last statement on its path,
// so the forward sweep ends where the backward sweep starts. Statements after
// an `if` that returns on some path move into the branches that fall through.

import type { Stmt } from "./ir.js";

export function singleExit(body: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    if (s.kind === "if" && containsReturn(s)) {
      const rest = body.slice(i + 1);
      out.push({
        ...s,
        then: singleExit(continueWith(s.then, rest)),
        else: singleExit(continueWith(s.else, rest)),
      });
      return out;
    }
    out.push(s);
    if (s.kind === "return") return out;
  }
  return out;
}

/** `stmts` followed by `rest` on every path through `stmts` that does not return. */
function continueWith(stmts: readonly Stmt[], rest: readonly Stmt[]): Stmt[] {
  if (alwaysReturns(stmts) || rest.length === 0) return [...stmts];
  const last = stmts[stmts.length - 1];
  if (last?.kind === "if" && containsReturn(last)) {
    return [
      ...stmts.slice(0, -1),
      { ...last, then: continueWith(last.then, rest), else: continueWith(last.else, rest) },
    ];
  }
  return [...stmts, ...rest];
}

function alwaysReturns(stmts: readonly Stmt[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (last.kind === "return") return true;
  return last.kind === "if" && alwaysReturns(last.then) && alwaysReturns(last.else);
}

function containsReturn(s: Stmt): boolean {
  if (s.kind === "return") return true;
  if (s.kind === "if") return s.then.some(containsReturn) || s.else.some(containsReturn);
  return false;
}
