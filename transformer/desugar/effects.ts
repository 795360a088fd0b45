// Desugaring: effects inside expressions. Takes: a function whose statements
// may update a local inside a larger expression — `x[k++]`, `x[--k]`,
// `y = (n = n + 1) * 2`, the comma operator `(a(), b)`. Guarantees: every
// update is a statement of its own, placed where it happens: before the
// statement for `--k`, `n = ...` and the left of a comma; after it for `k++`
// (or, when nothing can follow, through a copy of the old value). A loop
// condition that updates (`while (i++ < n)`) is tested at the top of the body,
// where its updates run each time it is evaluated, the last time included:
// `while (true) { const more = i < n; i++; if (!more) break; ... }` (a `for`
// keeps its own update; a `do...while` tests at the end of its body, when no
// `continue` skips there). An update whose order would matter — the variable
// is also read in the same statement — is refused rather than reordered. A
// `?:` whose branches update becomes an if statement that assigns the chosen
// value to a local (`choice`); so does `&&`/`||` whose right operand updates
// (`let both = a; if (both) { both = ...; }`), the right evaluated only when
// JavaScript evaluates it.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, typed, visitChildren } from "./synth.js";

export function sequenceEffects(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isFunctionLike(node) && node !== fn) return node;
    const test = ts.isWhileStatement(node) || ts.isDoStatement(node) ? node.expression : ts.isForStatement(node) ? node.condition : undefined;
    if (test && hasUpdate(test)) return visitChildren(testInBody(node as ts.WhileStatement | ts.DoStatement | ts.ForStatement, test, build), visit);
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) ||
        ts.isIfStatement(node) || ts.isThrowStatement(node)) {
      const out = sequence(node, build);
      if (out) return out.map((s) => ts.visitEachChild(s, visit, undefined));
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

type Update = ts.PrefixUnaryExpression | ts.PostfixUnaryExpression | ts.BinaryExpression;

/** `s` as statements with every inner update on its own, or undefined when it has none. */
function sequence(s: ts.Statement, build: Build): ts.Statement[] | undefined {
  const f = ts.factory;
  const checker = build.checker;
  const before: ts.Statement[] = [];
  const after: ts.Statement[] = [];
  const updates: { node: Update; target: ts.Identifier }[] = [];
  const canFollow = ts.isExpressionStatement(s) || ts.isVariableStatement(s);
  const statement = (e: ts.Expression): ts.Statement => like(f.createExpressionStatement(e), e);
  /** Whether a `?:` whose branches update became an if statement. */
  let branches = false;
  /** Whether a comma inside the statement was split. */
  let commas = false;

  const rewrite = (e: ts.Node, top: boolean, branch: boolean): ts.Node => {
    if (ts.isFunctionLike(e)) return e;
    if (ts.isExpression(e) && !top) {
      const update = asUpdate(e);
      if (update) {
        if (branch) fail(Code.Unsupported, e, "an update on the right of && or || runs only sometimes; write it as an if statement.");
        const target = updated(update);
        if (!target) return visitChildren(e, (n) => rewrite(n, false, branch));
        updates.push({ node: update, target });
        if (ts.isBinaryExpression(update)) {
          // `n = v` and `n += v` in an expression: assign first, then read n.
          before.push(statement(rewrite(update, true, branch) as ts.Expression));
          return target;
        }
        if (ts.isPrefixUnaryExpression(update)) {
          before.push(statement(update));
          return target;
        }
        // k++ reads k, then increments it.
        if (canFollow) {
          after.push(statement(update));
          return target;
        }
        const old = newLocal(`${target.text}_before`, checker.getTypeAtLocation(target), update);
        before.push(build.declare(old, target, ts.NodeFlags.Const, update), statement(update));
        return old;
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
        const left = rewrite(e.left, true, branch) as ts.Expression;
        if (asUpdate(left) || ts.isCallExpression(left)) before.push(statement(left));
        commas = true;
        return rewrite(e.right, false, branch);
      }
      if (ts.isConditionalExpression(e) && !branch && (hasUpdate(e.whenTrue) || hasUpdate(e.whenFalse))) {
        // `c ? k++ : 0` as `let choice; if (c) { choice = k; k++; } else { choice = 0; }`: each branch's updates run when it does.
        const choice = newLocal("choice", checker.getTypeAtLocation(e), e);
        const arm = (value: ts.Expression): ts.Statement => {
          const set = statement(typed(f.createAssignment(choice, value), checker.getTypeAtLocation(value), value));
          return like(f.createBlock(sequence(set, build) ?? [set], true), value);
        };
        const test = rewrite(e.condition, false, branch) as ts.Expression;
        before.push(build.declare(choice, undefined, ts.NodeFlags.Let, e), like(f.createIfStatement(test, arm(e.whenTrue), arm(e.whenFalse)), e));
        branches = true;
        return choice;
      }
      if (ts.isConditionalExpression(e)) {
        return f.updateConditionalExpression(e, rewrite(e.condition, false, branch) as ts.Expression, e.questionToken,
          rewrite(e.whenTrue, false, true) as ts.Expression, e.colonToken, rewrite(e.whenFalse, false, true) as ts.Expression);
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && isShortCircuit(e.operatorToken.kind) && !branch && hasUpdate(e.right)) {
        // `a && xs[k++] > 0` as `let both = a; if (both) { both = xs[k] > 0; k++; }`: the right's updates run only when it is evaluated.
        const and = e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken;
        const type = checker.getTypeAtLocation(e);
        const result = newLocal(and ? "both" : "either", type, e);
        const left = rewrite(e.left, false, branch) as ts.Expression;
        const set = statement(typed(f.createAssignment(result, e.right), checker.getTypeAtLocation(e.right), e.right));
        const test = and ? result : typed(f.createLogicalNot(result), checker.getBooleanType(), e);
        // The if statement stands for the user's statement (source maps, notes): the test is written in it.
        before.push(build.declare(result, left, ts.NodeFlags.Let, e), like(f.createIfStatement(test, like(f.createBlock(sequence(set, build) ?? [set], true), e.right)), s));
        branches = true;
        return result;
      }
      if (ts.isBinaryExpression(e) && isShortCircuit(e.operatorToken.kind)) {
        return f.updateBinaryExpression(e, rewrite(e.left, false, branch) as ts.Expression, e.operatorToken, rewrite(e.right, false, true) as ts.Expression);
      }
    }
    return visitChildren(e, (n) => rewrite(n, false, branch));
  };

  let out: ts.Statement;
  if (ts.isExpressionStatement(s)) {
    // The statement's own update (`k++;`, `a[i] = v;`) stays: lowering knows it.
    const e = s.expression;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      const parts = commaParts(e).flatMap((p) => sequence(like(f.createExpressionStatement(p), p), build) ?? [like(f.createExpressionStatement(p), p)]);
      return parts;
    }
    out = like(f.updateExpressionStatement(s, rewrite(e, true, false) as ts.Expression), s);
  } else if (ts.isIfStatement(s)) {
    out = like(f.updateIfStatement(s, rewrite(s.expression, false, false) as ts.Expression, s.thenStatement, s.elseStatement), s);
  } else {
    out = ts.visitEachChild(s, (n) => rewrite(n, false, false), undefined);
  }
  if (updates.length === 0 && !branches && !commas) return undefined;
  for (const { node, target } of updates) {
    const symbol = checker.getSymbolAtLocation(target);
    if (readsOutside(s, symbol, node, checker)) {
      fail(Code.Unsupported, node, `'${target.text}' is changed and also read in this statement, so the order matters; move the change into a statement of its own.`);
    }
  }
  return [...before, out, ...after];
}

