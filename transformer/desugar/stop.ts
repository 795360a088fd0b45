// Desugaring: stopGradient reads. Takes: a function. Guarantees: stopGradient
// is applied only to what is read: `stopGradient(p).w` becomes
// `stopGradient(p.w)` and `stopGradient(xs)[i]` becomes `stopGradient(xs[i])`,
// so a structure's fields and an array's elements reach lowering as the numbers
// and arrays it knows, each marked constant for the derivative. The value is
// the same: stopGradient is the identity.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { tsgradFunction } from "../recognise.js";
import { STOP_GRADIENT } from "../stop.js";
import { runtimeCall, runtimeCallName, typed, visitChildren } from "./synth.js";

export function pushStopGradient(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const isStop = (e: ts.Expression): e is ts.CallExpression =>
    ts.isCallExpression(e) && e.arguments.length === 1 && (runtimeCallName(e) ?? tsgradFunction(e, checker)) === STOP_GRADIENT;

  const visit = (node: ts.Node): ts.Node => {
    const inner = visitChildren(node, visit);
    if (!ts.isPropertyAccessExpression(inner) && !ts.isElementAccessExpression(inner)) return inner;
    let object: ts.Expression = inner.expression;
    while (ts.isParenthesizedExpression(object)) object = object.expression;
    if (!isStop(object)) return inner;
    // The access's type is the user's (`stopGradient(p).w` has the type of `p.w`).
    const type = checker.getTypeAtLocation(node);
    const value = object.arguments[0]!;
    const read = ts.isPropertyAccessExpression(inner)
      ? typed(ts.factory.createPropertyAccessExpression(value, inner.name), type, node)
      : typed(ts.factory.createElementAccessExpression(value, inner.argumentExpression), type, node);
    return runtimeCall(STOP_GRADIENT, [read], type, node);
  };
  return ts.visitEachChild(fn, visit, undefined);
}
