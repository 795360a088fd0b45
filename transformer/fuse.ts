// Fused loops, for reverse.ts. Takes: the top-level statements of the function
// being reversed and the position of a loop among them. Says whether that loop
// is a sum of terms whose adjoint can run iteration by iteration, right after
// each iteration's forward, and with what seed for each of its accumulators:
//
//   const slse_bar = 1;                       // what slse's adjoint will be at the loop's end
//   for (let i = 0; i < n; i++) {
//     ...forward of iteration i...; slse += term;
//     ...adjoint of iteration i, from slse_bar...
//   }
//
// as a hand-written adjoint of `Σ term_i` is: nothing of the loop kept for a
// backward sweep, nothing of it in that sweep. The iteration's own saves (of
// inner loops) are balanced within it.
//
// When it is sound (every condition is checked; any doubt leaves the loop to
// the ordinary reversal):
// - nothing leaves an iteration early: no break, continue, return or throw in
//   the loop, and its test, initialiser and update read no value that depends
//   on the parameters (nor assign one); the body does not change the counter;
// - the only numbers declared outside the loop that it assigns are its
//   accumulators: each assigned only as `s = s + e` or `s = s - e`, with e
//   reading no accumulator, read nowhere else in the loop, declared at the top
//   level before it and mentioned by no statement between that declaration and
//   the loop (whose backward sweep would see the final value, not the one it read);
// - the arrays declared outside the loop that it writes carry nothing from one
//   iteration to the next: each is a fresh `new Float64Array(size)` declared
//   before the loop, mentioned by no other statement before or after it, read
//   in the loop only element by element, and each read comes after, in the same
//   block or one around it, a loop that fills the whole array (`for (j = 0; j <
//   n; j++) a[c * n + j] = e` for every c below m, the array m * n long, e not
//   reading it). So every element an iteration reads it wrote itself, and the
//   adjoint of the array is zero again when the iteration's adjoint ends (the
//   fill's adjoint clears it), so no adjoint crosses iterations;
// - no runtime call of the loop changes an array in place;
// - the adjoint reaching each accumulator at the loop's end is known before
//   the loop: the statements after it use the accumulators affinely (through
//   `+ - * /` and declarations, up to the number returned), each coefficient
//   reading only constants and variables that are declared before the loop,
//   never reassigned and independent of the parameters (`return s / n`,
//   `return slse - n * lse + prior`, `return 0.5 * s`).
// The pre-loop code reads what the iterations added to its adjoints in the
// ordinary backward sweep (adjoints add, so the order does not matter).
//
// When it pays (reverse.ts decides, with `fusion` as the test of soundness):
// a loop that can be fused is fused only where its ordinary reversal runs it
// twice, forward and backward. reverse() reverses the function the ordinary
// way first and looks, for each loop `fusion` accepts, at the loop's forward
// copy in that result: if the dead-code pass (simplify.ts's eliminateDead)
// would keep it, because it pushes what its backward sweep pops (the MLP's
// `diff`, GMM's inner sums and maxima), counts trips, or computes the value
// returned (valueAndGrad, whose backward sweep recomputes every iteration's
// values after the forward loop computed them), fusing runs each iteration
// once and keeps nothing. Then the function is reversed again, fusing those
// loops only. If the dead-code pass would drop the forward copy, the ordinary
// reversal is already one loop, backward, evaluating each iteration's values
// and its adjoint: the work a fused loop does, no more. It keeps its own
// advantages (npm run bench, ratio to the hand-written gradient, as first measured): a
// counter tested against a trip count worked out once (`while (i !== 0)`,
// not `i + 1 < pos.length / 3` each time: springs 0.97 fused, 0.81 not), and
// adjoint elements that move with the counter in locals (window.ts: one load
// and one store of x_bar per Rosenbrock term, not two: 1.00 fused, 0.80 not),
// so such loops (Rosenbrock, springs, n-body's pairs) stay unfused.

import type { BinaryExpr, Expr, Stmt, Type } from "./ir.js";
import { assignedIn, exprsOf, foldLeft, isArrayType, isUserEffect, mentions, readsOf, sameExpr, walkExpr, walkStmts } from "./ir.js";

