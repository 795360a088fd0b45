// Pass 3, forward mode. Takes: an IR function (user code, or a generated
// adjoint, for forward-over-reverse Hessians). Guarantees: a function taking
// the arguments and a tangent for each, returning [value, tangent of value],
// with each statement's tangent computed just before the statement (so it
// reads the values the statement reads). No dual numbers: tangents are locals
// named `x_dot`. Values the backward sweep of a generated adjoint pushes get
// their tangents pushed right after them, and popped just before them.

import { STOP_GRADIENT, isStopped, readsVaried } from "./stop.js";
import { Code, fail } from "./diagnostics.js";
import { type BinaryExpr, type Expr, type Fn, type FnRef, type Stmt, type Type, exprsOf, foldLeft, inheritOrigin, isArrayType, isKeyedNumbers, isOpaqueType, isStructType, walkExpr, walkStmts } from "./ir.js";
import { refuseComputedFields } from "./types.js";
import { refusePassiveReads } from "./passive-reads.js";
import { NameScope } from "./names.js";
import { takenBy } from "./reverse.js";
import { mathRule, powRule } from "./rules/math.js";
import { fold } from "./simplify.js";
import { float64Reach } from "./float64-reach.js";
import { asDeclared } from "./declared-results.js";

export interface ForwardRequest {
  readonly name: string;
  /** The plan's handle on the jvp of a callee (tangents for all its parameters). */
  jvp(fn: FnRef): FnRef;
}

const num = (value: number): Expr => ({ kind: "num", value });
const v = (name: string): Expr => ({ kind: "var", name });
const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const bin = (op: "+" | "-" | "*" | "/", left: Expr, right: Expr): Expr => fold({ kind: "binary", op, left, right });
const isZero = (e: Expr): boolean => e.kind === "num" && e.value === 0;
const add = (a: Expr, b: Expr): Expr => (isZero(a) ? b : isZero(b) ? a : bin("+", a, b));
const mul = (a: Expr, b: Expr): Expr => (isZero(a) || isZero(b) ? num(0) : bin("*", a, b));

/** Adjoint helpers that are linear in their seed and in every buffer they read, by argument layout. */
const LINEAR_SEED = new Set(["sumAdjoint", "meanAdjoint"]);
const SEED_TIMES_BUFFER = new Set(["dotAdjoint", "addScaled"]);
const LOCALLY_CONSTANT = new Set(["maxAdjoint", "minAdjoint"]);
const TANGENT_OF: Record<string, string> = {
  prod: "prodTangent",
  max: "maxTangent",
  min: "minTangent",
  norm: "normTangent",
  hypot: "normTangent",
  logSumExp: "logSumExpTangent",
};

/** Adjoint helpers `(xBar, x, seed)` that are not linear in x: the runtime function giving their tangent along xDot. */
const ADJOINT_TANGENT: Record<string, string> = {
  prodAdjoint: "prodAdjointTangent",
  normAdjoint: "normAdjointTangent",
  logSumExpAdjoint: "logSumExpAdjointTangent",
};

export function forward(fn: Fn, req: ForwardRequest): Fn {
  return new Forward(fn, req).run();
}

class Forward {
  private readonly names: NameScope;
  private readonly active: Set<string>;
  private readonly types = new Map<string, Type>();
  private readonly dots = new Map<string, string>();
  /** The stacks of kept arrays (keepArray) and the stacks of their tangents. */
  private readonly keptDots = new Map<string, string>();

  constructor(
    private readonly fn: Fn,
    private readonly req: ForwardRequest,
  ) {
    const taken = new Set<string>();
    for (const p of fn.params) {
      taken.add(p.name);
      this.types.set(p.name, p.type);
    }
    walkStmts(fn.body, (s) => {
      if (s.kind === "let") {
        taken.add(s.name);
        this.types.set(s.name, s.type);
      }
      for (const e of exprsOf(s)) walkExpr(e, (x) => takenBy(x, taken));
    });
    this.names = new NameScope(taken);
    const params = fn.params.filter((p) => p.type !== "boolean" && (!isOpaqueType(p.type) || isKeyedNumbers(p.type))).map((p) => p.name);
    for (const p of fn.params) refuseComputedFields(p, fn);
    this.active = varyingVariables(fn.body, params);
    refusePassiveReads(fn.body, this.active);
    for (const p of fn.params) this.dots.set(p.name, this.names.fresh(`${p.name}_dot`));
    for (const name of this.active) if (!this.dots.has(name)) this.dots.set(name, this.names.fresh(`${name}_dot`));
  }

