// Pass 1, lowering. Takes: a function the checker resolved (declaration, const
// arrow/function expression, inline arrow). Guarantees: an IR `Fn` with unique
// local names, or a DiffError located at the first construct outside the
// differentiable subset (SPEC §3).

import * as ts from "typescript";
import { Code, fail } from "./diagnostics.js";
import { desugar } from "./desugar/index.js";
import { desugaredChecker, isNewLocal, runtimeCallName, userText } from "./desugar/synth.js";
import { type ArrayType, type BinaryOp, type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, isArrayType, isStructType } from "./ir.js";
import { MATH_CONSTANTS, isImpureMath, mathRule } from "./rules/math.js";
import { NameScope } from "./names.js";
import { singleExit } from "./normalize.js";
import { tsgradFunction } from "./recognise.js";
import { RUNTIME_ARRAYS, RUNTIME_REDUCTIONS } from "./rules/runtime.js";

export type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export interface LowerContext {
  readonly checker: ts.TypeChecker;
  /** Whether a declaration belongs to the TypeScript default library (Math, Date...). */
  isLibDeclaration(decl: ts.Declaration): boolean;
  /** The plan's handle on a user function another function calls. */
  functionRef(decl: FunctionLike, callee: ts.Node): FnRef;
  /** The function a call resolves to, if the compiler can see its body. */
  resolveFunction(callee: ts.Expression): FunctionLike | undefined;
  /** The plan's handle on `const g = customGrad(f, rule)` when `callee` names such a `g`. */
  customFunction(callee: ts.Expression): FnRef | undefined;
}

/** What desugaring passes may ask: the checker, whether a declaration is the default library's, what a call calls. */
export type DesugarContext = Pick<LowerContext, "checker" | "isLibDeclaration" | "resolveFunction">;

export function lowerFunction(fn: FunctionLike, name: string, ctx: LowerContext): Fn {
  // Passes and lowering alike see the types of the nodes passes made.
  const typed = { ...ctx, checker: desugaredChecker(ctx.checker) };
  return new Lowerer(desugar(fn, typed), fn, typed).run(name);
}

/** The type of a value in the subset, or a located error naming what it is instead. */
export function subsetType(checker: ts.TypeChecker, node: ts.Node, what: string): Type {
  const t = checker.getTypeAtLocation(node);
  if (every(t, ts.TypeFlags.NumberLike)) return "number";
  if (every(t, ts.TypeFlags.BooleanLike)) return "boolean";
  const array = arrayKind(checker, t);
  if (array) return { array };
  return fail(
    Code.UnsupportedType,
    node,
    `${what} has type '${checker.typeToString(t)}'; tsgrad differentiates code over numbers ` +
      `(booleans only in conditions). Keep other values outside the differentiated function.`,
  );
}

/**
 * The type of a parameter: what subsetType allows, plus arrays of arrays
 * (`Float64Array[]`, read-only data such as rows of samples) and structured
 * values (plain objects and tuples of numbers and arrays).
 */
export function parameterType(checker: ts.TypeChecker, node: ts.Node, what: string): Type {
  const t = checker.getTypeAtLocation(node);
  if (checker.isArrayType(t)) {
    const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
    const rows = element && arrayKind(checker, element);
    if (rows) return { array: "js", rows };
  }
  const fields = structFields(checker, t, node);
  if (fields) return { struct: fields, isTuple: checker.isTupleType(t) };
  return subsetType(checker, node, what);
}

/** The fields of a plain object or tuple type whose members are numbers or arrays of numbers. */
function structFields(checker: ts.TypeChecker, t: ts.Type, node: ts.Node): [string, Type][] | undefined {
  if (!(t.flags & ts.TypeFlags.Object) || arrayKind(checker, t) || t.getCallSignatures().length > 0) return undefined;
  const member = (x: ts.Type): Type | undefined => {
    if (every(x, ts.TypeFlags.NumberLike)) return "number";
    const array = arrayKind(checker, x);
    return array ? { array } : undefined;
  };
  if (checker.isTupleType(t)) {
    const items = checker.getTypeArguments(t as ts.TypeReference).map(member);
    return items.every((x) => x) ? items.map((x, i) => [String(i), x!]) : undefined;
  }
  const fields: [string, Type][] = [];
  for (const prop of checker.getPropertiesOfType(t)) {
    const type = member(checker.getTypeOfSymbolAtLocation(prop, node));
    if (!type) return undefined;
    fields.push([prop.name, type]);
  }
  return fields.length > 0 ? fields : undefined;
}

/** "f64" for Float64Array, "js" for number[] (readonly or not), else undefined. */
export function arrayKind(checker: ts.TypeChecker, t: ts.Type): "f64" | "js" | undefined {
  if (t.getSymbol()?.name === "Float64Array") return "f64";
  if (checker.isArrayType(t)) {
    const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
    if (element && every(element, ts.TypeFlags.NumberLike)) return "js";
  }
  return undefined;
}

/** Whether `t`, or every member of the union `t`, has one of `flags` (`1 | 2` is a number). */
function every(t: ts.Type, flags: ts.TypeFlags): boolean {
  if (t.flags & flags) return true;
  return t.isUnion() && t.types.every((x) => (x.flags & flags) !== 0);
}

const ARITHMETIC: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.PlusToken]: "+",
  [ts.SyntaxKind.MinusToken]: "-",
  [ts.SyntaxKind.AsteriskToken]: "*",
  [ts.SyntaxKind.SlashToken]: "/",
  [ts.SyntaxKind.AsteriskAsteriskToken]: "**",
};

const COMPARISON: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.LessThanToken]: "<",
  [ts.SyntaxKind.LessThanEqualsToken]: "<=",
  [ts.SyntaxKind.GreaterThanToken]: ">",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">=",
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "===",
  [ts.SyntaxKind.EqualsEqualsToken]: "===",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "!==",
  [ts.SyntaxKind.ExclamationEqualsToken]: "!==",
};

