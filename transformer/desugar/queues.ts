// Desugaring: a local number[] used as a queue. Takes: a function that may
// declare `const q: number[] = [...]`, grow it with `q.push(...)` and take from
// its front with `q.shift()`. Guarantees: no `shift` of such a local remains.
// The array keeps every element it was given and a counter `q_head` (a `let`
// from 0, next to the declaration) says where its front is, so nothing is
// moved and each element keeps one slot, which differentiation needs: `const
// v = q.shift()` is `const v = q[q_head]` then `if (q_head < q.length)
// q_head++` (undefined for an empty queue, as shift gives), `q.length` is
// `q.length - q_head`, `q[i]` is `q[q_head + i]`. A queue used any other way
// (walked, passed on, given another name, unshifted, or shifted inside an
// expression that reads it again) is refused, named as written, with what to
// write instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { Build, like, newLocal, shownAsWritten, skipParens, typed, userText, visitChildren } from "./synth.js";
import { forEachNode } from "../walk.js";

export function desugarQueues(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!fn.body || !ts.isBlock(fn.body)) return fn;
  const checker = ctx.checker;
  const queues = findQueues(fn.body, checker);
  if (queues.size === 0) return fn;
  const build = new Build(checker);
  const number = checker.getNumberType();
  const heads = new Map<ts.Symbol, ts.Identifier>();
  for (const [symbol, decl] of queues) heads.set(symbol, newLocal(`${(decl.name as ts.Identifier).text}_head`, number, decl));
  const headOf = (e: ts.Expression): ts.Identifier | undefined => {
    const symbol = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    return symbol && heads.get(symbol);
  };

  /**
   * `q.shift()` as its value, `q[q_head]`, with the statement that moves the
   * front after the one that takes it: `q_head++` where the queue is known not
   * to be empty (nonEmpty), else `if (q_head < q.length) q_head++`, a branch
   * the backward sweep must record.
   */
  const taken = (call: ts.CallExpression, after: ts.Statement[], written: ts.Expression = call): ts.Expression => {
    const q = (call.expression as ts.PropertyAccessExpression).expression as ts.Identifier;
    const head = headOf(q)!;
    const step = like(ts.factory.createExpressionStatement(typed(ts.factory.createPostfixIncrement(head), number, call)), call);
    // The guard is the queue's own bookkeeping (shift of an empty queue leaves it empty), named as such in the adjoint's comment.
    const guard = shownAsWritten(typed(ts.factory.createBinaryExpression(head, ts.SyntaxKind.LessThanToken, build.length(q, call)), checker.getBooleanType(), call));
    after.push(nonEmpty(call, checker) ? step : like(ts.factory.createIfStatement(guard, step), call));
    // Typed as written: `q.shift()!` is a number.
    return like(build.element(q, head, checker.getTypeAtLocation(written), call), call);
  };

  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const d = node.declarationList.declarations[0]!;
      const symbol = ts.isIdentifier(d.name) ? checker.getSymbolAtLocation(d.name) : undefined;
      const head = symbol && heads.get(symbol);
      if (head) return [node, build.declare(head, build.number(0, d), ts.NodeFlags.Let, d)];
      const init = d.initializer && shiftOf(d.initializer, headOf);
      if (init) {
        const after: ts.Statement[] = [];
        const value = taken(init, after, d.initializer!);
        const decl = like(ts.factory.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, value), d);
        return [like(ts.factory.updateVariableStatement(node, node.modifiers, ts.factory.updateVariableDeclarationList(node.declarationList, [decl])), node), ...after];
      }
    }
    if (ts.isExpressionStatement(node)) {
      const e = skipParens(node.expression);
      const whole = shiftOf(e, headOf);
      if (whole) {
        // `q.shift();`: the front moves, the value is dropped.
        const after: ts.Statement[] = [];
        taken(whole, after);
        return after;
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left)) {
        const right = shiftOf(e.right, headOf);
        if (right) {
          const after: ts.Statement[] = [];
          const value = taken(right, after, e.right);
          return [like(ts.factory.updateExpressionStatement(node, typed(ts.factory.updateBinaryExpression(e, e.left, e.operatorToken, value), checker.getTypeAtLocation(e), e)), node), ...after];
        }
      }
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "length") {
      const head = headOf(node.expression);
      if (head) return typed(ts.factory.createParenthesizedExpression(typed(ts.factory.createBinaryExpression(node, ts.SyntaxKind.MinusToken, head), number, node)), number, node);
    }
    if (ts.isElementAccessExpression(node)) {
      const head = headOf(node.expression);
      if (head) {
        const index = visit(node.argumentExpression) as ts.Expression;
        const at = typed(ts.factory.createBinaryExpression(head, ts.SyntaxKind.PlusToken, index), number, node.argumentExpression);
        return like(typed(ts.factory.updateElementAccessExpression(node, node.expression, at), checker.getTypeAtLocation(node), node), node);
      }
    }
    return visitChildren(node, visit);
  };
  const body = ts.visitNode(fn.body, visit) as ts.Block;
  const f = ts.factory;
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, body), fn);
  if (ts.isFunctionExpression(fn)) return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body), fn);
  const decl = fn as ts.FunctionDeclaration;
  return like(f.updateFunctionDeclaration(decl, decl.modifiers, decl.asteriskToken, decl.name, decl.typeParameters, decl.parameters, decl.type, body), fn);
}