  run(): Fn {
    const body = this.stmts(this.fn.body);
    const tangentParams = this.fn.params.map((p) => ({ name: this.dot(p.name), type: p.type }));
    // The value and its tangent have the array kinds f's type says (declared-results.ts).
    const { mayBeFloat64 } = float64Reach({ params: [...this.fn.params, ...tangentParams], body });
    walkStmts(body, (s) => {
      if (s.kind === "return" && s.value.kind === "tuple") s.value = { ...s.value, items: s.value.items.map((x) => asDeclared(x, this.fn.returnType, mayBeFloat64)) };
    });
    return {
      name: this.req.name,
      params: [...this.fn.params, ...tangentParams],
      returnType: { tuple: [this.fn.returnType, this.fn.returnType] },
      body,
      origin: this.fn.origin,
    };
  }

  /** `const x_kept_dot = []`: the stack of the tangents of the arrays kept on the stack `s` declares. */
  private keptTangents(s: Extract<Stmt, { kind: "let" }>): Stmt {
    const name = this.names.fresh(`${s.name}_dot`);
    this.keptDots.set(s.name, name);
    return { kind: "let", name, type: s.type, init: { kind: "tuple", items: [] }, mutable: false, origin: s.origin };
  }

  private dot(name: string): string {
    return this.dots.get(name)!;
  }

  private stmts(stmts: readonly Stmt[]): Stmt[] {
    return stmts.flatMap((s) => {
      const out = this.stmt(s);
      // A tangent statement maps to the statement it differentiates.
      inheritOrigin(out, s.origin);
      return out;
    });
  }

  /** The tangent statement(s), then the statement itself. */
  private stmt(s: Stmt): Stmt[] {
    switch (s.kind) {
      case "let": {
        if (isKeptStack(s.type)) return [s, this.keptTangents(s)];
        if (!this.active.has(s.name)) return [...this.discardPops(s.init), s];
        const shared = s.init && this.sharedCall(s.name, s.init);
        if (shared) {
          const [jvpLet, value, tangent] = shared;
          return [jvpLet, { kind: "let", name: this.dot(s.name), type: s.type, init: tangent, mutable: s.mutable, origin: s.origin }, { ...s, init: value }];
        }
        const type = s.type;
        const init = s.init ? this.tangentOfValue(s.init, type) : type === "number" ? num(0) : undefined;
        return [{ kind: "let", name: this.dot(s.name), type, init, mutable: s.mutable, origin: s.origin }, s];
      }
      case "assign":
        if (!this.active.has(s.name)) return [...this.discardPops(s.value), s];
      {
        const shared = this.sharedCall(s.name, s.value);
        if (shared) {
          const [jvpLet, primal, tangent] = shared;
          return [jvpLet, { kind: "assign", name: this.dot(s.name), value: tangent, origin: s.origin }, { ...s, value: primal }];
        }
        const value = this.tangentOfValue(s.value, this.types.get(s.name) ?? "number");
        // `x_dot = x_dot` (the tangent of `x += <constant>`) is no statement.
        if (value.kind === "var" && value.name === this.dot(s.name)) return [s];
        return [{ kind: "assign", name: this.dot(s.name), value, origin: s.origin }, s];
      }
      case "store":
        if (!this.active.has(s.array)) return [...this.discardPops(s.value), s];
        return [{ kind: "store", array: this.dot(s.array), index: s.index, value: this.t(s.value), origin: s.origin }, s];
      case "effect":
        return this.effect(s);
      case "if":
        return [{ ...s, then: this.stmts(s.then), else: this.stmts(s.else) }];
      case "loop": {
        const init = s.init ? this.stmt(s.init) : [];
        return [...init.slice(0, -1), { ...s, init: init[init.length - 1], body: this.stmts(s.body), update: this.stmts(s.update) }];
      }
      case "return":
        return [{ ...s, value: { kind: "tuple", items: [s.value, this.tangentOfValue(s.value, this.fn.returnType)] } }];
      case "break":
      case "continue":
      case "throw":
        return [s];
    }
  }

