// Saves at the end of an iteration, for reverse.ts. Takes: a loop of the
// function being reversed (structured: loops.ts has removed its jumps) and the
// function's body. Says which numbers its body declares whose save can move
// from the declaration to the end of the iteration, and their restore from the
// declaration's adjoint to the top of the reversed iteration:
//
//   for (...) {                          for (...) {
//     tape[top++] = a;                     a = q * x[i] - m;
//     a = q * x[i] - m;                    for (...) a += l[j] * x[j];
//     for (...) a += l[j] * x[j];          sq += a * a;
//     sq += a * a;                         tape[top++] = a;
//   }                                    }
//   while (...) {                        while (...) {
//     a_bar = 2 * (sq_bar * a);            a = tape[--top];
//     ...                                  a_bar = 2 * (sq_bar * a);
//     a = tape[--top];                     ...
//   }                                    }
//
// Both save one value per iteration and restore it where the reversed
// iteration first reads it; on the left, what is saved is the value the
// previous iteration left (a dead value of another binding), so the variable
// lives across the back edge of both loops. V8 gives a number that lives
// across a loop's back edge and also enters the loop from outside one
// representation at the loop header, and where that is a tagged one, every
// value assigned to it in the loop is boxed in a fresh heap number: GMM's
// gradient allocated 16 heap numbers per pair of rows of L_k for its eight
// row sums (100-200 MB and 25-50 scavenges per call at d = 64, k = 100).
// On the right, each iteration's value is born in it and dies in it.
//
// Sound because, for a number declared in the body:
// - declared at the top level of the body, with a value: every iteration
//   declares it once, so at the iteration's end it holds that iteration's last
//   value, which is what the reversed iteration starts from either way (on
//   the left, the last iteration's value is still there; the others are
//   restored by the next iteration's declaration adjoint);
// - the function declares it nowhere else, and nothing outside the body
//   mentions it (the loop's test and update included), nor does a statement of
//   the body before its declaration: the value it held before the declaration
//   (what the left restores, and the right does not) is read by nobody;
// - the body has no break, continue, return or throw to skip the save at its
//   end (loops.ts removes jumps; a throw ends the call with no backward sweep,
//   but is refused here all the same, for simplicity).
// Later assignments of the variable in the body keep their own saves and
// restores, nested between the two.

import type { Loop } from "./fuse.js";
import type { Stmt } from "./ir.js";
import { exprsOf, readsOf, walkStmts } from "./ir.js";

/** The numbers `loop`'s body declares whose save can be made at the iteration's end (see above). */
export function savedAtIterationEnd(loop: Loop, functionBody: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  let jumps = false;
  walkStmts(loop.body, (s) => {
    if (s.kind === "break" || s.kind === "continue" || s.kind === "return" || s.kind === "throw") jumps = true;
  });
  if (jumps) return out;
  const declarations = declarationCounts(functionBody);
  loop.body.forEach((s, at) => {
    if (s.kind !== "let" || s.type !== "number" || !s.init || declarations.get(s.name) !== 1) return;
    let before = false;
    walkStmts(loop.body.slice(0, at), (x) => touched(x, new Set([s.name])).size > 0 && (before = true));
    if (!before) out.add(s.name);
  });
  if (out.size > 0) for (const name of touchedOutside(out, loop, functionBody)) out.delete(name);
  return out;
}

/** How many times `body` declares each name. */
function declarationCounts(body: readonly Stmt[]): Map<string, number> {
  const out = new Map<string, number>();
  walkStmts(body, (s) => s.kind === "let" && out.set(s.name, (out.get(s.name) ?? 0) + 1));
  return out;
}

/** Those of `names` that a statement of `stmts` outside `loop`'s body reads, assigns or stores into (the loop's own test, init and update included). */
function touchedOutside(names: ReadonlySet<string>, loop: Loop, stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  const visit = (list: readonly Stmt[]): void => {
    for (const s of list) {
      for (const name of touched(s, names)) out.add(name);
      if (s.kind === "if") {
        visit(s.then);
        visit(s.else);
      } else if (s.kind === "loop") {
        if (s.init) visit([s.init]);
        if (s !== loop) visit(s.body);
        visit(s.update);
      }
    }
  };
  visit(stmts);
  return out;
}

/** Those of `names` that `s` itself (not a statement nested in it) reads, assigns or stores into. */
function touched(s: Stmt, names: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const target = s.kind === "assign" ? s.name : s.kind === "store" ? s.array : undefined;
  if (target !== undefined && names.has(target)) out.add(target);
  for (const e of exprsOf(s)) for (const name of readsOf(e)) if (names.has(name)) out.add(name);
  return out;
}
