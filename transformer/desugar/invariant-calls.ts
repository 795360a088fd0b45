// Desugaring: a helper's array result that a callback computes again on every
// call. Takes: a function whose callbacks (`a.map((row) => transpose(b).map(...))`)
// may call a helper of the program returning an array or matrix with arguments
// that read nothing the callback declares (its parameters, its locals) and
// that the function never reassigns. Guarantees: each such call is computed
// once, in a const declared before the statement holding the outermost
// callback it does not depend on (`const transposeOfB = transpose(b)`), and the
// callback reads that const: what a user would write by hand, and what the
// matrices pass knows (a local matrix made by a helper, matrices.ts). An
// expression-bodied function that needs such a const gets a block body
// (`{ const transposeOfB = transpose(b); return a.map(...); }`). A helper that
// logs (reads `console`) is left where it is: hoisting would change how often
// it prints. Calls of other kinds are left as they are.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { forEachNode } from "../walk.js";
import { Build, like, newLocal, skipParens, visitChildren } from "./synth.js";

export function hoistInvariantCalls(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!fn.body) return fn;
  const { checker } = ctx;
  const build = new Build(checker);
  const f = ts.factory;
  /** The statements hoisted before each enclosing statement, innermost last. */
  const places: ts.Statement[][] = [];
  /** The callbacks around the node visited, each with the place current where it starts. */
  const callbacks: { node: ts.Node; place: ts.Statement[] | undefined }[] = [];
  let hoisted = 0;

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node)) {
      const before: ts.Statement[] = [];
      places.push(before);
      const out = visitChildren(node, visit);
      places.pop();
      return before.length > 0 ? [...before, out as ts.Statement] : out;
    }
    const parent = ts.getOriginalNode(node).parent;
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && parent && ts.isCallExpression(parent)) {
      callbacks.push({ node: ts.getOriginalNode(node), place: places[places.length - 1] });
      const out = visitChildren(node, visit);
      callbacks.pop();
      return out;
    }
    if (ts.isFunctionLike(node)) {
      // A function declared inside: its own statements, no callback of this one around them.
      const saved = callbacks.splice(0);
      const out = visitChildren(node, visit);
      callbacks.push(...saved);
      return out;
    }
    if (ts.isCallExpression(node) && callbacks.length > 0) {
      const target = hoistTarget(node);
      if (target) {
        const call = visitChildren(node, visit) as ts.CallExpression;
        const type = checker.getTypeAtLocation(ts.getOriginalNode(node));
        const local = newLocal(localName(node), type, node);
        target.push(build.declare(local, call, ts.NodeFlags.Const, node));
        hoisted++;
        return local;
      }
    }
    return visitChildren(node, visit);
  };

  /** Where `call` is computed once, if it is a call of a helper returning an array whose arguments the callbacks around it do not declare. */
  const hoistTarget = (call: ts.CallExpression): ts.Statement[] | undefined => {
    const user = ts.getParseTreeNode(call);
    if (!user || !ts.isCallExpression(user) || !ts.isIdentifier(user.expression)) return undefined;
    const helper = ctx.resolveFunction(user.expression);
    if (!helper?.body || ctx.isLibDeclaration(helper) || logs(helper)) return undefined;
    if (!checker.isArrayType(checker.getTypeAtLocation(user))) return undefined;
    const roots: ts.Declaration[] = [];
    for (const a of user.arguments) {
      const root = rootOf(a);
      const decl = root && checker.getSymbolAtLocation(root)?.valueDeclaration;
      if (!decl || isReassigned(decl, root!)) return undefined;
      roots.push(decl);
    }
    // The outermost callback none of whose names the arguments read.
    const at = callbacks.findIndex((c) => roots.every((d) => !within(d, c.node)));
    return at >= 0 ? callbacks[at]!.place : undefined;
  };

  /** Whether the function assigns the name `decl` declares (a parameter or const is read as it is). */
  const isReassigned = (decl: ts.Declaration, id: ts.Identifier): boolean => {
    if (ts.isVariableDeclaration(decl) && !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return true;
    const symbol = checker.getSymbolAtLocation(id);
    let found = false;
    forEachNode(ts.getOriginalNode(fn), (n) => {
      if (found) return false;
      const target = ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? n.left : undefined;
      const t = target && skipParens(target);
      if (t && ts.isIdentifier(t) && checker.getSymbolAtLocation(t) === symbol) found = true;
      return !found;
    });
    return found;
  };

  const body = fn.body;
  // An expression body gets a block so a const can stand before its value.
  const block = ts.isBlock(body) ? body : like(f.createBlock([like(f.createReturnStatement(body), body)], true), body);
  const out = visit(block) as ts.Block;
  if (hoisted === 0) return fn;
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, out), fn);
  if (ts.isFunctionExpression(fn)) return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, out), fn);
  if (ts.isFunctionDeclaration(fn)) return like(f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, out), fn);
  return fn;
}

/** The name an argument reads (`b`, `model.weights`), if it is a plain read. */
function rootOf(e: ts.Expression): ts.Identifier | undefined {
  e = skipParens(e);
  while (ts.isNonNullExpression(e) || ts.isPropertyAccessExpression(e)) e = skipParens(e.expression);
  return ts.isIdentifier(e) ? e : undefined;
}

/** `transposeOfB` for `transpose(b)`. */
function localName(call: ts.CallExpression): string {
  const callee = (ts.getParseTreeNode(call) as ts.CallExpression | undefined)?.expression ?? call.expression;
  const helper = ts.isIdentifier(callee) ? callee.text : "result";
  const first = call.arguments[0] && rootOf(call.arguments[0]);
  return first ? `${helper}Of${first.text[0]!.toUpperCase()}${first.text.slice(1)}` : helper;
}

/** Whether the helper reads `console` (a log would print once instead of once per call). */
function logs(helper: ts.Node): boolean {
  let found = false;
  forEachNode(helper, (n) => {
    if (ts.isIdentifier(n) && n.text === "console") found = true;
    return !found;
  });
  return found;
}

function within(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