/**
 * Whether the queue is sure to hold an element when `call` (`q.shift()`, in a
 * statement of its own) runs: a statement before it in its block pushes onto
 * `q` with no shift of `q` between, or nothing before it in its block shifts
 * `q` and the block is the body of a `while`/`for` or the then-branch of an
 * `if` whose condition requires `q.length > 0` (a conjunct of &&). Only shift
 * takes elements away (checkUses), so nothing else in between can empty it.
 */
function nonEmpty(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation((call.expression as ts.PropertyAccessExpression).expression);
  const isQueue = (e: ts.Node): boolean => ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol;
  const shifts = (n: ts.Node): boolean => {
    let found = false;
    forEachNode(n, (x) => {
      if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === "shift" && isQueue(x.expression.expression)) found = true;
      return !found;
    });
    return found;
  };
  let statement: ts.Node = call;
  while (!ts.isExpressionStatement(statement) && !ts.isVariableStatement(statement)) statement = statement.parent;
  let owner: ts.Node = statement.parent;
  if (ts.isBlock(owner)) {
    const before = owner.statements.slice(0, owner.statements.indexOf(statement as ts.Statement));
    for (const s of [...before].reverse()) {
      if (shifts(s)) return false;
      const e = ts.isExpressionStatement(s) ? skipParens(s.expression) : undefined;
      if (e && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "push" && isQueue(e.expression.expression) && e.arguments.length > 0 && !e.arguments.some(ts.isSpreadElement)) return true;
    }
    statement = owner;
    owner = owner.parent;
  }
  const condition = ts.isWhileStatement(owner) ? owner.expression : ts.isForStatement(owner) ? owner.condition : ts.isIfStatement(owner) && owner.thenStatement === statement ? owner.expression : undefined;
  return !!condition && requiresElements(condition, isQueue);
}

/** Whether `c` is, or has as a conjunct of &&, `q.length > 0` (`>= 1`, `!== 0`, `0 < q.length`). */
function requiresElements(c: ts.Expression, isQueue: (e: ts.Node) => boolean): boolean {
  c = skipParens(c);
  if (!ts.isBinaryExpression(c)) return false;
  const op = c.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return requiresElements(c.left, isQueue) || requiresElements(c.right, isQueue);
  const length = (e: ts.Expression): boolean => {
    e = skipParens(e);
    return ts.isPropertyAccessExpression(e) && e.name.text === "length" && isQueue(e.expression);
  };
  const literal = (e: ts.Expression, value: string): boolean => ts.isNumericLiteral(skipParens(e)) && (skipParens(e) as ts.NumericLiteral).text === value;
  if (length(c.left)) return (op === ts.SyntaxKind.GreaterThanToken && literal(c.right, "0")) || (op === ts.SyntaxKind.GreaterThanEqualsToken && literal(c.right, "1")) || ((op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && literal(c.right, "0"));
  if (length(c.right)) return (op === ts.SyntaxKind.LessThanToken && literal(c.left, "0")) || ((op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && literal(c.left, "0"));
  return false;
}

/** `e` (under parentheses and `!`) when it is `q.shift()` of a queue. */
function shiftOf(e: ts.Expression, headOf: (q: ts.Expression) => ts.Identifier | undefined): ts.CallExpression | undefined {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  if (!ts.isCallExpression(x) || x.arguments.length > 0 || !ts.isPropertyAccessExpression(x.expression) || x.expression.name.text !== "shift") return undefined;
  return headOf(x.expression.expression) ? x : undefined;
}

/**
 * The locals of `body` that `shift` is called on: `const q: number[] = [...]`
 * of numbers, each use a push, a shift taken as a statement of its own, a
 * length read or an element read. Any other use is refused, named.
 */
function findQueues(body: ts.Block, checker: ts.TypeChecker): Map<ts.Symbol, ts.VariableDeclaration> {
  const shifted = new Set<ts.Symbol>();
  // Walked without recursing: every function passes through here, and a long return nests thousands deep (walk.ts).
  forEachNode(body, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "shift" && ts.isIdentifier(n.expression.expression)) {
      const symbol = checker.getSymbolAtLocation(n.expression.expression);
      if (symbol) shifted.add(symbol);
    }
  });
  const queues = new Map<ts.Symbol, ts.VariableDeclaration>();
  for (const symbol of shifted) {
    const decl = symbol.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || decl.pos < body.pos || decl.end > body.end) continue;
    const type = checker.getTypeAtLocation(decl.name);
    const element = checker.isArrayType(type) ? checker.getIndexTypeOfType(type, ts.IndexKind.Number) : undefined;
    if (!element || !every(element, ts.TypeFlags.NumberLike)) continue;
    const name = decl.name.text;
    const init = decl.initializer && skipParens(decl.initializer);
    if (!init || !ts.isArrayLiteralExpression(init) || !ts.isVariableDeclarationList(decl.parent) || !(decl.parent.flags & ts.NodeFlags.Const) || decl.parent.declarations.length !== 1) {
      fail(Code.Unsupported, decl, `'${name}' is taken from with ${name}.shift(), which tsgrad follows for a const number[] made by an array literal in this function; declare it so (const ${name}: number[] = []).`);
    }
    checkUses(body, decl, symbol, checker);
    queues.set(symbol, decl);
  }
  return queues;
}

