// Desugaring: arrays built with spread where a value is used. Takes: a
// function whose statements may build an array with spread inside a larger
// expression or an assignment (`ys = [...ys, y]`, `sum([...xs, y])`,
// `return [...xs]`), or pass arrays spread among other arguments of a rest
// parameter (`total(...xs, ...ys)` for `total(...zs: number[])`).
// Guarantees: each such literal is a `const` declared just before its
// statement, which array-spread.ts then fills, and the literal's place reads
// that name (`const ys_new = [...ys, y]; ys = ys_new;`, else `joined`); the
// arguments of such a call are one joined array spread alone
// (`total(...joined)`), which rest.ts passes as the rest parameter. A literal
// on a path that may not run (a `?:` branch, the right of `&&`/`||`/`??`, a
// loop's condition or update, the expression body of an inner arrow) stays
// where it is, for lowering to refuse with a message that says what to write.
//
// Rows joined with spread and flattened (`[...params.emission,
// ...params.transition].flat()`, all the weights of two matrices, as an L2
// penalty reads them) are first the join of the flattened parts
// (`[...params.emission.flat(), ...params.transition.flat()]`, the same
// numbers in the same order), so no array of rows is built.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newValueLocal, skipParens, typed, visitChildren } from "./synth.js";

export function hoistSpreadOperands(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  fn = flattenJoinedRows(fn, ctx.checker);
  const build = new Build(ctx.checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node) || ts.isIfStatement(node)) {
      const out = hoist(node, ctx, build);
      if (out) return out.map((s) => visitChildren(s, visit));
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** A part of the statement to replace: an array literal, or the rest arguments of a call. */
type Operand = { literal: ts.ArrayLiteralExpression } | { call: ts.CallExpression; restAt: number };

/** `s` with its spread literals declared before it, or undefined when it has none. */
function hoist(s: ts.Statement, ctx: DesugarContext, build: Build): ts.Statement[] | undefined {
  const checker = ctx.checker;
  const f = ts.factory;
  const found: Operand[] = [];
  // Walked with a stack, not recursion: a statement may hold a chain `t1 + ... + tn` thousands deep.
  const stack: ts.Node[] = [];
  const push = (...nodes: ts.Node[]): void => void stack.push(...nodes.reverse());
  const children = (n: ts.Node): ts.Node[] => {
    const out: ts.Node[] = [];
    ts.forEachChild(n, (c) => void out.push(c));
    return out;
  };
  const find = (n: ts.Node): void => {
    // Code that runs only sometimes, or another time, keeps its literals.
    if (ts.isFunctionLike(n)) return;
    if (ts.isConditionalExpression(n)) return push(n.condition);
    if (ts.isBinaryExpression(n) && isShortCircuit(n.operatorToken.kind)) return push(n.left);
    if (ts.isArrayLiteralExpression(n) && spreadsArrays(n, checker) && !declares(s, n)) {
      found.push({ literal: n });
      return;
    }
    if (ts.isCallExpression(n)) {
      const restAt = mixedRest(n, ctx);
      if (restAt !== undefined) {
        // The callee and the arguments before the rest ones run first; the joined array is declared after theirs.
        walk([n.expression, ...n.arguments.slice(0, restAt)]);
        found.push({ call: n, restAt });
        return;
      }
    }
    push(...children(n));
  };
  const walk = (roots: ts.Node[]): void => {
    const outer = stack.splice(0);
    push(...roots);
    while (stack.length > 0) find(stack.pop()!);
    stack.push(...outer);
  };
  // A literal declared before `const a = ..., b = [...xs, a]` would read `a` too early: left for lowering.
  if (ts.isVariableStatement(s) && s.declarationList.declarations.length > 1) return undefined;
  walk(ts.isIfStatement(s) ? [s.expression] : children(s));
  if (found.length === 0) return undefined;

  const before: ts.Statement[] = [];
  const replaced = new Map<ts.Node, ts.Node>();
  for (const operand of found) {
    if ("literal" in operand) {
      const name = newValueLocal(nameFor(s, operand.literal), checker.getTypeAtLocation(operand.literal), operand.literal);
      before.push(build.declare(name, operand.literal, ts.NodeFlags.Const, operand.literal));
      replaced.set(operand.literal, name);
      continue;
    }
    const { call, restAt } = operand;
    const rest = call.arguments.slice(restAt);
    const type = restType(call, ctx) ?? checker.getTypeAtLocation(rest[0]!);
    const literal = typed(f.createArrayLiteralExpression(rest), type, rest[0]!);
    const name = newValueLocal("joined", type, call);
    before.push(build.declare(name, literal, ts.NodeFlags.Const, call));
    const spread = like(f.createSpreadElement(name), rest[0]!);
    replaced.set(call, like(f.updateCallExpression(call, call.expression, call.typeArguments, [...call.arguments.slice(0, restAt), spread]), call));
  }
  const rewrite = (n: ts.Node): ts.Node => replaced.get(n) ?? visitChildren(n, rewrite);
  const out = ts.isIfStatement(s)
    ? like(f.updateIfStatement(s, rewrite(s.expression) as ts.Expression, s.thenStatement, s.elseStatement), s)
    : visitChildren(s, rewrite);
  return [...before, out];
}

/** `ys_new` for the statement `ys = [...ys, y]`, else `joined`. */
function nameFor(s: ts.Statement, literal: ts.ArrayLiteralExpression): string {
  const e = ts.isExpressionStatement(s) ? skipParens(s.expression) : undefined;
  if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipParens(e.right) === literal && ts.isIdentifier(e.left)) return `${e.left.text}_new`;
  return "joined";
}