export type Loop = Extract<Stmt, { kind: "loop" }>;

/** What the reverse pass knows that the decision needs. */
export interface FuseContext {
  /** Variables that depend on the differentiated parameters. */
  readonly varied: ReadonlySet<string>;
  /** Variables assigned anywhere after their declaration. */
  readonly reassigned: ReadonlySet<string>;
  /** The cotangent of the result (1, or the vjp's seed parameter). */
  readonly seed: Expr;
  readonly returnType: Type;
  readonly params: readonly string[];
  /** Whether a variable holds an array of numbers. */
  readonly isArray: (name: string) => boolean;
}

/** A loop to fuse: the adjoint of each accumulator at the loop's end, as an expression valid before the loop. */
export interface Fusion {
  readonly seeds: ReadonlyMap<string, Expr>;
  /**
   * The arrays declared outside the loop that a statement of its body fills
   * whole, by the position of that statement: nothing the body does up to
   * there needs the elements it overwrites kept (no read comes before it).
   */
  readonly filledAt: ReadonlyMap<string, number>;
}

/** The fusion of the loop at `stmts[k]`, or undefined when it is not provably a sum of independent terms. */
export function fusion(stmts: readonly Stmt[], k: number, ctx: FuseContext): Fusion | undefined {
  const loop = stmts[k];
  if (loop?.kind !== "loop") return undefined;
  const before = stmts.slice(0, k);
  const after = stmts.slice(k + 1);
  if (!leavesOnlyAtTheEnd(loop, ctx)) return undefined;
  const declaredInside = new Set<string>();
  walkStmts([loop], (s) => s.kind === "let" && declaredInside.add(s.name));
  const declaredBefore = new Map<string, Extract<Stmt, { kind: "let" }>>();
  for (const s of before) if (s.kind === "let") declaredBefore.set(s.name, s);

  const written = new Set<string>();
  walkStmts([loop], (s) => {
    if (s.kind === "store" && !declaredInside.has(s.array)) written.add(s.array);
  });
  const accumulators = new Set<string>();
  for (const name of assignedIn([loop])) {
    if (declaredInside.has(name) || written.has(name)) continue;
    accumulators.add(name);
  }
  if (accumulators.size === 0) return undefined;
  for (const s of accumulators) if (!isAccumulator(s, loop, accumulators, declaredBefore, before)) return undefined;
  const filledAt = new Map<string, number>();
  for (const a of written) if (!freshEachIteration(a, loop, declaredBefore, before, after, (k) => filledAt.set(a, k))) return undefined;
  if (changesArraysInPlace(loop)) return undefined;
  // An array the body points at another array (`alpha = next` in a forward recursion): its kept
  // versions are not followed through a fused iteration yet (realworld crf-tagger got a wrong gradient).
  if (reassignsArrays(loop, ctx)) return undefined;
  const seeds = exitAdjoints(after, accumulators, ctx, (name) => ctx.params.includes(name) || declaredBefore.has(name));
  return seeds && { seeds, filledAt };
}

/** No early exit, and a trip count that does not depend on the parameters. */
function leavesOnlyAtTheEnd(loop: Loop, ctx: FuseContext): boolean {
  let exits = false;
  walkStmts(loop.body, (s) => {
    if (s.kind === "break" || s.kind === "continue" || s.kind === "return" || s.kind === "throw") exits = true;
  });
  if (exits) return false;
  const control = [...(loop.init ? [loop.init] : []), ...loop.update];
  const passive = (e: Expr): boolean => ![...valuesRead(e)].some((name) => ctx.varied.has(name));
  if (!passive(loop.test) || !control.every((s) => exprsOf(s).every(passive))) return false;
  // The body leaves the counter to the update: an adjoint in the body would undo its own changes of it.
  const counters = assignedIn(control);
  if (loop.init?.kind === "let") counters.add(loop.init.name);
  const changed = assignedIn(loop.body);
  return [...counters].every((name) => !ctx.varied.has(name) && !changed.has(name)) && control.every((s) => s.kind === "let" || s.kind === "assign");
}

