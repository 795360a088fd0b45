// Recursive inner functions, lifted to module level. Takes: a function
// declared inside another one (a function declaration, or a const arrow or
// function expression). Guarantees: `liftable` says whether it calls itself
// and reads nothing of the functions around it (only its own parameters and
// locals, itself, and module-level names), so that it means the same at
// module level; `liftedCopy` is that module-level copy, under a new name, its
// calls to itself renamed. Lowering then calls it like a module-level helper
// (its generated `*_vjp` recurses), instead of inlining it, which recursion
// makes impossible; generated code calls the copy where it needs the value.

import { ts } from "./ts.js";
import type { FunctionLike } from "./lower.js";
import { forEachNode } from "./walk.js";
import { visitChildren } from "./desugar/synth.js";

/** The name the function is called by: its declaration's, or its const's. */
function selfName(fn: FunctionLike): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    if (fn.name) return fn.name;
  }
  const parent = fn.parent;
  return parent && ts.isVariableDeclaration(parent) && parent.initializer === fn && ts.isIdentifier(parent.name) ? parent.name : undefined;
}

/** The function-like around `node` (not counting `node` itself), if any. */
function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && !ts.isFunctionTypeNode(n)) return n;
  return undefined;
}

function isInside(node: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === outer) return true;
  return false;
}

const cache = new WeakMap<FunctionLike, boolean>();

/** Whether `fn` is an inner function that calls itself and reads nothing of the functions around it. */
export function liftable(fn: FunctionLike, checker: ts.TypeChecker): boolean {
  let known = cache.get(fn);
  if (known === undefined) {
    known = decide(fn, checker);
    cache.set(fn, known);
  }
  return known;
}

function decide(fn: FunctionLike, checker: ts.TypeChecker): boolean {
  const outer = enclosingFunction(fn);
  const name = selfName(fn);
  if (!outer || !name || !fn.body || fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  const self = checker.getSymbolAtLocation(name);
  if (!self) return false;
  let recurses = false;
  let captures = false;
  const visit = (n: ts.Node): boolean => {
    if (captures) return false;
    if (ts.isIdentifier(n) && !ts.isTypeNode(n.parent)) {
      const symbol = checker.getSymbolAtLocation(n);
      if (symbol === self) recurses = true;
      else if (symbol?.declarations?.some((d) => isInside(d, outer) && !isInside(d, fn))) captures = true;
    }
    if (ts.isThisTypeNode(n) || n.kind === ts.SyntaxKind.ThisKeyword) captures = true;
    return true;
  };
  for (const p of fn.parameters) forEachNode(p, visit);
  forEachNode(fn.body, visit);
  return recurses && !captures;
}

/** The module-level copy of a liftable function, named `name`, its calls to itself renamed. */
export function liftedCopy(fn: FunctionLike, name: string, checker: ts.TypeChecker): ts.FunctionDeclaration {
  const f = ts.factory;
  const self = checker.getSymbolAtLocation(selfName(fn)!);
  const rename = (n: ts.Node): ts.Node => {
    if (ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === self && !ts.isVariableDeclaration(n.parent)) return f.createIdentifier(name);
    return visitChildren(n, rename);
  };
  const body = fn.body!;
  const block = ts.isBlock(body) ? (rename(body) as ts.Block) : f.createBlock([f.createReturnStatement(rename(body) as ts.Expression)], true);
  return f.createFunctionDeclaration(undefined, undefined, name, fn.typeParameters, fn.parameters, fn.type, block);
}
