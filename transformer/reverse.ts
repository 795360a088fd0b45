// Pass 3, reverse mode. Takes: a single-exit IR function and the parameter
// positions to differentiate. Guarantees: an IR function that runs the forward
// sweep (the original statements, saving values they overwrite when the
// backward sweep reads them) and then the backward sweep (each statement's
// adjoint, in reverse order, restoring saved values as it goes).

import { activeVariables } from "./activity.js";
import {
  type Expr,
  type Fn,
  type FnRef,
  type Param,
  type Stmt,
  type Type,
  assignedIn,
  exprsOf,
  readsOf,
  v,
  walkExpr,
  walkStmts,
} from "./ir.js";
import { NameScope, adjointName } from "./names.js";
import { printStmt } from "./print.js";
import { singleExit } from "./normalize.js";
import { mathRule, powRule } from "./rules/math.js";
import { fold, mulf } from "./simplify.js";
import { Code, fail } from "./diagnostics.js";

export type ReverseKind = "grad" | "valueAndGrad" | "vjp";

export interface ReverseRequest {
  readonly kind: ReverseKind;
  /** Parameter positions to differentiate. */
  readonly wrt: readonly number[];
  /** Return the gradients as a tuple even when there is one. */
  readonly tuple: boolean;
  readonly name: string;
  /** The plan's handle on the vector-Jacobian product of a callee. */
  vjp(fn: FnRef, active: readonly number[]): FnRef;
}

export function reverse(fn: Fn, req: ReverseRequest): Fn {
  return new Reverse(fn, req).run();
}

/** A value the forward sweep saves before overwriting it; dropped if the backward sweep never reads it. */
interface SaveSlot {
  readonly variable: string;
  readonly save: Stmt;
  readonly restore: Stmt;
}

interface Sweeps {
  fwd: Stmt[];
  /** Already in backward order. */
  bwd: Stmt[];
}

class Reverse {
  private readonly names: NameScope;
  private readonly active: Set<string>;
  private readonly reassigned: Set<string>;
  private readonly types = new Map<string, Type>();
  /** Each active variable's adjoint, `x_bar` unless the user already has that name. */
  private readonly bars = new Map<string, string>();
  /** Declarations moved to the top so both sweeps can see variables declared in nested blocks. */
  private readonly hoisted: Stmt[] = [];
  private readonly slots: SaveSlot[] = [];
  private readonly seed: Expr;
  private readonly seedParam: Param | undefined;
  private resultName: string | undefined;
  private readonly body: Stmt[];

  constructor(
    private readonly fn: Fn,
    private readonly req: ReverseRequest,
  ) {
    this.body = singleExit(fn.body);
    const taken = new Set<string>();
    for (const p of fn.params) {
      taken.add(p.name);
      this.types.set(p.name, p.type);
    }
    walkStmts(this.body, (s) => {
      if (s.kind === "let") {
        taken.add(s.name);
        this.types.set(s.name, s.type);
      }
      for (const e of exprsOf(s)) {
        walkExpr(e, (x) => {
          if (x.kind === "var" || x.kind === "free") taken.add(x.name.split(".")[0]!);
        });
      }
    });
    this.names = new NameScope(taken);
    for (const i of req.wrt) {
      const p = fn.params[i];
      if (!p || p.type !== "number") fail(Code.WrtInvalid, fn.origin, `parameter ${i} cannot be differentiated.`);
    }
    this.active = activeVariables(this.body, req.wrt.map((i) => fn.params[i]!.name));
    this.reassigned = assignedIn(this.body);
    for (const name of this.active) this.bars.set(name, this.names.fresh(adjointName(name)));
    if (req.kind === "vjp") {
      this.seedParam = { name: this.names.fresh(`${fn.name}_bar`), type: "number" };
      this.seed = v(this.seedParam.name);
    } else {
      this.seed = { kind: "num", value: 1 };
    }
  }

  run(): Fn {
    const { fwd, bwd } = this.sweep(this.body, 0);
    const read = new Set<string>();
    walkStmts(bwd, (s) => {
      if (s.kind === "assign" && this.isRestore(s)) return;
      for (const e of exprsOf(s)) readsOf(e, read);
    });
    const dead = new Set<Stmt>();
    for (const slot of this.slots) {
      if (!read.has(slot.variable)) {
        dead.add(slot.save);
        dead.add(slot.restore);
      }
    }
    const adjoints: Stmt[] = [...this.active].map((name) => ({
      kind: "let",
      name: this.bar(name),
      type: "number",
      init: { kind: "num", value: 0 },
      mutable: true,
    }));
    const body = [...this.hoisted, ...fwd, ...adjoints, ...bwd, { kind: "return", value: this.result() } as Stmt];
    const params = this.seedParam ? [...this.fn.params, this.seedParam] : this.fn.params;
    return { name: this.req.name, params, returnType: this.resultType(), body: prune(body, dead), origin: this.fn.origin };
  }

