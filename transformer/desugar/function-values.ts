// Functions passed as values. Takes: from the classes pass's inliner
// (classes.ts), a call whose arguments are functions the compiler can see
// (`layer(x, Math.tanh)`, `fit(data, huber)`), a helper whose function
// parameter is left to its default, a call through a name or field bound to a
// function (`act(z)`, `UNIT.act(z)`), and `c ? f : g` called.
// Guarantees: each such call is the function inlined at the call, with the
// names it captured where it was written bound again (a closure a helper
// returns), a chosen function inlined in each branch of its `?:`, a Math
// function called as it is: no function value is left for lowering.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext } from "../lower.js";
import { tsgradFunction } from "../recognise.js";
import { isNewLocal, skipParens, typed, userText } from "./synth.js";
import { classOf } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { isFunctionArrayType } from "./function-arrays.js";
import { isFunctionRecordType } from "./function-fields.js";
import { functionLabel, inline, once } from "./inline-bodies.js";
import type { Frame, Sink, Value } from "./inlined-values.js";

/**
 * `UNIT.act` of a module-level (or enclosing) `const UNIT = { w: 2, act: Math.tanh }`:
 * the function its literal gives the field, which never changes; else undefined.
 */
export function constantField(inliner: Inliner, callee: ts.PropertyAccessExpression): (Value & { kind: "fn" }) | undefined {
  const object = skipParens(callee.expression);
  if (!ts.isIdentifier(object) || isNewLocal(object) || !isFunctionRecordType(inliner.checker, inliner.typeOf(object))) return undefined;
  // Not a new local: its key is its symbol (an import resolved to what it names).
  const symbol = inliner.key(object) as ts.Symbol | undefined;
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !(decl.parent.flags & ts.NodeFlags.Const) || !decl.initializer || inliner.declaredInside(symbol)) return undefined;
  let literal = skipParens(decl.initializer);
  while (ts.isAsExpression(literal) || ts.isSatisfiesExpression(literal)) literal = skipParens(literal.expression);
  if (!ts.isObjectLiteralExpression(literal)) return undefined;
  const property = literal.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === callee.name.text);
  const value = property && ts.isPropertyAssignment(property) ? property.initializer : property && ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
  if (!value) return undefined;
  const fn = ts.isShorthandPropertyAssignment(property!) ? inliner.shorthand(property, { self: undefined, rename: true }) : inliner.value(value, { self: undefined, rename: true }, undefined);
  return fn.kind === "fn" ? fn : undefined;
}

/** `act(z)` where `act` is bound to a function: that function inlined, or the Math function called. */
export function callFunctionValue(inliner: Inliner, fnValue: Value & { kind: "fn" }, e: ts.CallExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
  if (fnValue.choice) {
    // Each function inlined where the test chooses it: its arguments are computed once, before.
    const { test, then, otherwise } = fnValue.choice;
    const args = e.arguments.map((a) => once(inliner, inliner.value(a, frame, out), "arg", 2, a, out));
    const branch = (fn: Value & { kind: "fn" }): ts.Expression => {
      const value = fn.decl?.body ? inline(inliner, fn.decl, undefined, args, e, undefined, functionLabel(fn.ref)) : { kind: "expr" as const, node: typed(ts.factory.createCallExpression(fn.ref, undefined, args.map((a, i) => inliner.asExpr(a, e.arguments[i]!))), inliner.typeOf(e), e) };
      return inliner.asExpr(value ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing, so its value cannot be used; call it as a statement, or return a value from it.`), e);
    };
    return { kind: "expr", node: inliner.build.cond(test, branch(then), branch(otherwise), inliner.typeOf(e), e) };
  }
  const args = e.arguments.map((a) => inliner.value(a, frame, out));
  return callWith(inliner, fnValue, args, e, out, statement);
}

/** `fnValue` called with `args` at `e`: inlined with the names it captured bound again, or the Math function called. */
export function callWith(inliner: Inliner, fnValue: Value & { kind: "fn" }, args: readonly Value[], e: ts.CallExpression, out: Sink, statement: boolean): Value | undefined {
  if (fnValue.decl?.body) {
    const restored = [...(fnValue.captured ?? [])].filter(([key]) => !inliner.env.has(key));
    for (const [key, v] of restored) inliner.env.set(key, v);
    try {
      return inline(inliner, fnValue.decl, undefined, args, e, out, functionLabel(fnValue.ref), statement);
    } finally {
      for (const [key] of restored) inliner.env.delete(key);
    }
  }
  const call = ts.factory.createCallExpression(fnValue.ref, undefined, args.map((a, i) => inliner.asExpr(a, e.arguments[i] ?? e)));
  return { kind: "expr", node: typed(call, inliner.typeOf(e), e) };
}

export function isFunctionArgument(a: ts.Expression, checker: ts.TypeChecker): boolean {
  // Arithmetic and literals are never functions: no need to ask the checker (slow deep in a long expression).
  if (isNeverFunction(a)) return false;
  const t = checker.getTypeAtLocation(a);
  return ts.isArrowFunction(a) || ts.isFunctionExpression(a) || t.getCallSignatures().length > 0 || isFunctionArrayType(checker, t);
}

/**
 * Whether `call` leaves a function parameter of a helper of the program to its
 * default (`predict(net, x)` of `predict(net, x, act: Act = softplus)`): the
 * helper is then given that function, and is specialised to it as to one passed.
 */
export function defaultsAFunction(call: ts.CallExpression, ctx: DesugarContext): boolean {
  // A call of nothing with a body first: tsgradFunction resolves the call's signature, which checks every argument.
  const decl = ctx.resolveFunction(call.expression);
  if (!decl?.body || tsgradFunction(call, ctx.checker)) return false;
  return decl.parameters.some((p, i) => {
    if (!p.initializer || p.dotDotDotToken) return false;
    const arg = call.arguments[i];
    const omitted = !arg || ts.isVoidExpression(skipParens(arg));
    return omitted && isFunctionArgument(p.initializer, ctx.checker);
  });
}

/**
 * Whether the classes pass specialises `call` to what it is given, read from
 * types before that pass runs: a function or a class instance passed (or a
 * function parameter left to its default), an instance or a function returned.
 * It inlines such a call wherever the helper is declared, another file too
 * (branches.ts asks, through inline.ts's inlinedWithStatements).
 */
export function isSpecialisedCall(call: ts.CallExpression, ctx: DesugarContext): boolean {
  if (tsgradFunction(call, ctx.checker)) return false;
  const checker = ctx.checker;
  const instance = (e: ts.Expression): boolean => !!classOf(checker, checker.getTypeAtLocation(e));
  if (call.arguments.some((a) => isFunctionArgument(a, checker) || instance(a))) return true;
  return instance(call) || checker.getTypeAtLocation(call).getCallSignatures().length > 0 || defaultsAFunction(call, ctx);
}

/** An argument whose syntax alone says it is no function: a literal, or an arithmetic, comparison or unary operation. */
function isNeverFunction(a: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(a)) a = a.expression;
  if (ts.isLiteralExpression(a) || ts.isPrefixUnaryExpression(a) || ts.isPostfixUnaryExpression(a) || ts.isTemplateExpression(a)) return true;
  if (!ts.isBinaryExpression(a)) return false;
  const op = a.operatorToken.kind;
  // `a && f`, `a ?? f`, `a || f`, `(x, f)` and assignments may give a function.
  return !(op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken ||
    op === ts.SyntaxKind.CommaToken || (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment));
}