function asUpdate(e: ts.Expression): Update | undefined {
  if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
      (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) return e;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return e;
  return undefined;
}

/** The local an update writes, when it is a plain name. */
function updated(u: Update): ts.Identifier | undefined {
  const target = ts.isBinaryExpression(u) ? u.left : u.operand;
  return ts.isIdentifier(target) ? target : undefined;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

function commaParts(e: ts.Expression): ts.Expression[] {
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken ? [...commaParts(e.left), ...commaParts(e.right)] : [e];
}

/** Whether the statement names `symbol` anywhere outside the update `u`. */
function readsOutside(s: ts.Node, symbol: ts.Symbol | undefined, u: ts.Node, checker: ts.TypeChecker): boolean {
  if (!symbol) return false;
  const visit = (n: ts.Node): boolean => {
    if (n === u) return false;
    if (ts.isIdentifier(n) && n.parent && checker.getSymbolAtLocation(n) === symbol) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(ts.getParseTreeNode(s) ?? s);
}

function hasUpdate(test: ts.Expression): boolean {
  const visit = (n: ts.Node): boolean => {
    if (ts.isFunctionLike(n)) return false;
    if (ts.isExpression(n) && asUpdate(n)) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(test);
}

/** Whether `body` has a `continue` that may go to its own loop's condition (a labeled one may too). */
export function continuesHere(body: ts.Statement): boolean {
  const visit = (n: ts.Node, inner: boolean): boolean => {
    if (ts.isFunctionLike(n)) return false;
    if (ts.isContinueStatement(n)) return !inner || !!n.label;
    const nested = inner || ts.isIterationStatement(n, false);
    return ts.forEachChild(n, (c) => visit(c, nested)) ?? false;
  };
  return visit(body, false);
}

/** A loop whose condition updates, with the condition tested in its body: `const more = test; if (!more) break;`. */
function testInBody(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement, test: ts.Expression, build: Build): ts.Statement {
  const f = ts.factory;
  const more = newLocal("more", build.checker.getBooleanType(), test);
  const evaluate = build.declare(more, test, ts.NodeFlags.Const, test);
  const done = typed(f.createLogicalNot(more), build.checker.getBooleanType(), test);
  const stop = like(f.createIfStatement(done, like(f.createBreakStatement(), test)), test);
  const check = [...(sequence(evaluate, build) ?? [evaluate]), stop];
  const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const always = like(f.createTrue(), test);
  if (ts.isDoStatement(loop)) {
    if (continuesHere(loop.statement)) fail(Code.Unsupported, test, "an update inside the condition of a do...while whose body uses continue is not supported (continue would skip it); move the update into the loop body.");
    return like(f.updateDoStatement(loop, like(f.createBlock([...body, ...check], true), loop.statement), always), loop);
  }
  const block = like(f.createBlock([...check, ...body], true), loop.statement);
  if (ts.isWhileStatement(loop)) return like(f.updateWhileStatement(loop, always, block), loop);
  return like(f.updateForStatement(loop, loop.initializer, undefined, loop.incrementor, block), loop);
}
