// Control flow the backward sweep does not need. Takes: the control constructs
// reverse.ts built (an `if` or a loop: its backward statements, the forward
// statements that only record decisions for it, and the adjoint code inside it)
// and the statements already found dead (saves nothing reads back). Guarantees:
// a construct whose adjoint code is all dead is dead too, with the decisions its
// forward sweep recorded — an inactive loop (a max search whose result is under
// stopGradient, a loop that only counts) costs the gradient no tape and no
// backward pass. So is one whose adjoint code only computes values nobody reads
// (`unread`: a `while` that steps an integer forward, undone step by step
// backward though the value is restored right after). Inner constructs are
// decided before the ones around them.

import { type Expr, type Stmt, walkExpr } from "./ir.js";

export interface ControlConstruct {
  /** What the construct put in the backward sweep (the reversed loop or if, a counter's reset). */
  readonly back: readonly Stmt[];
  /** Forward statements that only record decisions for `back` (control-stack pushes). */
  readonly records: readonly Stmt[];
  /** The adjoint code inside the construct: when all of it is dead, so is the construct. */
  readonly inner: readonly Stmt[];
}

/** Adds to `dead` every construct, innermost first (the order they were built in), with nothing left inside but statements in `unread`. */
export function deadControls(constructs: readonly ControlConstruct[], dead: Set<Stmt>, unread: ReadonlySet<Stmt> = new Set()): void {
  for (const c of constructs) {
    if (!c.inner.every((s) => isDead(s, dead, unread))) continue;
    for (const s of c.back) {
      // Its comment goes with it (prune would hand a dead statement's note to the next one).
      s.note = undefined;
      dead.add(s);
    }
    for (const s of c.records) dead.add(s);
  }
}

function isDead(s: Stmt, dead: ReadonlySet<Stmt>, unread: ReadonlySet<Stmt>): boolean {
  if (dead.has(s) || unread.has(s)) return true;
  // An `if` around dead restores (a save made only on some paths) whose test pops nothing.
  if (s.kind === "if" && !popsIn(s.test)) return s.then.every((x) => isDead(x, dead, unread)) && s.else.every((x) => isDead(x, dead, unread));
  return false;
}

function popsIn(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === "call" && x.callee.kind === "runtime" && x.callee.name.startsWith("pop")) found = true;
  });
  return found;
}