/** The variables whose values `e` reads: an array of which it takes only the length is not one (its length does not depend on the parameters). */
function valuesRead(e: Expr): Set<string> {
  const into = new Set<string>();
  const lengths = new Set<Expr>();
  walkExpr(e, (x) => {
    if (x.kind === "length") lengths.add(x.array);
    if (x.kind === "var" && !lengths.has(x)) into.add(x.name);
  });
  return into;
}

/** `s = s ± e` only, e reading no accumulator, s read nowhere else in the loop and untouched between its declaration and the loop. */
function isAccumulator(s: string, loop: Loop, all: ReadonlySet<string>, declaredBefore: ReadonlyMap<string, Stmt>, before: readonly Stmt[]): boolean {
  const declaration = declaredBefore.get(s);
  if (declaration?.kind !== "let" || declaration.type !== "number") return false;
  if (before.some((x) => x !== declaration && mentions(x, s))) return false;
  let ok = true;
  walkStmts([loop], (x) => {
    if (x.kind === "assign" && x.name === s) {
      const e = x.value;
      const term = e.kind === "binary" && (e.op === "+" || e.op === "-") && e.left.kind === "var" && e.left.name === s ? e.right : undefined;
      if (!term || [...readsOf(term)].some((name) => all.has(name))) ok = false;
      return;
    }
    for (const e of exprsOf(x)) if (readsOf(e).has(s)) ok = false;
  });
  return ok;
}

/**
 * An array the loop writes that carries nothing between iterations: a fresh
 * array of its own (declared before the loop with `new Float64Array(size)`,
 * mentioned by nothing else before or after the loop), every element the
 * loop reads written earlier in the same iteration (see `covered`).
 */
function freshEachIteration(a: string, loop: Loop, declaredBefore: ReadonlyMap<string, Stmt>, before: readonly Stmt[], after: readonly Stmt[], filledAt: (k: number) => void): boolean {
  const declaration = declaredBefore.get(a);
  if (declaration?.kind !== "let" || declaration.init?.kind !== "alloc" || !isArrayType(declaration.type) || declaration.type.rows) return false;
  if (before.some((x) => x !== declaration && mentions(x, a)) || after.some((x) => mentions(x, a))) return false;
  const size = declaration.init.size;
  const fixed = assignedIn([loop]);
  if ([...readsOf(size)].some((name) => fixed.has(name))) return false;
  return covered(loop.body, a, size, false, fixed, filledAt);
}

/**
 * Whether each read of `a`'s elements in `block` follows a fill of `a` (in the
 * block, or before it in one around it); `filledAt` hears where the block's own fill is.
 */
function covered(block: readonly Stmt[], a: string, size: Expr, filled: boolean, fixed: ReadonlySet<string>, filledAt?: (k: number) => void): boolean {
  let done = filled;
  for (const [k, s] of block.entries()) {
    for (const e of exprsOf(s)) {
      const use = arrayUse(e, a);
      if (use === "whole" || (use === "element" && !done)) return false;
    }
    const nested = s.kind === "if" ? [s.then, s.else] : s.kind === "loop" ? [s.init ? [s.init] : [], s.body, s.update] : [];
    if (!nested.every((b) => covered(b, a, size, done, fixed))) return false;
    if (!done && fills(s, a, size, fixed)) {
      done = true;
      filledAt?.(k);
    }
  }
  return true;
}

/** How `e` reads array `a`: not at all, element by element, or as a whole (passed on, aliased). */
function arrayUse(e: Expr, a: string): "none" | "element" | "whole" {
  let use: "none" | "element" | "whole" = "none";
  // Parents are visited first: the array operand of an element read or a length is marked before it is met.
  const operands = new Set<Expr>();
  walkExpr(e, (x) => {
    if ((x.kind === "index" || x.kind === "length") && x.array.kind === "var" && x.array.name === a) {
      operands.add(x.array);
      if (x.kind === "index" && use === "none") use = "element";
    }
    if (x.kind === "var" && x.name === a && !operands.has(x)) use = "whole";
  });
  return use;
}

/**
 * `for (j = 0; j < n; j++) { ...; a[c * n + j] = e; ... }` for every c below m,
 * the stores at the top of the body, `a` m * n long, e not reading `a`, n not
 * changed in the loop being fused.
 */
