// Adjoints of values that do not reach the result. Takes: the backward sweep
// reverse.ts built, and the number adjoints it declared (all 0 before it runs).
// Guarantees: an accumulation whose amount is zero because its seed is (the
// value it passes on did not reach the result on any path to here) is marked
// dead; one whose seed is zero on some paths only, and whose partial derivative
// may be infinite or NaN, runs only when its seed is not zero:
//
//   if (v_bar !== 0) {
//     x_bar += 1000 * (v_bar * v);
//   }
//
// Why: `x_bar += v_bar * d` with v_bar = 0 adds 0 * d, which is NaN where d is
// infinite (`q = x / i` with i = 0 on the branch that does not use q). A value
// that does not reach the result contributes nothing to the gradient: PyTorch
// never visits it (it is not in the graph of the result), and a person writing
// the adjoint would not add its term. Accumulations whose partial is a product
// of constants (0 * c is 0) are left unguarded, and so are those whose seed is
// known to have reached the result on every path: code without branches or
// overwritten values is unchanged.

import type { Expr, Stmt } from "./ir.js";
import { assignedIn, children, foldLeft, walkExpr, walkStmts } from "./ir.js";

/**
 * What a number holds, as a set of possibilities: ZERO (exactly 0, because
 * nothing reached it), LIVE (anything else). A seed that is ZERO | LIVE
 * reached the result on some paths only.
 */
const ZERO = 1;
const LIVE = 2;
type Reach = number;

type State = Map<string, Reach>;

/**
 * Marks the dead accumulations of `bwd` (a backward sweep) in `dead` and guards,
 * in place, the ones that may add 0 * infinity. `adjoints` are the number
 * adjoints, each 0 when the sweep starts; `live`, other number adjoints it adds into.
 */
export function unreachedAdjoints(fwd: readonly Stmt[], bwd: Stmt[], adjoints: Iterable<string>, dead: Set<Stmt>, live: Iterable<string> = []): void {
  const state: State = new Map();
  for (const name of adjoints) state.set(name, ZERO);
  // Adjoints that may already hold something (a fused iteration adds into the parameters' own): followed, never zero.
  for (const name of live) if (!state.has(name)) state.set(name, LIVE);
  new Unreached(dead, unbounded([...fwd, ...bwd])).block(bwd, state, true);
}

class Unreached {
  constructor(
    private readonly dead: Set<Stmt>,
    /** Variables (and arrays) that may hold an infinite or NaN value computed from finite ones. */
    private readonly risky: ReadonlySet<string>,
  ) {}

  /** Runs `stmts` from `state` (updated to the state after them); rewrites them when `rewrite` is set. */
  block(stmts: Stmt[], state: State, rewrite: boolean): void {
    const out: Stmt[] = [];
    let last: { guard: Extract<Stmt, { kind: "if" }>; seed: string } | undefined;
    for (const s of stmts) {
      const seed = this.statement(s, state, rewrite);
      if (seed === undefined || !rewrite) {
        out.push(s);
        continue;
      }
      // Accumulations of one seed in a row share its test.
      if (last && last.seed === seed && out[out.length - 1] === last.guard && !s.note) {
        last.guard.then.push(s);
        continue;
      }
      const test: Expr = { kind: "binary", op: "!==", left: { kind: "var", name: seed }, right: { kind: "num", value: 0 } };
      last = { guard: { kind: "if", test, then: [s], else: [], note: s.note, origin: s.origin }, seed };
      s.note = undefined;
      out.push(last.guard);
    }
    if (!rewrite) return;
    stmts.splice(0, stmts.length, ...out);
    this.dropNotes(stmts);
  }

  /**
   * A statement's comment (`// adjoint of: y = Math.sqrt(x)`) goes with it when
   * every statement it heads is dead (prune would hand it to the next one).
   */
  private dropNotes(stmts: readonly Stmt[]): void {
    for (let k = 0; k < stmts.length; k++) {
      const s = stmts[k]!;
      if (!s.note || !this.dead.has(s)) continue;
      let end = k + 1;
      while (end < stmts.length && !stmts[end]!.note) end++;
      if (stmts.slice(k, end).every((x) => this.dead.has(x))) s.note = undefined;
    }
  }

