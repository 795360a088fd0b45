// Arrays of instances of several classes: `const shapes: Shape[] = [new
// Circle(r, 2), new Rect(w, h)]`, walked to reduce over a method each subclass
// implements its own way. Takes: from the classes pass's inliner (classes.ts),
// a const declared as an array literal of `new` expressions whose classes
// differ (or differ from the array's element class), and then the loops the
// passes before made of its walks (`reduce`, `forEach`, `map`, `for...of`
// become `for (let i = 0; i < shapes.length; i++) { const s = shapes[i]; ... }`),
// `shapes.length` and `shapes[k]`.
// Guarantees: the array is kept as its elements, each an instance of its own
// class as one local per field (`shapes_0_r`); a counting loop over it is
// unrolled, one copy of its body per element with the counter a literal, so
// each element's methods are its own class's (virtual dispatch decided at
// compile time, as a C++ compiler devirtualises a call whose object's type it
// sees). An array of one class is kept as one array per field instead
// (record-arrays.ts). Refused, located, with what to write: any other use of
// such an array (passed where its elements cannot be followed, indexed by a
// value not known at compile time, walked by a loop with break or continue).

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { someNode } from "../walk.js";
import { skipParens, userText } from "./synth.js";
import { classOf, isAssignment } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import type { Frame, Key, Sink, Value } from "./inlined-values.js";
import { fieldLocals } from "./instance-values.js";

/** Unrolled lists are short: longer ones would make long code (as literal-loops.ts limits its lists). */
const MOST = 16;

/** The values that are such lists (their fields are "0", "1", ..., each an instance). */
const lists = new WeakSet<Value>();

export function isInstanceList(v: Value | undefined): v is Value & { kind: "struct" } {
  return !!v && v.kind === "struct" && lists.has(v);
}

/** Whether `init`, declaring a local of type `t`, is an array literal of `new` expressions of classes that differ. */
export function isMixedInstanceList(inliner: Inliner, init: ts.Expression, t: ts.Type): init is ts.ArrayLiteralExpression {
  init = skipParens(init);
  if (!ts.isArrayLiteralExpression(init) || init.elements.length === 0 || init.elements.length > MOST) return false;
  const classes = init.elements.map((x) => (ts.isNewExpression(skipParens(x)) ? classOf(inliner.checker, inliner.typeOf(x)) : undefined));
  if (classes.some((c) => !c)) return false;
  const element = inliner.checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  const declared = element && classOf(inliner.checker, element);
  return classes.some((c) => c !== classes[0] || (declared && c !== declared));
}

/** The list `init` makes, each element's fields in locals named after the list and its index (`shapes_0_r`). */
export function instanceList(inliner: Inliner, name: string, init: ts.ArrayLiteralExpression, frame: Frame, out: ts.Statement[], from: ts.Node): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  init.elements.forEach((x, i) => {
    const v = inliner.value(x, frame, out);
    if (v.kind !== "struct") fail(Code.Internal, x, `'${userText(x)}' gave no instance; please report this with the class.`);
    fields.set(String(i), fieldLocals(inliner, `${name}_${i}`, v, false, from, out));
  });
  const list: Value & { kind: "struct" } = { kind: "struct", type: inliner.typeOf(init), fields, exact: true };
  lists.add(list);
  return list;
}

/** What to write instead of a use of a list tsgrad cannot follow. */
export function listUse(at: ts.Node): string {
  return `'${userText(at)}' is an array of instances of different classes, which tsgrad keeps as its elements to run each one's own methods; use it only in reduce, forEach, map, for...of or a for loop from 0 to its length, read its length, or read it at a constant index.`;
}

/** `shapes[k]` of a list: the element, when the index is known at compile time (a literal, or the counter of an unrolled loop). */
export function listElement(inliner: Inliner, list: Value & { kind: "struct" }, e: ts.ElementAccessExpression, frame: Frame, out: Sink): Value {
  const index = skipParens(inliner.expr(e.argumentExpression, frame, out));
  if (!ts.isNumericLiteral(index)) {
    fail(Code.Unsupported, e, `'${userText(e)}' reads '${userText(e.expression)}', an array of instances of different classes that tsgrad keeps as its elements, at an index known only at run time, so tsgrad cannot choose the class whose methods run; read it at a constant index, or use reduce, forEach, map, for...of or a for loop from 0 to its length.`);
  }
  return list.fields.get(index.text) ?? fail(Code.Unsupported, e, `'${userText(e)}' reads past the end of '${userText(e.expression)}', which has ${list.fields.size} elements; read an element it has.`);
}