  private bar(name: string): string {
    return this.bars.get(name)!;
  }

  private restores = new Set<Stmt>();
  private isRestore(s: Stmt): boolean {
    return this.restores.has(s);
  }

  private gradients(): Expr {
    const items = this.req.wrt.map((i) => v(this.bar(this.fn.params[i]!.name)));
    return this.req.tuple || items.length !== 1 ? { kind: "tuple", items } : items[0]!;
  }

  private result(): Expr {
    if (this.req.kind !== "valueAndGrad") return this.gradients();
    return { kind: "tuple", items: [v(this.resultName!), this.gradients()] };
  }

  private resultType(): Type {
    const grads: Type =
      this.req.tuple || this.req.wrt.length !== 1 ? { tuple: this.req.wrt.map(() => "number" as const) } : "number";
    return this.req.kind === "valueAndGrad" ? { tuple: ["number", grads] } : grads;
  }

  private sweep(stmts: readonly Stmt[], depth: number): Sweeps {
    const fwd: Stmt[] = [];
    const bwd: Stmt[][] = [];
    for (const s of stmts) {
      const back: Stmt[] = [];
      this.statement(s, depth, fwd, back);
      bwd.push(back);
    }
    return { fwd, bwd: bwd.reverse().flat() };
  }

  private statement(s: Stmt, depth: number, fwd: Stmt[], bwd: Stmt[]): void {
    switch (s.kind) {
      case "let":
        return this.declaration(s, depth, fwd, bwd);
      case "assign":
        return this.assignment(s, depth, fwd, bwd);
      case "if":
        return this.branch(s, depth, fwd, bwd);
      case "return":
        return this.ret(s, depth, fwd, bwd);
    }
  }

  /** Declares `name` where both sweeps see it: in place at depth 0, hoisted otherwise. */
  private define(name: string, type: Type, init: Expr, depth: number, fwd: Stmt[], note?: string): void {
    if (depth === 0) {
      fwd.push({ kind: "let", name, type, init, mutable: this.reassigned.has(name), note });
    } else {
      this.hoisted.push({ kind: "let", name, type, mutable: true });
      fwd.push({ kind: "assign", name, value: init, note });
    }
  }

  /** Turns `const y = e` into the forward statement and `e_bar += y_bar` in the backward sweep. */
  private declaration(s: Extract<Stmt, { kind: "let" }>, depth: number, fwd: Stmt[], bwd: Stmt[]): void {
    if (!s.init) {
      if (depth === 0) fwd.push(s);
      else this.hoisted.push({ ...s, mutable: true });
      return;
    }
    this.define(s.name, s.type, s.init, depth, fwd, s.note);
    if (this.active.has(s.name)) this.adjoint(s.init, v(this.bar(s.name)), bwd, describe(s));
  }

  /** Turns `y = e` into a save, the assignment, and in the backward sweep a restore and the adjoint of e. */
  private assignment(s: Extract<Stmt, { kind: "assign" }>, depth: number, fwd: Stmt[], bwd: Stmt[]): void {
    const saved = this.names.numbered("_t");
    const type = this.types.get(s.name) ?? "number";
    let save: Stmt;
    if (depth === 0) {
      save = { kind: "let", name: saved, type, init: v(s.name), mutable: false };
    } else {
      this.hoisted.push({ kind: "let", name: saved, type, mutable: true });
      save = { kind: "assign", name: saved, value: v(s.name) };
    }
    const restore: Stmt = { kind: "assign", name: s.name, value: v(saved) };
    this.restores.add(restore);
    this.slots.push({ variable: s.name, save, restore });
    fwd.push(save, s);

    const out: Stmt[] = [restore];
    if (!this.active.has(s.name)) {
      annotate(out, describe(s));
      bwd.push(...out);
      return;
    }
    const bar = v(this.bar(s.name));
    const value = s.value;
    const self = (e: Expr): boolean => e.kind === "var" && e.name === s.name;
    const free = (e: Expr): boolean => !readsOf(e).has(s.name);
    if (value.kind === "binary" && value.op === "+" && self(value.left) && free(value.right)) {
      this.visit(value.right, bar, out); // y += e: y_bar flows unchanged into e
    } else if (value.kind === "binary" && value.op === "+" && self(value.right) && free(value.left)) {
      this.visit(value.left, bar, out);
    } else if (value.kind === "binary" && value.op === "-" && self(value.left) && free(value.right)) {
      this.visit(value.right, { kind: "neg", arg: bar }, out);
    } else if (free(value)) {
      this.visit(value, bar, out);
      out.push({ kind: "assign", name: this.bar(s.name), value: { kind: "num", value: 0 } });
    } else {
      const d = this.names.numbered("_d");
      out.push({ kind: "let", name: d, type: "number", init: bar, mutable: false });
      out.push({ kind: "assign", name: this.bar(s.name), value: { kind: "num", value: 0 } });
      this.visit(value, v(d), out);
    }
    annotate(out, describe(s));
    bwd.push(...out);
  }

