// Desugaring: a local matrix grown by rows. Takes: a `const` local `number[][]`
// made as a literal of rows (`const history: number[][] = [initial.slice()]`,
// or `[]`)
// and grown with `history.push(row)` (a simulation's states, step by step),
// as matrices.ts meets it. Guarantees: the matrix is one flat `number[]` grown
// by its elements (`history.push(row[j])` for each column), with a row length
// fixed by its first row (`historyCols`, each later row checked to have it: a
// RangeError otherwise, as one stride cannot hold rows of two lengths; a
// matrix made empty takes the length of its first pushed row) and a row
// count (`historyRows`) counted up at each push; its reads are those of any
// flat matrix (`history[t][i]` is `history[t * historyCols + i]`,
// `history.length` is `historyRows`). Lowering already knows a local `number[]`
// grown with `push`: its adjoint buffer, and the push undone in the backward
// sweep. JavaScript pushes the row itself, which later writes into the row
// would change in the matrix too; the copy does not see them, so a row that is
// a name the function writes into (or hands to code that may) is refused, with
// the copy to push instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext } from "../lower.js";
import { parameterWrite } from "./parameter-writes.js";
import { forLoop, ifThen, increment, push } from "./array-methods/statements.js";
import { Build, globalName, like, newLocal, skipParens, typed, userText } from "./synth.js";
import { forEachNode } from "../walk.js";

/** Methods that change the array they are called on. */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "fill", "sort", "reverse", "copyWithin", "set"]);

/** The flat array of a grown matrix and its shape's names (matrices.ts's Matrix). */
export interface GrownMatrix {
  readonly flat: ts.Identifier;
  readonly rows: ts.Identifier;
  readonly cols: ts.Identifier;
  readonly name: string;
  /** Made as `[]`: the row length is a `let`, set by the first push. */
  readonly startsEmpty?: boolean;
}

/** The function (as the user wrote it) that declares the user node `n`. */
function scopeOf(n: ts.Node): ts.Node | undefined {
  let scope: ts.Node | undefined = ts.getOriginalNode(n).parent;
  while (scope && !ts.isFunctionLike(scope)) scope = scope.parent;
  return scope;
}

/** Whether the local `d` declares (as the user wrote it) is grown with `push` in its function. */
export function isPushedOnto(d: ts.VariableDeclaration, checker: ts.TypeChecker): boolean {
  const user = ts.getOriginalNode(d);
  if (!ts.isVariableDeclaration(user) || !ts.isIdentifier(user.name) || user.pos < 0) return false;
  const symbol = checker.getSymbolAtLocation(user.name);
  const scope = scopeOf(user);
  if (!symbol || !scope) return false;
  let found = false;
  forEachNode(scope, (n) => {
    if (found) return false;
    const target = ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "push" ? skipParens(n.expression.expression) : undefined;
    if (target && ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol) found = true;
  });
  return found;
}

/** `row.slice()` or `[...row]`: the row it copies; else undefined. */
function copied(e: ts.Expression): ts.Expression | undefined {
  e = skipParens(e);
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 1 && ts.isSpreadElement(e.elements[0]!)) return e.elements[0].expression;
  if (ts.isCallExpression(e) && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "slice") return e.expression.expression;
  return undefined;
}

/**
 * How the function declaring the user's `name` may write into the array it
 * names after it is pushed (`'rho[i] = ...'`, `'rho.fill(...)'`, given to a
 * call that writes into it or that tsgrad cannot see); else undefined.
 */
function writeInto(name: ts.Identifier, ctx: Pick<DesugarContext, "resolveFunction" | "checker">): string | undefined {
  const { checker } = ctx;
  const user = ts.getOriginalNode(name);
  if (!ts.isIdentifier(user) || user.pos < 0) return undefined;
  const symbol = checker.getSymbolAtLocation(user);
  const scope = scopeOf(user);
  if (!symbol || !scope) return undefined;
  const names = (e: ts.Expression): boolean => {
    e = skipParens(e);
    while (ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = skipParens(e.expression);
    return ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol;
  };
  let found: string | undefined;
  forEachNode(scope, (n) => {
    if (found) return false;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = skipParens(n.left);
      if (ts.isElementAccessExpression(target) && names(target.expression)) found = `'${target.getText()} ${n.operatorToken.getText()} ...'`;
      // `const alias = rho` would be another way in: refused as a write, being unseen.
      if (ts.isIdentifier(target) && names(n.right)) found = `'${n.getText()}'`;
    }
    if (ts.isVariableDeclaration(n) && n.initializer && names(n.initializer)) found = `'${n.getText()}'`;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = skipParens(n.operand);
      if (ts.isElementAccessExpression(target) && names(target.expression)) found = `'${n.getText()}'`;
    }
    if (ts.isCallExpression(n)) {
      const callee = skipParens(n.expression);
      if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.text) && names(callee.expression)) found = `'${callee.getText()}(...)'`;
      // The matrix's own push is what is being rewritten, not a write into the row.
      const own = ts.isPropertyAccessExpression(callee) && callee.name.text === "push";
      n.arguments.forEach((a, k) => {
        if (found || own || !names(a)) return;
        const helper = ctx.resolveFunction(n.expression);
        const inner = helper?.body ? parameterWrite(helper, k, ctx) : `'${n.getText()}'`;
        if (inner) found = helper?.body ? `through '${n.expression.getText()}': ${inner}` : inner;
      });
    }
  });
  return found;
}