  /**
   * `y = g(args)` (or an element of it, `g(args)[1]`) of a generated or user
   * function with an active argument: g's jvp gives the value and the tangent
   * in one call, `const y_jvp = g_jvp(args, tangents)`, so g does not run twice.
   */
  private sharedCall(name: string, e: Expr): [Stmt, Expr, Expr] | undefined {
    const path: Expr[] = [];
    let call = e;
    while (call.kind === "index") {
      path.unshift(call.index);
      call = call.array;
    }
    if (call.kind !== "call" || call.callee.kind !== "fn" || call.callee.fn.custom) return undefined;
    if (!call.args.some((a) => this.isActive(a))) return undefined;
    const tangentCall = this.userCallTangent(call, call.callee.fn, call.callee.fn.ir().returnType);
    if (tangentCall.kind !== "index" || tangentCall.array.kind !== "call" || tangentCall.array.callee.kind !== "fn") return undefined;
    const jvpCall = tangentCall.array;
    const local = this.names.fresh(`${name}_jvp`);
    const at = (i: number): Expr => path.reduce<Expr>((x, index) => ({ kind: "index", array: x, index }), { kind: "index", array: v(local), index: num(i) });
    // A jvp returns [value, tangent], both of the callee's result type (asking the jvp itself would recurse for a recursive callee).
    const result = call.callee.fn.ir().returnType;
    const jvpType: Type = { tuple: [result, result] };
    return [{ kind: "let", name: local, type: jvpType, init: jvpCall, mutable: false }, at(0), at(1)];
  }

  /** A value saved by pushValue has its tangent pushed after it, so an inactive pop must still drop one. */
  private discardPops(e: Expr | undefined): Stmt[] {
    const out: Stmt[] = [];
    if (e) walkExpr(e, (x) => x.kind === "call" && x.callee.kind === "runtime" && x.callee.name === "popValue" && out.push({ kind: "effect", call: runtime("popValue") }));
    return out;
  }

  private effect(s: Extract<Stmt, { kind: "effect" }>): Stmt[] {
    const call = s.call;
    if (call.kind !== "call" || call.callee.kind !== "runtime") return [s];
    const name = call.callee.name;
    const [first, second, third] = call.args;
    if (name === "pushValue") return [s, { kind: "effect", call: runtime("pushValue", this.t(first!)) }];
    if (name === "pushControl" || name === "checkMap2") return [s];
    // Elements saved as one block (blocks.ts): each followed by its tangent, as pushValue's are (the pops are per element).
    if (name === "pushBlock") {
      const tangents = first?.kind === "var" && this.active.has(first.name) ? v(this.dot(first.name)) : num(0);
      return [{ ...s, call: runtime("pushBlockTangents", first!, tangents, second!, third!) }];
    }
    // An array kept for the backward sweep (reverse.ts arrayPerIteration): its tangent is kept beside it.
    if (name === "keepArray") {
      const keptDot = first?.kind === "var" ? this.keptDots.get(first.name) : undefined;
      return keptDot && this.isActive(second!) ? [s, { kind: "effect", call: runtime("keepArray", v(keptDot), this.arrayTangent(second!)) }] : [s];
    }
    const bufferDot = first?.kind === "var" && this.active.has(first.name) ? v(this.dot(first.name)) : undefined;
    if (!bufferDot) return [s];
    // The backward sweep pops what a push appended: the tangent array, grown beside it, pops too.
    if (name === "popElement") return [s, { kind: "effect", call: runtime("popElement", bufferDot) }];
    const out: Stmt[] = [s];
    const emit = (helper: string, ...args: Expr[]): void => void out.push({ kind: "effect", call: runtime(helper, ...args) });
    if (name === "sortedAdjoint") {
      // Linear in the adjoint it sends back, and locally constant in the values it sorts.
      if (this.isActive(call.args[3]!)) emit(name, bufferDot, second!, third!, this.arrayTangent(call.args[3]!));
    } else if (LINEAR_SEED.has(name)) {
      if (!isZero(this.t(second!))) emit(name, bufferDot, this.t(second!));
    } else if (SEED_TIMES_BUFFER.has(name)) {
      if (!isZero(this.t(second!))) emit(name, bufferDot, this.t(second!), third!);
      if (this.isActive(third!)) emit(name, bufferDot, second!, this.arrayTangent(third!));
    } else if (LOCALLY_CONSTANT.has(name) || !this.isActive(second!)) emit(name, bufferDot, second!, this.t(third!));
    else if (ADJOINT_TANGENT[name]) {
      // d(helper(xBar, x, seed)) = helper(xBarDot, x, seedDot) + its tangent along xDot at the fixed seed.
      if (!isZero(this.t(third!))) emit(name, bufferDot, second!, this.t(third!));
      emit(ADJOINT_TANGENT[name], bufferDot, second!, this.arrayTangent(second!), third!);
    } else fail(Code.Unsupported, s.origin ?? this.fn.origin, `forward mode through ${name}() of an array that depends on the input is not supported yet (a Hessian through prod, norm or logSumExp); use grad for first derivatives, or write the reduction as a loop.`);
    return out;
  }