/**
 * `for (let i = 0; i < shapes.length; i++) body` over a list: the body once
 * per element, `i` the element's index. False when `s` is no such loop.
 */
export function unrollListLoop(inliner: Inliner, s: ts.ForStatement, frame: Frame, out: ts.Statement[]): boolean {
  const list = listOfLoop(inliner, s);
  if (!list) return false;
  const [counter, value] = list;
  const assigns = someNode(s.statement, (n) =>
    (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isIdentifier(skipParens(n.left)) && inliner.key(skipParens(n.left) as ts.Identifier) === counter) ||
    ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && inliner.key(n.operand) === counter));
  const jumps = someNode(s.statement, (n) => ts.isBreakStatement(n) || ts.isContinueStatement(n), (n) => !ts.isFunctionLike(n) && !ts.isIterationStatement(n, false) && !ts.isSwitchStatement(n));
  if (assigns || jumps) {
    fail(Code.Unsupported, s, `the loop over an array of instances of different classes is unrolled (one copy of its body per element, so each runs its own class's methods), so it cannot ${jumps ? "break or continue" : "change its counter"}; put the rest of the body in an if statement instead.`);
  }
  const saved = inliner.env.get(counter);
  try {
    for (let i = 0; i < value.fields.size; i++) {
      inliner.env.set(counter, { kind: "expr", node: inliner.build.number(i, s) });
      out.push(inliner.blockOf(s.statement, frame));
    }
  } finally {
    if (saved) inliner.env.set(counter, saved);
    else inliner.env.delete(counter);
  }
  return true;
}

/** The counter and the list of `for (let i = 0; i < xs.length; i++)` (or `++i`, `i += 1`) when `xs` is a list. */
function listOfLoop(inliner: Inliner, s: ts.ForStatement): [Key, Value & { kind: "struct" }] | undefined {
  const init = s.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const d = init.declarations[0]!;
  if (!ts.isIdentifier(d.name) || !d.initializer || !ts.isNumericLiteral(skipParens(d.initializer))) return undefined;
  if ((skipParens(d.initializer) as ts.NumericLiteral).text !== "0") return undefined;
  const counter = inliner.key(d.name);
  const test = s.condition && skipParens(s.condition);
  if (!counter || !test || !ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.LessThanToken) return undefined;
  const left = skipParens(test.left);
  const right = skipParens(test.right);
  if (!ts.isIdentifier(left) || inliner.key(left) !== counter) return undefined;
  if (!ts.isPropertyAccessExpression(right) || right.name.text !== "length" || !ts.isIdentifier(skipParens(right.expression))) return undefined;
  const listKey = inliner.key(skipParens(right.expression) as ts.Identifier);
  const list = listKey && inliner.env.get(listKey);
  if (!isInstanceList(list)) return undefined;
  const step = s.incrementor && skipParens(s.incrementor);
  const counts = !!step && (
    ((ts.isPostfixUnaryExpression(step) || ts.isPrefixUnaryExpression(step)) && step.operator === ts.SyntaxKind.PlusPlusToken && ts.isIdentifier(step.operand) && inliner.key(step.operand) === counter) ||
    (ts.isBinaryExpression(step) && step.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && ts.isIdentifier(skipParens(step.left)) && inliner.key(skipParens(step.left) as ts.Identifier) === counter && ts.isNumericLiteral(skipParens(step.right)) && (skipParens(step.right) as ts.NumericLiteral).text === "1"));
  if (!counts) fail(Code.Unsupported, s, `the loop over an array of instances of different classes is unrolled, one copy of its body per element; write the loop from 0 to its length by 1 (for (let i = 0; i < xs.length; i++)).`);
  return [counter, list];
}
