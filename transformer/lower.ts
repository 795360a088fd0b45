// Pass 1, lowering. Takes: a function the checker resolved (declaration, const
// arrow/function expression, inline arrow). Guarantees: an IR `Fn` with unique
// local names, or a DiffError located at the first construct outside the
// differentiable subset (SPEC §3).

import * as ts from "typescript";
import { Code, fail } from "./diagnostics.js";
import type { BinaryOp, Expr, Fn, FnRef, Param, Stmt, Type } from "./ir.js";
import { MATH_CONSTANTS, isImpureMath, mathRule } from "./rules/math.js";
import { NameScope } from "./names.js";

export type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export interface LowerContext {
  readonly checker: ts.TypeChecker;
  /** Whether a declaration belongs to the TypeScript default library (Math, Date...). */
  isLibDeclaration(decl: ts.Declaration): boolean;
  /** The plan's handle on a user function another function calls. */
  functionRef(decl: FunctionLike, callee: ts.Node): FnRef;
  /** The function a call resolves to, if the compiler can see its body. */
  resolveFunction(callee: ts.Expression): FunctionLike | undefined;
}

export function lowerFunction(fn: FunctionLike, name: string, ctx: LowerContext): Fn {
  return new Lowerer(fn, ctx).run(name);
}

/** The type of a value in the subset, or a located error naming what it is instead. */
export function subsetType(checker: ts.TypeChecker, node: ts.Node, what: string): Type {
  const t = checker.getTypeAtLocation(node);
  if (every(t, ts.TypeFlags.NumberLike)) return "number";
  if (every(t, ts.TypeFlags.BooleanLike)) return "boolean";
  return fail(
    Code.UnsupportedType,
    node,
    `${what} has type '${checker.typeToString(t)}'; tsgrad differentiates code over numbers ` +
      `(booleans only in conditions). Keep other values outside the differentiated function.`,
  );
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

const COMPOUND: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.PlusEqualsToken]: "+",
  [ts.SyntaxKind.MinusEqualsToken]: "-",
  [ts.SyntaxKind.AsteriskEqualsToken]: "*",
  [ts.SyntaxKind.SlashEqualsToken]: "/",
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: "**",
};

/** A one-line rendering of a user statement for `// adjoint of:` comments. */
function noteOf(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, " ").replace(/;$/, "");
  return text.length > 72 ? `${text.slice(0, 69)}...` : text;
}

class Lowerer {
  private readonly checker: ts.TypeChecker;
  /** Each local symbol's unique IR name. */
  private readonly locals = new Map<ts.Symbol, { name: string; type: Type; mutable: boolean }>();
  private readonly names: NameScope;

  constructor(
    private readonly fn: FunctionLike,
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
    const params: Param[] = fn.parameters.map((p) => this.param(p));
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
    const body = ts.isBlock(fn.body)
      ? this.block(fn.body.statements)
      : [{ kind: "return" as const, value: this.expr(fn.body), source: `return ${noteOf(fn.body)}` }];
    return { name, params, returnType: "number", body, origin: fn };
  }