  /** Updates `state` for `s`; returns the seed whose test must guard `s`, if it needs one. */
  private statement(s: Stmt, state: State, rewrite: boolean): string | undefined {
    switch (s.kind) {
      case "let":
        // A temporary of the backward sweep that holds a seed (`const _d1 = q_bar`) holds what its value does.
        if (s.type === "number" && s.init && [...readsIn(s.init)].some((name) => state.has(name))) state.set(s.name, assigned(s.init, state));
        return undefined;
      case "assign": {
        if (!state.has(s.name)) return undefined;
        // Only adjoint code is followed (the forward sweep's arithmetic stays as it is, to the bit).
        if (!s.adjoint) {
          state.set(s.name, LIVE);
          return undefined;
        }
        const amount = accumulated(s.value, s.name);
        if (!amount) {
          state.set(s.name, assigned(s.value, state));
          return undefined;
        }
        return this.accumulation(s, amount, s.name, state, rewrite);
      }
      case "store": {
        const element = s.value.kind === "binary" && s.value.op === "+" && s.value.left.kind === "index" ? s.value : undefined;
        if (!s.adjoint || !element) return undefined;
        return this.accumulation(s, element.right, undefined, state, rewrite);
      }
      case "if": {
        const other = new Map(state);
        this.block(s.then, state, rewrite);
        this.block(s.else, other, rewrite);
        for (const [name, r] of other) state.set(name, (state.get(name) ?? LIVE) | r);
        return undefined;
      }
      case "loop":
        this.loop(s, state, rewrite);
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * `target += amount` (an element's when `target` is undefined): dead when the
   * amount is zero; the seed to test when it may be zero times an infinite partial.
   */
  private accumulation(s: Stmt, amount: Expr, target: string | undefined, state: State, rewrite: boolean): string | undefined {
    const r = reach(amount, state);
    if (r === ZERO) {
      if (rewrite) this.dead.add(s);
      return undefined;
    }
    if (target !== undefined) state.set(target, sum(state.get(target)!, r));
    if (!(r & ZERO)) return undefined;
    const seeds = [...readsIn(amount)].filter((name) => state.has(name) && state.get(name)! & ZERO);
    if (seeds.length !== 1 || !mayBeInfinite(amount, seeds[0]!, this.risky)) return undefined;
    return seeds[0];
  }

  /**
   * A loop runs its body any number of times: the state at the top of the body
   * joins the state before the loop with the state after each run of the body
   * (three possibilities per name: it settles within a few rounds).
   */
  private loop(s: Extract<Stmt, { kind: "loop" }>, state: State, rewrite: boolean): void {
    const inside = [...(s.init ? [s.init] : []), ...s.body, ...s.update];
    let jumps = false;
    walkStmts(inside, (x) => void ((x.kind === "break" || x.kind === "continue" || x.kind === "return") && (jumps = true)));
    if (jumps) {
      // Where a jump leaves from is not followed: whatever the loop assigns may be anything after it.
      for (const name of assignedIn(inside)) if (state.has(name)) state.set(name, LIVE);
      return;
    }
    if (s.init) this.statement(s.init, state, false);
    let top = new Map(state);
    for (;;) {
      const after = new Map(top);
      this.block(s.body, after, false);
      this.block(s.update, after, false);
      const next = new Map(top);
      for (const [name, r] of after) next.set(name, (top.get(name) ?? LIVE) | r);
      if ([...next].every(([name, r]) => top.get(name) === r)) break;
      top = next;
    }
    if (rewrite) {
      const body = new Map(top);
      this.block(s.body, body, true);
      this.block(s.update, body, true);
    }
    for (const [name, r] of top) state.set(name, r);
  }
}

/** The amount `value` adds to `name` (`name + amount`, or `amount + name`), if it is an accumulation. */
function accumulated(value: Expr, name: string): Expr | undefined {
  if (value.kind !== "binary" || value.op !== "+") return undefined;
  if (value.left.kind === "var" && value.left.name === name) return value.right;
  if (value.right.kind === "var" && value.right.name === name) return value.left;
  return undefined;
}

/** What a variable set to `value` holds: ZERO after a reset to 0. */
function assigned(value: Expr, state: State): Reach {
  return value.kind === "num" && value.value === 0 ? ZERO : reach(value, state);
}

/** What `e` may hold, given what the names it reads may hold (names not in `state` are LIVE). */
function reach(e: Expr, state: State): Reach {
  switch (e.kind) {
    case "var":
      return state.get(e.name) ?? LIVE;
    case "num":
      // A zero partial (`cond ? 1 : 0`) is a value like any other; only a reset (`x_bar = 0`) empties an adjoint.
      return LIVE;
    case "neg":
      return reach(e.arg, state);
    case "cond":
      return reach(e.then, state) | reach(e.else, state);
    case "binary":
      // Down the left operands in a loop: an amount may be a long chain.
      return foldLeft(e, (leaf) => reach(leaf, state), (x, left) => {
        if (x.op === "*") return product(left, reach(x.right, state));
        if (x.op === "/") return left;
        if (x.op === "+" || x.op === "-") return sum(left, reach(x.right, state));
        return LIVE;
      });
    default:
      return LIVE;
  }
}

/** a * b: zero when either is; anything else only when both are. */
const product = (a: Reach, b: Reach): Reach => ((a | b) & ZERO) | (a & b & LIVE);

/** a + b: zero only when both are; anything else when either is. */
const sum = (a: Reach, b: Reach): Reach => (a & b & ZERO) | ((a | b) & LIVE);

function readsIn(e: Expr): Set<string> {
  const out = new Set<string>();
  walkExpr(e, (x) => void (x.kind === "var" && out.add(x.name)));
  return out;
}

/** Math functions whose value is finite wherever their arguments are. */
const FINITE_MATH = new Set(["sin", "cos", "tanh", "atan", "atan2", "sign", "abs", "min", "max", "floor", "ceil", "round", "trunc", "fround"]);

/**
 * Whether `e` may compute an infinite or NaN value from finite ones, or read
 * one (a name in `risky`): a division by a value that may be 0, `%` or a power,
 * a Math function such as log or exp, a call of a user function. An index only
 * picks an element: what it reads does not count. Runtime helpers (sum, dot,
 * copies) are finite where their arguments are.
 */
function risks(e: Expr, risky: ReadonlySet<string>, except?: string): boolean {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === "var" && x.name !== except && risky.has(x.name)) return true;
    if (x.kind === "binary" && ((x.op === "/" && x.right.kind !== "num") || x.op === "**")) return true;
    if (x.kind === "call" && x.callee.kind !== "runtime" && !(x.callee.kind === "math" && FINITE_MATH.has(x.callee.name))) return true;
    if (x.kind === "index") stack.push(x.array);
    else stack.push(...children(x));
  }
  return false;
}

/** The variables and arrays of `stmts` that may hold a value `risks` would flag (each assignment counts, wherever it is). */
function unbounded(stmts: readonly Stmt[]): Set<string> {
  const risky = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    walkStmts(stmts, (s) => {
      const set = s.kind === "let" ? [s.name, s.init] as const : s.kind === "assign" ? [s.name, s.value] as const : s.kind === "store" ? [s.array, s.value] as const : undefined;
      if (!set || !set[1] || risky.has(set[0]) || !risks(set[1], risky)) return;
      risky.add(set[0]);
      grew = true;
    });
  }
  return risky;
}

/** Whether the partial derivative in `amount` (all but `seed`) may be infinite, so that a zero seed gives NaN. */
function mayBeInfinite(amount: Expr, seed: string, risky: ReadonlySet<string>): boolean {
  return risks(amount, risky, seed);
}