/** Whether `literal` is what `s` declares, alone (`const all = [...xs, y]`): array-spread.ts fills those in place. */
function declares(s: ts.Statement, literal: ts.ArrayLiteralExpression): boolean {
  if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return false;
  const init = s.declarationList.declarations[0]!.initializer;
  return !!init && skipParens(init) === literal;
}


function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** An array (not a tuple) read by a name or a field: what array-spread.ts can fill from. */
function isSpreadArray(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const x = skipParens(e);
  const t = checker.getTypeAtLocation(x);
  return (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) && !checker.isTupleType(t) && (checker.isArrayType(t) || t.getSymbol()?.name === "Float64Array");
}

/** Whether `[...]` spreads arrays, each read by a name or a field (the only spreads array-spread.ts fills). */
function spreadsArrays(e: ts.ArrayLiteralExpression, checker: ts.TypeChecker): boolean {
  const spreads = e.elements.filter(ts.isSpreadElement);
  return spreads.length > 0 && spreads.every((x) => isSpreadArray(x.expression, checker) || checker.isTupleType(checker.getTypeAtLocation(x.expression))) &&
    spreads.some((x) => isSpreadArray(x.expression, checker));
}

/** Where the rest arguments of `call` start, when they spread an array among other arguments (`total(...xs, ...ys)`). */
function mixedRest(call: ts.CallExpression, ctx: DesugarContext): number | undefined {
  const callee = ctx.resolveFunction(call.expression);
  const params = callee ? callee.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")) : [];
  const last = params[params.length - 1];
  if (!last?.dotDotDotToken) return undefined;
  const k = params.length - 1;
  if (call.arguments.slice(0, k).some(ts.isSpreadElement) || call.arguments.length <= k) return undefined;
  const rest = call.arguments.slice(k);
  const spreads = rest.filter(ts.isSpreadElement);
  if (rest.length === 1 || spreads.length === 0) return undefined;
  // Every spread must be one array-spread.ts can fill from; others stay for rest.ts to refuse.
  const fillable = spreads.every((x) => isSpreadArray(x.expression, ctx.checker) || ctx.checker.isTupleType(ctx.checker.getTypeAtLocation(x.expression)));
  return fillable && spreads.some((x) => isSpreadArray(x.expression, ctx.checker)) ? k : undefined;
}

/** The declared type of the rest parameter `call` passes to (`number[]`). */
function restType(call: ts.CallExpression, ctx: DesugarContext): ts.Type | undefined {
  const callee = ctx.resolveFunction(call.expression);
  const last = callee?.parameters[callee.parameters.length - 1];
  return last && ctx.checker.getTypeAtLocation(last);
}

/** `[...A, row, ...B].flat()` of rows of numbers as `[...A.flat(), ...row, ...B.flat()]`. */
function flattenJoinedRows(fn: FunctionLike, checker: ts.TypeChecker): FunctionLike {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (!ts.isCallExpression(node) || node.arguments.length > 0 || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== "flat") return node;
    const literal = skipParens(node.expression.expression);
    if (!ts.isArrayLiteralExpression(literal) || !literal.elements.some(ts.isSpreadElement)) return node;
    const flatType = checker.getTypeAtLocation(node);
    const parts = literal.elements.map((e) => {
      const part = ts.isSpreadElement(e) ? e.expression : e;
      if (!isRowsOfNumbers(checker.getTypeAtLocation(part), checker, ts.isSpreadElement(e) ? 2 : 1)) return undefined;
      if (!ts.isSpreadElement(e)) return like(f.createSpreadElement(e), e);
      const method = like(f.createPropertyAccessExpression(e.expression, "flat"), e);
      return like(f.createSpreadElement(typed(f.createCallExpression(method, undefined, []), flatType, e)), e);
    });
    if (parts.some((p) => !p)) return node;
    return typed(f.createArrayLiteralExpression(parts as ts.SpreadElement[]), flatType, node);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** Whether `t` is `number[]` (depth 1) or `number[][]` (depth 2), not tuples. */
function isRowsOfNumbers(t: ts.Type, checker: ts.TypeChecker, depth: number): boolean {
  if (!checker.isArrayType(t)) return false;
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  if (!element) return false;
  return depth === 1 ? !!(element.flags & ts.TypeFlags.NumberLike) : isRowsOfNumbers(element, checker, depth - 1);
}