/** Integer operators: Math pseudo-functions with derivative 0 (rules/math.ts). */
const INTEGER: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: ">>",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: ">>>",
  [ts.SyntaxKind.LessThanLessThanToken]: "<<",
  [ts.SyntaxKind.BarToken]: "|",
  [ts.SyntaxKind.AmpersandToken]: "&",
  [ts.SyntaxKind.CaretToken]: "^",
  [ts.SyntaxKind.PercentToken]: "%",
};

const COMPOUND_INTEGER: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ">>",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ">>>",
  [ts.SyntaxKind.LessThanLessThanEqualsToken]: "<<",
  [ts.SyntaxKind.BarEqualsToken]: "|",
  [ts.SyntaxKind.AmpersandEqualsToken]: "&",
  [ts.SyntaxKind.CaretEqualsToken]: "^",
  [ts.SyntaxKind.PercentEqualsToken]: "%",
};

const COMPOUND: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.PlusEqualsToken]: "+",
  [ts.SyntaxKind.MinusEqualsToken]: "-",
  [ts.SyntaxKind.AsteriskEqualsToken]: "*",
  [ts.SyntaxKind.SlashEqualsToken]: "/",
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: "**",
};

/** `for (...)` of a loop, as the user wrote it. */
function loopHead(s: ts.IterationStatement): string {
  const user = ts.getParseTreeNode(s);
  if (!user || !ts.isIterationStatement(user, false)) return noteOf(s);
  return noteOf(user).slice(0, user.statement.getStart() - user.getStart()).trim();
}

/** A one-line rendering of a user statement for `// adjoint of:` comments. */
function noteOf(node: ts.Node): string {
  const text = userText(node).replace(/\s+/g, " ").replace(/;$/, "");
  return text.length > 72 ? `${text.slice(0, 69)}...` : text;
}

/** A local of the function being lowered; `parameter` when it is (part of) a parameter, which is never written. */
interface Local {
  name: string;
  readonly type: Type;
  readonly mutable: boolean;
  readonly parameter?: boolean;
}

/** The local holding one field of a structured parameter, read once in the prologue. */
interface FieldLocal {
  name: string;
  readonly type: Type;
  readonly decl: Extract<Stmt, { kind: "let" }>;
  /** Whether code already refers to the local by its name. */
  read: boolean;
}

class Lowerer {
  private readonly checker: ts.TypeChecker;
  /** Each local's unique IR name, by its symbol (or, for a local desugaring made, its identifier). */
  private readonly locals = new Map<ts.Symbol | ts.Identifier, Local>();
  private readonly names: NameScope;
  /** Statements an expression needs before the statement that contains it (a map() loop, a temporary array). */
  private pending: Stmt[] = [];
  /** Reads of the fields of structured parameters, placed first in the body. */
  private readonly prologue: Stmt[] = [];
  /** The field locals of each structured parameter. */
  private readonly structs = new Map<string, Map<string, FieldLocal>>();
  /** How many ifs and loops enclose the statement being lowered. */
  private depth = 0;
  private loops = 0;

  constructor(
    /** The function after desugaring (desugar/index.ts). */
    private readonly fn: FunctionLike,
    /** The function as the user wrote it. */
    private readonly source: FunctionLike,
    private readonly ctx: LowerContext,
  ) {
    this.checker = ctx.checker;
    this.names = new NameScope(this.freeNames());
  }