function fills(s: Stmt, a: string, size: Expr, fixed: ReadonlySet<string>): boolean {
  if (s.kind !== "loop" || s.doWhile || !s.init || s.update.length !== 1) return false;
  const init = s.init;
  const j = init.kind === "let" || init.kind === "assign" ? init.name : undefined;
  const start = init.kind === "let" ? init.init : init.kind === "assign" ? init.value : undefined;
  const step = s.update[0]!;
  if (!j || start?.kind !== "num" || start.value !== 0 || assignedIn(s.body).has(j)) return false;
  if (step.kind !== "assign" || step.name !== j || step.value.kind !== "binary" || step.value.op !== "+" || !isVar(step.value.left, j) || !isNum(step.value.right, 1)) return false;
  const t = s.test;
  if (t.kind !== "binary" || t.op !== "<" || !isVar(t.left, j)) return false;
  const n = t.right;
  if ([...readsOf(n)].some((name) => fixed.has(name) || name === j)) return false;
  const rows = new Set<number>();
  for (const x of s.body) {
    if (x.kind !== "store" || x.array !== a || arrayUse(x.value, a) !== "none" || arrayUse(x.index, a) !== "none") continue;
    const c = rowOf(x.index, j, n);
    if (c !== undefined) rows.add(c);
  }
  let m = 0;
  while (rows.has(m)) m++;
  if (m === 0) return false;
  if (m === 1) return sameExpr(size, n);
  return size.kind === "binary" && size.op === "*" && ((isNum(size.left, m) && sameExpr(size.right, n)) || (isNum(size.right, m) && sameExpr(size.left, n)));
}

/** c for an index `j`, `n + j`, `j + n`, `c * n + j` or `j + c * n`. */
function rowOf(index: Expr, j: string, n: Expr): number | undefined {
  if (isVar(index, j)) return 0;
  if (index.kind !== "binary" || index.op !== "+") return undefined;
  const other = isVar(index.right, j) ? index.left : isVar(index.left, j) ? index.right : undefined;
  if (!other) return undefined;
  if (sameExpr(other, n)) return 1;
  if (other.kind === "binary" && other.op === "*") {
    if (other.left.kind === "num" && sameExpr(other.right, n) && Number.isInteger(other.left.value)) return other.left.value;
    if (other.right.kind === "num" && sameExpr(other.left, n) && Number.isInteger(other.right.value)) return other.right.value;
  }
  return undefined;
}

/** A runtime or passive call made for its effect (other than the user's console.log), which may write an array the analysis does not see. */
function changesArraysInPlace(loop: Loop): boolean {
  let found = false;
  walkStmts([loop], (s) => {
    if (s.kind === "effect" && !isUserEffect(s)) found = true;
  });
  return found;
}

/**
 * The adjoint each accumulator has once the statements after the loop are
 * reversed, when they use the accumulators affinely with coefficients known
 * before the loop (`available`): the statements that read an accumulator, or
 * a value declared from one, are declarations `const x = e` (x never
 * reassigned) and the final `return e`, e affine in those values.
 */
