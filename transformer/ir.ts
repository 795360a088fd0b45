// The intermediate representation every pass reads and writes.
// Lowering turns a TypeScript function into it; differentiation maps it to
// another `Fn` of the same language, so generated adjoints can themselves be
// differentiated (that is all `grad(grad(f))` needs). Emission prints it back.

import type * as ts from "typescript";

/** Types of values the subset knows. Anything else is a compile-time error. */
export type Type = "number" | "boolean" | TupleType;

export interface TupleType {
  readonly tuple: readonly Type[];
}

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
  /** A local variable or parameter; names are unique within a function. */
  | { kind: "var"; name: string }
  /**
   * A name from an enclosing scope the function only reads (a constant).
   * `node` is the user's identifier, kept so module transforms still resolve it.
   */
  | { kind: "free"; name: string; node?: ts.Identifier }
  | { kind: "neg"; arg: Expr }
  | { kind: "not"; arg: Expr }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr }
  | { kind: "cond"; test: Expr; then: Expr; else: Expr }
  | { kind: "call"; callee: Callee; args: Expr[] }
  /** Element `index` of a tuple value returned by a generated adjoint. */
  | { kind: "element"; tuple: Expr; index: number }
  | { kind: "tuple"; items: Expr[] };

export type Callee =
  | { kind: "math"; name: string }
  /**
   * A user or generated function, differentiated recursively.
   * `node` is the user's callee identifier, kept so module transforms resolve it.
   */
  | { kind: "fn"; fn: FnRef; node?: ts.Identifier };

/** A function known to the plan: its IR, where it lives, what it is called. */
export interface FnRef {
  /** Unique and stable: the same function always gets the same key. */
  readonly key: string;
  /** The name code uses to call it in the file where it is declared. */
  readonly name: string;
  /** The lowered (or generated) body; computed once, on first use. */
  ir(): Fn;
}

/**
 * `source` is the user's statement as written (for `// adjoint of:` comments);
 * `note` is a comment printed above the statement.
 */
interface StmtBase {
  source?: string;
  note?: string;
}

export type Stmt =
  /** `const`/`let` declaration; `init` absent for hoisted declarations. */
  | (StmtBase & { kind: "let"; name: string; type: Type; init?: Expr; mutable: boolean })
  | (StmtBase & { kind: "assign"; name: string; value: Expr })
  | (StmtBase & { kind: "if"; test: Expr; then: Stmt[]; else: Stmt[] })
  | (StmtBase & { kind: "return"; value: Expr });

export interface Param {
  readonly name: string;
  readonly type: Type;
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

/** Calls `visit` on `e` and every sub-expression, parents first. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case "neg":
    case "not":
      walkExpr(e.arg, visit);
      break;
    case "binary":
      walkExpr(e.left, visit);
      walkExpr(e.right, visit);
      break;
    case "cond":
      walkExpr(e.test, visit);
      walkExpr(e.then, visit);
      walkExpr(e.else, visit);
      break;
    case "call":
      for (const a of e.args) walkExpr(a, visit);
      break;
    case "element":
      walkExpr(e.tuple, visit);
      break;
    case "tuple":
      for (const a of e.items) walkExpr(a, visit);
      break;
  }
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
    }
  }
}

/** Every expression directly held by a statement (not nested statements'). */
export function exprsOf(s: Stmt): Expr[] {
  switch (s.kind) {
    case "let":
      return s.init ? [s.init] : [];
    case "assign":
      return [s.value];
    case "if":
      return [s.test];
    case "return":
      return [s.value];
  }
}

/** Names assigned (not declared) anywhere in `stmts`. */
export function assignedIn(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  walkStmts(stmts, (s) => {
    if (s.kind === "assign") out.add(s.name);
  });
  return out;
}
