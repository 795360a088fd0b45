// Local Maps filled by a walk over a keyed record. Takes: from keyed.ts, a
// declaration `const weights = new Map<string, number>()` in the function as
// the user wrote it (or in a helper inlined into it). Guarantees: an answer,
// nothing rewritten — whether the Map ends up with exactly the keys of the
// record a later for...of walks, in that record's order, so that keyed.ts can
// keep it as a copy of that record's keys with an array of its own values
// (`weightsValues[i] = v` where the walk is at key i), as JAX keeps a dict of
// arrays with a fixed set of keys. That holds when the first statement after
// the declaration that mentions the Map is that for...of, whose body (with no
// break or continue) has `weights.set(key, value)` as a statement of its own,
// `key` being the key the loop binds, and nothing else in the function sets,
// deletes or clears an entry: every iteration then adds its key once, in order.

import { ts } from "../ts.js";
import { forEachNode, someNode } from "../walk.js";

/** The walk that fills the Map `declaration` declares, and the statement in it that sets an entry; undefined when the Map is filled otherwise. */
export interface MapFill {
  /** The user's for...of walking the record whose keys the Map takes. */
  readonly loop: ts.ForOfStatement;
  /** The user's `weights.set(key, value)` statement in its body. */
  readonly set: ts.ExpressionStatement;
}

export function filledByWalk(declaration: ts.VariableDeclaration, checker: ts.TypeChecker): MapFill | undefined {
  const user = ts.getParseTreeNode(declaration);
  if (!user || !ts.isVariableDeclaration(user) || !ts.isIdentifier(user.name) || !user.initializer) return undefined;
  const init = skipParens(user.initializer);
  if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== "Map" || (init.arguments?.length ?? 0) > 0) return undefined;
  const symbol = checker.getSymbolAtLocation(user.name);
  const statement = user.parent?.parent;
  const block = statement?.parent;
  if (!symbol || !statement || !ts.isVariableStatement(statement) || !block || !ts.isBlock(block)) return undefined;
  const mentions = (n: ts.Node): boolean => someNode(n, (x) => ts.isIdentifier(x) && x !== user.name && checker.getSymbolAtLocation(x) === symbol);
  // The first statement after the declaration that mentions the Map.
  const after = block.statements.slice(block.statements.indexOf(statement) + 1);
  const loop = after.find(mentions);
  if (!loop || !ts.isForOfStatement(loop) || !ts.isVariableDeclarationList(loop.initializer) || loop.initializer.declarations.length !== 1) return undefined;
  // A const key: the body cannot change it before the set.
  if (!(loop.initializer.flags & ts.NodeFlags.Const)) return undefined;
  const key = loopKey(loop.initializer.declarations[0]!.name);
  if (!key) return undefined;
  const body = ts.isBlock(loop.statement) ? [...loop.statement.statements] : [loop.statement];
  const set = body.find((s): s is ts.ExpressionStatement => ts.isExpressionStatement(s) && isSetOf(s.expression, symbol, checker));
  if (!set || jumps(loop.statement)) return undefined;
  const call = skipParens(set.expression) as ts.CallExpression;
  const given = skipParens(call.arguments[0]!);
  if (!ts.isIdentifier(given) || checker.getSymbolAtLocation(given) !== checker.getSymbolAtLocation(key)) return undefined;
  // Nothing else changes an entry: the one set is the only call of set, delete or clear on the Map.
  const function_ = ts.findAncestor(block, ts.isFunctionLike);
  let changes = 0;
  if (function_) {
    forEachNode(function_, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ["set", "delete", "clear"].includes(n.expression.name.text)) {
        const target = skipParens(n.expression.expression);
        if (ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol) changes++;
      }
    });
  }
  return changes === 1 ? { loop, set } : undefined;
}

/** The name a for...of binds to each key: `ticker` of `[ticker, s]` (a Map's entries) or of `ticker` (its keys). */
function loopKey(name: ts.BindingName): ts.Identifier | undefined {
  if (ts.isIdentifier(name)) return name;
  if (!ts.isArrayBindingPattern(name)) return undefined;
  const first = name.elements[0];
  return first && ts.isBindingElement(first) && !first.dotDotDotToken && ts.isIdentifier(first.name) ? first.name : undefined;
}

/** `m.set(k, v)` on the Map `symbol`. */
function isSetOf(e: ts.Expression, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  e = skipParens(e);
  if (!ts.isCallExpression(e) || e.arguments.length !== 2 || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== "set") return false;
  const target = skipParens(e.expression.expression);
  return ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol;
}

/** Whether `s` has a break or continue (of any loop: conservatively, one that might skip the set). */
function jumps(s: ts.Node): boolean {
  return someNode(s, (n) => ts.isBreakStatement(n) || ts.isContinueStatement(n), (n) => !ts.isFunctionLike(n));
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}
