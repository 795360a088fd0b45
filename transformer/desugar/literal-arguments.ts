// Desugaring: tuple, array and record literals passed straight to a helper.
// Takes: a function whose statements may call a helper it can see with a
// literal argument (`norm([x, 1])`, `normalize([u, v, 1])`, `len({ x, y: 1 })`).
// Guarantees: each such literal is a `const` named after the parameter it
// fills, declared just before its statement with the parameter's type
// (`const v: [number, number] = [x, 1]; norm(v)`), which is how lowering
// already reads a helper given a local (the classes pass then keeps each field
// in a local, or, for a number or a name never reassigned, reads the value
// itself: `norm([x, 1])` uses `x`, not a copy `v_0`). A literal on a path that may not run
// (a `?:` branch, the right of `&&`/`||`/`??`) is hoisted only when its
// elements are names and number literals (`c ? norm([x, 1]) : 0`): computing
// it when the user's code does not is then harmless, where `[1 / x]` would
// give an infinity (and a NaN derivative) on the path not taken. Others, and
// those in an inner arrow, stay where they are. Literals with spread are
// spread-operands.ts's.
//
// Also takes an array literal of number literals whose method is called
// (`[0, 0.5, 1.5].map((w) => ...)`, `[1, 2].reduce(...)`), anywhere in the
// statement, inner arrows included: it becomes a `const` before the statement
// (`const ws = [0, 0.5, 1.5]; ws.map((w) => ...)`), which is how a module
// constant or local array is read, also where a map of maps makes a matrix.
// Only methods that leave the array as it is: its numbers are the same
// wherever and however often the literal is made.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Code, fail } from "../diagnostics.js";
import { Build, like, newLocal, skipParens, typed, userText, visitChildren } from "./synth.js";
import { forEachNode, someNode } from "../walk.js";

export function hoistLiteralArguments(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const build = new Build(ctx.checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isIfStatement(node)) {
      const out = hoist(node, ctx, build);
      if (out) return out.map((s) => visitChildren(s, visit));
    }
    return visitChildren(node, visit);
  };
  const body = fn.body;
  // An expression-bodied arrow (`(x) => norm([x, 1])`) gets a block so the literal has a place to go.
  if (body && !ts.isBlock(body) && ts.isArrowFunction(fn)) {
    const ret = ts.setTextRange(ts.factory.createReturnStatement(body), body);
    ts.setOriginalNode(ret, body);
    const out = hoist(ret, ctx, build);
    if (out) {
      const block = ts.setTextRange(ts.factory.createBlock(out.map((s) => visitChildren(s, visit)), true), body);
      return ts.factory.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, block);
    }
  }
  return ts.visitEachChild(fn, visit, undefined);
}

interface Found {
  readonly literal: ts.Expression;
  /** What the local is named after, and its type: the parameter the literal fills, or the array a method is called on. */
  readonly param: ts.ParameterDeclaration | { readonly name: string; readonly type: ts.Type };
  /** For the call itself (`literal`): where the arrays it passes to a rest parameter of arrays start. */
  readonly restAt?: number;
}

