// `xs.slice(start, end)` walked by another method (`xs.slice(i + 1).forEach(...)`,
// `xs.slice(-3).reduce(...)`): the elements from start to end of xs itself, read in
// place, no copy made. The bounds follow JavaScript's: a negative one counts from
// the end, and both are clamped to the array; the callback's index counts from 0.
// A typed array's `subarray(start, end)` has the same bounds, and walked it reads
// the same elements: it is the same stream.

import { ts } from "../../ts.js";
import { Build, newLocal, typed } from "../synth.js";
import * as s from "./statements.js";
import type { Stream } from "./streams.js";

/** `xs.slice(...)` or `xs.subarray(...)` with at most two arguments, none spread. */
export function isSliceCall(e: ts.Expression): e is ts.CallExpression & { expression: ts.PropertyAccessExpression } {
  return (
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    !e.expression.questionDotToken &&
    (e.expression.name.text === "slice" || e.expression.name.text === "subarray") &&
    e.arguments.length <= 2 &&
    !e.arguments.some(ts.isSpreadElement)
  );
}

/**
 * The stream of `array.slice(start, end)`: `start` and `end` are plain reads
 * (or literals), evaluated once by the caller; `at` is where their bounds go.
 */
export function sliceStream(
  array: ts.Expression,
  elementType: ts.Type,
  start: ts.Expression | undefined,
  end: ts.Expression | undefined,
  from: ts.Node,
  build: Build,
  hoist: ts.Statement[],
): Stream {
  const number = build.checker.getNumberType();
  const n = build.length(array, from);
  const first = start ? bound(start, n, false, "start", from, build, hoist) : build.number(0, from);
  const last = end ? bound(end, n, true, "end", from, build, hoist) : n;
  const count = isZero(first) ? last : typed(ts.factory.createBinaryExpression(last, ts.SyntaxKind.MinusToken, first), number, from);
  return {
    from,
    elementType,
    length: isZero(first) && !end ? n : build.cond(build.test(count, ts.SyntaxKind.GreaterThanToken, build.number(0, from), from), count, build.number(0, from), number, from),
    nested: false,
    counted: isZero(first),
    each(body, counter) {
      const k = (isZero(first) ? counter : undefined) ?? newLocal("k", number, from);
      const index = (): ts.Expression => (isZero(first) ? k : typed(ts.factory.createBinaryExpression(k, ts.SyntaxKind.MinusToken, first), number, from));
      return [s.forLoop(k, first, last, body(build.element(array, k, elementType, from), index), from, build)];
    },
  };
}

/**
 * Where a slice bound falls in an array of length n: a non-negative literal is
 * itself (an end past n is n); anything else is computed once, into a const,
 * as JavaScript clamps it.
 */
function bound(e: ts.Expression, n: ts.Expression, isEnd: boolean, name: string, from: ts.Node, build: Build, hoist: ts.Statement[]): ts.Expression {
  const number = build.checker.getNumberType();
  const zero = build.number(0, from);
  const value = literal(e);
  const lessThan = (a: ts.Expression, b: ts.Expression): ts.Expression => build.test(a, ts.SyntaxKind.LessThanToken, b, from);
  const plus = (a: ts.Expression, b: ts.Expression): ts.Expression => typed(ts.factory.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, from);
  const atMostN = (x: ts.Expression): ts.Expression => build.cond(lessThan(x, n), x, n, number, from);
  // A start past the end runs no iteration (the loop's test fails), so only an end is clamped to n.
  if (value !== undefined && value >= 0) return isEnd ? plain(atMostN(e), name, from, build, hoist) : e;
  const x = plain(e, `${name}Arg`, from, build, hoist);
  const fromEnd = plus(n, x);
  const negative = build.cond(lessThan(zero, fromEnd), fromEnd, zero, number, from);
  return plain(build.cond(lessThan(x, zero), negative, isEnd ? atMostN(x) : x, number, from), name, from, build, hoist);
}

function plain(e: ts.Expression, name: string, from: ts.Node, build: Build, hoist: ts.Statement[]): ts.Expression {
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e)) return e;
  const local = newLocal(name, build.checker.getNumberType(), from);
  hoist.push(build.declare(local, e, ts.NodeFlags.Const, from));
  return local;
}

function literal(e: ts.Expression): number | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return undefined;
}

function isZero(e: ts.Expression): boolean {
  return ts.isNumericLiteral(e) && e.text === "0";
}