/** Refuses a use of the queue `decl` other than push, a shift of its own, a length read or an element read. */
function checkUses(body: ts.Block, decl: ts.VariableDeclaration, symbol: ts.Symbol, checker: ts.TypeChecker): void {
  const name = (decl.name as ts.Identifier).text;
  const uses = (n: ts.Node): boolean => {
    let found = false;
    const look = (x: ts.Node): void => {
      if (ts.isIdentifier(x) && x !== decl.name && checker.getSymbolAtLocation(x) === symbol) found = true;
      if (!found) ts.forEachChild(x, look);
    };
    look(n);
    return found;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== decl.name && checker.getSymbolAtLocation(n) === symbol) {
      const up = n.parent;
      if (ts.isPropertyAccessExpression(up) && up.expression === n) {
        const method = up.name.text;
        const call = ts.isCallExpression(up.parent) && up.parent.expression === up ? up.parent : undefined;
        if (method === "length" && !call && !isWritten(up)) return;
        if (method === "push" && call && ts.isExpressionStatement(call.parent)) return;
        if (method === "shift" && call && shiftAsStatement(call, uses)) return;
        if (method === "shift" && call) {
          fail(Code.Unsupported, call, `'${userText(call)}' takes from the front of the queue '${name}' inside an expression; take it in a statement of its own (const v = ${name}.shift()!), then use v.`);
        }
        fail(Code.Unsupported, up, `'${userText(call ?? up)}' uses the queue '${name}' (taken from with ${name}.shift()), which tsgrad follows only through push, shift, length and ${name}[i]; write it with those (an index loop over ${name}.length).`);
      }
      if (ts.isElementAccessExpression(up) && up.expression === n) return;
      fail(Code.Unsupported, n, `'${name}' is a queue (taken from with ${name}.shift()) and is used here as a whole array, which tsgrad cannot follow; read it with ${name}[i] and ${name}.length, or copy what you need into a new array.`);
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
}

/** Whether the shift `call` is a statement of its own: `q.shift();`, `const v = q.shift()!;`, `v = q.shift()!;`, reading no other queue use. */
function shiftAsStatement(call: ts.CallExpression, uses: (n: ts.Node) => boolean): boolean {
  let top: ts.Node = call;
  while (ts.isParenthesizedExpression(top.parent) || ts.isNonNullExpression(top.parent)) top = top.parent;
  const up = top.parent;
  if (ts.isExpressionStatement(up)) return true;
  if (ts.isVariableDeclaration(up) && up.initializer === top && ts.isVariableDeclarationList(up.parent) && up.parent.declarations.length === 1 && ts.isVariableStatement(up.parent.parent)) return ts.isIdentifier(up.name);
  if (ts.isBinaryExpression(up) && up.right === top && up.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(up.left) && ts.isExpressionStatement(up.parent)) return !uses(up.left);
  return false;
}

function isWritten(e: ts.Expression): boolean {
  const up = e.parent;
  return ts.isBinaryExpression(up) && up.left === e && up.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && up.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}
