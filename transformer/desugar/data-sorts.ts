// Desugaring: sorting data by any comparator (an argsort). Takes: a sort the
// sorts pass found (sort.ts) whose comparator is not `a - b` or `b - a`.
// Guarantees: when the array sorted holds data — numbers made only of the
// index a map or Array.from gives its callback, literals and lengths
// (`residuals.map((_, i) => i)`, `Array.from({ length: n }, (_, i) => i)`, or a
// const holding one) — and the comparator only reads (Math functions and
// methods of the default library, no writes outside itself), the sort is a
// passive marker run as written in the forward sweep, given the values of the
// names it reads, and then a constant copy (`stopGradient`): the permutation
// is data. Its order depends on differentiated values only through the
// comparisons, whose derivative is zero almost everywhere (as a branch's; JAX's
// argsort), so nothing is lost; what the indices then select (`order.map((i)
// => residuals[i]!)`) is differentiated as any read by index. Anything else is
// left to sort.ts, which refuses it.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { passiveMarker } from "../passive.js";
import { STOP_GRADIENT } from "../stop.js";
import { forEachNode } from "../walk.js";
import { like, runtimeCall, skipParens, typed } from "./synth.js";

/** `sort` (the user's call, as written) as a constant copy of its passive result, if it sorts data by a comparator that only reads. */
export function dataSort(sort: ts.CallExpression, fn: FunctionLike, ctx: DesugarContext): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(sort.expression)) return undefined;
  const receiver = sort.expression.expression;
  const { checker } = ctx;
  const comparator = sort.arguments[0] && skipParens(sort.arguments[0]);
  if (!comparator || (!ts.isArrowFunction(comparator) && !ts.isFunctionExpression(comparator))) return undefined;
  const scope = ts.getOriginalNode(fn);
  if (!holdsData(receiver, checker, scope) || !onlyReads(comparator, checker, (d) => ctx.isLibDeclaration(d))) return undefined;
  const holes = new Map<ts.Identifier, number>();
  const args: ts.Expression[] = [];
  const bySymbol = new Map<ts.Symbol, number>();
  forEachNode(sort, (n) => {
    if (ts.isTypeNode(n)) return false;
    if (!ts.isIdentifier(n) || !isValueRead(n)) return true;
    const symbol = checker.getSymbolAtLocation(n);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    // Names of the function read from inside the sort are given their values; module constants stay as written.
    if (!symbol || !decl || within(decl, sort) || !within(decl, scope)) return false;
    let at = bySymbol.get(symbol);
    if (at === undefined) {
      at = args.length;
      bySymbol.set(symbol, at);
      args.push(like(ts.factory.createIdentifier(n.text), n));
    }
    holes.set(n, at);
    return false;
  });
  const type = checker.getTypeAtLocation(sort);
  // A hole the user typed number[] may be a Float64Array tsgrad keeps (a map's result): emit.ts casts it.
  const arrays = new Set([...holes].filter(([id]) => checker.isArrayType(checker.getTypeAtLocation(id))).map(([, at]) => at));
  const marker = typed(passiveMarker(sort, holes, args, { arrays }), type, sort);
  return runtimeCall(STOP_GRADIENT, [marker], type, sort);
}

/**
 * Whether the array `e` holds data: a map (or Array.from of a length) whose
 * callback gives a number made of its index, literals and lengths, a copy of
 * one, or a const local holding one.
 */
function holdsData(e: ts.Expression, checker: ts.TypeChecker, scope: ts.Node, depth = 0): boolean {
  e = skipParens(e);
  if (depth > 4) return false;
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 1 && ts.isSpreadElement(e.elements[0]!) && holdsData(e.elements[0].expression, checker, scope, depth + 1);
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) || !within(decl, scope)) return false;
    return holdsData(decl.initializer, checker, scope, depth + 1);
  }
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
  const method = e.expression.name.text;
  const callback = e.arguments.length > 0 ? skipParens(e.arguments[e.arguments.length - 1]!) : undefined;
  if (method === "slice" && e.arguments.length <= 2) return e.arguments.every((a) => isData(a, new Set())) && holdsData(e.expression.expression, checker, scope, depth + 1);
  if (!callback || (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback))) return false;
  // `xs.map((_, i) => i)`: the index is data whatever xs holds; `Array.from({ length: n }, (_, i) => i)` likewise.
  const mapped = method === "map" && e.arguments.length === 1 && checker.isArrayType(checker.getTypeAtLocation(e.expression.expression));
  const from = method === "from" && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === "Array" && e.arguments.length === 2 && isLengthOnly(e.arguments[0]!);
  if (!mapped && !from) return false;
  const index = callback.parameters[1];
  const data = new Set<string>();
  if (index && ts.isIdentifier(index.name) && !index.initializer) data.add(index.name.text);
  const body = resultOf(callback);
  return !!body && isData(body, data);
}

/** `{ length: n }` of data. */
function isLengthOnly(e: ts.Expression): boolean {
  e = skipParens(e);
  if (!ts.isObjectLiteralExpression(e) || e.properties.length !== 1) return false;
  const p = e.properties[0]!;
  return ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "length" && isData(p.initializer, new Set());
}

/** A number made of the names in `data`, literals, `.length` reads and arithmetic. */
function isData(e: ts.Expression, data: ReadonlySet<string>): boolean {
  e = skipParens(e);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isIdentifier(e)) return data.has(e.text);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === "length" && !e.questionDotToken;
  if (ts.isPrefixUnaryExpression(e)) return (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken) && isData(e.operand, data);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const arithmetic = [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.PercentToken].includes(op);
    return arithmetic && isData(e.left, data) && isData(e.right, data);
  }
  return false;
}

/** The expression a callback returns: its body, or its one `return`. */
function resultOf(f: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(f.body)) return f.body;
  const only = f.body.statements.length === 1 ? f.body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** Whether the comparator calls only functions of the default library that change nothing, and assigns only its own names. */
function onlyReads(f: ts.ArrowFunction | ts.FunctionExpression, checker: ts.TypeChecker, isLibrary: (decl: ts.Declaration) => boolean): boolean {
  let ok = true;
  forEachNode(f.body, (n) => {
    if (!ok) return false;
    if (ts.isCallExpression(n)) {
      const callee = skipParens(n.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
      const decl = name && checker.getSymbolAtLocation(name)?.declarations?.[0];
      const library = !!decl && isLibrary(decl);
      const changes = ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.text);
      const impure = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && IMPURE.has(callee.expression.text) && callee.name.text === "random";
      if (!library || changes || impure) ok = false;
    }
    if (ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isDeleteExpression(n) || n.kind === ts.SyntaxKind.ThisKeyword) ok = false;
    const target = ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? n.left : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) ? n.operand : undefined;
    if (target) {
      const t = skipParens(target);
      const decl = ts.isIdentifier(t) ? checker.getSymbolAtLocation(t)?.valueDeclaration : undefined;
      if (!decl || !within(decl, f)) ok = false;
    }
    return ok;
  });
  return ok;
}

const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set", "add", "delete", "clear"]);
const IMPURE = new Set(["Math"]);

/** Whether `id` reads a value (not a property name or a declaration's name). */
function isValueRead(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

function within(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
