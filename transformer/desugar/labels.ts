// Desugaring: labeled loops. Takes: a function whose loops may carry labels,
// with `break label` and `continue label` inside nested loops. Guarantees: no
// label remains; a jump out of inner loops sets a flag (`breakOuter`,
// `continueOuter`) and breaks, and after each inner loop a test of the flag
// breaks (or, at the labeled loop, continues) on outward — the same control
// flow with only unlabeled break and continue.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, newLocal, visitChildren } from "./synth.js";

export function desugarLabels(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isLabeledStatement(node)) return unlabel(node, build, visit);
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function unlabel(labeled: ts.LabeledStatement, build: Build, visit: (n: ts.Node) => ts.Node | ts.Node[]): ts.Node[] {
  const f = ts.factory;
  const label = labeled.label.text;
  const loop = labeled.statement;
  if (!ts.isIterationStatement(loop, false)) {
    fail(Code.Unsupported, labeled.label, "a label on a statement that is not a loop is not supported; use if/else instead of break label.");
  }
  const boolean = build.checker.getBooleanType();
  const camel = label.charAt(0).toUpperCase() + label.slice(1);
  let breakFlag: ts.Identifier | undefined;
  let continueFlag: ts.Identifier | undefined;
  const flag = (jump: ts.BreakOrContinueStatement): ts.Identifier =>
    ts.isBreakStatement(jump)
      ? (breakFlag ??= newLocal(`break${camel}`, boolean, labeled.label))
      : (continueFlag ??= newLocal(`continue${camel}`, boolean, labeled.label));
  const yes = (from: ts.Node): ts.Expression => like(f.createTrue(), from);

  /** `node` inside the labeled loop, `depth` loops further in. */
  const rewrite = (node: ts.Node, depth: number): ts.Node | ts.Node[] => {
    if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && node.label?.text === label) {
      const plain = ts.isBreakStatement(node) ? f.createBreakStatement() : f.createContinueStatement();
      if (depth === 0) return like(plain, node);
      return like(f.createBlock([build.assign(flag(node), yes(node), node), like(f.createBreakStatement(), node)], true), node);
    }
    if (ts.isFunctionLike(node)) return node;
    if (ts.isIterationStatement(node, false)) {
      const inner = ts.visitEachChild(node, (n) => rewrite(n, n === node.statement ? depth + 1 : depth), undefined);
      if (!jumpsTo(node, label)) return inner;
      // Leaving an inner loop by a flag: go on outward, or act at the labeled loop.
      const checks: ts.Statement[] = [];
      for (const [id, atLabel] of [[breakFlag, f.createBreakStatement()], [continueFlag, f.createContinueStatement()]] as const) {
        if (id) checks.push(like(f.createIfStatement(id, like(depth === 0 ? atLabel : f.createBreakStatement(), node)), node));
      }
      return [inner, ...checks];
    }
    return ts.visitEachChild(node, (n) => rewrite(n, depth), undefined);
  };

  const inner = ts.visitEachChild(loop, (n) => rewrite(n, n === loop.statement ? 0 : -1), undefined);
  const out: ts.Statement[] = [];
  let result = inner as ts.IterationStatement;
  if (continueFlag) {
    // Reset at the start of every iteration of the labeled loop.
    const reset = build.declare(continueFlag, like(f.createFalse(), labeled.label), ts.NodeFlags.Let, labeled);
    const body = ts.isBlock(result.statement) ? [...result.statement.statements] : [result.statement];
    result = withBody(result, like(f.createBlock([reset, ...body], true), result.statement));
  }
  if (breakFlag) out.push(build.declare(breakFlag, like(f.createFalse(), labeled.label), ts.NodeFlags.Let, labeled));
  // The loop still stands for the user's loop (its `for (...)` heads the backward sweep's comment).
  out.push(result);
  // Labels inside this loop are handled the same way.
  return out.flatMap((s) => visit(s));
}

function withBody(loop: ts.IterationStatement, body: ts.Statement): ts.IterationStatement {
  const f = ts.factory;
  if (ts.isForStatement(loop)) return f.updateForStatement(loop, loop.initializer, loop.condition, loop.incrementor, body);
  if (ts.isForOfStatement(loop)) return f.updateForOfStatement(loop, loop.awaitModifier, loop.initializer, loop.expression, body);
  if (ts.isForInStatement(loop)) return f.updateForInStatement(loop, loop.initializer, loop.expression, body);
  if (ts.isWhileStatement(loop)) return f.updateWhileStatement(loop, loop.expression, body);
  const doLoop = loop as ts.DoStatement;
  return f.updateDoStatement(doLoop, body, doLoop.expression);
}

function jumpsTo(node: ts.Node, label: string): boolean {
  if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && node.label?.text === label) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (n) => jumpsTo(n, label)) ?? false;
}