/** `s` with its literal arguments declared before it, or undefined when it has none. */
function hoist(s: ts.Statement, ctx: DesugarContext, build: Build): ts.Statement[] | undefined {
  const found: Found[] = [];
  // Walked with a stack, not recursion: a statement may hold a chain `t1 + ... + tn` thousands deep.
  const stack: ts.Node[] = [];
  const children = (n: ts.Node): ts.Node[] => {
    const out: ts.Node[] = [];
    ts.forEachChild(n, (c) => void out.push(c));
    return out;
  };
  const push = (nodes: ts.Node[]): void => void stack.push(...nodes.reverse());
  // A literal declared before `const a = ..., b = f([a])` would read `a` too early.
  if (ts.isVariableStatement(s) && s.declarationList.declarations.length > 1) return undefined;
  push(ts.isIfStatement(s) ? [s.expression] : children(s));
  // The parts that run only sometimes: walked after, taking only literals of names and numbers.
  const sometimes: ts.Node[] = [];
  const walk = (conditional: boolean): void => {
    while (stack.length > 0) {
      const n = stack.pop()!;
      // Code that runs another time (an inner arrow) keeps its literals, but for constant arrays whose methods it calls.
      if (ts.isFunctionLike(n)) {
        forEachNode(n, (m) => {
          if (!ts.isCallExpression(m)) return;
          const constant = constantReceiver(m, ctx);
          if (constant.length === 0) refuseRowLiteral(m, ctx.checker);
          if (restOfArrays(m, ctx).length > 0 && inExpressionBody(m)) refuseRestOfArrays(m, "in an arrow's expression body", ", in a block body given to the arrow");
          found.push(...constant);
        });
        continue;
      }
      if (ts.isConditionalExpression(n)) {
        push([n.condition]);
        sometimes.push(n.whenTrue, n.whenFalse);
        continue;
      }
      if (ts.isBinaryExpression(n) && isShortCircuit(n.operatorToken.kind)) {
        push([n.left]);
        sometimes.push(n.right);
        continue;
      }
      if (ts.isCallExpression(n) && conditional && restOfArrays(n, ctx).length > 0) {
        refuseRestOfArrays(n, "on a path that may not run (a ?: branch, the right of && / || / ??)", ", inside an if where that path runs");
      }
      if (ts.isCallExpression(n)) found.push(...literalArguments(n, ctx).filter((x) => !conditional || isHarmless(x.literal)), ...constantReceiver(n, ctx), ...(conditional ? [] : restOfArrays(n, ctx)));
      push(children(n));
    }
  };
  walk(false);
  if (!someNode(s, isEffect)) {
    push(sometimes);
    walk(true);
  }
  if (found.length === 0) return undefined;

  const before: ts.Statement[] = [];
  const replaced = new Map<ts.Node, ts.Node>();
  const taken = new Set<string>();
  // Declared in the order their values are complete: an inner literal (`outer([inner([x])])`) before the outer one.
  for (const { literal, param, restAt } of [...found].sort((a, b) => a.literal.end - b.literal.end)) {
    const type = isParameter(param) ? ctx.checker.getTypeAtLocation(param) : param.type;
    if (restAt !== undefined && ts.isCallExpression(literal) && isParameter(param)) {
      before.push(...passRows(literal, restAt, param, type, replaced, taken, build));
      continue;
    }
    const name = newLocal(freshName(param, taken), type, literal);
    before.push(build.declare(name, rewriteIn(literal, replaced), ts.NodeFlags.Const, literal));
    replaced.set(literal, name);
  }
  return [...before, rewriteIn(s, replaced)];
}

/**
 * `addAll(a, matVec(W, x), w.b)` of `function addAll(...vs: number[][])` as
 * `const vs1 = matVec(W, x); const vs: number[][] = [a, vs1, w.b]`, the call
 * then `addAll(...vs)` (rest.ts passes `vs`): a local matrix of the arrays
 * passed, which matrices.ts keeps as one flat array and inlines the helper with.
 */
function passRows(call: ts.CallExpression, restAt: number, param: ts.ParameterDeclaration, type: ts.Type, replaced: Map<ts.Node, ts.Node>, taken: Set<string>, build: Build): ts.Statement[] {
  const f = ts.factory;
  const out: ts.Statement[] = [];
  const base = freshName(param, taken);
  const rows = call.arguments.slice(restAt).map((arg, i) => {
    const value = rewriteIn(arg, replaced);
    if (isPlainRead(skipParens(arg))) return value;
    const row = newLocal(freshName({ name: `${base}${i}`, type }, taken), build.checker.getTypeAtLocation(arg), arg);
    out.push(build.declare(row, value, ts.NodeFlags.Const, arg));
    return row;
  });
  const matrix = newLocal(base, type, call);
  out.push(build.declare(matrix, typed(f.createArrayLiteralExpression(rows), type, call), ts.NodeFlags.Const, call));
  const lead = call.arguments.slice(0, restAt).map((a) => rewriteIn(a, replaced));
  replaced.set(call, like(f.updateCallExpression(call, rewriteIn(call.expression, replaced), call.typeArguments, [...lead, like(f.createSpreadElement(matrix), call)]), call));
  return out;
}

