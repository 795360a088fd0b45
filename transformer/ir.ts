// The intermediate representation every pass reads and writes.
// Lowering turns a TypeScript function into it; differentiation maps it to
// another `Fn` of the same language, so generated adjoints can themselves be
// differentiated (that is all `grad(grad(f))` needs). Emission prints it back.

import type { IterationRows } from "./rows.js";
import type { ts } from "./ts.js";

/** Types of values the subset knows. Anything else is a compile-time error. */
export type Type = "number" | "boolean" | TupleType | ArrayType | StructType | OpaqueType | RecordsType | TreesType;

/**
 * A parameter that is a plain object or a tuple of numbers and arrays (a
 * pytree, in JAX's words). Its gradient has the same shape.
 */
export interface StructType {
  readonly struct: readonly (readonly [string, Type])[];
  /** A tuple type such as `[number, number[]]`, printed as one. */
  readonly isTuple: boolean;
  /** A class instance's type as the user wrote it (`Vec3`), printed for the parameter; its gradient is a record of the fields. */
  readonly node?: ts.TypeNode;
  /**
   * Fields some code of the program may compute instead of store (an accessor
   * of a class or object literal the type also describes): with why, for the
   * diagnostic when the parameter is differentiated.
   */
  readonly computed?: readonly (readonly [string, string])[];
  /**
   * Number fields that may be missing (`k1?: number`): read as the number or
   * undefined they hold; their gradient is undefined where the value has none.
   */
  readonly optional?: readonly string[];
}

/**
 * A value the subset does not differentiate (a string, an enum, a config
 * object, a function): a constant for the derivative, compared and passed on.
 * `node` prints its type in generated signatures.
 */
export interface OpaqueType {
  readonly opaque: ts.TypeNode;
  /** How a diagnostic names it (`'Config'`). */
  readonly description: string;
  /** The field that keeps an object from being a structured parameter (`W1`, `number[][]`). */
  readonly blocker?: { readonly field: string; readonly type: string };
  /** A record keyed by strings (`Record<string, number>`): its keys are known only at run time. */
  readonly keyed?: boolean;
  /**
   * With `keyed`, the record holds numbers: read through the Float64Array of
   * its values (desugar/keyed.ts), its gradient a record of the same keys.
   */
  readonly keyedNumbers?: boolean;
  /**
   * With `keyedNumbers`, the record's values are arrays of numbers
   * (`Record<string, number[]>`): read through the array of its rows
   * (runtime keyedRows), its gradient a record of the same keys and row lengths.
   */
  readonly keyedRows?: boolean;
}

export const isOpaqueType = (t: Type | undefined): t is OpaqueType => typeof t === "object" && "opaque" in t;

/** A record of numbers keyed by strings (`Record<string, number>`), which has a gradient of the same keys. */
export const isKeyedNumbers = (t: Type | undefined): t is OpaqueType => isOpaqueType(t) && t.keyedNumbers === true;

export const isStructType = (t: Type | undefined): t is StructType => typeof t === "object" && "struct" in t;

export interface TupleType {
  readonly tuple: readonly Type[];
}

/**
 * `Float64Array` ("f64") or `number[]` ("js"); a gradient has its array's kind.
 * With `rows`, an array of such arrays (`Float64Array[]`), read as `xs[i][j]`.
 */
export interface ArrayType {
  readonly array: "f64" | "js";
  readonly rows?: "f64" | "js";
  /** With `rows`, how many array levels hold the rows: 2 for `number[][][]` (absent: 1). */
  readonly depth?: number;
}

export const isArrayType = (t: Type | undefined): t is ArrayType => typeof t === "object" && "array" in t;

/**
 * An array of records or tuples of numbers (`Body[]`, `{ x: number; y: number }[]`,
 * `[number, number][]`), read as `bodies[i].x` or `obs[i][0]`. Its adjoint is
 * one Float64Array per field (parallel columns), turned into an array of records
 * of the same shape only when the gradient is returned. `node` prints the type
 * the user wrote in generated signatures.
 */
