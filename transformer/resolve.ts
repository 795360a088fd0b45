// Resolution. Takes: the expression a transform or a call names a function by.
// Guarantees: the function-like node whose body the compiler can see
// (declaration, const arrow/function expression, inline arrow, imported from
// another file of the program), or undefined.

import { ts } from "./ts.js";
import type { FunctionLike } from "./lower.js";

export function resolveFunction(expr: ts.Expression, checker: ts.TypeChecker): FunctionLike | undefined {
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) {
    expr = expr.expression;
  }
  if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return expr;
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return undefined;
  let symbol = checker.getSymbolAtLocation(expr);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl.body ? decl : undefined;
  if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) &&
      decl.parent.flags & ts.NodeFlags.Const) {
    let init = decl.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) {
      init = init.expression;
    }
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** The name a function is known by, for naming what is generated from it. */
export function functionName(fn: FunctionLike): string | undefined {
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    if (fn.name) return fn.name.text;
  }
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
