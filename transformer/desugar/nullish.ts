// Desugaring: `??`, `?.` and tests of values that may be missing. Takes: a
// function that may guard values with `a ?? b`, `a?.b`, `a?.[i]`, `f?.(x)`,
// or test an optional object (`prior ? ... : 0`, `if (!options)`).
// Guarantees: where the checker knows `a` is never null or undefined (a
// number, an array, a required field) the guard is gone — `a ?? b` is `a`,
// `a?.b` is `a.b` — as JavaScript evaluates them; `a ?? b` on a name or a
// field path that may be missing (`delta ?? 1`, `prior?.mean ?? 0`) is the
// test JavaScript makes, spelled out: `delta !== undefined ? delta : 1`,
// `prior !== undefined && prior.mean !== undefined ? prior.mean : 0`, and
// `this.cell.limit ?? 0` in a method likewise (only
// the cases the type admits are tested; paths are read twice, which is the
// same value since reading a field has no effect); an object that may be
// missing, used as a condition, is `options !== undefined`; a `?:` that may
// give undefined is tested branch by branch (`(c ? x : undefined) ?? b` is
// `c ? x : b`). A guard on other
// values is left for lowering, which treats them as constants or refuses them.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { arrayKind, every } from "../types.js";
import { Build, like, runtimeCallName, typed, visitChildren } from "./synth.js";

const MISSING = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;

export function desugarNullish(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const f = ts.factory;
  const build = new Build(checker);
  const present = (e: ts.Expression): boolean => {
    // A record's entry by a key that is data (`FEES[stop]`) is typed as there, but may not be.
    if (isKeyedRead(e, checker)) return false;
    // An array's element by a computed index (`xs[i + 1] ?? xs[i]`) is typed as there, but is undefined past the end.
    if (isElementRead(e, checker)) return false;
    // `readings[i]?.hour`: missing when the element is, whatever the field's type says.
    let inner = e;
    while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
    if ((ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) && inner.questionDotToken && !present(inner.expression)) return false;
    const t = checker.getTypeAtLocation(e);
    return !(t.flags & MISSING) && !(t.isUnion() && t.types.some((x) => x.flags & MISSING));
  };
  const visit = (node: ts.Node): ts.Node => {
    // Conditions first: `prior ? a : b` tests `prior` before its parts are rewritten.
    node = testMissing(node, checker, build);
    node = visitChildren(node, visit);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      if (present(node.left)) return standIn(node.left, node);
      let left = node.left;
      while (ts.isParenthesizedExpression(left)) left = left.expression;
      // `undefined ?? b` is b.
      if (isMissing(left)) return standIn(node.right, node);
      // `(c ? x : undefined) ?? b` is `c ? x ?? b : undefined ?? b`: c, then x, then b only when x is missing, as before.
      if (ts.isConditionalExpression(left)) {
        const type = checker.getTypeAtLocation(node);
        const either = (x: ts.Expression): ts.Expression => visit(typed(f.createBinaryExpression(x, ts.SyntaxKind.QuestionQuestionToken, node.right), type, node)) as ts.Expression;
        return build.cond(left.condition, either(left.whenTrue), either(left.whenFalse), type, node);
      }
      const guarded = guard(node.left, checker, build);
      if (guarded) {
        const type = checker.getTypeAtLocation(node);
        return build.cond(guarded.test, guarded.value, node.right, type, node);
      }
      return node;
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

/**
 * `x` in place of `node`. A node a pass already rebuilt keeps the user code it
 * stands for: pointed at `node` instead, a call rebuilt from
 * `stopGradient((c) ? a : b)` would no longer be the user's call to the
 * checker, and be refused as a function whose body tsgrad cannot see.
 */
function standIn(x: ts.Expression, node: ts.Node): ts.Expression {
  return x.flags & ts.NodeFlags.Synthesized && ts.getOriginalNode(x) !== x ? x : like(x, node);
}

/**
 * `table[key]` with a string key on a record with an index signature
 * (`Record<string, number>`), or whose keys may be missing
 * (`Partial<Record<Dept, number>>`): the key may be absent.
 */
function isKeyedRead(e: ts.Expression, checker: ts.TypeChecker): e is ts.ElementAccessExpression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isElementAccessExpression(e) || ts.isStringLiteralLike(e.argumentExpression)) return false;
  const object = checker.getTypeAtLocation(e.expression);
  if (checker.isArrayType(object) || checker.isTupleType(object)) return false;
  if (!every(checker.getTypeAtLocation(e.argumentExpression), ts.TypeFlags.StringLike)) return false;
  if (checker.getIndexInfoOfType(object, ts.IndexKind.String)) return true;
  const t = checker.getTypeAtLocation(e);
  return t.isUnion() && t.types.some((x) => x.flags & ts.TypeFlags.Undefined);
}

