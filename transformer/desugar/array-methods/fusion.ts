// Whether `for (const p of xs.filter(f).map(g)) body` may walk xs once, running
// f, g and body per element, instead of making the filtered and mapped arrays
// first. JavaScript runs every callback before the first iteration of the body;
// interleaving them gives the same values when the callbacks have no effect the
// body could see and the body changes nothing the callbacks read (the same
// condition under which a compiler fuses a stream, as Java's streams or Rust's
// iterators do by construction). Anything else keeps the arrays.

import { ts } from "../../ts.js";

/** Array methods that change their receiver: calling one on an array the chain reads is a write. */
const MUTATORS = new Set([
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "fill",
  "set",
  "sort",
  "reverse",
  "copyWithin",
]);

/**
 * Whether the chain `chain` (calls of map, filter, Array.from) can be fused into
 * the for...of whose loop variable is bound by `head` and whose body is `body`.
 * `nested`: the chain walks more than one loop, so a `break` in the body would not leave it.
 */
export function fusible(
  chain: ts.Expression,
  head: ts.BindingName,
  body: ts.Statement,
  nested: boolean,
): boolean {
  if (nested && jumps(body)) return false;
  if (!callbacksPure(chain)) return false;
  // What the chain reads (a conservative superset: every name it mentions), and the
  // loop variable itself, whose fields may be the elements the chain reads later.
  const read = new Set<string>();
  collectNames(chain, read);
  collectNames(head, read);
  return !writes(body, read);
}

/** Whether `node` holds a `break` or `continue` (outside functions of its own). */
function jumps(node: ts.Node): boolean {
  if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return !!ts.forEachChild(node, (c) => jumps(c) || undefined);
}

/** Whether every callback written in place in the chain only computes: it assigns none but its own locals, and calls no method but Math's. */
function callbacksPure(chain: ts.Expression): boolean {
  const check = (node: ts.Node): boolean => {
    if (
      (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
      !pureFunction(node)
    )
      return false;
    return !ts.forEachChild(node, (c) => !check(c) || undefined);
  };
  return check(chain);
}

function pureFunction(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const own = new Set<string>();
  for (const p of fn.parameters) collectNames(p.name, own);
  const declared = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) collectNames(node.name, own);
    ts.forEachChild(node, declared);
  };
  declared(fn.body);
  const effect = (node: ts.Node): boolean => {
    const target = assignedRoot(node);
    if (target !== undefined && (target === "" || !own.has(target)))
      return true;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression)
    ) {
      const receiver = node.expression.expression;
      if (!(ts.isIdentifier(receiver) && receiver.text === "Math")) {
        // `x.toFixed()`-like reads are rare in numeric callbacks; a method call may write, so it is an effect.
        return true;
      }
    }
    return !!ts.forEachChild(node, (c) => effect(c) || undefined);
  };
  return !effect(fn.body);
}

/** Whether `body` assigns (or calls a mutating method on) a name in `names`, or through one of them. */
function writes(body: ts.Node, names: ReadonlySet<string>): boolean {
  const visit = (node: ts.Node): boolean => {
    const target = assignedRoot(node);
    if (target !== undefined && (target === "" || names.has(target)))
      return true;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      MUTATORS.has(node.expression.name.text)
    ) {
      const root = rootName(node.expression.expression);
      if (root === undefined || names.has(root)) return true;
    }
    return !!ts.forEachChild(node, (c) => visit(c) || undefined);
  };
  return visit(body);
}

/** The name at the root of what `node` assigns (`a` of `a.b[i] = v`), "" when it has none; undefined when `node` assigns nothing. */
function assignedRoot(node: ts.Node): string | undefined {
  let target: ts.Expression | undefined;
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  )
    target = node.left;
  else if (
    (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    (node.operator === ts.SyntaxKind.PlusPlusToken ||
      node.operator === ts.SyntaxKind.MinusMinusToken)
  )
    target = node.operand;
  if (!target) return undefined;
  if (
    ts.isArrayLiteralExpression(target) ||
    ts.isObjectLiteralExpression(target)
  ) {
    // `[a, b] = ...`: every name in the pattern is written; report the first one watched by the caller through "".
    return "";
  }
  return rootName(target) ?? "";
}

/** `a` of `a`, `a.b`, `a[i].c`, `(a)`. */
function rootName(e: ts.Expression): string | undefined {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e))
      e = e.expression;
    else if (
      ts.isPropertyAccessExpression(e) ||
      ts.isElementAccessExpression(e)
    )
      e = e.expression;
    else break;
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}

function collectNames(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (c) => collectNames(c, into));
}
