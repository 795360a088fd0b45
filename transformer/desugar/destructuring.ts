// Desugaring: destructuring. Takes: a function whose `const`/`let` declarations
// and `for...of` heads may bind array and object patterns (nested, with
// defaults). Guarantees: every declaration binds one identifier — the user's
// own identifier node, so the local keeps its name, symbol and type — to a read
// of the destructured value (`const [a, b = 2] = xs` becomes
// `const a = xs[0], b = xs.length > 1 ? xs[1] : 2`), and every `for...of` over a
// pattern is an index loop whose body starts with that declaration.
//
// A name given a record as its default (`{ dt = 0.1, weights = { lateral: 4,
// effort: 0.5 } }: Options`, or `weights = WEIGHTS` of a module constant) and
// only read by field (`weights.lateral`) is no local record: each field it is
// read by is a local of its own, the given record's field when there is one,
// else the default's (`const weights_lateral = options.weights !== undefined ?
// options.weights.lateral : 4`), and each read is that local. So no record is
// built on one path only. Such a name used whole (passed on, returned) is
// refused where its default is written, saying to read its fields.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, runtimeCall, shownAsWritten, skipParens, typed, userText, visitChildren } from "./synth.js";
import { forEachNode, someNode } from "../walk.js";

export function destructure(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const f = ts.factory;
  const defaulted = recordDefaults(fn, checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    const read = defaulted.size > 0 && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isIdentifier(node.name) ? defaulted.get(checker.getSymbolAtLocation(node.expression)!) : undefined;
    const local = read && read.fields.get((node as ts.PropertyAccessExpression).name.text);
    if (local) return like(local, node);
    if (ts.isForOfStatement(node) && isPatternHead(node.initializer)) return indexLoop(node, build, visit);
    if (ts.isVariableStatement(node) && hasPattern(node.declarationList)) {
      // A rest element is filled by a loop after the declaration.
      const list = node.declarationList;
      const after: ts.Statement[] = [];
      const decls = list.declarations.flatMap((d) => flatten(d.name, d.initializer, d, build, after, defaulted));
      const statement = like(f.updateVariableStatement(node, node.modifiers, like(f.updateVariableDeclarationList(list, decls), list)), node);
      return [statement, ...after].flatMap((s) => ts.visitEachChild(s, visit, undefined));
    }
    if (ts.isVariableDeclarationList(node) && hasPattern(node)) {
      const after: ts.Statement[] = [];
      const decls = node.declarations.flatMap((d) => flatten(d.name, d.initializer, d, build, after, defaulted));
      if (after.length > 0) fail(Code.Unsupported, node, "a rest element in a loop head is not supported; destructure in the loop body.");
      return ts.visitEachChild(like(f.updateVariableDeclarationList(node, decls), node), visit, undefined);
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function hasPattern(list: ts.VariableDeclarationList): boolean {
  return list.declarations.some((d) => !ts.isIdentifier(d.name));
}

function isPatternHead(head: ts.ForInitializer): boolean {
  return ts.isVariableDeclarationList(head) && head.declarations.length === 1 && !ts.isIdentifier(head.declarations[0]!.name);
}

/** `name = init` as declarations of identifiers only; the loops that fill rest elements go to `after`. */
function flatten(name: ts.BindingName, init: ts.Expression | undefined, from: ts.Node, build: Build, after: ts.Statement[], defaulted: Defaulted = new Map()): ts.VariableDeclaration[] {
  const declare = (id: ts.Identifier, value: ts.Expression | undefined): ts.VariableDeclaration =>
    like(ts.factory.createVariableDeclaration(id, undefined, undefined, value), from);
  if (ts.isIdentifier(name)) return [declare(name, init)];
  if (!init) fail(Code.Unsupported, name, "a destructuring declaration needs a value to destructure; give it one (const [a, b] = xs).");
  // A value that is not a plain read is computed once, into a local named after what it holds.
  let source = init;
  const out: ts.VariableDeclaration[] = [];
  if (!isPlainRead(init) && !(ts.isArrayBindingPattern(name) && ts.isArrayLiteralExpression(init))) {
    source = newLocal(boundNames(name).join("_"), build.checker.getTypeAtLocation(init), init);
    out.push(declare(source as ts.Identifier, init));
  }
  // Every declaration stands for the user's whole declaration (`// adjoint of: [a, b] = xs`).
  return [...out, ...parts(name, source, build, after, defaulted).flatMap(([n, v]) => flatten(n, v, from, build, after, defaulted))];
}

/** Each element of a pattern, with the expression that reads its value from `source`. */
function parts(pattern: ts.BindingPattern, source: ts.Expression, build: Build, after: ts.Statement[], defaulted: Defaulted): [ts.BindingName, ts.Expression][] {
  const out: [ts.BindingName, ts.Expression][] = [];
  const checker = build.checker;
  pattern.elements.forEach((element, i) => {
    if (ts.isOmittedExpression(element)) return;
    if (element.dotDotDotToken) {
      if (ts.isObjectBindingPattern(pattern)) {
        const named = pattern.elements.filter((e) => !e.dotDotDotToken).map((e) => userText(e))
          .concat(build.checker.getTypeAtLocation(element.name).getProperties().map((p) => p.name));
        const example = named.length > 0 ? ` (const { ${named.join(", ")} } = ...)` : "";
        fail(Code.Unsupported, element, `'${userText(element)}' gathers the other fields into a new object, which tsgrad does not build; destructure the fields you need by name${example}.`);
      }
      if (!ts.isIdentifier(element.name) || ts.isArrayLiteralExpression(source)) {
        fail(Code.Unsupported, element, "a rest element (...rest) is supported at the end of an array pattern over an array; name the fields you need.");
      }
      out.push([element.name, restOf(source, i, element.name, build, after)]);
      return;
    }
    const type = checker.getTypeAtLocation(element.name);
    let value: ts.Expression;
    if (ts.isArrayBindingPattern(pattern)) {
      // An array literal is destructured element by element: `const [a, b] = [x, y]` is `a = x, b = y`.
      if (ts.isArrayLiteralExpression(source)) {
        const item = source.elements[i];
        if (item && ts.isSpreadElement(item)) fail(Code.Unsupported, item, "spread in a destructured array literal is not supported; write the elements.");
        value = item ?? missing(element, type);
        if (element.initializer && !item) value = element.initializer;
      } else {
        value = build.element(source, i, type, element);
        if (element.initializer && mayBeShort(checker.getTypeAtLocation(source), i, checker)) {
          // JavaScript uses the default when the element is undefined: for an array, past its end.
          const inBounds = build.test(build.length(source, element), ts.SyntaxKind.GreaterThanToken, build.number(i, element), element);
          value = build.cond(inBounds, value, element.initializer, type, element);
        }
      }
    } else {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) {
        fail(Code.Unsupported, key, "a computed key in an object pattern is not supported; name the field.");
      }
      const field = ts.isIdentifier(key) ? key.text : key.text;
      const record = ts.isIdentifier(element.name) ? defaulted.get(checker.getSymbolAtLocation(ts.getParseTreeNode(element.name) ?? element.name)!) : undefined;
      if (record) {
        out.push(...recordFields(record, build.property(source, field, record.type, element), build));
        return;
      }
      const fieldType = checker.getTypeAtLocation(source).getProperty(field);
      const declared = fieldType && checker.getTypeOfSymbolAtLocation(fieldType, element);
      value = build.property(source, field, declared ? checker.getNonNullableType(declared) : type, element);
      if (element.initializer && declared && mayBeUndefined(declared)) {
        const undef = typed(ts.factory.createVoidZero(), checker.getUndefinedType(), element);
        const isSet = build.test(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, undef, element);
        value = build.cond(isSet, value, element.initializer, type, element);
      }
    }
    out.push([element.name, value]);
  });
  return out;
}

/** A name given a record as its default and only read by field: the local each field read becomes. */
interface RecordDefault {
  readonly element: ts.BindingElement;
  /** The record's type, without undefined. */
  readonly type: ts.Type;
  readonly fields: Map<string, ts.Identifier>;
}

type Defaulted = Map<ts.Symbol, RecordDefault>;

/**
 * The names of `fn`'s patterns given a record default (an object literal of
 * fields, or a name or field path: `weights = WEIGHTS`) that are only read by
 * field, with a local for each field read. One used whole is refused here.
 */
function recordDefaults(fn: FunctionLike, checker: ts.TypeChecker): Defaulted {
  const out: Defaulted = new Map();
  const user = ts.getParseTreeNode(fn) ?? fn;
  forEachNode(user, (n) => {
    if (!ts.isBindingElement(n) || !n.initializer || !ts.isIdentifier(n.name) || !ts.isObjectBindingPattern(n.parent)) return;
    const init = skipParens(n.initializer);
    const literal = ts.isObjectLiteralExpression(init) && init.properties.every((p) => (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) || ts.isShorthandPropertyAssignment(p));
    if (!literal && !isRecordName(init)) return;
    const symbol = checker.getSymbolAtLocation(n.name);
    const type = checker.getNonNullableType(checker.getTypeAtLocation(n.name));
    if (!symbol || !(type.flags & ts.TypeFlags.Object) || checker.isArrayType(type) || checker.isTupleType(type) || type.getCallSignatures().length > 0) return;
    const reads = fieldReads(user, symbol, n.name, checker);
    if (!reads) return refuseWholeUse(n, init, user, symbol, checker);
    const fields = new Map<string, ts.Identifier>();
    for (const key of reads) {
      const property = type.getProperty(key);
      if (property) fields.set(key, newLocal(`${n.name.text}_${key}`, checker.getTypeOfSymbolAtLocation(property, n), n));
    }
    out.set(symbol, { element: n, type, fields });
  });
  return out;
}

/** A module constant or a field of one (`WEIGHTS`, `CONFIG.weights`): a record tsgrad reads by field. */
function isRecordName(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && isRecordName(e.expression));
}

/** The fields `symbol` is read by in `fn`, or undefined when it is used otherwise (passed on, written, returned). */
function fieldReads(fn: ts.Node, symbol: ts.Symbol, declaration: ts.Identifier, checker: ts.TypeChecker): Set<string> | undefined {
  const keys = new Set<string>();
  const whole = someNode(fn, (n) => {
    if (!ts.isIdentifier(n) || n === declaration || checker.getSymbolAtLocation(n) !== symbol) return false;
    const parent = n.parent;
    if (!ts.isPropertyAccessExpression(parent) || parent.expression !== n || !ts.isIdentifier(parent.name)) return true;
    if (isWritten(parent)) return true;
    keys.add(parent.name.text);
    return false;
  });
  return whole ? undefined : keys;
}

function isWritten(e: ts.Expression): boolean {
  const parent = e.parent;
  if (ts.isBinaryExpression(parent)) return parent.left === e && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken);
}

