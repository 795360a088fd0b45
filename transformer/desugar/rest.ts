// Desugaring: rest parameters. Takes: a function whose calls may pass any
// number of arguments to a user function with a rest parameter
// (`sum(a, b, c)`, `sum(...xs)` for `const sum = (...xs: number[]) => ...`).
// Guarantees: every such call passes the rest parameter one array — the
// spread array itself (`sum(...xs)` passes `xs`, whose gradient then flows to
// `xs`), or an array literal of the arguments (`sum(a, b, c)` passes
// `[a, b, c]`) — so lowering and differentiation see a plain array parameter.
// The generated functions keep the rest parameter in their signatures where it
// is last (see emit.ts), so a user calls a gradient as they call the function.
// Arrays spread among other arguments were joined into one array before
// (spread-operands.ts) where the call runs whenever its statement does; elsewhere
// (a `?:` branch, the right of `&&`, a spread of an array that is not a name) the
// arguments are joined by concat (`g(x, ...xs)` passes `[x].concat(xs)`), which
// the array-methods pass turns into the loops that fill the array, on the call's
// own path, as it does any concat.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { like, typed, visitChildren } from "./synth.js";

export function desugarRest(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (!ts.isCallExpression(node)) return node;
    const callee = ctx.resolveFunction(node.expression);
    const params = callee ? callee.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")) : [];
    const last = params[params.length - 1];
    if (!last?.dotDotDotToken) return node;
    const k = params.length - 1;
    // Arguments before the rest parameter that are spread leave the positions unknown: lowering refuses them.
    if (node.arguments.slice(0, k).some(ts.isSpreadElement) || node.arguments.length < k) return node;
    const rest = node.arguments.slice(k);
    const only = rest.length === 1 ? rest[0]! : undefined;
    const isArraySpread = (a: ts.Expression): a is ts.SpreadElement => ts.isSpreadElement(a) && !checker.isTupleType(checker.getTypeAtLocation(a.expression));
    const spreadArray = !!only && isArraySpread(only);
    const mixed = rest.find(isArraySpread);
    const restType = checker.getTypeAtLocation(last);
    const array = spreadArray
      ? (only as ts.SpreadElement).expression
      : mixed
        ? joined(rest, restType, node)
        : typed(ts.factory.createArrayLiteralExpression(rest), restType, rest[0] ?? node);
    return like(ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [...node.arguments.slice(0, k), array]), node);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** `[a, b].concat(xs, c, ys)` for the rest arguments `a, b, ...xs, c, ...ys` of `from`: the array JavaScript passes. */
function joined(rest: readonly ts.Expression[], type: ts.Type, from: ts.CallExpression): ts.Expression {
  const f = ts.factory;
  const lead = rest.findIndex(ts.isSpreadElement);
  // The array concat is called on: the first spread array, or the arguments before it.
  const receiver = lead === 0 ? (rest[0] as ts.SpreadElement).expression : typed(f.createArrayLiteralExpression(rest.slice(0, lead)), type, from);
  // A spread part is its array (concat spreads an array argument, a tuple too); any other is one element.
  const parts = rest.slice(lead === 0 ? 1 : lead).map((a) => (ts.isSpreadElement(a) ? a.expression : a));
  const method = like(f.createPropertyAccessExpression(receiver, "concat"), from);
  return typed(f.createCallExpression(method, undefined, parts), type, from);
}
