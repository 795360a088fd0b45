// Desugaring: effects inside expressions. Takes: a function whose statements
// may update a local inside a larger expression — `x[k++]`, `x[--k]`,
// `y = (n = n + 1) * 2`, the comma operator `(a(), b)`. Guarantees: every
// update is a statement of its own, placed where it happens: before the
// statement for `--k`, `n = ...` and the left of a comma; after it for `k++`
// (or, when nothing can follow, through a copy of the old value). An update
// whose order would matter — the variable is also read in the same statement,
// or the update sits in a branch (`c ? k++ : 0`, `a && k++`) or a loop
// condition — is refused rather than reordered.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, visitChildren } from "./synth.js";

export function sequenceEffects(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isFunctionLike(node) && node !== fn) return node;
    if (ts.isWhileStatement(node) || ts.isDoStatement(node)) refuseUpdates(node.expression);
    if (ts.isForStatement(node) && node.condition) refuseUpdates(node.condition);
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

  const rewrite = (e: ts.Node, top: boolean, branch: boolean): ts.Node => {
    if (ts.isFunctionLike(e)) return e;
    if (ts.isExpression(e) && !top) {
      const update = asUpdate(e);
      if (update) {
        if (branch) fail(Code.Unsupported, e, "an update inside a branch of ?:, && or || runs only sometimes; write it as an if statement.");
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
        return rewrite(e.right, false, branch);
      }
      if (ts.isConditionalExpression(e)) {
        return f.updateConditionalExpression(e, rewrite(e.condition, false, branch) as ts.Expression, e.questionToken,
          rewrite(e.whenTrue, false, true) as ts.Expression, e.colonToken, rewrite(e.whenFalse, false, true) as ts.Expression);
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
  if (updates.length === 0) return undefined;
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

function refuseUpdates(test: ts.Expression): void {
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isExpression(n) && asUpdate(n)) {
      fail(Code.Unsupported, n, "an update inside a loop condition is not supported; move the update of the counter into the loop body.");
    }
    ts.forEachChild(n, visit);
  };
  visit(test);
}
