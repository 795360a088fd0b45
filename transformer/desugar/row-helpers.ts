// Rows of a matrix made by a helper. Takes: the callback of `R.map(cb)` whose
// value is a local number[][] (matrices.ts), where `cb` names a helper of the
// program that returns a row (`scores.map(softmax)`) or calls one for its value
// (`scores.map((row) => softmax(row))`, `(row, i) => scale(row, w[i])`).
// Guarantees: the callback as an arrow written in place — its parameters, the
// helper's statements (locals renamed, one copy per use, its parameters bound to
// the arguments) placed before its value, and the expression the helper returns
// as the value — so the matrix pass fills each row from the helper's last
// expression as it would from a callback written out by hand. A helper it
// cannot place that way (more than one return, a recursion, a rest parameter)
// is left as a call, whose row the matrix pass copies in.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { isRecursive } from "../inline.js";
import { someNode } from "../walk.js";
// A cycle (index.ts lists the passes), read only when a pass runs, once both modules are loaded.
import { desugarBefore } from "./index.js";
import { isNewLocal, like, newLocal, skipParens, visitChildren } from "./synth.js";

/** A map callback as the matrix pass reads it: its parameters, the statements before its value, and the value. */
export interface RowCallback {
  readonly params: ts.BindingName[];
  readonly body?: ts.Expression;
  readonly before?: readonly ts.Statement[];
}

type Key = ts.Symbol | ts.Identifier;

/**
 * `softmax` passed as the callback of `R.map`: `(row) => { ...softmax's
 * statements; return <its value> }`, the helper's own parameters (renamed) the
 * callback's — JavaScript gives the helper the row, then the index, as it
 * gives an arrow. Undefined when `e` names no helper of the program that can be
 * placed so.
 */
export function helperCallback(e: ts.Expression, ctx: DesugarContext): RowCallback | undefined {
  e = skipParens(e);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const resolved = ctx.resolveFunction(e);
  if (!resolved) return undefined;
  const decl = placeable(resolved, ctx);
  // JavaScript passes (row, index, array); a helper reading the array too is left to the copy.
  if (!decl || decl.parameters.length > 2 || decl.parameters.some((p) => !ts.isIdentifier(p.name) || p.dotDotDotToken)) return undefined;
  const fresh = freshNames(decl, ctx.checker);
  const params = decl.parameters.map((p) => fresh.get(ctx.checker.getSymbolAtLocation(p.name)!));
  if (params.some((p) => !p)) return undefined;
  // A default is what the helper takes when it is given nothing, but map gives it the index: the parameter is the index.
  const copy = copyOf(decl, ctx.checker, new Map(), fresh);
  return { params: params as ts.Identifier[], before: copy.statements, body: copy.value };
}

/**
 * `(row, i) => softmax(row)`: the callback with the helper its value calls
 * placed in it, its parameters bound to the call's arguments (a name read as
 * itself, anything else a const computed once, as the call evaluates it).
 */
export function withHelperInlined(cb: RowCallback, ctx: DesugarContext): RowCallback | undefined {
  const call = cb.body && skipParens(cb.body);
  if (!call || !ts.isCallExpression(call) || call.arguments.some(ts.isSpreadElement)) return undefined;
  const resolved = ctx.resolveFunction(call.expression);
  if (!resolved) return undefined;
  const decl = placeable(resolved, ctx);
  if (!decl || call.arguments.length > decl.parameters.length) return undefined;
  const { checker } = ctx;
  const fresh = freshNames(decl, checker);
  const bound = new Map<Key, ts.Expression>();
  const binds: ts.Statement[] = [];
  for (const [k, p] of decl.parameters.entries()) {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken) return undefined;
    const symbol = checker.getSymbolAtLocation(p.name);
    const own = symbol && fresh.get(symbol);
    if (!symbol || !own) return undefined;
    const arg = call.arguments[k];
    if (!arg && !p.initializer) return undefined;
    // A default reads the parameters before it, as bound so far.
    const value = arg ?? (substituted(p.initializer!, checker, bound, fresh) as ts.Expression);
    // A name the helper never assigns is read where the caller has it (as JavaScript passes the same value or array).
    if (ts.isIdentifier(skipParens(value)) && !assigned(decl, symbol, checker)) bound.set(symbol, skipParens(value));
    else binds.push(declareConst(own, value, p));
  }
  const copy = copyOf(decl, checker, bound, fresh);
  return { params: cb.params, before: [...(cb.before ?? []), ...binds, ...copy.statements], body: copy.value };
}

