// Pass 4 (after simplify.ts, before shared-calls.ts), values the backward sweep
// reads instead of computing them again. Takes: a simplified IR function whose
// backward-sweep statements are marked (`backward`, reverse.ts). Guarantees:
// the same values, to the bit; an expression of a backward statement that
// computes the value a number local already holds there reads that local:
//
//   costheta = Math.cos(theta);   ...   theta_bar += sintheta_bar * Math.cos(theta)
//   const v = x1 / x2;            ...   let x2_bar = -(v_bar * (x1 / x2)) / x2
//
// become `theta_bar += sintheta_bar * costheta` and `-(v_bar * v) / x2`.
//
// Why: a derivative rule is written in its arguments (the rule of sin reads
// cos(x), that of a / b reads a / b), and the forward sweep often computed
// exactly that value already, under a name of the user's: `sin` and `cos` of
// one angle (a rotation), a quotient read again. V8 does not merge the calls;
// a hand-written adjoint makes none of them (GradBench's BA: 4 transcendental
// calls per observation's Jacobian row).
//
// Only forward names are read: a value the backward sweep computes itself (an
// adjoint `2 * _d0`) is left as it is, so adjoints read as the rules write them.
//
// When it is sound: a forward `x = E` (E built of numbers, locals, arithmetic,
// comparisons, `?:` and Math calls: the same value whenever its locals are
// unchanged) makes the fact "x holds E", which holds at a later statement when
// the assignment ran on every path reaching it and neither x nor a local E
// reads was assigned since. A forward data-flow analysis over the structured
// body proves it, with no assumption about how reverse.ts laid the sweeps out:
// - an assignment or declaration of a name (a restore, an adjoint reset) ends
//   every fact that reads or names it;
// - a loop ends, on entry, every fact about a name assigned anywhere in it, and
//   the facts its body makes end with the body (the next iteration starts from
//   the entry's), so a fact inside a loop holds in every iteration;
// - after `if (T)`, a fact both branches leave holds; a fact only the then
//   branch leaves holds guarded by T ("if T held, x holds E"), and only the
//   else branch's by !T, when T is such an expression whose locals neither
//   branch assigns. Guards are ended like facts, by an assignment of a local T
//   reads; a later `if` testing the same T (its locals unchanged, so it takes
//   the same branch) lifts the guard inside its then branch (or else branch).
//   So the backward sweep's `if (sqtheta !== 0)` reads the cos the forward
//   one's branch bound, and a hoisted `let costheta = 0` is never read for it
//   on the other branch;
// - a fact about a name declared inside a branch or loop body ends with that
//   block (its scope).
// Anything else (array elements, fields, calls of other functions) makes no
// fact, so is never replaced.

import type { Expr, Fn, Stmt } from "./ir.js";
import { changedCollection, mapExpr, readsOf, walkExpr, walkStmts } from "./ir.js";

/** `test` held (or did not) when the fact was made. */
interface Guard {
  readonly test: Expr;
  readonly holds: boolean;
}

/** `name` holds the value of `value`, wherever every guard holds. */
interface Fact {
  readonly name: string;
  readonly value: Expr;
  readonly guards: readonly Guard[];
  /** The guarded fact this one was made from by entering a branch that lifts a guard. */
  readonly from?: Fact;
}

/** The facts that hold at a point of the body. */
type State = Set<Fact>;

export function readHeldValues(fn: Fn): Fn {
  let marked = false;
  walkStmts(fn.body, (s) => (marked ||= s.backward === true));
  if (!marked) return fn;
  return { ...fn, body: new HeldValues(fn).block(fn.body, new Set()) };
}

class HeldValues {
  /** Locals known to hold numbers: only their values are facts. */
  private readonly numbers = new Set<string>();
  /** Every fact made, by each name whose assignment ends it. */
  private readonly dependents = new Map<string, Fact[]>();
  /** Every unguarded fact made, by the shape of its value (see `shape`), for lookups. */
  private readonly byShape = new Map<string, Fact[]>();
  /**
   * Locals declared with no value (`let t: number;`, assigned on one branch).
   * A fact about one that holds only by a lifted guard is not read: TypeScript's
   * definite-assignment check cannot follow two `if`s on one test, and the
   * emitted code must type-check (`tsgrad emit --out`: error TS2454).
   */
  private readonly unset = new Set<string>();

  constructor(fn: Fn) {
    for (const p of fn.params) if (p.type === "number") this.numbers.add(p.name);
    walkStmts(fn.body, (s) => {
      if (s.kind !== "let") return;
      if (s.type === "number") this.numbers.add(s.name);
      if (!s.init) this.unset.add(s.name);
    });
  }