/**
 * The statements copying `row` in as the next row of `m`: its length checked
 * against the row length (the first row of the literal sets it), each element
 * pushed, the row count counted up for a push (the literal's rows are counted
 * where the matrix is declared). A row that is a copy (`rho.slice()`, `[...rho]`) is
 * read where it is; another computed row is made first, in a const.
 */
export function pushRow(m: GrownMatrix, row: ts.Expression, from: ts.Node, place: "first" | "literal" | "pushed", build: Build, ctx: Pick<DesugarContext, "resolveFunction" | "checker">): ts.Statement[] {
  const { checker } = ctx;
  const number = checker.getNumberType();
  const out: ts.Statement[] = [];
  let source = copied(row) ?? skipParens(row);
  const type = checker.getTypeAtLocation(source);
  // A literal row of plain values (`states.push([x, v])`): its elements pushed one by one, its length known here, no row array made.
  const literal = ts.isArrayLiteralExpression(source) && plainElements(source, m.name) ? source : undefined;
  const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
  if (!element || !(element.flags & ts.TypeFlags.NumberLike)) {
    fail(Code.Unsupported, from, `'${userText(row)}' is not an array of numbers, and rows of the local number[][] '${m.name}' are copied in as numbers; make each pushed row an array of numbers (${m.name}.push(row.slice())).`);
  }
  if (ts.isIdentifier(source) && !copied(row)) {
    // JavaScript pushes the array itself: a later write into it would show in the matrix, which holds a copy.
    const written = writeInto(source, ctx);
    if (written) {
      fail(Code.Unsupported, from, `'${userText(row)}' is pushed whole onto the local number[][] '${m.name}', which tsgrad keeps as one flat array holding a copy of each row, and the function also writes into it (${written}), which would change the row in '${m.name}' too; push a copy (${m.name}.push(${userText(row)}.slice())), or give the row a new array each step (${userText(row)} = ${userText(row)}.map(...)).`);
    }
  } else if (!literal && !ts.isIdentifier(source) && !ts.isPropertyAccessExpression(source)) {
    const held = newLocal(`${m.name}Row`, type, row);
    out.push(build.declare(held, source, ts.NodeFlags.Const, from));
    source = held;
  }
  const length = (): ts.Expression => (literal ? build.number(literal.elements.length, from) : build.length(source, from));
  if (place === "first") out.push(build.declare(m.cols, length(), ts.NodeFlags.Const, from));
  else {
    const message = typed(f().createStringLiteral(`${userText(from)}: the row has a length other than the first row of '${m.name}'; tsgrad keeps a local number[][] as one flat array, with rows of one length`), checker.getStringType(), from);
    const error = like(f().createThrowStatement(like(f().createNewExpression(globalName("RangeError", checker, from), undefined, [message]), from)), from);
    const check = ifThen(build.test(length(), ts.SyntaxKind.ExclamationEqualsEqualsToken, m.cols, from), [error], from);
    // A matrix made empty (`const history: number[][] = []`) takes the row length of its first push.
    const first = build.test(m.rows, ts.SyntaxKind.EqualsEqualsEqualsToken, build.number(0, from), from);
    out.push(m.startsEmpty ? ifThen(first, [build.assign(m.cols, length(), from)], from, [check]) : check);
  }
  if (literal) for (const e of literal.elements) out.push(push(m.flat, e as ts.Expression, from, build));
  else {
    const j = newLocal("j", number, from);
    out.push(forLoop(j, build.number(0, from), m.cols, [push(m.flat, build.element(source, j, number, from), from, build)], from, build));
  }
  if (place === "pushed") out.push(increment(m.rows, from, build));
  return out;
}

const f = (): ts.NodeFactory => ts.factory;

/**
 * Whether the elements of the literal row `row` may be pushed one at a time,
 * each evaluated just before its push where JavaScript evaluates them all
 * first: no spread, and nothing that could see the difference (a call, an
 * assignment, `++`, a read of the matrix `name` itself).
 */
function plainElements(row: ts.ArrayLiteralExpression, name: string): boolean {
  if (row.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e))) return false;
  let plain = true;
  for (const e of row.elements) {
    forEachNode(e, (n) => {
      if (!plain) return false;
      if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isPrefixUnaryExpression(n) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) || ts.isPostfixUnaryExpression(n) || (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) || (ts.isIdentifier(n) && n.text === name)) plain = false;
      return plain;
    });
  }
  return plain;
}