export interface RecordsType {
  readonly records: readonly string[];
  readonly isTuple: boolean;
  readonly node: ts.TypeNode;
  /**
   * The element is a class instance, or has methods besides its data fields:
   * the gradient, plain records of those fields, is typed by them
   * (`{ x: number; v: number }[]`), not by `node`, as a class-instance
   * parameter's gradient is.
   */
  readonly plainGradient?: true;
}

export const isRecordsType = (t: Type | undefined): t is RecordsType => typeof t === "object" && "records" in t;

/**
 * An array of records that hold more than numbers: array fields, tuple or
 * record fields, strings and other constants (`{ id: string; factors: number[] }[]`,
 * `{ center: [number, number, number]; radius: number }[]`). Read in place
 * (`users[i].factors[k]`); its adjoint is a copy of the array with the numbers
 * zeroed and the other leaves kept (runtime `zerosTree`), accumulated in place
 * (`users_bar[i].factors[k] += ...`), so the gradient has the argument's shape,
 * type and ids, as JAX keeps a pytree's static fields. `trees` lists the
 * element's fields (static ones as opaque types); `node` prints the user's type.
 */
export interface TreesType {
  readonly trees: StructType;
  readonly node: ts.TypeNode;
  /** The element declares `readonly` fields: a local naming one of its adjoint's records is typed by its fields, which it writes. */
  readonly readonlyFields?: boolean;
}

export const isTreesType = (t: Type | undefined): t is TreesType => typeof t === "object" && "trees" in t;

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "**"
  | "<"
  | "<="
  | ">"
  | ">="
  | "==="
  | "!=="
  | "&&"
  | "||";

export type Expr =
  | { kind: "num"; value: number }
  | { kind: "bool"; value: boolean }
  /** A string, `null` or `undefined` literal: compared with constants, never differentiated. */
  | { kind: "literal"; value: string | null | undefined }
  /** A local variable or parameter; names are unique within a function. */
  | { kind: "var"; name: string }
  /**
   * A name from an enclosing scope the function only reads (a constant).
   * `node` is the user's identifier, kept so module transforms still resolve it.
   */
  /** `known`: the value TypeScript types it with, for a constant of a number literal type (`as const` configs). */
  | { kind: "free"; name: string; node?: ts.Identifier; known?: number }
  | { kind: "neg"; arg: Expr }
  | { kind: "not"; arg: Expr }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr }
  | { kind: "cond"; test: Expr; then: Expr; else: Expr }
  | { kind: "call"; callee: Callee; args: Expr[] }
  /** `array[index]`: an array element, or an element of a tuple a generated function returned. */
  | { kind: "index"; array: Expr; index: Expr }
  | { kind: "length"; array: Expr }
  /** `new Float64Array(size)`; with `records`, `new Array(size)` (its elements stored before any is read). */
  | { kind: "alloc"; size: Expr; records?: true }
  /** An array literal, or a tuple of results. */
  | { kind: "tuple"; items: Expr[] }
  /** Field `name` of a structured parameter (also "0", "1" of a tuple parameter). */
  | { kind: "field"; object: Expr; name: string; known?: number }
  /** A function as a value (passed to a runtime helper). */
  | { kind: "function"; fn: FnRef }
  /** A structured gradient: an object (or, with `isTuple`, a tuple) literal. */
  | { kind: "object"; fields: (readonly [string, Expr])[]; isTuple: boolean };

export type Callee =
  /** `node`: the user's call of an integer function (Math.imul), which passive-reads.ts refuses on a differentiated value. */
  | { kind: "math"; name: string; node?: ts.Node }
  /**
   * A user or generated function, differentiated recursively.
   * `node` is the user's callee identifier, kept so module transforms resolve it.
   */
  | { kind: "fn"; fn: FnRef; node?: ts.Identifier }
  /** A function of tsgrad's runtime; `node` is the user's callee when the user wrote the call. */
  | { kind: "runtime"; name: string; node?: ts.Identifier }
  /** The user-written adjoint of a customGrad function (`g.rule`). */
  | { kind: "rule"; fn: FnRef; node?: ts.Identifier }
  /** A function of the JavaScript environment called for its effect only (`console.log`), by its dotted name. */
  | { kind: "global"; name: string }
  /**
   * An expression over passive data, run as the user wrote it (passive.ts): `node`
   * with each identifier of `holes` replaced by the argument at its index. It
   * reads no active value and has no derivative.
   */
  | { kind: "passive"; node: ts.Expression; holes: ReadonlyMap<ts.Identifier, number>; numeric?: boolean; mutates?: number; arrays?: ReadonlySet<number> };