  /** `stmts` rewritten, `state` advanced past them. */
  block(stmts: readonly Stmt[], state: State): Stmt[] {
    const out: Stmt[] = [];
    for (const s of stmts) out.push(this.stmt(s, state));
    return out;
  }

  private stmt(s: Stmt, state: State): Stmt {
    switch (s.kind) {
      case "let": {
        const init = s.init && s.backward ? this.rewrite(s.init, state, s.name) : s.init;
        this.assigned(s.name, s.type === "number" && !s.backward ? s.init : undefined, state);
        return init === s.init ? s : { ...s, init };
      }
      case "assign": {
        const value = s.backward ? this.rewrite(s.value, state, s.name) : s.value;
        this.assigned(s.name, this.numbers.has(s.name) && !s.backward ? s.value : undefined, state);
        return value === s.value ? s : { ...s, value };
      }
      case "store": {
        // No fact reads an element: a store ends none.
        if (!s.backward) return s;
        const index = this.rewrite(s.index, state);
        const value = this.rewrite(s.value, state);
        return index === s.index && value === s.value ? s : { ...s, index, value };
      }
      case "return": {
        const value = s.backward ? this.rewrite(s.value, state) : s.value;
        return value === s.value ? s : { ...s, value };
      }
      case "effect": {
        // `seen.add(id)` changes a collection in place; nothing else an effect does changes a local.
        const changed = changedCollection(s.call);
        if (changed) this.kill(changed, state);
        return s;
      }
      case "if":
        return this.branches(s, state);
      case "loop":
        return this.loop(s, state);
      case "throw":
      case "break":
      case "continue":
        return s;
    }
  }

  /** `name` was assigned `value` (undefined: a value this pass makes no fact of). */
  private assigned(name: string, value: Expr | undefined, state: State): void {
    this.kill(name, state);
    if (value && made(value) && !readsOf(value).has(name)) state.add(this.fact(name, value, []));
  }

  private branches(s: Extract<Stmt, { kind: "if" }>, state: State): Stmt {
    const thenState = this.enter(state, s.test, true);
    const then = this.block(s.then, thenState);
    const elseState = this.enter(state, s.test, false);
    const otherwise = this.block(s.else, elseState);
    // Facts about names declared in a branch end with it: those names are out of scope after.
    const scoped = new Set<string>();
    for (const x of [...s.then, ...s.else]) if (x.kind === "let") scoped.add(x.name);
    const inScope = (f: Fact): boolean => !scoped.has(f.name) && ![...readsOf(f.value)].some((name) => scoped.has(name));
    // A guard records T's value at the `if`: only while the branches leave T's locals alone.
    const guardable = made(s.test, true) && ![...readsOf(s.test)].some((name) => written([...s.then, ...s.else]).has(name));
    state.clear();
    for (const f of thenState) if (elseState.has(f) && inScope(f)) state.add(f);
    const guard = (branch: State, other: State, holds: boolean): void => {
      if (!guardable) return;
      for (const f of branch) {
        if (other.has(f) || !inScope(f) || (f.from && state.has(f.from))) continue;
        state.add(this.fact(f.name, f.value, [...f.guards, { test: s.test, holds }]));
      }
    };
    guard(thenState, elseState, true);
    guard(elseState, thenState, false);
    return then === s.then && otherwise === s.else ? s : { ...s, then, else: otherwise };
  }

  /** The facts inside the branch of `if (test)` where test is `holds`: guards on the same test are lifted. */
  private enter(state: State, test: Expr, holds: boolean): State {
    const inside = new Set(state);
    for (const f of state) {
      const at = f.guards.findIndex((g) => g.holds === holds && same(g.test, test));
      if (at >= 0) inside.add(this.fact(f.name, f.value, f.guards.filter((_, i) => i !== at), f));
    }
    return inside;
  }

  private loop(s: Extract<Stmt, { kind: "loop" }>, state: State): Stmt {
    const init = s.init && this.stmt(s.init, state);
    // What holds at the top of every iteration: what held on entry that the loop never changes.
    for (const name of written([s])) this.kill(name, state);
    const body = this.block(s.body, new Set(state));
    this.block(s.update, new Set(state));
    // The counter a `for` declares is out of scope after the loop.
    if (s.init?.kind === "let") this.kill(s.init.name, state);
    return init === s.init && body === s.body ? s : { ...s, init, body };
  }

  /** Ends every fact that names `name` or reads it (in its value or a guard). */
  private kill(name: string, state: State): void {
    for (const f of this.dependents.get(name) ?? []) state.delete(f);
  }

