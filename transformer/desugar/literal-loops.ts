// Desugaring: for...of over an array literal. Takes: a function whose loops
// may walk a list written in place (`for (const [p, q] of [[a, b], [b, c], [c, a]])`,
// `for (const w of [0.5, 1, 2])`). Guarantees: each such loop is its body once
// per element, in order, each copy in a block of its own that starts by
// declaring the loop's name (or pattern) as that element, which destructuring
// then reads element by element (`const p = a, q = b`). The elements may be
// records, tuples or arrays, which no array could hold in differentiated code;
// unrolled, each is read where it is. A `break` or `continue` of such a loop is
// refused: it would have to skip the copies after it.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { like, visitChildren } from "./synth.js";

/** Longer lists are walked by index, as written (an unrolled body would be long to read). */
const MOST = 16;

export function unrollLiteralLoops(fn: FunctionLike, _ctx: DesugarContext): FunctionLike {
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isForOfStatement(node) && !node.awaitModifier && isLiteralList(node.expression)) return visitChildren(unroll(node), visit);
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function isLiteralList(e: ts.Expression): e is ts.ArrayLiteralExpression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return ts.isArrayLiteralExpression(e) && e.elements.length <= MOST && !e.elements.some((x) => ts.isSpreadElement(x) || ts.isOmittedExpression(x));
}

/** `for (const x of [a, b]) body` as `{ const x = a; body } { const x = b; body }`. */
function unroll(loop: ts.ForOfStatement): ts.Block {
  const f = ts.factory;
  const head = loop.initializer;
  if (!ts.isVariableDeclarationList(head) || head.declarations.length !== 1) {
    fail(Code.Unsupported, head, "declare the loop's name in the for...of head (for (const x of [a, b])).");
  }
  const jump = leavingJump(loop.statement, loop.parent && ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined);
  if (jump) {
    fail(Code.Unsupported, jump, `'${ts.isBreakStatement(jump) ? "break" : "continue"}' in a for...of over a list written in place is not supported (tsgrad writes the body once per element); write an if around the rest of the body instead.`);
  }
  let list = loop.expression;
  while (ts.isParenthesizedExpression(list)) list = list.expression;
  const declaration = head.declarations[0]!;
  const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const copies = (list as ts.ArrayLiteralExpression).elements.map((element) => {
    const d = like(f.createVariableDeclaration(declaration.name, undefined, undefined, element), declaration);
    const first = like(f.createVariableStatement(undefined, like(f.createVariableDeclarationList([d], head.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)), head)), loop);
    return like(f.createBlock([first, ...body], true), loop.statement);
  });
  return like(f.createBlock(copies, true), loop);
}

/** A `break` or `continue` in `body` that would leave the loop around it (unlabeled, or naming `label`). */
export function leavingJump(body: ts.Node, label: string | undefined): ts.BreakOrContinueStatement | undefined {
  let found: ts.BreakOrContinueStatement | undefined;
  const visit = (n: ts.Node, inner: boolean, inSwitch: boolean): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isBreakStatement(n) || ts.isContinueStatement(n)) {
      const own = n.label ? n.label.text === label : !inner && !(ts.isBreakStatement(n) && inSwitch);
      if (own) found = n;
      return;
    }
    const loop = ts.isIterationStatement(n, false);
    ts.forEachChild(n, (c) => visit(c, inner || loop, inSwitch || ts.isSwitchStatement(n)));
  };
  visit(body, false, false);
  return found;
}