/** `weights = { lateral: 4 }` of a name used whole (`cost(weights)`): refused at the default, named, with the reads that work. */
function refuseWholeUse(element: ts.BindingElement, init: ts.Expression, fn: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): void {
  const name = (element.name as ts.Identifier).text;
  let use: ts.Node | undefined;
  let logged = false;
  forEachNode(fn, (n) => {
    if (use || !ts.isIdentifier(n) || n === element.name || checker.getSymbolAtLocation(n) !== symbol) return;
    const parent = n.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === n && !isWritten(parent)) return;
    // Logged whole (`console.log(weights)`): passive code, left as it was (the passes after keep or refuse the record).
    if (inConsoleCall(n)) logged = true;
    else use = parent;
  });
  if (!use && logged) return;
  const field = checker.getNonNullableType(checker.getTypeAtLocation(element.name)).getProperties()[0]?.name ?? "field";
  const how = use && ts.isCallExpression(use) ? `passed whole to '${userText(use.expression)}'` : use ? `used whole in '${userText(use)}'` : "used whole";
  fail(
    Code.Unsupported,
    element,
    `'${name} = ${userText(init)}' gives '${name}' a record as its default, and '${name}' is ${how}; tsgrad reads a defaulted record by field and builds no record on the path where it is missing. ` +
      `Read its fields where you need them (${name}.${field}), or pass them on as numbers.`,
  );
}