  private fact(name: string, value: Expr, guards: readonly Guard[], from?: Fact): Fact {
    const f: Fact = { name, value, guards, from };
    const ends = readsOf(value, new Set([name]));
    for (const g of guards) readsOf(g.test, ends);
    for (const x of ends) {
      const list = this.dependents.get(x);
      if (list) list.push(f);
      else this.dependents.set(x, [f]);
    }
    if (guards.length === 0) {
      const key = shape(value);
      const list = this.byShape.get(key);
      if (list) list.push(f);
      else this.byShape.set(key, [f]);
    }
    return f;
  }

  /** `e` with each sub-expression (outermost first) that an unguarded fact's value is, read from its name (other than `target`'s, the name being assigned). */
  private rewrite(e: Expr, state: State, target?: string): Expr {
    if (state.size === 0) return e;
    return mapExpr(e, (x) => {
      if (!operation(x)) return undefined;
      for (const f of this.byShape.get(shape(x)) ?? []) {
        if (f.name !== target && state.has(f) && !(f.from && this.unset.has(f.name)) && same(f.value, x)) return { kind: "var", name: f.name };
      }
      return undefined;
    });
  }
}

/**
 * Whether `e` is a value a fact may hold: an operation (not a bare name or
 * constant, which there is nothing to gain from replacing) over numbers,
 * locals, arithmetic, `?:` and Math calls other than random. With `test`, any
 * such expression, comparisons and logic included (a branch test).
 */
function made(e: Expr, test = false): boolean {
  if (!test && !operation(e)) return false;
  let ok = true;
  walkExpr(e, (x) => {
    switch (x.kind) {
      case "num":
      case "bool":
      case "literal":
      case "var":
      case "neg":
      case "not":
      case "binary":
      case "cond":
        return;
      case "call":
        if (x.callee.kind === "math" && x.callee.name !== "random") return;
    }
    ok = false;
  });
  return ok;
}

const operation = (e: Expr): boolean => e.kind === "binary" || e.kind === "neg" || e.kind === "cond" || (e.kind === "call" && e.callee.kind === "math");

/** Names assigned or declared, or arrays stored into, anywhere in `stmts`. */
function written(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  walkStmts(stmts, (s) => {
    if (s.kind === "let" || s.kind === "assign") out.add(s.name);
    if (s.kind === "store") out.add(s.array);
    const changed = s.kind === "effect" ? changedCollection(s.call) : undefined;
    if (changed) out.add(changed);
  });
  return out;
}

/** A cheap key for an expression's top (its operation and what its operands are): equal values have equal shapes. */
function shape(e: Expr): string {
  const leaf = (x: Expr): string => (x.kind === "var" ? `v${x.name}` : x.kind === "num" ? `n${x.value}` : x.kind === "call" && x.callee.kind === "math" ? `c${x.callee.name}` : x.kind === "binary" ? `b${x.op}` : x.kind);
  switch (e.kind) {
    case "binary":
      return `${e.op} ${leaf(e.left)} ${leaf(e.right)}`;
    case "call":
      return `${e.callee.kind === "math" ? e.callee.name : e.callee.kind}(${e.args.map(leaf).join(",")})`;
    case "neg":
    case "not":
      return `${e.kind} ${leaf(e.arg)}`;
    case "cond":
      return `? ${leaf(e.test)} ${leaf(e.then)} ${leaf(e.else)}`;
    default:
      return leaf(e);
  }
}

/** Whether `a` and `b` are the same expression of the kinds `made` takes (equal text: equal value, their locals unchanged). */
function same(a: Expr, b: Expr): boolean {
  const pairs: [Expr, Expr][] = [[a, b]];
  while (pairs.length > 0) {
    const [x, y] = pairs.pop()!;
    if (x.kind !== y.kind) return false;
    switch (x.kind) {
      case "num":
        if (!Object.is(x.value, (y as typeof x).value)) return false;
        break;
      case "bool":
      case "literal":
        if (x.value !== (y as typeof x).value) return false;
        break;
      case "var":
        if (x.name !== (y as typeof x).name) return false;
        break;
      case "neg":
      case "not":
        pairs.push([x.arg, (y as typeof x).arg]);
        break;
      case "binary": {
        const z = y as typeof x;
        if (x.op !== z.op) return false;
        pairs.push([x.left, z.left], [x.right, z.right]);
        break;
      }
      case "cond": {
        const z = y as typeof x;
        pairs.push([x.test, z.test], [x.then, z.then], [x.else, z.else]);
        break;
      }
      case "call": {
        const z = y as typeof x;
        if (x.callee.kind !== "math" || z.callee.kind !== "math" || x.callee.name !== z.callee.name || x.args.length !== z.args.length) return false;
        x.args.forEach((arg, i) => pairs.push([arg, z.args[i]!]));
        break;
      }
      default:
        return false;
    }
  }
  return true;
}
