// Desugaring: spread. Takes: a function whose calls and array literals may
// spread values (`f(...pair)`, `[...pair, z]`, `Math.max(...xs)`).
// Guarantees: a spread tuple is its elements (`pair[0], pair[1]`); a spread
// array in Math.max, Math.min or Math.hypot is the runtime reduction over it
// (`max(xs)`, `min(xs)`, `hypot(xs)`), whose adjoint splits ties evenly, as
// PyTorch's amax does; Math.max(...[]) is still -Infinity. Other spreads are
// left for lowering to refuse.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, runtimeCall, typed, visitChildren } from "./synth.js";

/** Math functions over any number of arguments, and the runtime reduction that takes an array instead. */
const REDUCTION: Record<string, { runtime: string; empty: number }> = {
  max: { runtime: "max", empty: -Infinity },
  min: { runtime: "min", empty: Infinity },
  // hypot, not norm: the runtime's Math.hypot over an array, so the value is f's to the bit.
  hypot: { runtime: "hypot", empty: 0 },
};

export function desugarSpread(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const checker = ctx.checker;
  const build = new Build(checker);
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (ts.isCallExpression(node) && node.arguments.some(ts.isSpreadElement)) {
      const reduction = mathReduction(node, ctx);
      const only = node.arguments.length === 1 ? node.arguments[0]! : undefined;
      // Math.max(...xs) alone is the reduction itself, not Math.max of one value.
      if (reduction && only && ts.isSpreadElement(only) && !tupleElements(only.expression, build)) {
        return like(spreadArgument(only, reduction, build)[0]!, node);
      }
      const args = node.arguments.flatMap((a) => (ts.isSpreadElement(a) ? spreadArgument(a, reduction, build) : [a]));
      return like(f.updateCallExpression(node, node.expression, node.typeArguments, args), node);
    }
    if (ts.isArrayLiteralExpression(node) && node.elements.some(ts.isSpreadElement)) {
      const items = node.elements.flatMap((e) => (ts.isSpreadElement(e) ? tupleElements(e.expression, build) ?? [e] : [e]));
      // Typed as the literal was (a rest parameter's number[] holds a spread tuple's elements).
      return typed(f.updateArrayLiteralExpression(node, items), checker.getTypeAtLocation(node), node);
    }
    return node;
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function spreadArgument(s: ts.SpreadElement, reduction: (typeof REDUCTION)[string] | undefined, build: Build): ts.Expression[] {
  const elements = tupleElements(s.expression, build);
  if (elements) return elements;
  if (!reduction) return [s];
  // Math.max(...xs) is max(xs), and -Infinity for an empty xs, as Math.max() is.
  const xs = s.expression;
  const number = build.checker.getNumberType();
  const value = runtimeCall(reduction.runtime, [xs], number, s);
  if (reduction.runtime === "hypot") return [value];
  const empty = build.test(build.length(xs, s), ts.SyntaxKind.EqualsEqualsEqualsToken, build.number(0, s), s);
  return [build.cond(empty, build.number(reduction.empty, s), value, number, s)];
}

/** `t[0], t[1], ...` for a tuple `t` of fixed length read by a plain name, else undefined. */
function tupleElements(e: ts.Expression, build: Build): ts.Expression[] | undefined {
  const checker = build.checker;
  const t = checker.getTypeAtLocation(e);
  if (!checker.isTupleType(t) || !(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))) return undefined;
  const target = (t as ts.TypeReference).target as ts.TupleType;
  if (target.hasRestElement || target.minLength !== target.fixedLength) return undefined;
  return checker.getTypeArguments(t as ts.TypeReference).map((type, i) => build.element(e, i, type, e));
}

/** The reduction for `Math.max(...)`, `Math.min(...)` or `Math.hypot(...)` of the default library. */
function mathReduction(call: ts.CallExpression, { checker, isLibDeclaration }: DesugarContext): (typeof REDUCTION)[string] | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== "Math") return undefined;
  const decl = checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
  if (!decl || !isLibDeclaration(decl)) return undefined;
  return Object.prototype.hasOwnProperty.call(REDUCTION, callee.name.text) ? REDUCTION[callee.name.text] : undefined;
}