  private isActive(e: Expr): boolean {
    if (readsVaried(e, this.active)) return true;
    let found = false;
    walkExpr(e, (x) => {
      if (x.kind === "call" && x.callee.kind === "runtime" && x.callee.name === "popValue") found = true;
    });
    return found;
  }

  /** The tangent of a value of any type (a number, an array, a tuple or object of them). */
  private tangentOfValue(e: Expr, type: Type): Expr {
    if (type === "number" || type === "boolean") return this.t(e);
    switch (e.kind) {
      case "var":
        return this.arrayTangent(e);
      case "alloc":
        return e;
      case "tuple":
        return { kind: "tuple", items: e.items.map((x, i) => (isArrayType(type) ? this.t(x) : this.tangentOfValue(x, typeof type === "object" && "tuple" in type ? (type.tuple[i] ?? "number") : "number"))) };
      case "field":
        return { kind: "field", object: this.arrayTangent(e.object), name: e.name };
      case "object":
        // A returned tuple or record (vjp, jvp of vector-valued f): each part by its own type.
        return { ...e, fields: e.fields.map(([k, x]) => [k, this.tangentOfValue(x, (isStructType(type) ? type.struct.find(([f]) => f === k)?.[1] : undefined) ?? "number")] as const) };
      case "call":
        return this.callTangent(e, type);
      default:
        return this.t(e);
    }
  }

  /** The tangent of an array-valued expression; a zero buffer when it is constant. */
  private arrayTangent(e: Expr): Expr {
    if (e.kind === "var" && this.active.has(e.name)) return v(this.dot(e.name));
    if (e.kind === "var" && this.dots.has(e.name)) return v(this.dot(e.name));
    if (!this.isActive(e)) return runtime("zerosLike", e);
    // An array a function returns (a callee's vjp, in a Hessian): the tangent its jvp gives.
    if (e.kind === "call" && e.callee.kind === "fn") return this.userCallTangent(e, e.callee.fn, e.callee.fn.ir().returnType);
    if (e.kind === "call" && e.callee.kind === "runtime") return this.callTangent(e, { array: "f64" });
    // An array held in a tuple or record (the adjoints a callee's vjp returned): the same place in its tangent.
    if (e.kind === "index" && e.array.kind === "var" && this.dots.has(e.array.name)) return { kind: "index", array: v(this.dot(e.array.name)), index: e.index };
    if (e.kind === "field") return { kind: "field", object: this.arrayTangent(e.object), name: e.name };
    return fail(Code.Unsupported, this.fn.origin, "forward mode through this array value is not supported; use grad for first derivatives, or compute the value with a loop over the array.");
  }

