// Desugaring: switch. Takes: a function that may contain `switch` statements
// (fallthrough, `default` anywhere, `break` ending a case, `return` inside
// cases). Guarantees: none remains; each becomes an if/else chain testing the
// cases in order with `===`, where a case that falls through runs the
// statements of the cases after it, and the `break` that ends a case is gone.
// A `break` out of the middle of a case is refused.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, shownAsWritten, userText, visitChildren } from "./synth.js";
import { passiveOf } from "../passive.js";

export function desugarSwitch(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const build = new Build(ctx.checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    const inner = visitChildren(node, visit);
    if (!ts.isSwitchStatement(inner)) return inner;
    refuseNamedResult(inner, ctx);
    return ifChain(inner, build);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/**
 * `switch (phaseAt(t, env))` of a helper of the user's that returns a string
 * (`"attack" | "decay"`): its value would be a string tsgrad computes when the
 * code runs, which it does not keep (the tape holds numbers), so it is refused
 * here, naming the switch as written. A helper returning a number code (a
 * numeric enum) is switched on as any number is.
 */
function refuseNamedResult(s: ts.SwitchStatement, { checker, isLibDeclaration }: DesugarContext): void {
  const key = s.expression;
  if (!ts.isCallExpression(key) || passiveOf(key)) return;
  const type = checker.getTypeAtLocation(key);
  const strings = (t: ts.Type): boolean => (t.isUnion() ? t.types.every(strings) : !!(t.flags & ts.TypeFlags.StringLike));
  if (!strings(type)) return;
  const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(key.expression) ? key.expression.name : key.expression);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl || isLibDeclaration(decl)) return;
  const callee = userText(key.expression);
  const shown = checker.typeToString(type);
  fail(
    Code.UnsupportedType,
    key,
    `'switch (${userText(key)})' switches on the string ('${shown}') that ${callee} computes when the code runs, and tsgrad keeps numbers (and booleans in conditions), not strings made from the values it differentiates. ` +
      `Return a number code from ${callee} instead (a numeric enum: enum Phase { Attack, Decay }) and switch on that, or write the cases as if/else on the conditions ${callee} tests.`,
  );
}

function ifChain(s: ts.SwitchStatement, build: Build): ts.Statement[] {
  const f = ts.factory;
  const clauses = s.caseBlock.clauses;
  const out: ts.Statement[] = [];
  let key = s.expression;
  if (!ts.isIdentifier(key) && !ts.isPropertyAccessExpression(key) && !ts.isLiteralExpression(key)) {
    // The value switched on is computed once, as JavaScript does.
    key = newLocal("key", build.checker.getTypeAtLocation(s.expression), s.expression);
    out.push(build.declare(key as ts.Identifier, s.expression, ts.NodeFlags.Const, s.expression));
  }
  /** The statements clause `k` runs: its own and, while they fall through, those of the next clauses. */
  const run = (k: number): ts.Statement[] => {
    const stmts: ts.Statement[] = [];
    for (let i = k; i < clauses.length; i++) {
      const own = statementsOf(clauses[i]!);
      const last = own[own.length - 1];
      if (last && ts.isBreakStatement(last) && !last.label) {
        stmts.push(...own.slice(0, -1));
        break;
      }
      stmts.push(...own);
      if (last && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last))) break;
    }
    for (const x of stmts) refuseInnerBreak(x);
    return stmts;
  };
  const block = (stmts: ts.Statement[], from: ts.Node): ts.Block => like(f.createBlock(stmts, true), from);
  const defaultAt = clauses.findIndex(ts.isDefaultClause);
  let chain: ts.Statement | undefined = defaultAt >= 0 ? block(run(defaultAt), clauses[defaultAt]!) : undefined;
  // Cases with no statements share the statements of the case they fall into: `case 1: case 2:` is one test.
  for (let i = clauses.length - 1; i >= 0; i--) {
    const clause = clauses[i]!;
    if (!ts.isCaseClause(clause)) continue;
    const tests: ts.Expression[] = [];
    let j = i;
    while (j >= 0 && ts.isCaseClause(clauses[j]!) && (j === i || statementsOf(clauses[j]!).length === 0)) {
      const c = clauses[j] as ts.CaseClause;
      tests.unshift(build.test(key, ts.SyntaxKind.EqualsEqualsEqualsToken, c.expression, c.expression));
      j--;
    }
    i = j + 1;
    const test = tests.reduce((a, b) => build.test(a, ts.SyntaxKind.BarBarToken, b, clause));
    chain = like(f.createIfStatement(shownAsWritten(test), block(run(i), clause), chain), clause);
  }
  if (chain) out.push(ts.isBlock(chain) ? like(chain, s) : chain);
  return out;
}

function statementsOf(clause: ts.CaseOrDefaultClause): readonly ts.Statement[] {
  const only = clause.statements.length === 1 ? clause.statements[0] : undefined;
  return only && ts.isBlock(only) ? only.statements : clause.statements;
}

/** A `break` that leaves the switch from inside an if (not inside an inner loop) cannot become an if/else. */
function refuseInnerBreak(node: ts.Node): void {
  if (ts.isBreakStatement(node) && !node.label) {
    fail(Code.Unsupported, node, "a break in the middle of a switch case is not supported; end the case with break, or use if/else.");
  }
  if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isFunctionLike(node)) return;
  ts.forEachChild(node, refuseInnerBreak);
}