  private branch(s: Extract<Stmt, { kind: "if" }>, depth: number, fwd: Stmt[], bwd: Stmt[]): void {
    let test = s.test;
    // The backward sweep re-evaluates the test when nothing it reads is ever reassigned;
    // otherwise the forward sweep records the decision.
    const stable = [...readsOf(test)].every((name) => !this.reassigned.has(name));
    if (!stable) {
      const flag = this.names.numbered("_b");
      this.types.set(flag, "boolean");
      this.define(flag, "boolean", test, depth, fwd);
      test = v(flag);
    }
    const then = this.sweep(s.then, depth + 1);
    const otherwise = this.sweep(s.else, depth + 1);
    fwd.push({ kind: "if", test, then: then.fwd, else: otherwise.fwd, note: s.note });
    if (then.bwd.length > 0 || otherwise.bwd.length > 0) {
      bwd.push({ kind: "if", test, then: then.bwd, else: otherwise.bwd, note: `adjoint of: ${describe(s)}` });
    }
  }

  private ret(s: Extract<Stmt, { kind: "return" }>, depth: number, fwd: Stmt[], bwd: Stmt[]): void {
    if (this.req.kind === "valueAndGrad") {
      this.resultName ??= this.names.fresh("result");
      if (depth === 0) fwd.push({ kind: "let", name: this.resultName, type: "number", init: s.value, mutable: false });
      else {
        if (!this.hoisted.some((h) => h.kind === "let" && h.name === this.resultName)) {
          this.hoisted.push({ kind: "let", name: this.resultName, type: "number", mutable: true });
        }
        fwd.push({ kind: "assign", name: this.resultName, value: s.value });
      }
    }
    const out: Stmt[] = [];
    this.visit(s.value, this.seed, out);
    annotate(out, describe(s));
    bwd.push(...out);
  }

  /** Emits the adjoint of `e`, given its output adjoint `adj`, and comments it. */
  private adjoint(e: Expr, adj: Expr, bwd: Stmt[], note: string | undefined): void {
    const out: Stmt[] = [];
    this.visit(e, adj, out);
    annotate(out, note);
    bwd.push(...out);
  }

  private isActive(e: Expr): boolean {
    let found = false;
    walkExpr(e, (x) => {
      if (x.kind === "var" && this.active.has(x.name)) found = true;
    });
    return found;
  }

  /** Binds an adjoint used more than once to a local, unless it is already trivial. */
  private share(adj: Expr, out: Stmt[]): Expr {
    if (adj.kind === "var" || adj.kind === "num" || (adj.kind === "neg" && adj.arg.kind === "var")) return adj;
    const d = this.names.numbered("_d");
    out.push({ kind: "let", name: d, type: "number", init: adj, mutable: false });
    return v(d);
  }

  /** Propagates `adj`, the adjoint of `e`'s value, to the variables `e` reads. */
  private visit(e: Expr, adj: Expr, out: Stmt[]): void {
    if (!this.isActive(e)) return;
    switch (e.kind) {
      case "var": {
        const bar = this.bar(e.name);
        out.push({ kind: "assign", name: bar, value: { kind: "binary", op: "+", left: v(bar), right: fold(adj) } });
        return;
      }
      case "neg":
        return this.visit(e.arg, { kind: "neg", arg: adj }, out);
      case "cond": {
        const a = this.share(adj, out);
        const then: Stmt[] = [];
        const otherwise: Stmt[] = [];
        this.visit(e.then, a, then);
        this.visit(e.else, a, otherwise);
        out.push({ kind: "if", test: e.test, then, else: otherwise });
        return;
      }
      case "binary":
        return this.visitBinary(e, adj, out);
      case "call":
        return e.callee.kind === "math" ? this.visitMath(e, e.callee.name, adj, out) : this.visitCall(e, adj, out);
      default:
        return fail(Code.Unsupported, this.fn.origin, `tsgrad cannot yet differentiate through a ${e.kind} value here.`);
    }
  }

