// Desugaring: the rest element of an array pattern over records. Takes: a
// function whose `const` declarations may bind `[first, ...rest]` from an
// array of records (`const [first, ...rest] = stops`). Guarantees:
// such a `rest` is declared as the part of the array it names,
// `const rest = stops.subarray(1)`, which the views pass reads in place
// (`rest[i]` is `stops[1 + i]`, a method or for...of walks stops from 1), and
// the pattern keeps the elements before it (`const [first] = stops`).
//
// Why a view and not a copy: JavaScript's rest array holds the same records as
// the source, so a copy (the destructuring pass's `zeros(n)` filled by index,
// right for numbers) would put each record in a second place, which tsgrad
// cannot follow. A view reads the one place. It is taken only where nothing
// could tell the two apart: the source is a name or a field read, and neither
// it nor `rest` is assigned, written through or changed by a method anywhere in
// the function (else the declaration is left as it was, and refused as before).
// Arrays of numbers, of rows and tuples are left to the destructuring pass.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { Build, like, skipParens, typed, visitChildren } from "./synth.js";

const MUTATORS = new Set(["push", "pop", "fill", "splice", "sort", "reverse", "shift", "unshift", "copyWithin", "set"]);

export function desugarRestElements(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node)) {
      const split = splitRest(node);
      if (split) return split;
    }
    return visitChildren(node, visit);
  };

  const splitRest = (x: ts.VariableStatement): ts.Statement[] | undefined => {
    const list = x.declarationList;
    if (!(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) return undefined;
    const d = list.declarations[0]!;
    if (!ts.isArrayBindingPattern(d.name) || !d.initializer) return undefined;
    const elements = d.name.elements;
    const last = elements[elements.length - 1];
    if (!last || ts.isOmittedExpression(last) || !last.dotDotDotToken || !ts.isIdentifier(last.name)) return undefined;
    const source = skipParens(d.initializer);
    if (!isPlainRead(source)) return undefined;
    const sourceType = checker.getTypeAtLocation(source);
    if (!checker.isArrayType(sourceType)) return undefined;
    const element = checker.getIndexTypeOfType(sourceType, ts.IndexKind.Number);
    // Records only: rows of a number[][] are laid out flat by the matrices pass, before this one.
    if (!element || every(element, ts.TypeFlags.NumberLike) || !(element.flags & ts.TypeFlags.Object)) return undefined;
    if (checker.isArrayType(element) || checker.isTupleType(element) || element.getCallSignatures().length > 0) return undefined;
    // Class instances are the classes pass's (kept as one array per field), not tested here.
    if (element.getSymbol()?.declarations?.some(ts.isClassLike)) return undefined;
    const restSymbol = checker.getSymbolAtLocation(last.name);
    const sourceSymbol = checker.getSymbolAtLocation(root(source));
    if (!restSymbol || !sourceSymbol || changes(fn, [restSymbol, sourceSymbol], checker)) return undefined;
    const out: ts.Statement[] = [];
    const before = elements.slice(0, -1);
    // `const [, ...rest] = xs` binds nothing before the rest: no pattern is left.
    if (before.some((e) => !ts.isOmittedExpression(e))) {
      const pattern = like(f.updateArrayBindingPattern(d.name, before), d.name);
      const declaration = like(f.updateVariableDeclaration(d, pattern, d.exclamationToken, d.type, d.initializer), d);
      out.push(like(f.updateVariableStatement(x, x.modifiers, like(f.updateVariableDeclarationList(list, [declaration]), list)), x));
    }
    const subarray = typed(f.createPropertyAccessExpression(source, "subarray"), checker.getAnyType(), last);
    const view = typed(f.createCallExpression(subarray, undefined, [build.number(before.length, last)]), checker.getTypeAtLocation(last.name), last);
    out.push(build.declare(last.name, view, ts.NodeFlags.Const, last));
    return out;
  };

  return visitChildren(fn, visit);
}

function isPlainRead(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  if (ts.isParenthesizedExpression(e)) return isPlainRead(e.expression);
  return false;
}

function root(e: ts.Expression): ts.Expression {
  while (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** Whether anything in `fn` assigns, writes through (`a[i].x = v`, `a[i].x++`) or changes by a method one of `symbols`. */
function changes(fn: FunctionLike, symbols: readonly ts.Symbol[], checker: ts.TypeChecker): boolean {
  let found = false;
  const rootIs = (e: ts.Expression): boolean => {
    const r = root(e);
    return ts.isIdentifier(r) && symbols.includes(checker.getSymbolAtLocation(r)!);
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && (rootIs(n.left) || !isSimpleTarget(n.left))) found = true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && rootIs(n.operand)) found = true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text) && rootIs(n.expression.expression)) found = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** A target that is not a pattern (a pattern could bind or write anything: the caller then gives up). */
function isSimpleTarget(e: ts.Expression): boolean {
  return !ts.isArrayLiteralExpression(e) && !ts.isObjectLiteralExpression(e);
}
