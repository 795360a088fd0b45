// Desugaring: objects merged with spread. Takes: a function that declares a
// `const` object from constants with spread and fields
// (`const options = { ...DEFAULTS, ...overrides, tolerance: 1e-9 }`) and only
// reads fields of it (`options.tolerance`). Guarantees: the declaration is
// gone and each read is the field as the merge gives it — the last part that
// has it, and for an optional field of a spread part, that part's field when
// it is set, else the earlier parts' (`overrides.tolerance !== undefined ?
// overrides.tolerance : DEFAULTS.tolerance`: a field set to undefined counts
// as absent, as TypeScript types the merge). The merged object is a constant
// for the derivative; lowering refuses a part it cannot read as one. Other
// uses of such an object (passing it on, writing it) are left for lowering.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, typed, userText, visitChildren } from "./synth.js";
import { forEachNode, someNode } from "../walk.js";

export function desugarObjectSpread(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const merged = new Map<ts.Symbol, ts.ObjectLiteralExpression>();
  // Which declarations qualify: a const of such a literal whose every use is a field read.
  // Found in the user's function, whose nodes know their parents (the uses are checked there).
  const user = ts.getParseTreeNode(fn) ?? fn;
  forEachNode(user, (n) => {
    if (ts.isVariableStatement(n) && n.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of n.declarationList.declarations) {
        const init = d.initializer && skipParens(d.initializer);
        const symbol = ts.isIdentifier(d.name) ? checker.getSymbolAtLocation(d.name) : undefined;
        if (symbol && init && ts.isObjectLiteralExpression(init) && init.properties.some(ts.isSpreadAssignment) && mergeable(init) && onlyFieldReads(user, symbol, d.name as ts.Identifier, checker)) {
          merged.set(symbol, init);
        }
      }
    }
  });
  if (merged.size === 0) return fn;
  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const name = node.declarationList.declarations[0]!.name;
      const symbol = ts.isIdentifier(name) ? checker.getSymbolAtLocation(name) : undefined;
      if (symbol && merged.has(symbol)) return [];
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isIdentifier(node.name)) {
      const symbol = checker.getSymbolAtLocation(node.expression);
      const literal = symbol && merged.get(symbol);
      if (literal) return like(field(literal, literal.properties.length, node.name.text, checker.getTypeAtLocation(node), build, node), node);
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** Parts this pass can read a field of: spreads of names and field paths, and `name: value` fields. */
function mergeable(e: ts.ObjectLiteralExpression): boolean {
  return e.properties.every((p) => {
    if (ts.isSpreadAssignment(p)) {
      const x = skipParens(p.expression);
      return ts.isIdentifier(x) || ts.isPropertyAccessExpression(x);
    }
    return (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) || ts.isShorthandPropertyAssignment(p);
  });
}

/** Whether every use of `symbol` in `fn` is a read of one of its fields. */
function onlyFieldReads(fn: ts.Node, symbol: ts.Symbol, declaration: ts.Identifier, checker: ts.TypeChecker): boolean {
  return !someNode(fn, (n) => {
    if (!ts.isIdentifier(n) || n === declaration || checker.getSymbolAtLocation(n) !== symbol) return false;
    const parent = n.parent;
    const read = ts.isPropertyAccessExpression(parent) && parent.expression === n && ts.isIdentifier(parent.name);
    const written = read && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent && parent.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    return !read || written;
  });
}

/** Field `key` of the merge of the first `count` parts of `literal`. */
function field(literal: ts.ObjectLiteralExpression, count: number, key: string, type: ts.Type, build: Build, from: ts.Node): ts.Expression {
  const checker = build.checker;
  for (let i = count - 1; i >= 0; i--) {
    const p = literal.properties[i]!;
    if (ts.isPropertyAssignment(p) && (p.name as ts.Identifier | ts.StringLiteral).text === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    if (!ts.isSpreadAssignment(p)) continue;
    const part = skipParens(p.expression);
    const property = checker.getTypeAtLocation(part).getProperty(key);
    if (!property) continue;
    const value = build.property(part, key, type, from);
    if (!(property.flags & ts.SymbolFlags.Optional)) return value;
    const set = build.test(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, undefinedValue(build, from), from);
    return build.cond(set, value, field(literal, i, key, type, build, from), type, from);
  }
  return undefinedValue(build, from);
}

function undefinedValue(build: Build, from: ts.Node): ts.Expression {
  return typed(ts.factory.createVoidZero(), build.checker.getUndefinedType(), from);
}

/**
 * Why a merge (`{ ...DEFAULTS, ...settings }`) that this pass left alone is
 * refused: it is used whole (destructured where it is made, passed on,
 * written), while tsgrad reads a merge field by field. Says which read to write.
 */
export function mergedWhole(e: ts.ObjectLiteralExpression, checker: ts.TypeChecker): string {
  const declared = ts.getParseTreeNode(e)?.parent;
  const name = declared && ts.isVariableDeclaration(declared) && ts.isIdentifier(declared.name) ? declared.name.text : undefined;
  const spread = e.properties.find(ts.isSpreadAssignment);
  const part = spread && ts.getParseTreeNode(spread.expression);
  const read = `${name ?? "options"}.${(part && checker.getTypeAtLocation(part).getProperties()[0]?.name) ?? "name"}`;
  return (
    `'${userText(e)}' merges objects with spread and is used as a whole value (destructured, passed on or written); tsgrad reads such a merge field by field. ` +
    (name ? `Read the fields of '${name}' where you need them (${read}) instead.` : `Declare it as a const (const options = ${userText(e)}) and read its fields where you need them (${read}).`)
  );
}