  private callTangent(e: Extract<Expr, { kind: "call" }>, type: Type): Expr {
    const callee = e.callee;
    if (callee.kind === "runtime") {
      const [a, b] = e.args;
      switch (callee.name) {
        case "zeros":
        case "ones":
        case "arange":
          return runtime("zeros", a!);
        case "zerosLike":
          return e;
        case "restoreArray": {
          const keptDot = a!.kind === "var" ? this.keptDots.get(a!.name) : undefined;
          if (keptDot) return runtime("restoreArray", v(keptDot));
          break;
        }
        case "zeroedLike":
          // A zeroed buffer (an adjoint reset per iteration): its tangent is a zeroed buffer too, reused the same way.
          return a!.kind === "var" && this.active.has(a!.name) ? runtime("zeroedLike", this.arrayTangent(a!), b!) : runtime("zerosLike", b!);
        case STOP_GRADIENT:
          return runtime("zerosLike", a!);
        case "linspace":
          return runtime("linspace", this.t(a!), this.t(b!), e.args[2]!);
        case "full":
          return runtime("full", a!, this.t(b!));
        case "filled":
          return runtime("filled", a!, this.t(b!));
        case "tensor":
          return runtime("tensor", this.arrayTangent(a!));
        case "asArray":
          return runtime("asArray", this.arrayTangent(a!));
        case "sliceOf":
          return runtime("sliceOf", this.arrayTangent(a!), b!, e.args[2]!);
        case "sliceToArray":
          return runtime("sliceToArray", this.arrayTangent(a!), b!, e.args[2]!);
        case "sortedOf":
          return runtime("sortedTangent", a!, b!, this.arrayTangent(a!));
        case "reversedOf":
          return runtime("reversedOf", this.arrayTangent(a!));
        case "keyedValues":
          // The values of a record keyed by strings: its tangent record's values, in the record's key order.
          if (a!.kind === "var" && this.dots.has(a!.name)) return runtime("keyedTangent", a!, v(this.dot(a!.name)));
          break;
        case "linspaceAdjoint":
          return runtime("linspaceAdjoint", this.arrayTangent(a!));
      }
      return fail(Code.Unsupported, this.fn.origin, `forward mode through ${callee.name}() is not supported yet; use grad, or write the computation with loops and Math functions.`);
    }
    if (callee.kind === "fn") return this.userCallTangent(e, callee.fn, type);
    return fail(Code.Unsupported, this.fn.origin, "forward mode through this call is not supported yet; use grad, or call a function of your program by name.");
  }

  /** g(args) of a user or generated function: element 1 of g_jvp(args, tangents). */
  private userCallTangent(e: Extract<Expr, { kind: "call" }>, fn: FnRef, type: Type): Expr {
    if (!e.args.some((a) => this.isActive(a))) return type === "number" ? num(0) : fail(Code.Unsupported, this.fn.origin, "forward mode through a call that returns an array is not supported yet; use grad, or compute the array in the function itself.");
    const params = fn.ir().params;
    const tangents = e.args.map((a, i) => {
      const pt = params[i]!.type;
      if (pt === "number") return this.t(a);
      if (isArrayType(pt)) return this.arrayTangent(a);
      if (isStructType(pt) && a.kind === "var" && this.dots.has(a.name)) return v(this.dot(a.name));
      return fail(Code.Unsupported, this.fn.origin, "forward mode needs the tangent of a structured argument; pass the parameter itself.");
    });
    const jvp = this.req.jvp(fn);
    return { kind: "index", array: { kind: "call", callee: { kind: "fn", fn: jvp }, args: [...e.args, ...tangents] }, index: num(1) };
  }

  /**
   * The tangent of a (part of a) tuple a generated function returned:
   * `g(args)` -> `g_jvp(args, tangents)[1]`, `g(args)[i]` -> that `[i]`; null
   * when it is constant, undefined for anything else.
   */
  private resultTangent(e: Expr): Expr | null | undefined {
    if (e.kind === "call" && e.callee.kind === "fn") {
      if (!e.args.some((a) => this.isActive(a))) return null;
      return this.userCallTangent(e, e.callee.fn, e.callee.fn.ir().returnType);
    }
    if (e.kind === "index") {
      const inner = this.resultTangent(e.array);
      return inner ? { kind: "index", array: inner, index: e.index } : inner;
    }
    return undefined;
  }