function inConsoleCall(n: ts.Node): boolean {
  for (let up = n.parent; up && !ts.isStatement(up); up = up.parent) {
    if (ts.isCallExpression(up) && ts.isPropertyAccessExpression(up.expression) && ts.isIdentifier(up.expression.expression) && up.expression.expression.text === "console") return true;
  }
  return false;
}

/** `const weights_lateral = given !== undefined ? given.lateral : <the default's lateral>`, one per field read. */
function recordFields(record: RecordDefault, given: ts.Expression, build: Build): [ts.BindingName, ts.Expression][] {
  const checker = build.checker;
  const { element } = record;
  const init = skipParens(element.initializer!);
  const isGiven = build.test(given, ts.SyntaxKind.ExclamationEqualsEqualsToken, typed(ts.factory.createVoidZero(), checker.getUndefinedType(), element), element);
  return [...record.fields].map(([key, local]) => {
    const type = checker.getTypeAtLocation(local);
    const fallback = ts.isObjectLiteralExpression(init) ? literalField(init, key, type, build, element) : build.property(init, key, type, element);
    return [local, build.cond(isGiven, build.property(given, key, type, element), fallback, type, element)];
  });
}

/** Field `key` of an object literal of fields; undefined when it sets none. */
function literalField(literal: ts.ObjectLiteralExpression, key: string, type: ts.Type, build: Build, from: ts.Node): ts.Expression {
  for (const p of [...literal.properties].reverse()) {
    if (ts.isPropertyAssignment(p) && (p.name as ts.Identifier | ts.StringLiteral).text === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  void type;
  return typed(ts.factory.createVoidZero(), build.checker.getUndefinedType(), from);
}

/**
 * `...rest` from position `k` of `source`: a new array of the remaining
 * elements (`zeros(n)`, then `for (let i = 0; i < rest.length; i++) rest[i] = source[i + k]`),
 * so the elements' gradients flow back through the copy.
 */
function restOf(source: ts.Expression, k: number, rest: ts.Identifier, build: Build, after: ts.Statement[]): ts.Expression {
  const f = ts.factory;
  const checker = build.checker;
  const number = checker.getNumberType();
  const length = build.length(source, rest);
  const count = k === 0 ? length : build.cond(build.test(length, ts.SyntaxKind.GreaterThanToken, build.number(k, rest), rest),
    typed(f.createBinaryExpression(length, ts.SyntaxKind.MinusToken, build.number(k, rest)), number, rest), build.number(0, rest), number, rest);
  const i = newLocal("i", number, rest);
  const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(source), ts.IndexKind.Number) ?? number;
  const shifted = k === 0 ? i : typed(f.createBinaryExpression(i, ts.SyntaxKind.PlusToken, build.number(k, rest)), number, rest);
  const store = typed(f.createAssignment(build.element(rest, i, number, rest), build.element(source, shifted, element, rest)), number, rest);
  const loop = f.createForStatement(
    f.createVariableDeclarationList([f.createVariableDeclaration(i, undefined, undefined, build.number(0, rest))], ts.NodeFlags.Let),
    build.test(i, ts.SyntaxKind.LessThanToken, build.length(rest, rest), rest),
    f.createPostfixIncrement(i),
    f.createExpressionStatement(store),
  );
  after.push(shownAsWritten(like(loop, rest.parent)));
  return runtimeCall("zeros", [count], checker.getTypeAtLocation(rest), rest);
}

/** An array element with no value (`const [a, b] = [x]`): undefined, refused by lowering where read. */
function missing(element: ts.BindingElement, type: ts.Type): ts.Expression {
  void type;
  return like(ts.factory.createIdentifier("undefined"), element);
}

/** Whether element `i` of a value of type `t` may be missing: any array, or a tuple whose element may be undefined. */
function mayBeShort(t: ts.Type, i: number, checker: ts.TypeChecker): boolean {
  if (!checker.isTupleType(t)) return true;
  const element = checker.getTypeArguments(t as ts.TypeReference)[i];
  return !element || mayBeUndefined(element);
}

function mayBeUndefined(t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return t.isUnion() && t.types.some(mayBeUndefined);
}

/** Identifiers, property reads and indexing by such: reading them twice is reading them once. */
function isPlainRead(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  if (ts.isElementAccessExpression(e)) return isPlainRead(e.expression) && isPlainRead(e.argumentExpression);
  if (ts.isParenthesizedExpression(e)) return isPlainRead(e.expression);
  return false;
}

/** The identifiers a pattern binds, in order. */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundNames(e.name)));
}