/** A function known to the plan: its IR, where it lives, what it is called. */
export interface FnRef {
  /** Unique and stable: the same function always gets the same key. */
  readonly key: string;
  /** The name code uses to call it in the file where it is declared. */
  readonly name: string;
  /** The lowered (or generated) body; computed once, on first use. */
  ir(): Fn;
  /** A customGrad function: no body to differentiate, a `.rule` instead. */
  readonly custom?: boolean;
  /** A user function whose last parameter is a rest parameter: a call passes that array spread. */
  readonly restParameter?: boolean;
}

/**
 * `source` is the user's statement as written (for `// adjoint of:` comments);
 * `note` is a comment printed above the statement.
 */
interface StmtBase {
  source?: string;
  note?: string;
  /** The user statement this one comes from: source maps point there. */
  origin?: ts.Node;
  /**
   * An adjoint accumulation or reset. Only these may be reassociated or merged
   * by the simplifier: the forward sweep's arithmetic must stay the user's, to the bit.
   */
  adjoint?: boolean;
  /**
   * A statement of the backward sweep (reverse.ts marks them): held-values.ts
   * rewrites only these, so the forward sweep stays the user's code as written.
   */
  backward?: true;
}

export type Stmt =
  /** `const`/`let` declaration; `init` absent for hoisted declarations. */
  | (StmtBase & { kind: "let"; name: string; type: Type; init?: Expr; mutable: boolean })
  | (StmtBase & { kind: "assign"; name: string; value: Expr })
  | (StmtBase & { kind: "if"; test: Expr; then: Stmt[]; else: Stmt[] })
  | (StmtBase & { kind: "return"; value: Expr })
  /**
   * `array[index] = value`. `optional`: a record's field the type says may be
   * missing (`detuneCents?: number`), written where the value has it: printed
   * asserted (`p_bar.detuneCents! += e`), as TypeScript cannot see the test.
   */
  | (StmtBase & { kind: "store"; array: string; index: Expr; value: Expr; optional?: true })
  /** A runtime call made for its effect (an adjoint helper, a stack push). */
  | (StmtBase & { kind: "effect"; call: Expr })
  /**
   * `for (init; test; update) body`, `while (test) body` (no init, no update),
   * or `do body while (test)` (`doWhile`).
   */
  | (StmtBase & {
      kind: "loop";
      init?: Stmt;
      test: Expr;
      update: Stmt[];
      body: Stmt[];
      doWhile: boolean;
      /** A fused loop (fuse.ts): each iteration runs its forward, then its adjoint, which pops what the forward pushed. */
      fused?: boolean;
      /** Arrays that get a row per iteration of this loop (rows.ts), marked by reverse.ts. */
      rows?: readonly IterationRows[];
    })
  | (StmtBase & { kind: "break" })
  | (StmtBase & { kind: "continue" })
  /**
   * `throw new error(...args)` (`error` a constructor of the default library,
   * `RangeError`): the forward sweep throws where the function would; no
   * backward sweep runs after it, so it has no adjoint.
   */
  | (StmtBase & { kind: "throw"; error: string; args: Expr[] });

export interface Param {
  readonly name: string;
  readonly type: Type;
  /** A default parameter's value (`delta = 1`), used when a call omits it; it reads no other parameter. */
  readonly default?: Expr;
  /** An optional parameter without a default (`delta?: number`): undefined when a call omits it. */
  readonly optional?: boolean;
  /** A rest parameter (`...xs: number[]`): an array, spread in signatures and calls where it is last. */
  readonly rest?: boolean;
}

export interface Fn {
  readonly name: string;
  readonly params: readonly Param[];
  readonly returnType: Type;
  readonly body: Stmt[];
  /** Where the function came from, for diagnostics about its body. */
  readonly origin?: ts.Node;
}

