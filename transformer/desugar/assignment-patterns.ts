// Desugaring: destructuring assignments. Takes: a function whose statements
// may assign through a pattern of names (`[px, py] = [x, y]`, `[a, b] = [b, a]`,
// `[u, v] = pair`, `({ x, y } = point)`). Guarantees: each such statement is
// one assignment per name, in order; the values are all read before any name
// changes, through a local named after its target (`a_new`) when a value reads
// a name the statement assigns (a swap), as JavaScript evaluates the right
// side first. Patterns with defaults, rest elements or nesting are left for
// lowering to refuse.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, skipParens, typed, visitChildren } from "./synth.js";

export function desugarAssignmentPatterns(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isExpressionStatement(node)) {
      const e = skipParens(node.expression);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const out = assignEach(node, e.left, skipParens(e.right), build);
        if (out) return out;
      }
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}


/** What a pattern assigns: a name, or an element of an array read by name (`[xs[i], xs[j]] = [xs[j], xs[i]]`). */
type Target = ts.Identifier | ts.ElementAccessExpression;

function isElementTarget(e: ts.Expression): e is ts.ElementAccessExpression {
  return ts.isElementAccessExpression(e) && !e.questionDotToken && ts.isIdentifier(skipParens(e.expression));
}

/** The local holding a target's new value in a swap: `a_new`, `xs_i_new` for xs[i]. */
function newName(target: Target): string {
  if (ts.isIdentifier(target)) return `${target.text}_new`;
  const index = skipParens(target.argumentExpression);
  const root = (skipParens(target.expression) as ts.Identifier).text;
  return ts.isIdentifier(index) || ts.isNumericLiteral(index) ? `${root}_${index.text}_new` : `${root}_new`;
}

/** The names a pattern assigns, with the value each takes from `source`; undefined for a pattern this pass leaves alone. */
function targets(left: ts.Expression, source: ts.Expression, build: Build): [Target, ts.Expression][] | undefined {
  const checker = build.checker;
  if (ts.isArrayLiteralExpression(left)) {
    if (!left.elements.every((x) => ts.isIdentifier(x) || ts.isOmittedExpression(x) || isElementTarget(x))) return undefined;
    const items = ts.isArrayLiteralExpression(source) && !source.elements.some(ts.isSpreadElement) ? source.elements : undefined;
    if (items && items.length < left.elements.length) return undefined;
    const out: [Target, ts.Expression][] = [];
    left.elements.forEach((x, i) => {
      if (ts.isOmittedExpression(x) || ts.isSpreadElement(x)) return;
      if (!ts.isIdentifier(x) && !isElementTarget(x)) return;
      out.push([x, items ? items[i]! : build.element(source, i, checker.getTypeAtLocation(x), x)]);
    });
    return out;
  }
  if (ts.isObjectLiteralExpression(left)) {
    if (!left.properties.every((p) => ts.isShorthandPropertyAssignment(p) && !p.objectAssignmentInitializer)) return undefined;
    return left.properties.map((p) => {
      const name = (p as ts.ShorthandPropertyAssignment).name;
      return [name, build.property(source, name.text, checker.getTypeAtLocation(name), p)];
    });
  }
  return undefined;
}

function assignEach(statement: ts.ExpressionStatement, left: ts.Expression, right: ts.Expression, build: Build): ts.Statement[] | undefined {
  const f = ts.factory;
  const checker = build.checker;
  const literal = ts.isArrayLiteralExpression(right);
  // A value read once per name must be read by name: anything else is computed once first.
  const plain = literal || ts.isIdentifier(right) || ts.isPropertyAccessExpression(right);
  const before: ts.Statement[] = [];
  let source = right;
  if (!plain) {
    source = newLocal("values", checker.getTypeAtLocation(right), right);
    before.push(build.declare(source as ts.Identifier, right, ts.NodeFlags.Const, statement));
  }
  const pairs = targets(left, source, build);
  if (!pairs || pairs.length === 0) return undefined;
  // An element target changes its array, so a read of that array may read what it assigns.
  const assigned = new Set(pairs.map(([id]) => checker.getSymbolAtLocation(ts.isIdentifier(id) ? id : skipParens(id.expression))).filter((x) => x));
  const readsAssigned = (e: ts.Expression): boolean => {
    const visit = (n: ts.Node): boolean => (ts.isIdentifier(n) && assigned.has(checker.getSymbolAtLocation(n))) || (ts.forEachChild(n, visit) ?? false);
    return visit(e);
  };
  // A swap reads every value before it assigns any.
  const swap = pairs.some(([, value], i) => i > 0 && readsAssigned(value)) || (!literal && readsAssigned(source));
  const values = pairs.map(([id, value]) => {
    if (!swap) return value;
    const copy = newLocal(newName(id), checker.getTypeAtLocation(id), value);
    before.push(build.declare(copy, value, ts.NodeFlags.Const, statement));
    return copy;
  });
  const assigns = pairs.map(([id], i) =>
    like(f.createExpressionStatement(typed(f.createAssignment(id, values[i]!), checker.getTypeAtLocation(id), statement)), statement),
  );
  return [...before, ...assigns];
}