/** `addAll(a, b, c)` of a helper whose rest parameter takes arrays of numbers (`...vs: number[][]`), passed without spread. */
function restOfArrays(call: ts.CallExpression, ctx: DesugarContext): Found[] {
  const callee = ctx.resolveFunction(call.expression);
  if (!callee || callee.typeParameters || !callee.body) return [];
  const params = callee.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
  const last = params[params.length - 1];
  const k = params.length - 1;
  if (!last?.dotDotDotToken || !ts.isIdentifier(last.name) || call.arguments.length <= k || call.arguments.some(ts.isSpreadElement)) return [];
  const checker = ctx.checker;
  const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(last), ts.IndexKind.Number);
  const row = element && checker.isArrayType(element) ? checker.getIndexTypeOfType(element, ts.IndexKind.Number) : undefined;
  if (!row || !(row.flags & ts.TypeFlags.NumberLike)) return [];
  return [{ literal: call, param: last, restAt: k }];
}

/**
 * `addAll(a, b)` of a rest parameter of arrays where no statement of its own
 * can hold the matrix of its arguments first: refused, named, with where to call it.
 */
function refuseRestOfArrays(call: ts.CallExpression, where: string, place: string): never {
  const user = ts.getParseTreeNode(call) ?? call;
  return fail(
    Code.Unsupported,
    user,
    `'${userText(user)}' passes arrays to a rest parameter ${where}; tsgrad passes them as a matrix made just before the statement that calls it. ` +
      `Call it in a statement of its own (const result = ${userText(user)})${place}.`,
  );
}

/** Whether `call` is in the expression body of an inner arrow (no statement of that arrow holds it). */
function inExpressionBody(call: ts.Node): boolean {
  for (let n = ts.getParseTreeNode(call)?.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return true;
    if (ts.isStatement(n) || ts.isBlock(n)) return false;
  }
  return false;
}

/** A name or a field path (`w.bias`): read where it is, not copied first. */
function isPlainRead(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && isPlainRead(e.expression));
}

/** `node` with the literals already hoisted read by their names. */
function rewriteIn<T extends ts.Node>(node: T, replaced: Map<ts.Node, ts.Node>): T {
  const rewrite = (n: ts.Node): ts.Node => replaced.get(n) ?? visitChildren(n, rewrite);
  if (ts.isIfStatement(node)) {
    return ts.factory.updateIfStatement(node, rewrite(node.expression) as ts.Expression, node.thenStatement, node.elseStatement) as ts.Node as T;
  }
  return visitChildren(node, rewrite);
}

function isParameter(param: Found["param"]): param is ts.ParameterDeclaration {
  return "kind" in param;
}