/**
 * `xs[i]`, `xs[i + 1]`, `xs[5]` of an array (`number[]`, `Float64Array`, not a
 * tuple): its type says a number, but past the end it is undefined, which is
 * what a `??` after it is for (a constant index too: the array's length is data).
 */
function isElementRead(e: ts.Expression, checker: ts.TypeChecker): e is ts.ElementAccessExpression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isElementAccessExpression(e)) return false;
  const object = checker.getTypeAtLocation(e.expression);
  return !checker.isTupleType(object) && (checker.isArrayType(object) || arrayKind(checker, object) !== undefined);
}

/** Math functions an index may be clamped or rounded with: the same value each time they are given the same numbers. */
const INDEX_MATH = new Set(["max", "min", "floor", "ceil", "round", "trunc", "abs"]);

/** An index that reads the same when evaluated twice: names, numbers, `.length`, arithmetic of these and clamps (`Math.max(0, t - lag)`). */
function isPlainIndex(e: ts.Expression, checker: ts.TypeChecker): boolean {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return e.name.text === "length" && isPlainIndex(e.expression, checker);
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.MinusToken && isPlainIndex(e.operand, checker);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const arithmetic = op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken || op === ts.SyntaxKind.PercentToken;
    return arithmetic && isPlainIndex(e.left, checker) && isPlainIndex(e.right, checker);
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && INDEX_MATH.has(e.expression.name.text) && isGlobalMath(e.expression.expression, checker)) {
    return e.arguments.every((a) => !ts.isSpreadElement(a) && isPlainIndex(a, checker));
  }
  return false;
}

/** Whether `e` is the global `Math` (declared by the default library, not shadowed). */
function isGlobalMath(e: ts.Expression, checker: ts.TypeChecker): boolean {
  if (!ts.isIdentifier(e) || e.text !== "Math") return false;
  const declarations = checker.getSymbolAtLocation(e)?.declarations;
  return !!declarations && declarations.length > 0 && declarations.every((d) => d.getSourceFile().isDeclarationFile);
}

/** `undefined`, `null` or `void 0` as written. */
function isMissing(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === "undefined") || e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e);
}

/** `e !== undefined` (and `!== null`), for the cases the type of `e` admits. */
function definedTest(e: ts.Expression, type: ts.Type, build: Build, from: ts.Node): ts.Expression | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const tests: ts.Expression[] = [];
  const f = ts.factory;
  if (parts.some((x) => x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void))) {
    const missing = typed(f.createVoidZero(), build.checker.getUndefinedType(), from);
    tests.push(build.test(e, ts.SyntaxKind.ExclamationEqualsEqualsToken, missing, from));
  }
  if (parts.some((x) => x.flags & ts.TypeFlags.Null)) {
    tests.push(build.test(e, ts.SyntaxKind.ExclamationEqualsEqualsToken, typed(f.createNull(), build.checker.getNullType(), from), from));
  }
  return tests.reduce<ts.Expression | undefined>((all, t) => (all ? build.test(all, ts.SyntaxKind.AmpersandAmpersandToken, t, from) : t), undefined);
}

/**
 * For a name or field path `e` that may be missing (`delta`, `prior?.mean`,
 * `options.years`): the test that it is present, and its value once it is.
 */