/** The helper desugared as far as the matrix pass, when its body is statements then one return (or one expression). */
function placeable(resolved: FunctionLike, ctx: DesugarContext): FunctionLike | undefined {
  if (!resolved.body || isRecursive(resolved, (c) => ctx.resolveFunction(c))) return undefined;
  if (resolved.asteriskToken || resolved.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  const decl = desugarBefore("matrices", resolved, ctx);
  const body = decl.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return decl;
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression || body.statements.slice(0, -1).some(returns)) return undefined;
  return decl;
}

/** Every name the helper declares as a new local of the same text: one copy per use. */
function freshNames(decl: FunctionLike, checker: ts.TypeChecker): Map<ts.Symbol, ts.Identifier> {
  const fresh = new Map<ts.Symbol, ts.Identifier>();
  for (const id of declaredIn(decl)) {
    const symbol = checker.getSymbolAtLocation(id);
    if (symbol && !fresh.has(symbol)) fresh.set(symbol, newLocal(id.text, checker.getTypeAtLocation(id), id));
  }
  return fresh;
}

/** `node` with the helper's parameters bound and its locals renamed. */
function substituted(node: ts.Node, checker: ts.TypeChecker, bound: ReadonlyMap<Key, ts.Expression>, fresh: ReadonlyMap<ts.Symbol, ts.Identifier>): ts.Node {
  const visit = (n: ts.Node): ts.Node => {
    if (ts.isIdentifier(n)) {
      const key: Key | undefined = isNewLocal(n) ? n : checker.getSymbolAtLocation(n);
      const by = key && (bound.get(key) ?? (isNewLocal(n) ? undefined : fresh.get(key as ts.Symbol)));
      if (by) return by;
    }
    if (ts.isShorthandPropertyAssignment(n)) {
      // `{ mean }` of a renamed local: the property keeps its name, its value is the copy's local.
      const s = checker.getShorthandAssignmentValueSymbol(n);
      const by = s && (bound.get(s) ?? fresh.get(s));
      if (by) return like(ts.factory.createPropertyAssignment(n.name.text, by), n);
    }
    return visitChildren(n, visit);
  };
  return visit(node);
}

/** The helper's statements before its return, and the value it returns, as one copy. */
function copyOf(decl: FunctionLike, checker: ts.TypeChecker, bound: ReadonlyMap<Key, ts.Expression>, fresh: ReadonlyMap<ts.Symbol, ts.Identifier>): { statements: ts.Statement[]; value: ts.Expression } {
  const body = decl.body!;
  const statements = ts.isBlock(body) ? body.statements.slice(0, -1) : [];
  const value = ts.isBlock(body) ? (body.statements[body.statements.length - 1] as ts.ReturnStatement).expression! : body;
  return { statements: statements.map((x) => substituted(x, checker, bound, fresh) as ts.Statement), value: substituted(value, checker, bound, fresh) as ts.Expression };
}

function declareConst(name: ts.Identifier, value: ts.Expression, from: ts.Node): ts.Statement {
  const f = ts.factory;
  const d = like(f.createVariableDeclaration(name, undefined, undefined, value), from);
  return like(f.createVariableStatement(undefined, f.createVariableDeclarationList([d], ts.NodeFlags.Const)), from);
}

/** Whether the helper assigns its parameter `symbol` a new value. */
function assigned(decl: FunctionLike, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (!decl.body) return false;
  return someNode(decl.body, (n) => {
    const target =
      ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
        ? skipParens(n.left)
        : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
          ? skipParens(n.operand)
          : undefined;
    return !!target && ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol;
  });
}

/** The names a helper declares: its parameters and every local of its body, callbacks' parameters included. */
export function declaredIn(fn: FunctionLike): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const names = (b: ts.BindingName): void => {
    if (ts.isIdentifier(b)) out.push(b);
    else for (const e of b.elements) if (!ts.isOmittedExpression(e)) names(e.name);
  };
  const stack: ts.Node[] = [fn];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isVariableDeclaration(n) || ts.isParameter(n)) names(n.name);
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n)) && n !== fn && n.name) out.push(n.name);
    ts.forEachChild(n, (c) => void stack.push(c));
  }
  return out;
}

/** Whether `s` has a return statement of its own (not of a function inside it). */
function returns(s: ts.Node): boolean {
  return someNode(s, ts.isReturnStatement, (n) => !ts.isFunctionLike(n));
}