  run(name: string): Fn {
    const fn = this.fn;
    if (fn.asteriskToken) fail(Code.Async, fn, "generator functions cannot be differentiated.");
    if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, fn, "async functions cannot be differentiated; differentiate a synchronous function.");
    }
    const params: Param[] = realParameters(fn).map((p) => this.param(p));
    if (!fn.body) fail(Code.OpaqueCall, fn, "this function has no body for tsgrad to differentiate.");
    const signature = this.checker.getSignatureFromDeclaration(fn);
    const ret = signature && this.checker.getReturnTypeOfSignature(signature);
    if (!ret || !every(ret, ts.TypeFlags.NumberLike)) {
      fail(
        Code.NotScalar,
        fn,
        `a differentiated function must return a number, but this one returns ` +
          `'${ret ? this.checker.typeToString(ret) : "unknown"}'. Return a scalar loss (for example sum(...) of a tensor).`,
      );
    }
    const lowered: Stmt[] = ts.isBlock(fn.body) ? this.block(fn.body.statements) : this.expressionBody(fn.body);
    const body = [...this.prologue, ...lowered];
    return { name, params, returnType: "number", body, origin: this.source };
  }

  /** Identifiers the function reads but does not declare: generated locals must avoid them. */
  private freeNames(): string[] {
    const out: string[] = [];
    const declared = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        const parent = n.parent;
        const isDecl =
          (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === n;
        if (isDecl) declared.add(n.text);
        else out.push(n.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(this.source);
    return out.filter((n) => !declared.has(n));
  }

  private param(p: ts.ParameterDeclaration): Param {
    if (!ts.isIdentifier(p.name)) fail(Code.Internal, p, "a destructured parameter reached lowering.");
    if (p.dotDotDotToken) fail(Code.Unsupported, p, "rest parameters cannot be differentiated; pass an array.");
    if (p.questionToken && !p.initializer) {
      fail(Code.Unsupported, p, `optional parameter '${p.name.text}' has no value when a call omits it; give it a default (${p.name.text} = ...) instead of '?'.`);
    }
    const type = parameterType(this.checker, p, `parameter '${p.name.text}'`);
    const fallback = p.initializer && this.parameterDefault(p.initializer, type);
    const name = this.declare(p.name, type, false, true);
    if (isStructType(type)) {
      // Each field is read through a local, so the rest of tsgrad sees numbers and arrays.
      const fields = new Map<string, FieldLocal>();
      for (const [field, fieldType] of type.struct) {
        const decl: FieldLocal["decl"] = { kind: "let", name: this.names.fresh(`${name}_${field}`), type: fieldType, init: { kind: "field", object: { kind: "var", name }, name: field }, mutable: false };
        fields.set(field, { name: decl.name, type: fieldType, decl, read: false });
        this.prologue.push(decl);
      }
      this.structs.set(name, fields);
    }
    return fallback ? { name, type, default: fallback } : { name, type };
  }

  /** The value of a default parameter, which reads no other parameter (desugar/parameters.ts). */
  private parameterDefault(init: ts.Expression, type: Type): Expr {
    if (type !== "number") fail(Code.Unsupported, init, "only number parameters can have a default in differentiated code; pass the value.");
    return this.expr(init);
  }

  /** `p.w` or `p[0]` of a structured parameter `p`: the local holding that field. */
  private field(e: ts.Expression): FieldLocal | undefined {
    const local = this.fieldLocal(e);
    if (local) local.read = true;
    return local;
  }

  /**
   * `const w = p.w` (what `({ w }: P) =>` desugars to): `w` is the field's local,
   * named `w` rather than `p_w` when nothing read the field before.
   */
  private fieldAlias(id: ts.Identifier, init: ts.Expression): boolean {
    const field = this.fieldLocal(init);
    if (!field) return false;
    if (!field.read) field.name = field.decl.name = this.names.fresh(id.text);
    field.read = true;
    this.locals.set(this.binding(id)!, { name: field.name, type: field.type, mutable: false, parameter: true });
    return true;
  }

  private fieldLocal(e: ts.Expression): FieldLocal | undefined {
    e = skipParens(e);
    let object: ts.Expression;
    let key: string;
    if (ts.isPropertyAccessExpression(e)) [object, key] = [e.expression, e.name.text];
    else if (ts.isElementAccessExpression(e) && ts.isNumericLiteral(e.argumentExpression)) [object, key] = [e.expression, e.argumentExpression.text];
    else return undefined;
    object = skipParens(object);
    if (!ts.isIdentifier(object)) return undefined;
    const local = this.local(object);
    return local ? this.structs.get(local.name)?.get(key) : undefined;
  }

  /** What identifies the local `id` names: its symbol, or itself for a local desugaring made. */
  private binding(id: ts.Identifier): ts.Symbol | ts.Identifier | undefined {
    return isNewLocal(id) ? id : this.checker.getSymbolAtLocation(id);
  }

  private declare(id: ts.Identifier, type: Type, mutable: boolean, parameter = false): string {
    const symbol = this.binding(id);
    if (!symbol) fail(Code.Internal, id, `no symbol for '${id.text}'.`);
    const name = this.names.fresh(id.text);
    this.locals.set(symbol, { name, type, mutable, parameter });
    return name;
  }

  private block(statements: readonly ts.Statement[]): Stmt[] {
    // Statements an enclosing test needs (a map() in an if condition) belong before
    // the enclosing statement, not in this block: keep them aside while lowering it.
    const outer = this.pending;
    this.pending = [];
    const out = this.statements(statements);
    this.pending = outer;
    return out;
  }

  private statements(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of statements) {
      const lowered: Stmt[] = [];
      this.statement(s, lowered);
      for (const x of [...this.pending, ...lowered]) x.origin ??= s;
      out.push(...this.pending, ...lowered);
      this.pending = [];
      // Anything after a return in the same block never runs.
      if (out.length > 0 && out[out.length - 1]!.kind === "return") break;
    }
    return out;
  }

  private statement(s: ts.Statement, out: Stmt[]): void {
    if (ts.isVariableStatement(s)) return this.variables(s, out);
    if (ts.isExpressionStatement(s)) return this.expressionStatement(s, out);
    if (ts.isReturnStatement(s)) {
      if (!s.expression) fail(Code.NotScalar, s, "every return in a differentiated function must return a number.");
      out.push({ kind: "return", value: this.expr(s.expression), source: noteOf(s) });
      return;
    }
    if (ts.isIfStatement(s)) {
      const test = this.condition(s.expression);
      this.depth++;
      const then = this.branch(s.thenStatement);
      const otherwise = s.elseStatement ? this.branch(s.elseStatement) : [];
      this.depth--;
      out.push({ kind: "if", test, then, else: otherwise, source: `if (${noteOf(s.expression)})` });
      return;
    }
    if (ts.isForStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isForOfStatement(s)) {
      return this.loop(s, out);
    }
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      if (this.loops === 0) fail(Code.Unsupported, s, `${ts.isBreakStatement(s) ? "break" : "continue"} outside a loop.`);
      out.push({ kind: ts.isBreakStatement(s) ? "break" : "continue" });
      return;
    }
    if (ts.isBlock(s)) {
      out.push(...this.block(s.statements));
      return;
    }
    if (ts.isEmptyStatement(s)) return;
    if (ts.isTryStatement(s)) {
      fail(Code.Unsupported, s, "try/catch cannot be differentiated; move the try outside the differentiated function.");
    }
    if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) {
      fail(Code.Unsupported, s, "declare helper functions outside the differentiated function; tsgrad differentiates calls to them.");
    }
    if (ts.isThrowStatement(s)) {
      fail(Code.Unsupported, s, "throw is not supported in differentiated code yet; check the inputs before calling the gradient.");
    }
    if (ts.isForInStatement(s)) {
      fail(Code.Unsupported, s, "for...in iterates over keys, which are strings; use for...of or an index loop.");
    }
    fail(Code.Unsupported, s, `a ${ts.SyntaxKind[s.kind]} cannot be differentiated; rewrite it with const/let, if/else and return.`);
  }

  /** for, while, do...while and for...of, lowered to one loop form (for...of becomes an index loop). */
  private loop(s: ts.IterationStatement, out: Stmt[]): void {
    const source = ts.isDoStatement(s)
      ? `do ... while (${noteOf(s.expression)})`
      : loopHead(s);
    let init: Stmt | undefined;
    let test: Expr = { kind: "bool", value: true };
    const update: Stmt[] = [];
    const prefix: Stmt[] = [];
    this.depth++;
    this.loops++;
    if (ts.isForStatement(s)) {
      if (s.initializer) {
        const stmts: Stmt[] = [];
        if (ts.isVariableDeclarationList(s.initializer)) {
          this.declarations(s.initializer, stmts);
        } else {
          this.expressionStatement(ts.factory.createExpressionStatement(s.initializer), stmts, s.initializer);
        }
        // The counter is declared with the loop; anything else goes before it.
        init = stmts.pop();
        out.push(...stmts);
      }
      if (s.condition) test = this.loopTest(s.condition);
      if (s.incrementor) this.incrementors(s.incrementor, update);
    } else if (ts.isWhileStatement(s) || ts.isDoStatement(s)) {
      test = this.loopTest(s.expression);
    } else if (ts.isForOfStatement(s)) {
      const list = s.initializer;
      if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isIdentifier(list.declarations[0]!.name)) {
        fail(Code.Unsupported, s.initializer, "write for...of as `for (const x of xs)`.");
      }
      const array = this.arrayOperand(s.expression);
      const id = list.declarations[0]!.name as ts.Identifier;
      const i = this.names.fresh("i");
      init = { kind: "let", name: i, type: "number", init: { kind: "num", value: 0 }, mutable: true };
      test = { kind: "binary", op: "<", left: { kind: "var", name: i }, right: { kind: "length", array } };
      update.push({ kind: "assign", name: i, value: { kind: "binary", op: "+", left: { kind: "var", name: i }, right: { kind: "num", value: 1 } } });
      const type = subsetType(this.checker, id, `'${id.text}'`);
      if (type !== "number") fail(Code.UnsupportedType, id, "for...of is supported over arrays of numbers.");
      const name = this.declare(id, type, !(list.flags & ts.NodeFlags.Const));
      prefix.push({ kind: "let", name, type, init: { kind: "index", array, index: { kind: "var", name: i } }, mutable: false, source: `const ${id.text} = ${noteOf(s.expression)}[${i}]` });
    }
    const body = [...prefix, ...this.branch(s.statement)];
    this.depth--;
    this.loops--;
    out.push({ kind: "loop", init, test, update, body, doWhile: ts.isDoStatement(s), source });
  }

  private loopTest(e: ts.Expression): Expr {
    const before = this.pending.length;
    const test = this.condition(e);
    if (this.pending.length !== before) {
      fail(Code.Unsupported, e, "a loop condition cannot call map() or build arrays; compute the value in the loop body.");
    }
    return test;
  }

  private incrementors(e: ts.Expression, out: Stmt[]): void {
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      this.incrementors(e.left, out);
      this.incrementors(e.right, out);
      return;
    }
    this.expressionStatement(ts.factory.createExpressionStatement(e), out, e);
  }

  private branch(s: ts.Statement): Stmt[] {
    return ts.isBlock(s) ? this.block(s.statements) : this.block([s]);
  }

  private variables(s: ts.VariableStatement, out: Stmt[]): void {
    this.declarations(s.declarationList, out);
  }

  private declarations(list: ts.VariableDeclarationList, out: Stmt[]): void {
    const flags = list.flags;
    if ((flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Using || (flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) {
      fail(Code.Unsupported, list, "using declarations manage resources, which differentiated code has none of; use const.");
    }
    if (!(flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) {
      fail(Code.Unsupported, list, "'var' is not supported in differentiated code; use const or let.");
    }
    const mutable = !(flags & ts.NodeFlags.Const);
    for (const d of list.declarations) {
      if (!ts.isIdentifier(d.name)) fail(Code.Internal, d.name, "a destructuring declaration reached lowering.");
      if (!mutable && d.initializer && this.fieldAlias(d.name, d.initializer)) continue;
      const array = arrayKind(this.checker, this.checker.getTypeAtLocation(d.name));
      if (array) {
        out.push(...this.arrayDeclaration(d, d.name, { array }, mutable));
        continue;
      }
      const init = d.initializer ? this.expr(d.initializer) : undefined;
      const type = subsetType(this.checker, d.name, `'${d.name.text}'`);
      const name = this.declare(d.name, type, mutable);
      out.push({ kind: "let", name, type, init, mutable, source: noteOf(d) });
    }
  }

  /** `const a = new Float64Array(n)` (or zeros, linspace, map, [..]): arrays are created once, at the top level. */
  private arrayDeclaration(d: ts.VariableDeclaration, id: ts.Identifier, type: ArrayType, mutable: boolean): Stmt[] {
    if (this.depth > 0) {
      fail(Code.Unsupported, d, "declare arrays at the top level of the differentiated function, not inside a loop or branch; fill them inside.");
    }
    if (mutable) fail(Code.Unsupported, d, "declare arrays with const; write their elements instead of reassigning them.");
    if (!d.initializer) fail(Code.Unsupported, d, "initialise the array where it is declared.");
    // An array desugaring builds (the rest of a pattern) is a Float64Array, whatever the pattern's type.
    if (ts.isCallExpression(d.initializer) && runtimeCallName(d.initializer)) type = { array: "f64" };
    const name = this.declare(id, type, false);
    const init = this.arrayValue(d.initializer, name, type);
    return init ? [{ kind: "let", name, type, init, mutable: false, source: noteOf(d) }] : [];
  }

  private expressionStatement(s: ts.ExpressionStatement, out: Stmt[], original: ts.Node = s): void {
    let e = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e) && ts.isElementAccessExpression(skipParens(e.left))) {
      const op = e.operatorToken.kind;
      const compound = COMPOUND[op];
      if (op === ts.SyntaxKind.EqualsToken || compound) {
        const target = skipParens(e.left) as ts.ElementAccessExpression;
        const array = this.storeTarget(target);
        const index = this.expr(target.argumentExpression);
        const right = this.numeric(e.right);
        const value: Expr = compound
          ? { kind: "binary", op: compound, left: { kind: "index", array: { kind: "var", name: array }, index }, right }
          : right;
        out.push({ kind: "store", array, index, value, source: noteOf(original) });
        return;
      }
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && ts.isElementAccessExpression(skipParens(e.operand))) {
      fail(Code.Unsupported, e, "write a[i] += 1 instead of incrementing an array element.");
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken) {
        const target = this.assignTarget(e.left);
        out.push({ kind: "assign", name: target.name, value: this.expr(e.right), source: noteOf(original) });
        return;
      }
      const compound = COMPOUND[op];
      const integer = COMPOUND_INTEGER[op];
      if (compound || integer) {
        const target = this.assignTarget(e.left);
        const left: Expr = { kind: "var", name: target.name };
        const value: Expr = compound
          ? { kind: "binary", op: compound, left, right: this.expr(e.right) }
          : { kind: "call", callee: { kind: "math", name: integer! }, args: [left, this.numeric(e.right)] };
        out.push({ kind: "assign", name: target.name, value, source: noteOf(original) });
        return;
      }
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = this.assignTarget(e.operand);
      const op = e.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-";
      out.push({
        kind: "assign",
        name: target.name,
        value: { kind: "binary", op, left: { kind: "var", name: target.name }, right: { kind: "num", value: 1 } },
        source: noteOf(original),
      });
      return;
    }
    if (ts.isCallExpression(e)) {
      fail(Code.Unsupported, e, "a call whose result is unused has only side effects, which tsgrad cannot differentiate; remove it or use its result.");
    }
    fail(Code.Unsupported, e, "this expression statement cannot be differentiated; use an assignment.");
  }

  private assignTarget(target: ts.Expression): { name: string; type: Type } {
    if (!ts.isIdentifier(target)) {
      if (ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) {
        const root = rootIdentifier(target);
        const local = root && this.local(root);
        if (local && this.isParameterSymbol(root)) {
          fail(Code.ParamMutation, target, `assigning into parameter '${root.text}' mutates the caller's value; copy it into a local first.`);
        }
        if (!local) fail(Code.OuterMutation, target, "assigning into a value from outside the differentiated function is a side effect tsgrad cannot differentiate; return the value instead.");
      }
      return fail(Code.Unsupported, target, "only local variables can be assigned in differentiated code.");
    }
    const local = this.local(target);
    if (!local) {
      fail(Code.OuterMutation, target, `'${target.text}' is declared outside the differentiated function; assigning to it is a side effect tsgrad cannot differentiate. Use a local variable.`);
    }
    return local;
  }

  /** The local array `a` of `a[i] = ...`; parameters and outer arrays are refused. */
  private storeTarget(target: ts.ElementAccessExpression): string {
    const base = rootIdentifier(target);
    if (base && this.local(base) && this.isParameterSymbol(base)) {
      fail(Code.ParamMutation, target, `writing into parameter '${base.text}' mutates the caller's value; copy it first (tensor(...)) and write the copy.`);
    }
    const root = skipParens(target.expression);
    if (!ts.isIdentifier(root)) fail(Code.Unsupported, target, "store into a local array variable: a[i] = ...");
    const local = this.local(root);
    if (local && this.isParameterSymbol(root)) {
      fail(Code.ParamMutation, target, `writing into parameter '${root.text}' mutates the caller's array; copy it first (tensor(${root.text})) and write the copy.`);
    }
    if (!local) fail(Code.OuterMutation, target, `'${root.text}' is declared outside the differentiated function; writing into it is a side effect tsgrad cannot differentiate.`);
    if (!isArrayType(local.type)) fail(Code.UnsupportedType, target, `'${root.text}' is not an array of numbers.`);
    return local.name;
  }

  /** An array read by an expression: a variable, or a temporary holding a computed array. */
  private arrayOperand(e: ts.Expression): Expr {
    e = skipParens(e);
    const field = this.field(e);
    if (field) {
      if (!isArrayType(field.type)) fail(Code.UnsupportedType, e, "expected an array of numbers (number[] or Float64Array).");
      return { kind: "var", name: field.name };
    }
    if (ts.isElementAccessExpression(e)) {
      // A row of an array of arrays: xs[i] in xs[i][j] or dot(w, xs[i]).
      const rows = parameterType(this.checker, e.expression, "this value");
      if (isArrayType(rows) && rows.rows) {
        return { kind: "index", array: this.arrayOperand(e.expression), index: this.numeric(e.argumentExpression) };
      }
    }
    if (ts.isIdentifier(e)) {
      const local = this.local(e);
      if (local && isArrayType(local.type)) return { kind: "var", name: local.name };
    }
    const type = subsetType(this.checker, e, "this value");
    if (!isArrayType(type)) fail(Code.UnsupportedType, e, "expected an array of numbers (number[] or Float64Array).");
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (this.depth > 0) {
      fail(Code.Unsupported, e, "compute this array at the top level of the function (const a = ...) and use the variable here.");
    }
    const name = this.names.fresh("_a");
    const init = this.arrayValue(e, name, type);
    if (init) this.pending.push({ kind: "let", name, type, init, mutable: false });
    return { kind: "var", name };
  }

  /**
   * The value of an array-typed initializer: an allocation, a runtime
   * constructor, an array literal; or undefined for map/map2, which become a
   * declaration of `target` and a loop that fills it (in `pending`), so the
   * callback is differentiated like any other code.
   */
  private arrayValue(e: ts.Expression, target: string, type: Type): Expr | undefined {
    e = skipParens(e);
    if (ts.isNewExpression(e) && this.isGlobal(e.expression, "Float64Array")) {
      const arg = e.arguments?.[0];
      if (!arg || e.arguments!.length !== 1 || subsetType(this.checker, arg, "the size") !== "number") {
        fail(Code.Unsupported, e, "create arrays as new Float64Array(n) with a length n.");
      }
      return { kind: "alloc", size: this.expr(arg) };
    }
    if (ts.isArrayLiteralExpression(e)) {
      return { kind: "tuple", items: e.elements.map((x) => {
        if (ts.isSpreadElement(x)) fail(Code.Unsupported, x, "spread in array literals is not supported; write the elements.");
        return this.numeric(x);
      }) };
    }
    if (ts.isCallExpression(e)) {
      const name = this.runtimeName(e);
      if (name === "map" || name === "map2") {
        if (!isArrayType(type) || type.array !== "f64") fail(Code.UnsupportedType, e, `${name} returns a Float64Array.`);
        this.mapCall(e, name, target);
        return undefined;
      }
      if (name && RUNTIME_ARRAYS.has(name)) {
        const args = e.arguments.map((a, i) => (name === "tensor" && i === 0 ? this.arrayOperand(a) : this.numeric(a)));
        return { kind: "call", callee: { kind: "runtime", name, node: runtimeCallName(e) ? undefined : (e.expression as ts.Identifier) }, args };
      }
    }
    if (ts.isIdentifier(e)) {
      fail(Code.Unsupported, e, "arrays cannot be aliased in differentiated code; copy with tensor(a) or index the original.");
    }
    return fail(Code.Unsupported, e, "tsgrad cannot differentiate how this array is made; use new Float64Array(n), zeros/ones/full/arange/linspace/tensor, an array literal, or map/map2.");
  }

  /**
   * `map(x, (xi) => body)` as `out = new Float64Array(x.length); for (i...) out[i] = body(x[i])`,
   * with the callback's body inlined so that it is differentiated like other code.
   */
  private mapCall(e: ts.CallExpression, name: "map" | "map2", out: string): void {
    const arrays = e.arguments.slice(0, name === "map" ? 1 : 2);
    const callback = e.arguments[arrays.length];
    if (!callback || e.arguments.length !== arrays.length + 1) fail(Code.Unsupported, e, `${name} takes ${arrays.length} array(s) and a callback.`);
    const operands = arrays.map((a) => this.arrayOperand(a));
    const fn = skipParens(callback);
    if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.length !== arrays.length) {
      fail(Code.Unsupported, callback, `pass ${name} an inline arrow with ${arrays.length} parameter(s), like (xi) => 10 * xi ** 3.`);
    }
    const i = this.names.fresh("i");
    const index: Expr = { kind: "var", name: i };
    const body: Stmt[] = [];
    fn.parameters.forEach((p, k) => {
      if (!ts.isIdentifier(p.name)) fail(Code.Unsupported, p, "destructured callback parameters are not supported.");
      const pname = this.declare(p.name, "number", false);
      body.push({ kind: "let", name: pname, type: "number", init: { kind: "index", array: operands[k]!, index }, mutable: false });
    });
    this.depth++;
    this.loops++;
    const inner = this.functionBody(fn);
    this.depth--;
    this.loops--;
    const length: Expr = { kind: "length", array: operands[0]! };
    if (name === "map2") {
      this.pending.push({ kind: "effect", call: { kind: "call", callee: { kind: "runtime", name: "checkMap2" }, args: [operands[0]!, operands[1]!] } });
    }
    this.pending.push(
      { kind: "let", name: out, type: { array: "f64" }, init: { kind: "alloc", size: length }, mutable: false, source: noteOf(e) },
      {
        kind: "loop",
        init: { kind: "let", name: i, type: "number", init: { kind: "num", value: 0 }, mutable: true },
        test: { kind: "binary", op: "<", left: index, right: length },
        update: [{ kind: "assign", name: i, value: { kind: "binary", op: "+", left: index, right: { kind: "num", value: 1 } } }],
        body: [...body, ...replaceReturns(inner, (value) => ({ kind: "store", array: out, index, value }))],
        doWhile: false,
        source: `${name}(...) callback`,
      },
    );
  }

  /** A function's body as statements (an expression body becomes a return). */
  private functionBody(fn: FunctionLike): Stmt[] {
    if (!fn.body) fail(Code.OpaqueCall, fn, "this function has no body.");
    return ts.isBlock(fn.body) ? this.block(fn.body.statements) : this.expressionBody(fn.body);
  }

  /** `(x) => e` as `return e`, after the statements e needs (a map() loop). */
  private expressionBody(body: ts.Expression): Stmt[] {
    const outer = this.pending;
    this.pending = [];
    const ret: Stmt = { kind: "return", value: this.numeric(body), source: `return ${noteOf(body)}`, origin: body };
    const out = [...this.pending, ret];
    for (const x of out) x.origin ??= body;
    this.pending = outer;
    return out;
  }

  /** The runtime function a call resolves to, if it is one of tsgrad's. */
  private runtimeName(call: ts.CallExpression): string | undefined {
    return runtimeCallName(call) ?? tsgradFunction(call, this.checker);
  }

  /** Whether `id` is a parameter, or a name for part of one: the caller's value, never written. */
  private isParameterSymbol(id: ts.Identifier): boolean {
    return this.local(id)?.parameter === true;
  }

  private local(id: ts.Identifier): Local | undefined {
    const binding = this.binding(id);
    return binding ? this.locals.get(binding) : undefined;
  }

  /** A boolean-valued expression (if/while test, ?: test). */
  private condition(e: ts.Expression): Expr {
    const x = this.expr(e, true);
    return x;
  }

  private expr(e: ts.Expression, booleanContext = false): Expr {
    if (ts.isParenthesizedExpression(e)) return this.expr(e.expression, booleanContext);
    if (ts.isNumericLiteral(e)) return { kind: "num", value: Number(e.text) };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { kind: "bool", value: true };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { kind: "bool", value: false };
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (ts.isPrefixUnaryExpression(e)) return this.prefix(e, booleanContext);
    if (ts.isBinaryExpression(e)) return this.binary(e, booleanContext);
    if (ts.isConditionalExpression(e)) {
      return { kind: "cond", test: this.condition(e.condition), then: this.expr(e.whenTrue), else: this.expr(e.whenFalse) };
    }
    if (ts.isCallExpression(e)) return this.call(e);
    const field = this.field(e);
    if (field) {
      if (field.type !== "number") fail(Code.UnsupportedType, e, "this field is an array; index it or pass it to a runtime function.");
      return { kind: "var", name: field.name };
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && !this.isGlobal(e.expression, "Math")) {
      return { kind: "length", array: this.arrayOperand(e.expression) };
    }
    if (ts.isPropertyAccessExpression(e)) return this.property(e);
    if (ts.isElementAccessExpression(e)) {
      return { kind: "index", array: this.arrayOperand(e.expression), index: this.numeric(e.argumentExpression) };
    }
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Function") {
      fail(Code.Eval, e, "new Function builds code at run time, which tsgrad cannot see; write the function in source.");
    }
    if (ts.isAwaitExpression(e) || ts.isYieldExpression(e)) {
      fail(Code.Async, e, "await and yield cannot be differentiated; differentiate a synchronous function.");
    }
    if (ts.isStringLiteral(e) || ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      fail(Code.UnsupportedType, e, "strings cannot be differentiated; keep them outside the differentiated function.");
    }
    return fail(Code.Unsupported, e, `a ${ts.SyntaxKind[e.kind]} cannot be differentiated; tsgrad supports arithmetic, Math functions, conditions and calls to your own functions.`);
  }

  private identifier(id: ts.Identifier): Expr {
    const local = this.local(id);
    if (local) return { kind: "var", name: local.name };
    if (id.text === "undefined") fail(Code.UnsupportedType, id, "undefined is not a number; differentiated code works on numbers.");
    const sym = this.checker.getSymbolAtLocation(id);
    const decl = sym && (sym.valueDeclaration ?? sym.declarations?.[0]);
    if (id.text === "Infinity" || id.text === "NaN") {
      if (decl && this.ctx.isLibDeclaration(decl)) return { kind: "num", value: id.text === "NaN" ? NaN : Infinity };
    }
    this.checkCapture(id, sym);
    subsetType(this.checker, id, `'${id.text}'`);
    return { kind: "free", name: id.text, node: id };
  }

  /** A name from an enclosing scope may be read only if nothing ever reassigns it. */
  private checkCapture(id: ts.Identifier, sym: ts.Symbol | undefined): void {
    let resolved = sym;
    if (resolved && resolved.flags & ts.SymbolFlags.Alias) resolved = this.checker.getAliasedSymbol(resolved);
    const decl = resolved?.valueDeclaration;
    if (!decl) return;
    if (ts.isVariableDeclaration(decl)) {
      const list = decl.parent;
      const isConst = ts.isVariableDeclarationList(list) && !!(list.flags & ts.NodeFlags.Const);
      if (!isConst && isReassigned(this.checker, decl)) {
        fail(Code.MutableCapture, id, `'${id.text}' is a mutable variable from an enclosing scope, so the derivative could read a stale value; pass it as a parameter or make it const.`);
      }
    }
  }

  private prefix(e: ts.PrefixUnaryExpression, booleanContext: boolean): Expr {
    switch (e.operator) {
      case ts.SyntaxKind.MinusToken:
        return { kind: "neg", arg: this.numeric(e.operand) };
      case ts.SyntaxKind.PlusToken:
        return this.numeric(e.operand);
      case ts.SyntaxKind.ExclamationToken:
        return { kind: "not", arg: this.expr(e.operand, true) };
      case ts.SyntaxKind.TildeToken:
        return { kind: "call", callee: { kind: "math", name: "~" }, args: [this.numeric(e.operand)] };
      default:
        void booleanContext;
        return fail(Code.Unsupported, e, "increment and decrement are supported only as statements (x++;).");
    }
  }

  /** An operand of arithmetic: must be a number, not a string or boolean. */
  private numeric(e: ts.Expression): Expr {
    subsetType(this.checker, skipParens(e), "this operand") === "number" ||
      fail(Code.UnsupportedType, e, "arithmetic on booleans cannot be differentiated; use a number.");
    return this.expr(e);
  }

  private binary(e: ts.BinaryExpression, booleanContext: boolean): Expr {
    const kind = e.operatorToken.kind;
    const arithmetic = ARITHMETIC[kind];
    if (arithmetic) {
      return { kind: "binary", op: arithmetic, left: this.numeric(e.left), right: this.numeric(e.right) };
    }
    const integer = INTEGER[kind];
    if (integer) {
      // `a % b` (differentiable almost everywhere) and the integer operators, by their rules.
      return { kind: "call", callee: { kind: "math", name: integer }, args: [this.numeric(e.left), this.numeric(e.right)] };
    }
    const comparison = COMPARISON[kind];
    if (comparison) {
      return { kind: "binary", op: comparison, left: this.expr(e.left), right: this.expr(e.right) };
    }
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
      if (!booleanContext && subsetType(this.checker, e, "this expression") !== "boolean") {
        fail(Code.UnsupportedType, e, "&& and || are supported on conditions only; use ?: to choose between numbers.");
      }
      const op = kind === ts.SyntaxKind.AmpersandAmpersandToken ? "&&" : "||";
      return { kind: "binary", op, left: this.expr(e.left, true), right: this.expr(e.right, true) };
    }
    if (kind === ts.SyntaxKind.EqualsToken || COMPOUND[kind]) {
      fail(Code.Unsupported, e, "assignments inside expressions are not supported; write the assignment as its own statement.");
    }
    return fail(Code.Unsupported, e.operatorToken, `the operator '${ts.tokenToString(e.operatorToken.kind)}' cannot be differentiated.`);
  }

  private property(e: ts.PropertyAccessExpression): Expr {
    if (this.isGlobal(e.expression, "Math")) {
      const value = MATH_CONSTANTS[e.name.text];
      if (value !== undefined) return { kind: "free", name: `Math.${e.name.text}` };
    }
    return fail(Code.Unsupported, e, "property access cannot be differentiated here; pass the value as a number parameter.");
  }

  /** Whether `e` names the global `name` from the default library (not a user shadow). */
  private isGlobal(e: ts.Expression, name: string): boolean {
    if (!ts.isIdentifier(e) || e.text !== name) return false;
    const sym = this.checker.getSymbolAtLocation(e);
    const decl = sym?.declarations?.[0];
    return !!decl && this.ctx.isLibDeclaration(decl);
  }

  private call(e: ts.CallExpression): Expr {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      if (this.isGlobal(callee.expression, "Math")) return this.mathCall(e, callee.name.text);
      if (this.isGlobal(callee.expression, "Date")) {
        fail(Code.Impure, e, "Date functions give a different value on every call, so they have no derivative; pass the time in as a parameter.");
      }
      if (this.isGlobal(callee.expression, "performance")) {
        fail(Code.Impure, e, "performance.now() gives a different value on every call; pass the time in as a parameter.");
      }
    }
    const runtime = this.runtimeName(e);
    if (runtime && RUNTIME_REDUCTIONS.has(runtime)) {
      const arity = RUNTIME_REDUCTIONS.get(runtime)!;
      if (e.arguments.length !== arity) fail(Code.Unsupported, e, `${runtime} takes ${arity} argument(s).`);
      const args = e.arguments.map((a) => this.arrayOperand(a));
      // A call desugaring wrote has no user identifier: it is emitted through tsgrad's import.
      const node = runtimeCallName(e) ? undefined : (callee as ts.Identifier);
      return { kind: "call", callee: { kind: "runtime", name: runtime, node }, args };
    }
    if (runtime) {
      fail(Code.Unsupported, e, `${runtime}() makes an array; assign it to a const first (const a = ${runtime}(...)).`);
    }
    if (ts.isIdentifier(callee) && callee.text === "eval" && this.isGlobal(callee, "eval")) {
      fail(Code.Eval, e, "eval runs code tsgrad cannot see; write the computation in source.");
    }
    const custom = this.ctx.customFunction(callee);
    if (custom) {
      const params = custom.ir().params;
      if (e.arguments.length !== params.length) {
        fail(Code.Unsupported, e, `'${userText(callee)}' takes ${params.length} argument(s) but is called with ${e.arguments.length}.`);
      }
      const args = e.arguments.map((a, i) => (isArrayType(params[i]!.type) ? this.arrayOperand(a) : this.expr(a)));
      return { kind: "call", callee: { kind: "fn", fn: custom, node: ts.isIdentifier(callee) ? callee : undefined }, args };
    }
    const decl = this.ctx.resolveFunction(callee);
    if (!decl || !decl.body) {
      fail(Code.OpaqueCall, e, `tsgrad cannot see the body of '${userText(callee)}', so it cannot differentiate through it. ` +
        `Call a function defined in your program, or wrap this one with customGrad(f, rule).`);
    }
    if (!ts.isIdentifier(callee)) {
      fail(Code.Unsupported, callee, "call user functions by name (f(x)); method calls cannot be differentiated.");
    }
    if (decl.asteriskToken || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, e, `'${callee.text}' is a generator or async function, which cannot be differentiated.`);
    }
    const declParams = realParameters(decl);
    if (e.arguments.length !== declParams.length) {
      fail(Code.Unsupported, e, `'${callee.text}' takes ${declParams.length} argument(s) but is called with ${e.arguments.length}; pass every argument explicitly.`);
    }
    const args = e.arguments.map((a) => this.expr(a));
    return { kind: "call", callee: { kind: "fn", fn: this.ctx.functionRef(decl, callee), node: callee }, args };
  }

  private mathCall(e: ts.CallExpression, name: string): Expr {
    if (isImpureMath(name)) {
      fail(Code.Impure, e, `Math.${name}() gives a different value on every call, so it has no derivative; draw the random numbers outside and pass them in.`);
    }
    const rule = mathRule(name);
    if (!rule) {
      fail(Code.UnknownMath, e, `Math.${name} has no derivative rule in tsgrad; see the README for the supported Math functions.`);
    }
    if (rule.arity !== "n" && e.arguments.length !== rule.arity) {
      fail(Code.Unsupported, e, `Math.${name} takes ${rule.arity} argument(s) here.`);
    }
    if (rule.arity === "n" && e.arguments.length === 0) {
      fail(Code.Unsupported, e, `Math.${name}() needs at least one argument.`);
    }
    return { kind: "call", callee: { kind: "math", name }, args: e.arguments.map((a) => this.numeric(a)) };
  }
}

/** A function's parameters without a TypeScript `this` parameter (which is not an argument). */
export function realParameters(fn: FunctionLike): readonly ts.ParameterDeclaration[] {
  return fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Statements with every (tail) return replaced, for inlining a callback into a loop body. */
function replaceReturns(stmts: readonly Stmt[], make: (value: Expr) => Stmt): Stmt[] {
  return singleExit(stmts).map((s): Stmt => {
    if (s.kind === "return") return { ...make(s.value), source: s.source };
    if (s.kind === "if") return { ...s, then: replaceReturns(s.then, make), else: replaceReturns(s.else, make) };
    return s;
  });
}

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  while (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) {
    e = e.expression;
  }
  return ts.isIdentifier(e) ? e : undefined;
}

/** Whether any code in the declaring file assigns to the variable after its declaration. */
function isReassigned(checker: ts.TypeChecker, decl: ts.VariableDeclaration): boolean {
  const target = checker.getSymbolAtLocation(decl.name);
  if (!target) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const root = rootIdentifier(n.left);
      if (root && checker.getSymbolAtLocation(root) === target) found = true;
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const root = rootIdentifier(n.operand);
      if (root && checker.getSymbolAtLocation(root) === target) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.getSourceFile());
  return found;
}