// Small constructors keep rule tables and passes short.
export const num = (value: number): Expr => ({ kind: "num", value });
export const v = (name: string): Expr => ({ kind: "var", name });
export const neg = (arg: Expr): Expr => ({ kind: "neg", arg });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right });
export const add = (a: Expr, b: Expr): Expr => bin("+", a, b);
export const sub = (a: Expr, b: Expr): Expr => bin("-", a, b);
export const mul = (a: Expr, b: Expr): Expr => bin("*", a, b);
export const div = (a: Expr, b: Expr): Expr => bin("/", a, b);
export const pow = (a: Expr, b: Expr): Expr => bin("**", a, b);
export const math = (name: string, ...args: Expr[]): Expr => ({
  kind: "call",
  callee: { kind: "math", name },
  args,
});
export const cond = (test: Expr, then: Expr, otherwise: Expr): Expr => ({
  kind: "cond",
  test,
  then,
  else: otherwise,
});

/**
 * A statement the user wrote for its effect (`console.log(x)`, a call to a
 * function that logs): it runs in the forward sweep, once per call.
 */
export function isUserEffect(s: Stmt): boolean {
  return s.kind === "effect" && s.call.kind === "call" && (s.call.callee.kind === "global" || s.call.callee.kind === "fn");
}

/** Whether `stmts`, or a function they call, has an effect the user wrote (console.log). */
export function hasUserEffects(stmts: readonly Stmt[], seen: Set<Fn>): boolean {
  let found = false;
  walkStmts(stmts, (s) => {
    if (found) return;
    if (isUserEffect(s)) found = true;
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (found || x.kind !== "call" || x.callee.kind !== "fn" || x.callee.fn.custom) return;
        const callee = x.callee.fn.ir();
        if (seen.has(callee)) return;
        seen.add(callee);
        if (hasUserEffects(callee.body, seen)) found = true;
      });
    }
  });
  return found;
}

// Expressions can be deeper than the call stack: generated code (other tools'
// output, unrolled kernels) has chains `t1 + t2 + ... + tn` of thousands of
// terms, which nest to the left that deep, and adjoints accumulate such chains.
// So the walks here keep their own stack, and passes go down a chain's left
// operands in a loop (foldLeft), recursing only into the right ones.

export type BinaryExpr = Extract<Expr, { kind: "binary" }>;

/** The direct sub-expressions of `e`, in evaluation order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "neg":
    case "not":
      return [e.arg];
    case "binary":
      return [e.left, e.right];
    case "cond":
      return [e.test, e.then, e.else];
    case "call":
      return e.args;
    case "index":
      return [e.array, e.index];
    case "length":
      return [e.array];
    case "alloc":
      return [e.size];
    case "tuple":
      return e.items;
    case "field":
      return [e.object];
    case "object":
      return e.fields.map(([, x]) => x);
    default:
      return [];
  }
}

/** Calls `visit` on `e` and every sub-expression, parents first, in evaluation order. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    visit(x);
    const below = children(x);
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]!);
  }
}

/**
 * A value computed over a chain of binary operations from the inside out, as
 * `step(e, of(e.left))` would, without recursing down the left operands:
 * `leaf` gives the value of the innermost left operand that is not a binary
 * operation (or for which `within` says no), then `step` is called for each
 * operation from the innermost out (and computes its right operand's part).
 */
export function foldLeft<T>(e: BinaryExpr, leaf: (x: Expr) => T, step: (node: BinaryExpr, left: T) => T, within: (x: BinaryExpr) => boolean = () => true): T {
  const chain: BinaryExpr[] = [e];
  let x = e.left;
  while (x.kind === "binary" && within(x)) {
    chain.push(x);
    x = x.left;
  }
  let value = leaf(x);
  for (let i = chain.length - 1; i >= 0; i--) value = step(chain[i]!, value);
  return value;
}

/** The local variables an expression reads. */
export function readsOf(e: Expr, into: Set<string> = new Set()): Set<string> {
  walkExpr(e, (x) => {
    if (x.kind === "var") into.add(x.name);
  });
  return into;
}

