// The few statements the array-method pass writes, typed and positioned at the
// user's call they stand for (synth.ts), so lowering reads them like user code.

import { ts } from "../../ts.js";
import { Build, like, shownAsWritten, typed } from "../synth.js";

const f = ts.factory;

/** `for (let i = start; i < bound; i++) { body }`. */
export function forLoop(i: ts.Identifier, start: ts.Expression, bound: ts.Expression, body: ts.Statement[], from: ts.Node, build: Build): ts.Statement {
  const number = build.checker.getNumberType();
  const init = f.createVariableDeclarationList([like(f.createVariableDeclaration(i, undefined, undefined, start), from)], ts.NodeFlags.Let);
  const test = build.test(i, ts.SyntaxKind.LessThanToken, bound, from);
  const step = typed(f.createPostfixIncrement(i), number, from);
  return like(f.createForStatement(like(init, from), test, step, like(f.createBlock(body, true), from)), from);
}

/**
 * `for (let i = start; searching && i < bound; i++) { body }`: a search that
 * stops by its condition, not by `break`, so that lowering sees a loop it runs
 * forward only when nothing in it is differentiated (a `break` makes it record
 * each iteration's exit for the backward sweep).
 */
export function searchLoop(i: ts.Identifier, start: ts.Expression, searching: ts.Expression, bound: ts.Expression, body: ts.Statement[], from: ts.Node, build: Build): ts.Statement {
  const number = build.checker.getNumberType();
  const init = f.createVariableDeclarationList([like(f.createVariableDeclaration(i, undefined, undefined, start), from)], ts.NodeFlags.Let);
  const test = build.test(searching, ts.SyntaxKind.AmpersandAmpersandToken, build.test(i, ts.SyntaxKind.LessThanToken, bound, from), from);
  const step = typed(f.createPostfixIncrement(i), number, from);
  return like(f.createForStatement(like(init, from), test, step, like(f.createBlock(body, true), from)), from);
}

/** `for (let i = bound - 1; i >= 0; i--) { body }`, for reduceRight. */
export function backwardLoop(i: ts.Identifier, bound: ts.Expression, body: ts.Statement[], from: ts.Node, build: Build): ts.Statement {
  const number = build.checker.getNumberType();
  const last = typed(f.createBinaryExpression(bound, ts.SyntaxKind.MinusToken, build.number(1, from)), number, from);
  const init = f.createVariableDeclarationList([like(f.createVariableDeclaration(i, undefined, undefined, last), from)], ts.NodeFlags.Let);
  const test = build.test(i, ts.SyntaxKind.GreaterThanEqualsToken, build.number(0, from), from);
  const step = typed(f.createPostfixDecrement(i), number, from);
  return like(f.createForStatement(like(init, from), test, step, like(f.createBlock(body, true), from)), from);
}

/** `name++;` */
export function increment(name: ts.Identifier, from: ts.Node, build: Build): ts.Statement {
  return like(f.createExpressionStatement(typed(f.createPostfixIncrement(name), build.checker.getNumberType(), from)), from);
}

/** `array[index] = value;` */
export function store(array: ts.Identifier, index: ts.Expression, value: ts.Expression, type: ts.Type, from: ts.Node, build: Build): ts.Statement {
  const target = build.element(array, index, type, from);
  return like(f.createExpressionStatement(typed(f.createAssignment(target, value), type, from)), from);
}

/** `array.push(value);` */
export function push(array: ts.Identifier, value: ts.Expression, from: ts.Node, build: Build): ts.Statement {
  const method = typed(f.createPropertyAccessExpression(array, "push"), build.checker.getAnyType(), from);
  const call = typed(f.createCallExpression(method, undefined, [value]), build.checker.getNumberType(), from);
  return like(f.createExpressionStatement(call), from);
}

/** `if (test) { then }`. */
export function ifThen(test: ts.Expression, then: ts.Statement[], from: ts.Node, otherwise?: ts.Statement[]): ts.Statement {
  const other = otherwise && otherwise.length > 0 ? like(f.createBlock(otherwise, true), from) : undefined;
  // The test reads as written (`if (i === 0)`), not as the user call it stands for.
  return like(f.createIfStatement(shownAsWritten(test), like(f.createBlock(then, true), from), other), from);
}

/** `break;` */
export function breakOut(from: ts.Node): ts.Statement {
  return like(f.createBreakStatement(), from);
}

/** `!test`, a boolean. */
export function not(test: ts.Expression, from: ts.Node, build: Build): ts.Expression {
  const operand = ts.isIdentifier(test) || ts.isCallExpression(test) || ts.isElementAccessExpression(test) || ts.isPropertyAccessExpression(test)
    ? test
    : typed(f.createParenthesizedExpression(test), build.checker.getTypeAtLocation(test), from);
  return typed(f.createPrefixUnaryExpression(ts.SyntaxKind.ExclamationToken, operand), build.checker.getBooleanType(), from);
}

/** `true` or `false`. */
export function bool(value: boolean, from: ts.Node, build: Build): ts.Expression {
  return typed(value ? f.createTrue() : f.createFalse(), build.checker.getBooleanType(), from);
}

/** `const name = value` that the pass wrote (`// adjoint of: x = xs[i]`), standing for the user node `from`. */
export function bind(name: ts.BindingName, value: ts.Expression | undefined, flags: ts.NodeFlags, from: ts.Node): ts.Statement {
  const decl = shownAsWritten(like(f.createVariableDeclaration(name, undefined, undefined, value), from));
  return like(f.createVariableStatement(undefined, f.createVariableDeclarationList([decl], flags)), from);
}
