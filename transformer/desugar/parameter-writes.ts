// Whether a helper writes into what it is given. Takes: a helper of the
// program and a parameter position. Guarantees: a description of the first
// write into that parameter's value (`'v[j] = ...'`, `'reach[0] = ...'`,
// `'v.push(...)'`), also through a local naming it or a helper it hands it on
// to, or undefined when the helper only reads it. Passes that give a helper a
// copy of a value JavaScript would pass by reference (row-arguments.ts,
// element-arguments.ts) refuse a helper that writes, since the write would
// not reach the caller's value.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { skipParens } from "./synth.js";
import { forEachNode } from "../walk.js";

/** Methods that change the array they are called on. */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "fill", "sort", "reverse", "copyWithin", "set"]);

/** How `helper` writes into its parameter at `index`, or undefined. */
export function parameterWrite(helper: FunctionLike, index: number, ctx: Pick<DesugarContext, "resolveFunction" | "checker">): string | undefined {
  return writtenParameter(helper, index, ctx, new Set());
}

/**
 * How `helper` writes into its parameter at `index` (`'values[i] = ...'`), also
 * through a local naming it or a helper it hands it on to; else undefined.
 */
function writtenParameter(helper: FunctionLike, index: number, ctx: Pick<DesugarContext, "resolveFunction" | "checker">, seen: Set<string>): string | undefined {
  const p = helper.parameters[index];
  if (!p || !helper.body) return undefined;
  if (!ts.isIdentifier(p.name)) return undefined;
  const key = `${helper.pos}:${helper.getSourceFile().fileName}:${index}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const { checker } = ctx;
  const names = new Set<ts.Symbol>();
  const own = checker.getSymbolAtLocation(p.name);
  if (own) names.add(own);
  const names1 = (e: ts.Expression): boolean => {
    e = skipParens(e);
    while (ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = skipParens(e.expression);
    const s = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    return !!s && names.has(s);
  };
  let found: string | undefined;
  forEachNode(helper.body, (n) => {
    if (found) return false;
    // `const v = values`: another name for the same array.
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.name) && names1(n.initializer)) {
      const s = checker.getSymbolAtLocation(n.name);
      if (s) names.add(s);
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = skipParens(n.left);
      if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && names1(target.expression)) found = `'${target.getText()} ${n.operatorToken.getText()} ...'`;
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = skipParens(n.operand);
      if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && names1(target.expression)) found = `'${n.getText()}'`;
    }
    if (ts.isCallExpression(n)) {
      const callee = skipParens(n.expression);
      if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.text) && names1(callee.expression)) found = `'${callee.getText()}(...)'`;
      n.arguments.forEach((a, k) => {
        if (found || !names1(a)) return;
        const next = ctx.resolveFunction(n.expression);
        const inner = next?.body ? writtenParameter(next, k, ctx, seen) : undefined;
        if (inner) found = `through '${n.expression.getText()}': ${inner}`;
      });
    }
  });
  return found;
}