/**
 * `for (const [a, b] of xs) body` as
 * `for (let i = 0; i < xs.length; i++) { const [a, b] = xs[i]; body }`, then flattened:
 * the rows of `xs` are read by index, as lowering reads arrays of arrays.
 */
export function indexLoop(loop: ts.ForOfStatement, build: Build, visit: (n: ts.Node) => ts.Node | ts.Node[]): ts.Node | ts.Node[] {
  const f = ts.factory;
  const head = loop.initializer as ts.VariableDeclarationList;
  const pattern = head.declarations[0]!.name;
  // An array that is not a plain read (a helper's result) is computed once, into a local of its own.
  const hoisted = isPlainRead(loop.expression) ? undefined : newLocal("rows", build.checker.getTypeAtLocation(loop.expression), loop.expression);
  const array = hoisted ?? loop.expression;
  const number = build.checker.getNumberType();
  const i = newLocal("i", number, loop);
  const element = build.checker.getIndexTypeOfType(build.checker.getTypeAtLocation(array), ts.IndexKind.Number) ?? build.checker.getTypeAtLocation(pattern);
  const init = f.createVariableDeclarationList([f.createVariableDeclaration(i, undefined, undefined, build.number(0, loop))], ts.NodeFlags.Let);
  const test = build.test(i, ts.SyntaxKind.LessThanToken, build.length(array, loop), loop);
  const step = f.createPostfixIncrement(i);
  const row = build.element(array, i, element, loop);
  const first = build.declare(pattern, row, head.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let), head);
  const body = ts.isBlock(loop.statement) ? [...loop.statement.statements] : [loop.statement];
  const block = like(f.createBlock([first, ...body], true), loop.statement);
  const indexed = visit(like(f.createForStatement(like(init, head), test, step, block), loop));
  if (!hoisted) return indexed;
  const rows = build.declare(hoisted, ts.visitNode(loop.expression, visit, ts.isExpression) as ts.Expression, ts.NodeFlags.Const, loop.expression);
  return [rows, ...(Array.isArray(indexed) ? indexed : [indexed])];
}