  private visitBinary(e: Extract<Expr, { kind: "binary" }>, adj: Expr, out: Stmt[]): void {
    const l = this.isActive(e.left);
    const r = this.isActive(e.right);
    const a = l && r ? this.share(adj, out) : adj;
    switch (e.op) {
      case "+":
        this.visit(e.left, a, out);
        this.visit(e.right, a, out);
        return;
      case "-":
        this.visit(e.left, a, out);
        this.visit(e.right, { kind: "neg", arg: a }, out);
        return;
      case "*":
        this.visit(e.left, mulf(a, e.right), out);
        this.visit(e.right, mulf(a, e.left), out);
        return;
      case "/":
        this.visit(e.left, { kind: "binary", op: "/", left: a, right: e.right }, out);
        if (r) {
          const dr: Expr = {
            kind: "binary",
            op: "/",
            left: { kind: "binary", op: "*", left: { kind: "neg", arg: a }, right: e.left },
            right: { kind: "binary", op: "*", left: e.right, right: e.right },
          };
          this.visit(e.right, dr, out);
        }
        return;
      case "**": {
        const [dl, dr] = powRule.partials([e.left, e.right], e);
        if (l && dl) this.visit(e.left, mulf(a, dl), out);
        if (r && dr) this.visit(e.right, mulf(a, dr), out);
        return;
      }
      default:
        return; // comparisons and logic have no adjoint
    }
  }

  private visitMath(e: Extract<Expr, { kind: "call" }>, name: string, adj: Expr, out: Stmt[]): void {
    const rule = mathRule(name);
    if (!rule) return fail(Code.UnknownMath, this.fn.origin, `Math.${name} has no derivative rule.`);
    const partials = rule.partials(e.args, e);
    const activeArgs = e.args.filter((x, i) => this.isActive(x) && partials[i]);
    const a = activeArgs.length > 1 ? this.share(adj, out) : adj;
    e.args.forEach((arg, i) => {
      const p = partials[i];
      if (p && this.isActive(arg)) this.visit(arg, mulf(a, p), out);
    });
  }

  /** A call to a user function: its vjp returns the adjoints of the active arguments. */
  private visitCall(e: Extract<Expr, { kind: "call" }>, adj: Expr, out: Stmt[]): void {
    if (e.callee.kind !== "fn") return;
    const activeArgs = e.args.flatMap((x, i) => (this.isActive(x) ? [i] : []));
    const vjp = this.req.vjp(e.callee.fn, activeArgs);
    const call: Expr = { kind: "call", callee: { kind: "fn", fn: vjp }, args: [...e.args, adj] };
    if (activeArgs.length === 1) {
      this.visit(e.args[activeArgs[0]!]!, call, out);
      return;
    }
    const r = this.names.numbered("_r");
    out.push({ kind: "let", name: r, type: { tuple: activeArgs.map(() => "number" as const) }, init: call, mutable: false });
    activeArgs.forEach((argIndex, k) => {
      this.visit(e.args[argIndex]!, { kind: "element", tuple: v(r), index: k }, out);
    });
  }
}

/** The statement as the user wrote it, or as tsgrad printed it when it was generated. */
function describe(s: Stmt): string {
  return s.source ?? printStmt(s);
}

/** Puts `// adjoint of: <statement>` above the first statement of a backward block. */
function annotate(out: Stmt[], note: string | undefined): void {
  if (out[0] && note) out[0].note = `adjoint of: ${note}`;
}

/** Removes the statements in `dead`, at any depth; a removed statement's comment moves to the next one. */
function prune(stmts: readonly Stmt[], dead: ReadonlySet<Stmt>): Stmt[] {
  const out: Stmt[] = [];
  let orphan: string | undefined;
  for (const s of stmts) {
    if (dead.has(s)) {
      orphan ??= s.note;
      continue;
    }
    const kept: Stmt = s.kind === "if" ? { ...s, then: prune(s.then, dead), else: prune(s.else, dead) } : s;
    if (orphan && !kept.note) kept.note = orphan;
    orphan = undefined;
    out.push(kept);
  }
  return out;
}