  /** Identifiers the function reads but does not declare: generated locals must avoid them. */
  private freeNames(): string[] {
    const out: string[] = [];
    const declared = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        const parent = n.parent;
        const isDecl =
          (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === n;
        if (isDecl) declared.add(n.text);
        else out.push(n.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(this.fn);
    return out.filter((n) => !declared.has(n));
  }

  private param(p: ts.ParameterDeclaration): Param {
    if (!ts.isIdentifier(p.name)) {
      fail(Code.Unsupported, p, "destructured parameters are not supported yet; take the value as one parameter.");
    }
    if (p.dotDotDotToken) fail(Code.Unsupported, p, "rest parameters cannot be differentiated; pass an array.");
    if (p.initializer || p.questionToken) {
      fail(Code.Unsupported, p, "optional and default parameters cannot be differentiated; make the parameter required.");
    }
    const type = subsetType(this.checker, p, `parameter '${p.name.text}'`);
    return { name: this.declare(p.name, type, false), type };
  }

  private declare(id: ts.Identifier, type: Type, mutable: boolean): string {
    const symbol = this.checker.getSymbolAtLocation(id);
    if (!symbol) fail(Code.Internal, id, `no symbol for '${id.text}'.`);
    const name = this.names.fresh(id.text);
    this.locals.set(symbol, { name, type, mutable });
    return name;
  }

  private block(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of statements) {
      this.statement(s, out);
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
      out.push({
        kind: "if",
        test: this.condition(s.expression),
        then: this.branch(s.thenStatement),
        else: s.elseStatement ? this.branch(s.elseStatement) : [],
        source: `if (${noteOf(s.expression)})`,
      });
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
    if (ts.isIterationStatement(s, false)) {
      fail(Code.Unsupported, s, "loops are not differentiable in this version of tsgrad; write the computation without a loop.");
    }
    fail(Code.Unsupported, s, `a ${ts.SyntaxKind[s.kind]} cannot be differentiated; rewrite it with const/let, if/else and return.`);
  }

  private branch(s: ts.Statement): Stmt[] {
    return ts.isBlock(s) ? this.block(s.statements) : this.block([s]);
  }

  private variables(s: ts.VariableStatement, out: Stmt[]): void {
    const flags = s.declarationList.flags;
    if (!(flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) {
      fail(Code.Unsupported, s, "'var' is not supported in differentiated code; use const or let.");
    }
    const mutable = !(flags & ts.NodeFlags.Const);
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) fail(Code.Unsupported, d.name, "destructuring is not supported yet; declare one variable at a time.");
      const init = d.initializer ? this.expr(d.initializer) : undefined;
      const type = subsetType(this.checker, d.name, `'${d.name.text}'`);
      const name = this.declare(d.name, type, mutable);
      out.push({ kind: "let", name, type, init, mutable, source: noteOf(d) });
    }
  }

  private expressionStatement(s: ts.ExpressionStatement, out: Stmt[]): void {
    let e = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken) {
        const target = this.assignTarget(e.left);
        out.push({ kind: "assign", name: target.name, value: this.expr(e.right), source: noteOf(s) });
        return;
      }
      const compound = COMPOUND[op];
      if (compound) {
        const target = this.assignTarget(e.left);
        const value: Expr = { kind: "binary", op: compound, left: { kind: "var", name: target.name }, right: this.expr(e.right) };
        out.push({ kind: "assign", name: target.name, value, source: noteOf(s) });
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
        source: noteOf(s),
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

  private isParameterSymbol(id: ts.Identifier): boolean {
    const sym = this.checker.getSymbolAtLocation(id);
    return !!sym?.valueDeclaration && ts.isParameter(sym.valueDeclaration);
  }

  private local(id: ts.Identifier): { name: string; type: Type; mutable: boolean } | undefined {
    const sym = this.checker.getSymbolAtLocation(id);
    return sym ? this.locals.get(sym) : undefined;
  }

  /** A boolean-valued expression (if/while test, ?: test). */
  private condition(e: ts.Expression): Expr {
    const x = this.expr(e, true);
    return x;
  }

  private expr(e: ts.Expression, booleanContext = false): Expr {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) ||
        ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      return this.expr(e.expression, booleanContext);
    }
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
    if (ts.isPropertyAccessExpression(e)) return this.property(e);
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
      default:
        void booleanContext;
        return fail(Code.Unsupported, e, "increment and decrement are supported only as statements (x++;).");
    }
  }

  /** An operand of arithmetic: must be a number, not a string or boolean. */
  private numeric(e: ts.Expression): Expr {
    subsetType(this.checker, e, "this operand") === "number" ||
      fail(Code.UnsupportedType, e, "arithmetic on booleans cannot be differentiated; use a number.");
    return this.expr(e);
  }

  private binary(e: ts.BinaryExpression, booleanContext: boolean): Expr {
    const kind = e.operatorToken.kind;
    const arithmetic = ARITHMETIC[kind];
    if (arithmetic) {
      return { kind: "binary", op: arithmetic, left: this.numeric(e.left), right: this.numeric(e.right) };
    }
    if (kind === ts.SyntaxKind.PercentToken) {
      // a % b = a - b * trunc(a / b): a remainder is differentiable almost everywhere.
      const a = this.numeric(e.left);
      const b = this.numeric(e.right);
      return { kind: "call", callee: { kind: "math", name: "%" }, args: [a, b] };
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
    return fail(Code.Unsupported, e.operatorToken, `the operator '${e.operatorToken.getText()}' cannot be differentiated.`);
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
    if (ts.isIdentifier(callee) && callee.text === "eval" && this.isGlobal(callee, "eval")) {
      fail(Code.Eval, e, "eval runs code tsgrad cannot see; write the computation in source.");
    }
    const decl = this.ctx.resolveFunction(callee);
    if (!decl || !decl.body) {
      fail(Code.OpaqueCall, e, `tsgrad cannot see the body of '${callee.getText()}', so it cannot differentiate through it. ` +
        `Call a function defined in your program, or wrap this one with customGrad(f, rule).`);
    }
    if (!ts.isIdentifier(callee)) {
      fail(Code.Unsupported, callee, "call user functions by name (f(x)); method calls cannot be differentiated.");
    }
    if (decl.asteriskToken || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, e, `'${callee.text}' is a generator or async function, which cannot be differentiated.`);
    }
    const declParams = decl.parameters;
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