/** Calls `visit` on every statement, nested ones included. */
export function walkStmts(stmts: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    if (s.kind === "if") {
      walkStmts(s.then, visit);
      walkStmts(s.else, visit);
    } else if (s.kind === "loop") {
      if (s.init) walkStmts([s.init], visit);
      walkStmts(s.body, visit);
      walkStmts(s.update, visit);
    }
  }
}

/** Points every statement of `stmts`, nested ones included, that has no origin yet at `origin` (for source maps). */
export function inheritOrigin(stmts: readonly Stmt[], origin: ts.Node | undefined): void {
  if (!origin) return;
  walkStmts(stmts, (s) => {
    s.origin ??= origin;
  });
}

/** Every expression directly held by a statement (not nested statements'). */
export function exprsOf(s: Stmt): Expr[] {
  switch (s.kind) {
    case "let":
      return s.init ? [s.init] : [];
    case "assign":
      return [s.value];
    case "if":
    case "loop":
      return [s.test];
    case "return":
      return [s.value];
    case "store":
      return [s.index, s.value];
    case "effect":
      return [s.call];
    case "throw":
      return s.args;
    case "break":
    case "continue":
      return [];
  }
}

/** Names assigned (not declared), or arrays stored into, anywhere in `stmts`. */
export function assignedIn(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  walkStmts(stmts, (s) => {
    if (s.kind === "assign") out.add(s.name);
    if (s.kind === "store") out.add(s.array);
    // `seen.add(id)`: a passive collection changed in place counts as reassigned, so nothing asks it again backward.
    const changed = s.kind === "effect" ? changedCollection(s.call) : undefined;
    if (changed) out.add(changed);
  });
  return out;
}

/** The local a passive change of a collection (`seen.add(id)`) writes to. */
export function changedCollection(call: Expr): string | undefined {
  if (call.kind !== "call" || call.callee.kind !== "passive" || call.callee.mutates === undefined) return undefined;
  const target = call.args[call.callee.mutates];
  return target?.kind === "var" ? target.name : undefined;
}

/** Statements nested directly in `s` (branches, loop parts), for passes that rebuild trees. */
export function mapChildren(s: Stmt, f: (stmts: Stmt[]) => Stmt[]): Stmt {
  switch (s.kind) {
    case "if":
      return { ...s, then: f(s.then), else: f(s.else) };
    case "loop":
      return { ...s, init: s.init && f([s.init])[0], body: f(s.body), update: f(s.update) };
    default:
      return s;
  }
}

/** Structural equality of pure expressions (equal text means equal value). */
export function sameExpr(a: Expr, b: Expr): boolean {
  // Two chains are compared down their left operands in a loop.
  while (a.kind === "binary" && b.kind === "binary") {
    if (a.op !== b.op || !sameExpr(a.right, b.right)) return false;
    a = a.left;
    b = b.left;
  }
  if (a.kind === "var" && b.kind === "var") return a.name === b.name;
  if (a.kind === "free" && b.kind === "free") return a.name === b.name;
  if (a.kind === "num" && b.kind === "num") return Object.is(a.value, b.value);
  if (a.kind === "index" && b.kind === "index") return sameExpr(a.array, b.array) && sameExpr(a.index, b.index);
  if (a.kind === "length" && b.kind === "length") return sameExpr(a.array, b.array);
  // Math functions are pure (Math.random is refused before this point).
  if (a.kind === "call" && b.kind === "call" && a.callee.kind === "math" && b.callee.kind === "math") {
    return a.callee.name === b.callee.name && a.args.length === b.args.length && a.args.every((x, i) => sameExpr(x, b.args[i]!));
  }
  return false;
}

/** Every name `fn`'s code can refer to: a local a pass adds must shadow none of them. */
export function namesUsed(fn: Fn): Set<string> {
  const out = new Set<string>([fn.name, "Math", "globalThis", "Float64Array", "NaN", "Infinity"]);
  for (const p of fn.params) out.add(p.name);
  walkStmts(fn.body, (s) => {
    if (s.kind === "let" || s.kind === "assign") out.add(s.name);
    if (s.kind === "store") out.add(s.array);
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind === "var") out.add(x.name);
        if (x.kind === "free") out.add(x.name.split(".")[0]!);
        if (x.kind === "function") out.add(x.fn.name);
        if (x.kind === "call" && x.callee.kind === "global") out.add(x.callee.name.split(".")[0]!);
        if (x.kind === "call" && x.callee.kind !== "math" && x.callee.kind !== "global" && x.callee.kind !== "passive") {
          if (x.callee.node) out.add(x.callee.node.text);
          if (x.callee.kind === "fn" || x.callee.kind === "rule") out.add(x.callee.fn.name);
        }
      });
    }
  });
  return out;
}

