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
// A merge destructured where it is made (`const { alpha, tol = 1e-6 } =
// { ...DEFAULTS, ...settings }`) is read the same way: each name is declared
// as its field (then its default, when that field is undefined), as
// JavaScript's destructuring of the merged object gives it.

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
  if (merged.size === 0 && !someNode(user, isDestructuredMerge)) return fn;
  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.some(isDestructuredMerge)) {
      const list = node.declarationList;
      const declarations = list.declarations.flatMap((d) => (isDestructuredMerge(d) ? fields(d, build) : [d]));
      return visitChildren(like(ts.factory.updateVariableStatement(node, node.modifiers, like(ts.factory.updateVariableDeclarationList(list, declarations), list)), node), visit);
    }
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

/** `{ a, b: c, d = 1 } = { ...DEFAULTS, ...settings }`: names (no nesting, no rest) bound from a merge this pass reads. */
function isDestructuredMerge(n: ts.Node): n is ts.VariableDeclaration & { name: ts.ObjectBindingPattern; initializer: ts.ObjectLiteralExpression } {
  if (!ts.isVariableDeclaration(n) || !ts.isObjectBindingPattern(n.name) || !n.initializer) return false;
  const init = skipParens(n.initializer);
  if (!ts.isObjectLiteralExpression(init) || !init.properties.some(ts.isSpreadAssignment) || !mergeable(init)) return false;
  return n.name.elements.every((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && (!e.propertyName || ts.isIdentifier(e.propertyName) || ts.isStringLiteral(e.propertyName)));
}

/** Each name of `{ alpha, tol = 1e-6 } = merge` declared as the merge's field, its default where no part sets it. */
function fields(d: ts.VariableDeclaration & { name: ts.ObjectBindingPattern; initializer: ts.ObjectLiteralExpression }, build: Build): ts.VariableDeclaration[] {
  const checker = build.checker;
  const literal = skipParens(d.initializer) as ts.ObjectLiteralExpression;
  return d.name.elements.map((e) => {
    const name = e.name as ts.Identifier;
    const key = (e.propertyName as ts.Identifier | ts.StringLiteral | undefined)?.text ?? name.text;
    const type = checker.getTypeAtLocation(name);
    const value = field(literal, literal.properties.length, key, type, build, e, e.initializer);
    return like(ts.factory.createVariableDeclaration(name, undefined, undefined, value), d);
  });
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

/**
 * Field `key` of the merge of the first `count` parts of `literal`; where no
 * part sets it, `fallback` (a destructured name's default), else undefined.
 */
function field(literal: ts.ObjectLiteralExpression, count: number, key: string, type: ts.Type, build: Build, from: ts.Node, fallback?: ts.Expression): ts.Expression {
  const checker = build.checker;
  const orFallback = (value: ts.Expression, valueType: ts.Type, optional: boolean, rest: () => ts.Expression): ts.Expression => {
    // A value that may be undefined falls through to the earlier parts (then the default), as the merge and the pattern do.
    if (!optional && !(fallback && mayBeUndefined(valueType))) return value;
    const set = build.test(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, undefinedValue(build, from), from);
    return build.cond(set, value, rest(), type, from);
  };
  for (let i = count - 1; i >= 0; i--) {
    const p = literal.properties[i]!;
    const earlier = (): ts.Expression => field(literal, i, key, type, build, from, fallback);
    if (ts.isPropertyAssignment(p) && (p.name as ts.Identifier | ts.StringLiteral).text === key) return orFallback(p.initializer, checker.getTypeAtLocation(p.initializer), false, earlier);
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return orFallback(p.name, checker.getTypeAtLocation(p.name), false, earlier);
    if (!ts.isSpreadAssignment(p)) continue;
    const part = skipParens(p.expression);
    const property = checker.getTypeAtLocation(part).getProperty(key);
    if (!property) continue;
    const value = build.property(part, key, type, from);
    return orFallback(value, checker.getTypeOfSymbolAtLocation(property, part), !!(property.flags & ts.SymbolFlags.Optional), earlier);
  }
  return fallback ?? undefinedValue(build, from);
}

function mayBeUndefined(t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return t.isUnion() && t.types.some(mayBeUndefined);
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
