// Which restores of the backward sweep nothing reads before they are overwritten.
// Takes: the backward sweep (statements in the order they run), the statements
// already found dead, and candidate restores, each the assignment of one scalar
// local (`hit = tape[--top] === 1`, or such an assignment under an `if`).
// Guarantees: the candidates returned are in the backward sweep and no path
// from just after one reaches a read of its variable before another assignment
// of it; every other candidate is kept (one elsewhere, in a fused loop's
// iteration, is not asked about). Why: readBackward (reverse.ts) asks only
// whether the backward sweep reads a variable anywhere.
// A flag kept with `hit ||= value > limit` in a loop and tested once, by the
// adjoint of `return hit ? ... : ...`, is read backward before the reversed loop
// starts, yet each iteration saved it and the reversed iteration restored it
// for nobody.
//
// Conservative where it is not exact: a `break`, `continue`, `return` or
// `throw` keeps what is live after it in straight-line order as well as what
// is live where it jumps to, a store keeps its array live, and nothing after
// the backward sweep reads a restored value (a result the forward sweep
// computed is copied before the backward sweep restores it: copyRestoredResults).

import { type Stmt, readsOf } from "./ir.js";

export function restoresUnread(bwd: readonly Stmt[], dead: ReadonlySet<Stmt>, candidates: ReadonlyMap<Stmt, string>): Set<Stmt> {
  const read = new Set<Stmt>();
  const seen = new Set<Stmt>();
  /** Where a jump out of the innermost loop goes: after the loop, or its next test. */
  interface Jumps {
    readonly exit: ReadonlySet<string>;
    readonly next: ReadonlySet<string>;
  }
  const block = (stmts: readonly Stmt[], after: Set<string>, jumps: Jumps | undefined): Set<string> => {
    let live = after;
    for (let k = stmts.length - 1; k >= 0; k--) live = statement(stmts[k]!, live, jumps);
    return live;
  };
  const statement = (s: Stmt, after: Set<string>, jumps: Jumps | undefined): Set<string> => {
    if (dead.has(s)) return after;
    const name = candidates.get(s);
    if (name !== undefined) seen.add(s);
    if (name !== undefined && after.has(name)) read.add(s);
    const live = new Set(after);
    switch (s.kind) {
      case "let":
      case "assign":
        live.delete(s.name);
        if (s.kind === "assign") readsOf(s.value, live);
        else if (s.init) readsOf(s.init, live);
        return live;
      case "store":
        live.add(s.array);
        readsOf(s.index, live);
        readsOf(s.value, live);
        return live;
      case "effect":
        readsOf(s.call, live);
        return live;
      case "return":
        readsOf(s.value, live);
        return live;
      case "throw":
        for (const a of s.args) readsOf(a, live);
        return live;
      case "break":
        for (const x of jumps?.exit ?? []) live.add(x);
        return live;
      case "continue":
        for (const x of jumps?.next ?? []) live.add(x);
        return live;
      case "if": {
        const then = block(s.then, new Set(after), jumps);
        const other = block(s.else, new Set(after), jumps);
        for (const x of other) then.add(x);
        readsOf(s.test, then);
        return then;
      }
      case "loop": {
        // Live at the test: after the loop, what the test reads, and what the body needs when it runs again.
        let atTest = new Set(after);
        readsOf(s.test, atTest);
        let entry = atTest;
        for (let size = -1; size !== atTest.size; ) {
          size = atTest.size;
          const next = block(s.update, new Set(atTest), jumps);
          const body = block(s.body, new Set(next), { exit: after, next });
          entry = s.doWhile ? body : atTest;
          const grown = new Set(atTest);
          for (const x of body) grown.add(x);
          atTest = grown;
        }
        return s.init ? block([s.init], new Set(entry), jumps) : new Set(entry);
      }
    }
  };
  block(bwd, new Set(), undefined);
  return new Set([...seen].filter((s) => !read.has(s)));
}
