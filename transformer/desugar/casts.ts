// Desugaring: casts. Takes: a function. Guarantees: no `as`, `<T>x`, `x!` or
// `satisfies` remains, and parentheses only where the grouping needs them —
// casts change no value, so lowering reads every operand as the value it is
// (`flag as unknown as number` is still the boolean `flag`, and refused as one);
// `x!` keeps its type without undefined.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { narrowed, visitChildren } from "./synth.js";

export function stripCasts(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isNonNullExpression(node)) {
      // `xs[i]!` is a number where `xs[i]` may be undefined: the value keeps the narrowed type.
      const inner = visit(node.expression);
      return narrowed(inner, checker.getNonNullableType(checker.getTypeAtLocation(node.expression)));
    }
    if (isTransparent(node)) return visit(node.expression);
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

type Transparent = ts.ParenthesizedExpression | ts.AsExpression | ts.TypeAssertion | ts.NonNullExpression | ts.SatisfiesExpression;

/** Parentheses or a cast (`as`, `satisfies`, `<T>`, `!`): the same value as what it wraps. */
export function isTransparent(node: ts.Node): node is Transparent {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) ||
    ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node);
}
