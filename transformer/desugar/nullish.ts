// Desugaring: `??` and `?.`. Takes: a function that may guard values with
// `a ?? b`, `a?.b`, `a?.[i]` or `f?.(x)`. Guarantees: where the checker knows
// `a` is never null or undefined (a number, an array, a required field) the
// guard is gone — `a ?? b` is `a`, `a?.b` is `a.b` — as JavaScript evaluates
// them. A guard on a value that may be missing is left for lowering, which
// treats such values as constants or refuses them.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { like, visitChildren } from "./synth.js";

export function desugarNullish(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const f = ts.factory;
  const present = (e: ts.Expression): boolean => {
    const t = checker.getTypeAtLocation(e);
    const missing = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
    return !(t.flags & missing) && !(t.isUnion() && t.types.some((x) => x.flags & missing));
  };
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && present(node.left)) {
      return like(node.left, node);
    }
    if (ts.isPropertyAccessChain(node) && node.questionDotToken && present(node.expression)) {
      return like(f.createPropertyAccessExpression(node.expression, node.name), node);
    }
    if (ts.isElementAccessChain(node) && node.questionDotToken && present(node.expression)) {
      return like(f.createElementAccessExpression(node.expression, node.argumentExpression), node);
    }
    if (ts.isCallChain(node) && node.questionDotToken && present(node.expression)) {
      return like(f.createCallExpression(node.expression, node.typeArguments, node.arguments), node);
    }
    return node;
  };
  return ts.visitEachChild(fn, visit, undefined);
}