function exitAdjoints(after: readonly Stmt[], accumulators: ReadonlySet<string>, ctx: FuseContext, available: (name: string) => boolean): Map<string, Expr> | undefined {
  if (ctx.returnType !== "number") return undefined;
  // Numbers, constants, Math of them and lengths of parameters (which nothing changes: TS90010).
  const constant = (e: Expr): boolean => {
    switch (e.kind) {
      case "num":
      case "free":
        return true;
      case "var":
        return !ctx.varied.has(e.name) && !ctx.reassigned.has(e.name) && available(e.name);
      case "length":
        return e.array.kind === "var" && ctx.params.includes(e.array.name);
      case "neg":
        return constant(e.arg);
      case "binary":
        return ["+", "-", "*", "/"].includes(e.op) && constant(e.left) && constant(e.right);
      case "call":
        return e.callee.kind === "math" && e.args.every(constant);
      default:
        return false;
    }
  };
  const dependent = new Set(accumulators);
  // Each dependent value's expression, as coefficients of the dependent values it reads, in order.
  const forms: [string, Map<string, Expr>][] = [];
  const RESULT = "";
  for (const s of after) {
    const reads = new Set<string>();
    walkStmts([s], (x) => exprsOf(x).forEach((e) => readsOf(e, reads)));
    const assigned = assignedIn([s]);
    if ([...assigned].some((name) => dependent.has(name))) return undefined;
    if (![...reads].some((name) => dependent.has(name))) continue;
    const form = s.kind === "let" && s.init && s.type === "number" && !ctx.reassigned.has(s.name) ? affine(s.init, dependent, constant) : s.kind === "return" ? affine(s.value, dependent, constant) : undefined;
    if (!form) return undefined;
    const name = s.kind === "let" ? s.name : RESULT;
    forms.push([name, form]);
    dependent.add(name);
  }
  // Backward through the forms: each value's adjoint, from the result's seed.
  const adjoints = new Map<string, Expr>([[RESULT, ctx.seed]]);
  for (let i = forms.length - 1; i >= 0; i--) {
    const [name, form] = forms[i]!;
    const bar = adjoints.get(name);
    if (!bar) continue;
    for (const [x, c] of form) {
      const term = times(bar, c);
      const sum = adjoints.get(x);
      adjoints.set(x, sum ? { kind: "binary", op: "+", left: sum, right: term } : term);
    }
  }
  return new Map([...accumulators].map((s) => [s, adjoints.get(s) ?? { kind: "num", value: 0 }]));
}

/** `e` as Σ c_x · x over the dependent values x plus a constant, each c_x `constant`; the map of the c_x. */
function affine(e: Expr, dependent: ReadonlySet<string>, constant: (e: Expr) => boolean): Map<string, Expr> | undefined {
  const sums = (x: BinaryExpr): boolean => x.op === "+" || x.op === "-";
  if (e.kind === "binary" && sums(e)) {
    // Down a chain of sums' left operands in a loop (a long expression may nest thousands deep).
    return foldLeft(e, (x) => affine(x, dependent, constant), (node, left) => {
      const right = affine(node.right, dependent, constant);
      if (!left || !right) return undefined;
      const out = new Map(left);
      for (const [x, k] of right) {
        const signed: Expr = node.op === "-" ? { kind: "neg", arg: k } : k;
        const sum = out.get(x);
        out.set(x, sum ? { kind: "binary", op: "+", left: sum, right: signed } : signed);
      }
      return out;
    }, sums);
  }
  const free = (x: Expr): boolean => ![...readsOf(x)].some((name) => dependent.has(name));
  if (free(e)) return new Map();
  if (e.kind === "var") return new Map([[e.name, { kind: "num", value: 1 }]]);
  const scale = (form: Map<string, Expr> | undefined, c: (x: Expr) => Expr): Map<string, Expr> | undefined =>
    form && new Map([...form].map(([x, k]) => [x, c(k)]));
  if (e.kind === "neg") return scale(affine(e.arg, dependent, constant), (k) => ({ kind: "neg", arg: k }));
  if (e.kind !== "binary") return undefined;
  if (e.op === "*" && free(e.left) && constant(e.left)) return scale(affine(e.right, dependent, constant), (k) => times(e.left, k));
  if (e.op === "*" && free(e.right) && constant(e.right)) return scale(affine(e.left, dependent, constant), (k) => times(k, e.right));
  if (e.op === "/" && free(e.right) && constant(e.right)) return scale(affine(e.left, dependent, constant), (k) => ({ kind: "binary", op: "/", left: k, right: e.right }));
  return undefined;
}

/** `a * b`, without the factors that are 1 (and `a * (1 / c)` as `a / c`). */
function times(a: Expr, b: Expr): Expr {
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (b.kind === "binary" && b.op === "/" && isNum(b.left, 1)) return { kind: "binary", op: "/", left: a, right: b.right };
  return { kind: "binary", op: "*", left: a, right: b };
}

const isVar = (e: Expr, name: string): boolean => e.kind === "var" && e.name === name;
const isNum = (e: Expr, value: number): boolean => e.kind === "num" && e.value === value;

/** Whether the loop assigns an array variable a whole new array anywhere in its body. */
function reassignsArrays(loop: Loop, ctx: FuseContext): boolean {
  let found = false;
  walkStmts(loop.body, (s) => void (s.kind === "assign" && ctx.isArray(s.name) && (found = true)));
  return found;
}