function guard(e: ts.Expression, checker: ts.TypeChecker, build: Build): { test: ts.Expression; value: ts.Expression } | undefined {
  const path = presentPath(e, checker, build);
  if (!path) return undefined;
  // A keyed read's own test was made by presentPath (`!== undefined`): null is still tested.
  const keyed = isKeyedRead(e, checker);
  const type = keyed ? checker.getNonNullableType(checker.getTypeAtLocation(e)) : checker.getTypeAtLocation(e);
  const own = definedTest(path.value, type, build, e);
  const tests = [...path.tests, ...(own ? [own] : [])];
  if (tests.length === 0) return undefined;
  const test = tests.reduce((all, t) => build.test(all, ts.SyntaxKind.AmpersandAmpersandToken, t, e));
  return { test, value: path.value };
}

/** `p?.a.b` as `p.a.b`, with the tests that each `?.` stood for; undefined for anything but a path of names and fields. */
function presentPath(e: ts.Expression, checker: ts.TypeChecker, build: Build): { tests: ts.Expression[]; value: ts.Expression } | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  // `this.cell.maxCurrentA ?? limit` in a method: `this` is the same instance each time it is read.
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return { tests: [], value: e };
  // The key is read twice: a name, or the key a walk over a record keyed by strings is at (desugar/keyed.ts).
  const key = ts.isElementAccessExpression(e) ? e.argumentExpression : undefined;
  if (key && isKeyedRead(e, checker) && (ts.isIdentifier(key) || (ts.isCallExpression(key) && runtimeCallName(key) === "keyAt"))) {
    const object = presentPath(e.expression, checker, build);
    if (!object || e.questionDotToken) return undefined;
    const value = build.element(object.value, e.argumentExpression, checker.getNonNullableType(checker.getTypeAtLocation(e)), e);
    const missing = typed(ts.factory.createVoidZero(), checker.getUndefinedType(), e);
    return { tests: [...object.tests, build.test(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, missing, e)], value };
  }
  // An array's element past the end is undefined: tested, then read (the index is read twice, so it must be plain).
  if (key && isElementRead(e, checker)) {
    const object = presentPath(e.expression, checker, build);
    if (!object || e.questionDotToken || !isPlainIndex(key, checker)) return undefined;
    const value = build.element(object.value, key, checker.getTypeAtLocation(e), e);
    const missing = typed(ts.factory.createVoidZero(), checker.getUndefinedType(), e);
    return { tests: [...object.tests, build.test(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, missing, e)], value };
  }
  if (!ts.isPropertyAccessExpression(e) || ts.isPrivateIdentifier(e.name)) return undefined;
  const object = presentPath(e.expression, checker, build);
  if (!object) return undefined;
  const tests = [...object.tests];
  if (e.questionDotToken) {
    const test = definedTest(object.value, checker.getTypeAtLocation(e.expression), build, e.expression);
    if (test) tests.push(test);
  }
  const type = checker.getNonNullableType(checker.getTypeAtLocation(e));
  return { tests, value: build.property(object.value, e.name.text, type, e) };
}

/** `options` used as a condition, when it is an object that may be missing: `options !== undefined`. */
function testMissing(node: ts.Node, checker: ts.TypeChecker, build: Build): ts.Node {
  const f = ts.factory;
  const check = (e: ts.Expression): ts.Expression => {
    const inner = ts.isParenthesizedExpression(e) ? e.expression : e;
    if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) return e;
    const t = checker.getTypeAtLocation(inner);
    const parts = t.isUnion() ? t.types : [t];
    const objects = parts.filter((x) => !(x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    // Only objects: the truthiness of a number or a string is more than being present.
    if (objects.length === parts.length || !objects.every((x) => x.flags & ts.TypeFlags.Object)) return e;
    return definedTest(inner, t, build, e) ?? e;
  };
  if (ts.isConditionalExpression(node)) {
    const test = check(node.condition);
    return test === node.condition ? node : like(f.updateConditionalExpression(node, test, node.questionToken, node.whenTrue, node.colonToken, node.whenFalse), node);
  }
  if (ts.isIfStatement(node)) {
    const test = check(node.expression);
    return test === node.expression ? node : like(f.updateIfStatement(node, test, node.thenStatement, node.elseStatement), node);
  }
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const test = check(node.operand);
    return test === node.operand ? node : like(f.updatePrefixUnaryExpression(node, test), node);
  }
  return node;
}