  /** The tangent of a number-valued expression. */
  private t(e: Expr): Expr {
    switch (e.kind) {
      case "num":
      case "bool":
      case "free":
      case "length":
      case "literal": // undefined for an omitted optional argument, a string, null: constants
        return num(0);
      case "var":
        return this.active.has(e.name) && this.types.get(e.name) !== "boolean" ? v(this.dot(e.name)) : num(0);
      case "index": {
        const place = this.tangentPlace(e);
        if (place) return place;
        const base = e.array;
        // An element of what a generated function returned (`g_jvp(x, 1)[1]`, in a third derivative): that element of its tangent.
        const whole = this.resultTangent(base);
        if (whole) return { kind: "index", array: whole, index: e.index };
        if (whole === null) return num(0);
        if (this.isActive(base)) return fail(Code.Unsupported, this.fn.origin, "forward mode through an element of this value is not supported yet; use grad, or bind the value to a local first.");
        return num(0);
      }
      case "neg":
        return fold({ kind: "neg", arg: this.t(e.arg) });
      case "not":
        return num(0);
      case "cond": {
        const [then, otherwise] = [this.t(e.then), this.t(e.else)];
        return isZero(then) && isZero(otherwise) ? num(0) : { kind: "cond", test: e.test, then, else: otherwise };
      }
      case "binary":
        return this.binary(e);
      case "call":
        return this.call(e);
      case "field":
        return this.tangentPlace(e) ?? num(0);
      default:
        return fail(Code.Unsupported, this.fn.origin, "forward mode through this value is not supported yet; use grad, or compute it with arithmetic and Math functions.");
    }
  }

  /**
   * The same place in the tangent of an active variable: `x[i]` -> `x_dot[i]`,
   * `W[i][j]` -> `W_dot[i][j]`, `bodies[i].x` -> `bodies_dot[i].x`.
   */
  private tangentPlace(e: Expr): Expr | undefined {
    if (e.kind === "var") return this.active.has(e.name) ? v(this.dot(e.name)) : undefined;
    if (e.kind === "index") {
      const array = this.tangentPlace(e.array);
      return array && { kind: "index", array, index: e.index };
    }
    if (e.kind === "field") {
      const object = this.tangentPlace(e.object);
      return object && { kind: "field", object, name: e.name };
    }
    return undefined;
  }

  /** The tangent of `a op b`; a chain `t1 + ... + tn` is taken down its left operands in a loop (it may nest thousands deep). */
  private binary(e: BinaryExpr): Expr {
    return foldLeft(e, (leaf) => this.t(leaf), (node, dl) => this.binaryTangent(node, dl, this.t(node.right)));
  }

  /** The tangent of `e`, given those of its operands. */
  private binaryTangent(e: BinaryExpr, dl: Expr, dr: Expr): Expr {
    switch (e.op) {
      case "+":
        return add(dl, dr);
      case "-":
        return isZero(dr) ? dl : isZero(dl) ? fold({ kind: "neg", arg: dr }) : bin("-", dl, dr);
      case "*":
        return add(mul(dl, e.right), mul(e.left, dr));
      case "/": {
        const left = isZero(dl) ? num(0) : bin("/", dl, e.right);
        // (a / b) * (b' / b), not a b' / (b * b): b * b overflows to Infinity for |b| > 1e154 and the
        // tangent becomes 0, which a later factor as large as b (exp's value) turns into a wrong derivative.
        const quotient = e.left.kind === "num" && e.left.value === 1 ? undefined : bin("/", e.left, e.right);
        const right = isZero(dr) ? num(0) : quotient ? mul(quotient, bin("/", dr, e.right)) : bin("/", bin("/", dr, e.right), e.right);
        return isZero(right) ? left : bin("-", left, right);
      }
      case "**": {
        const [pl, pr] = powRule.partials([e.left, e.right], e);
        return add(pl ? mul(dl, pl) : num(0), pr ? mul(dr, pr) : num(0));
      }
      default:
        return num(0);
    }
  }

