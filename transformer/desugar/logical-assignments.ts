// Desugaring: logical assignments. Takes: a function that may write `a ??= b`,
// `a ||= b` or `a &&= b`, where `a` is a name, a field path (`options.scale ??= 1`)
// or an element at an index that is a name or a literal (`w[k] ||= 1`).
// Guarantees: each is the plain assignment `a = a ?? b` (`||`, `&&`), typed as
// the user's expression, so the nullish pass, branches.ts and lowering read it
// as they read a `??`, `||` or `&&` the user wrote; on a number, `a ||= b` is
// `a = a ? a : b` and `a &&= b` is `a = a ? b : a` (what they mean: 0 and NaN
// are falsy), a choice lowering differentiates by the branch taken. JavaScript skips the write
// when `a` already decides the result; writing that same value back to a local,
// a record's field or an array element changes nothing tsgrad tracks. A target
// whose reading has an effect (`f().x ??= 1`, `w[i++] ||= 1`) is left as written,
// for lowering to refuse.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { typed, visitChildren } from "./synth.js";

const OPERATORS = new Map<ts.SyntaxKind, ts.BinaryOperator>([
  [ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.QuestionQuestionToken],
  [ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.BarBarToken],
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.AmpersandAmpersandToken],
]);

export function desugarLogicalAssignments(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (!ts.isBinaryExpression(node)) return node;
    const operator = OPERATORS.get(node.operatorToken.kind);
    if (operator === undefined || !isPlace(node.left)) return node;
    const type = checker.getTypeAtLocation(ts.getOriginalNode(node));
    const value = isNumber(type) && operator !== ts.SyntaxKind.QuestionQuestionToken
      ? typed(choice(node.left, operator, node.right), type, node)
      : typed(f.createBinaryExpression(node.left, operator, node.right), type, node);
    return typed(f.createAssignment(node.left, value), type, node);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/**
 * `a || b` and `a && b` on numbers as the `?:` they mean: `a ? a : b` and
 * `a ? b : a` (0 and NaN are falsy), which lowering differentiates by the
 * branch taken. It refuses `||` and `&&` between numbers.
 */
function choice(a: ts.Expression, operator: ts.BinaryOperator, b: ts.Expression): ts.Expression {
  const f = ts.factory;
  const [then, otherwise] = operator === ts.SyntaxKind.BarBarToken ? [a, b] : [b, a];
  return f.createConditionalExpression(a, f.createToken(ts.SyntaxKind.QuestionToken), then, f.createToken(ts.SyntaxKind.ColonToken), otherwise);
}

function isNumber(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.NumberLike) !== 0;
}

/** A name, or fields and elements of one at indices that are names or literals: reading it twice reads the same. */
function isPlace(e: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return !e.questionDotToken && isPlace(e.expression);
  if (ts.isElementAccessExpression(e)) {
    const index = e.argumentExpression;
    return !e.questionDotToken && (ts.isIdentifier(index) || ts.isNumericLiteral(index) || ts.isStringLiteralLike(index)) && isPlace(e.expression);
  }
  return false;
}