/** `a[i] = a[i] ± e` where e reads no element of a: an accumulation into one element. */
export function isElementAccumulation(s: Stmt): s is Extract<Stmt, { kind: "store" }> & { value: Extract<Expr, { kind: "binary" }> } {
  return (
    s.kind === "store" &&
    s.value.kind === "binary" &&
    (s.value.op === "+" || s.value.op === "-") &&
    s.value.left.kind === "index" &&
    s.value.left.array.kind === "var" &&
    s.value.left.array.name === s.array &&
    sameExpr(s.value.left.index, s.index) &&
    !readsOf(s.value.right).has(s.array)
  );
}

/** `e` with each sub-expression for which `f` gives a replacement replaced (outermost first). */
export function mapExpr(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const replaced = f(e);
  if (replaced) return replaced;
  const x = (c: Expr): Expr => mapExpr(c, f);
  switch (e.kind) {
    case "neg":
    case "not":
      return { ...e, arg: x(e.arg) };
    case "binary": {
      // Down the left operands in a loop, asking `f` about each on the way, as the recursion would.
      let bottom: Expr | undefined;
      return foldLeft(
        e,
        (leaf) => bottom ?? x(leaf),
        (node, left) => ({ ...node, left, right: x(node.right) }),
        (left) => !(bottom = f(left)),
      );
    }
    case "cond":
      return { ...e, test: x(e.test), then: x(e.then), else: x(e.else) };
    case "call":
      return { ...e, args: e.args.map(x) };
    case "index":
      return { ...e, array: x(e.array), index: x(e.index) };
    case "length":
      return { ...e, array: x(e.array) };
    case "alloc":
      return { ...e, size: x(e.size) };
    case "tuple":
      return { ...e, items: e.items.map(x) };
    case "field":
      return { ...e, object: x(e.object) };
    case "object":
      return { ...e, fields: e.fields.map(([k, c]) => [k, x(c)] as const) };
    default:
      return e;
  }
}

/**
 * `stmts` with every expression (nested statements' too) passed through
 * `expr`, then every statement, children first, through `stmt`, which may
 * drop it (`[]`) or replace it.
 */
export function rewriteStmts(stmts: readonly Stmt[], expr: (e: Expr) => Expr, stmt: (s: Stmt) => Stmt[] = (s) => [s]): Stmt[] {
  const all = (list: readonly Stmt[]): Stmt[] => rewriteStmts(list, expr, stmt);
  return stmts.flatMap((s): Stmt[] => {
    switch (s.kind) {
      case "let":
        return stmt(s.init ? { ...s, init: expr(s.init) } : s);
      case "assign":
      case "return":
        return stmt({ ...s, value: expr(s.value) });
      case "effect":
        return stmt({ ...s, call: expr(s.call) });
      case "throw":
        return stmt({ ...s, args: s.args.map(expr) });
      case "store":
        return stmt({ ...s, index: expr(s.index), value: expr(s.value) });
      case "if":
        return stmt({ ...s, test: expr(s.test), then: all(s.then), else: all(s.else) });
      case "loop":
        // A loop's counter initialisation is one statement: it is rewritten, never dropped.
        return stmt({ ...s, init: s.init && (all([s.init])[0] ?? s.init), test: expr(s.test), update: all(s.update), body: all(s.body) });
      case "break":
      case "continue":
        return stmt(s);
    }
  });
}

/** Whether `s` (nested statements included) reads or writes the variable or array `name`. */
export function mentions(s: Stmt, name: string): boolean {
  let found = false;
  walkStmts([s], (x) => {
    if (x.kind === "store" && x.array === name) found = true;
    for (const e of exprsOf(x)) if (readsOf(e).has(name)) found = true;
  });
  return found;
}