  private call(e: Extract<Expr, { kind: "call" }>): Expr {
    const callee = e.callee;
    if (callee.kind === "math") {
      const partials = mathRule(callee.name)?.partials(e.args, e) ?? [];
      return e.args.reduce<Expr>((acc, a, i) => {
        const p = partials[i];
        return p ? add(acc, mul(this.t(a), p)) : acc;
      }, num(0));
    }
    if (callee.kind === "runtime") {
      const [a, b] = e.args;
      switch (callee.name) {
        case STOP_GRADIENT:
          return num(0);
        case "popValue":
          return e; // the tangent pushed after the value
        case "popControl":
          return num(0);
        case "sum":
        case "mean":
          return this.isActive(a!) ? runtime(callee.name, this.arrayTangent(a!)) : num(0);
        case "dot":
          return add(this.isActive(a!) ? runtime("dot", this.arrayTangent(a!), b!) : num(0), this.isActive(b!) ? runtime("dot", a!, this.arrayTangent(b!)) : num(0));
      }
      const tangent = TANGENT_OF[callee.name];
      if (tangent) return this.isActive(a!) ? runtime(tangent, a!, this.arrayTangent(a!)) : num(0);
      return fail(Code.Unsupported, this.fn.origin, `forward mode through ${callee.name}() is not supported yet; use grad, or write the computation with loops and Math functions.`);
    }
    if (callee.kind === "rule") {
      return fail(Code.Unsupported, this.fn.origin, `a customGrad rule (${callee.fn.name}.rule) is not itself differentiable, so higher derivatives through customGrad are not supported; take first derivatives through it, or differentiate the original function instead.`);
    }
    // console.log and the like have no value to differentiate.
    if (callee.kind === "global" || callee.kind === "passive") return num(0);
    if (callee.fn.custom) {
      // A customGrad function: its rule with seed 1 gives every partial derivative.
      const params = callee.fn.ir().params;
      const out: Expr = { kind: "call", callee, args: e.args };
      const partials: Expr = { kind: "call", callee: { kind: "rule", fn: callee.fn, node: callee.node }, args: [...e.args, out, num(1)] };
      return e.args.reduce<Expr>((acc, a, i) => {
        if (!this.isActive(a)) return acc;
        const p = params.length === 1 ? partials : ({ kind: "index", array: partials, index: num(i) } as Expr);
        return add(acc, isArrayType(params[i]!.type) ? runtime("dot", p, this.arrayTangent(a)) : mul(this.t(a), p));
      }, num(0));
    }
    // A call in a number's place: a function returning an array, tuple or record has no number tangent.
    if (callee.fn.ir().returnType !== "number") {
      fail(Code.NotScalar, callee.fn.ir().origin ?? this.fn.origin, "a function called from differentiated code must return a number, and this one returns an array, tuple or record; compute the number in the caller, or return it.");
    }
    return this.userCallTangent(e, callee.fn, "number");
  }
}

/**
 * Activity for forward mode: the variables whose tangent can be nonzero. As
 * activity.ts, but a value read only through `length`, an index or a test has
 * no tangent to pass on (so loop counters bounded by an array's length get no
 * `i_dot`).
 */
function varyingVariables(body: readonly Stmt[], params: readonly string[]): Set<string> {
  const active = new Set(params);
  for (let changed = true; changed; ) {
    changed = false;
    walkStmts(body, (s) => {
      let target: string | undefined;
      let value: Expr | undefined;
      if (s.kind === "let" && s.init && s.type !== "boolean") [target, value] = [s.name, s.init];
      if (s.kind === "assign") [target, value] = [s.name, s.value];
      if (s.kind === "store") [target, value] = [s.array, s.value];
      if (!target || !value || active.has(target)) return;
      if ([...tangentReads(value)].some((name) => active.has(name))) {
        active.add(target);
        changed = true;
      }
    });
  }
  return active;
}

/** The variables whose tangents a value's tangent reads. */
function tangentReads(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case "var":
      into.add(e.name);
      break;
    case "neg":
      tangentReads(e.arg, into);
      break;
    case "binary":
      if (["+", "-", "*", "/", "**", "&&", "||"].includes(e.op)) {
        tangentReads(e.left, into);
        tangentReads(e.right, into);
      }
      break;
    case "cond":
      tangentReads(e.then, into);
      tangentReads(e.else, into);
      break;
    case "call":
      // stopGradient(x) has tangent zero: a value computed from it alone needs none (no `dotAdjoint(w_bar_dot, 0, w)`).
      if (!isStopped(e)) for (const a of e.args) tangentReads(a, into);
      break;
    case "index":
      tangentReads(e.array, into);
      break;
    case "field":
      tangentReads(e.object, into);
      break;
    case "tuple":
      for (const item of e.items) tangentReads(item, into);
      break;
    case "object":
      for (const [, x] of e.fields) tangentReads(x, into);
      break;
    default:
      break;
  }
  return into;
}

/** The type of a stack of arrays kept for the backward sweep (reverse.ts hoistArray). */
function isKeptStack(type: Type): boolean {
  return isOpaqueType(type) && type.description === "kept arrays";
}