/** The parameter's name (`v`), numbered when a statement passes two literals to parameters of one name. */
function freshName(param: Found["param"], taken: Set<string>): string {
  const base = !isParameter(param) ? param.name : ts.isIdentifier(param.name) ? param.name.text : "arg";
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}${k}`;
  taken.add(name);
  return name;
}

/** The tuple, array and record literals `call` passes to a helper's plain parameters. */
function literalArguments(call: ts.CallExpression, ctx: DesugarContext): Found[] {
  const callee = ctx.resolveFunction(call.expression);
  if (!callee || callee.typeParameters) return [];
  const params = callee.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
  const out: Found[] = [];
  call.arguments.forEach((arg, i) => {
    const param = params[i];
    if (!param || param.dotDotDotToken || !ts.isIdentifier(param.name) || !param.type) return;
    if (!isPlainLiteral(skipParens(arg))) return;
    if (!isDataType(ctx.checker.getTypeAtLocation(param), ctx.checker)) return;
    out.push({ literal: arg, param });
  });
  return out;
}

/** Array methods that read the array they are called on and leave it as it is. */
const READS = new Set(["map", "reduce", "reduceRight", "forEach", "some", "every", "filter", "find", "findIndex", "findLast", "findLastIndex", "indexOf", "includes", "flatMap", "slice", "concat", "at", "entries", "join"]);

/**
 * `[0, 0.5, 1.5]` of `[0, 0.5, 1.5].map((w) => ...)`: an array literal of
 * number literals whose reading method is called, named after the callback's
 * element (`ws`), else `values`.
 */
function constantReceiver(call: ts.CallExpression, ctx: DesugarContext): Found[] {
  if (!ts.isPropertyAccessExpression(call.expression) || !ts.isIdentifier(call.expression.name) || !READS.has(call.expression.name.text)) return [];
  const receiver = call.expression.expression;
  const array = skipParens(receiver);
  if (!ts.isArrayLiteralExpression(array) || array.elements.length === 0 || !array.elements.every(isNumberLiteral)) return [];
  const callback = call.arguments[0] && skipParens(call.arguments[0]);
  const at = call.expression.name.text.startsWith("reduce") ? 1 : 0;
  const element = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback.parameters[at]?.name : undefined;
  const name = element && ts.isIdentifier(element) ? `${element.text}s` : "values";
  return [{ literal: receiver, param: { name, type: ctx.checker.getTypeAtLocation(receiver) } }];
}

/**
 * `const rows = xs.map((x) => [gain, 2 * gain].map((w) => w * x))`: each row
 * of the matrix maps an array literal that is not made of numbers alone, which
 * would be computed once per row. Refused, with the way out: the literal
 * declared before the statement, whose map makes the rows as a local's does.
 */
function refuseRowLiteral(call: ts.CallExpression, checker: ts.TypeChecker): void {
  const user = ts.getParseTreeNode(call);
  if (!user || !ts.isCallExpression(user) || !ts.isPropertyAccessExpression(user.expression) || user.expression.name.text !== "map") return;
  const array = skipParens(user.expression.expression);
  if (!ts.isArrayLiteralExpression(array) || array.elements.some(ts.isSpreadElement)) return;
  // The row callback: `(x) => [..].map(...)` or `(x) => { ...; return [..].map(...); }`, given to an outer map.
  const returned = ts.isReturnStatement(user.parent) ? user.parent.parent.parent : user.parent;
  if (!returned || !(ts.isArrowFunction(returned) || ts.isFunctionExpression(returned))) return;
  const outer = returned.parent;
  if (!ts.isCallExpression(outer) || outer.arguments[0] !== returned || !ts.isPropertyAccessExpression(outer.expression) || outer.expression.name.text !== "map") return;
  if (!ts.isVariableDeclaration(outer.parent) || outer.parent.initializer !== outer) return;
  // A literal of the row's own values (`[x, 2 * x]`) cannot be declared before the statement.
  if (someNode(array, (n) => ts.isIdentifier(n) && isInside(checker.getSymbolAtLocation(n)?.valueDeclaration, outer))) return;
  const callback = user.arguments[0] && skipParens(user.arguments[0]);
  const element = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback.parameters[0]?.name : undefined;
  const name = element && ts.isIdentifier(element) ? `${element.text}s` : "values";
  const text = userText(array);
  fail(
    Code.Unsupported,
    array,
    `'${text}.map(...)' makes each row of '${userText(outer.parent.name)}' from an array literal computed once per row; tsgrad makes the rows of a matrix by mapping a constant or a local array. ` +
      `Declare the literal before this statement (const ${name} = ${text}) and map that (${name}.map(...)).`,
  );
}

function isInside(decl: ts.Node | undefined, container: ts.Node): boolean {
  return !!decl && decl.getSourceFile() === container.getSourceFile() && decl.pos >= container.pos && decl.end <= container.end;
}

function isNumberLiteral(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken)) return isNumberLiteral(e.operand);
  return ts.isNumericLiteral(e);
}

/** A literal without spread, accessors or methods: a tuple, array or record value. */
function isPlainLiteral(e: ts.Expression): boolean {
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && !ts.isOmittedExpression(x));
  if (ts.isObjectLiteralExpression(e)) return e.properties.length > 0 && e.properties.every((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p));
  return false;
}

/** A tuple, array or record type (not a function or a union): what a local declared with it holds as data. */
function isDataType(t: ts.Type, checker: ts.TypeChecker): boolean {
  if (t.isUnion() || t.getCallSignatures().length > 0) return false;
  if (checker.isTupleType(t) || checker.isArrayType(t)) return true;
  return (t.flags & ts.TypeFlags.Object) !== 0 && t.getProperties().length > 0;
}

/** A literal whose elements are names and number literals (`[x, 1]`, `{ x, y: -1 }`): computing it has no effect and cannot overflow. */
function isHarmless(literal: ts.Expression): boolean {
  const simple = (e: ts.Expression): boolean => {
    e = skipParens(e);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return simple(e.operand);
    return ts.isIdentifier(e) || ts.isNumericLiteral(e);
  };
  const e = skipParens(literal);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every(simple);
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && simple(p.initializer)));
  return false;
}

/** An assignment or ++/-- (which could change a name a hoisted literal reads before the branch reads it). */
function isEffect(n: ts.Node): boolean {
  if (ts.isBinaryExpression(n)) return n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) return n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken;
  return false;
}


function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}
