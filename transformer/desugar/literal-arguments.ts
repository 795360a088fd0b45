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

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, newLocal, skipParens, visitChildren } from "./synth.js";
import { someNode } from "../walk.js";

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
  readonly param: ts.ParameterDeclaration;
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
      // Code that runs another time (an inner arrow) keeps its literals.
      if (ts.isFunctionLike(n)) continue;
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
      if (ts.isCallExpression(n)) found.push(...literalArguments(n, ctx).filter((x) => !conditional || isHarmless(x.literal)));
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
  for (const { literal, param } of [...found].sort((a, b) => a.literal.end - b.literal.end)) {
    const name = newLocal(freshName(param, taken), ctx.checker.getTypeAtLocation(param), literal);
    before.push(build.declare(name, rewriteIn(literal, replaced), ts.NodeFlags.Const, literal));
    replaced.set(literal, name);
  }
  return [...before, rewriteIn(s, replaced)];
}

/** `node` with the literals already hoisted read by their names. */
function rewriteIn<T extends ts.Node>(node: T, replaced: Map<ts.Node, ts.Node>): T {
  const rewrite = (n: ts.Node): ts.Node => replaced.get(n) ?? visitChildren(n, rewrite);
  if (ts.isIfStatement(node)) {
    return ts.factory.updateIfStatement(node, rewrite(node.expression) as ts.Expression, node.thenStatement, node.elseStatement) as ts.Node as T;
  }
  return visitChildren(node, rewrite);
}

/** The parameter's name (`v`), numbered when a statement passes two literals to parameters of one name. */
function freshName(param: ts.ParameterDeclaration, taken: Set<string>): string {
  const base = ts.isIdentifier(param.name) ? param.name.text : "arg";
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
