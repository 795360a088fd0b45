// Recursive inner functions, lifted to module level. Takes: a function
// declared inside another one (a function declaration, or a const arrow or
// function expression). Guarantees: `liftable` says whether it calls itself
// and reads nothing of the functions around it but values that never change
// once it exists (`const` locals and parameters the outer function never
// assigns: `captures` lists them), so that it means the same at module level
// with those values passed as extra parameters, after its own (closure
// conversion: a closure over values that do not change is a function of them);
// `liftedCopy` is that module-level copy, under a new name, its calls to itself
// renamed and given the captured values. Lowering then calls it like a
// module-level helper (its generated `*_vjp` recurses, and the captured values
// get their gradients as any argument does), instead of inlining it, which
// recursion makes impossible; generated code calls the copy where it needs the value.

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

/** Whether a function lifts, and the names of the outer values it reads (their declarations' identifiers). */
interface Lifting {
  readonly liftable: boolean;
  readonly captures: readonly ts.Identifier[];
}

const cache = new WeakMap<FunctionLike, Lifting>();

function lifting(fn: FunctionLike, checker: ts.TypeChecker): Lifting {
  let known = cache.get(fn);
  if (known === undefined) {
    known = decide(fn, checker);
    cache.set(fn, known);
  }
  return known;
}

/** Whether `fn` is an inner function that calls itself and reads nothing of the functions around it that may change. */
export function liftable(fn: FunctionLike, checker: ts.TypeChecker): boolean {
  return lifting(fn, checker).liftable;
}

/** The outer values a liftable function reads, in the order it first reads them: passed after its own parameters. */
export function captures(fn: FunctionLike, checker: ts.TypeChecker): readonly ts.Identifier[] {
  return lifting(fn, checker).captures;
}

const NOT: Lifting = { liftable: false, captures: [] };

function decide(fn: FunctionLike, checker: ts.TypeChecker): Lifting {
  const outer = enclosingFunction(fn);
  const name = selfName(fn);
  if (!outer || !name || !fn.body || fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return NOT;
  const self = checker.getSymbolAtLocation(name);
  if (!self) return NOT;
  let recurses = false;
  let refused = false;
  const captured = new Map<ts.Symbol, ts.Identifier>();
  const visit = (n: ts.Node): boolean => {
    if (refused) return false;
    if (ts.isIdentifier(n) && !ts.isTypeNode(n.parent)) {
      const symbol = checker.getSymbolAtLocation(n);
      if (symbol === self) recurses = true;
      else if (symbol?.declarations?.some((d) => isInside(d, outer) && !isInside(d, fn))) {
        const value = unchanging(symbol, outer, checker);
        if (value) captured.set(symbol, value);
        else refused = true;
      }
    }
    if (ts.isThisTypeNode(n) || n.kind === ts.SyntaxKind.ThisKeyword) refused = true;
    return true;
  };
  for (const p of fn.parameters) forEachNode(p, visit);
  forEachNode(fn.body, visit);
  return recurses && !refused ? { liftable: true, captures: [...captured.values()] } : NOT;
}

/**
 * The declared name of an outer value that cannot change while the inner
 * function may run: a `const` local or a parameter that nothing in `outer`
 * assigns, declared by a plain name (not in a pattern). Undefined otherwise.
 */
function unchanging(symbol: ts.Symbol, outer: ts.SignatureDeclaration, checker: ts.TypeChecker): ts.Identifier | undefined {
  const decl = symbol.valueDeclaration;
  // A name a const pattern declares (`const { series, shunt } = ladder`) is a const too.
  if (decl && ts.isBindingElement(decl) && ts.isIdentifier(decl.name) && !decl.dotDotDotToken) {
    let top: ts.Node = decl;
    while (ts.isBindingElement(top) || ts.isObjectBindingPattern(top) || ts.isArrayBindingPattern(top)) top = top.parent;
    return ts.isVariableDeclaration(top) && constStatement(top) ? decl.name : undefined;
  }
  if (!decl || (!ts.isVariableDeclaration(decl) && !ts.isParameter(decl)) || !ts.isIdentifier(decl.name)) return undefined;
  if (ts.isParameter(decl) && decl.dotDotDotToken) return undefined;
  if (ts.isVariableDeclaration(decl)) {
    // A function is not a value to pass on: an inner function it calls keeps it from lifting.
    if (decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) return undefined;
    return constStatement(decl) ? decl.name : undefined;
  }
  let assigned = false;
  forEachNode(outer, (n) => {
    if (assigned) return false;
    const target = ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? n.left
      : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) ? n.operand : undefined;
    if (target && ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol) assigned = true;
    return true;
  });
  return assigned ? undefined : decl.name;
}

/** Whether `decl` is declared by a `const` statement (a const of a loop head, `for (const x of xs)`, is another value each time round). */
function constStatement(decl: ts.VariableDeclaration): boolean {
  const list = decl.parent;
  return ts.isVariableDeclarationList(list) && !!(list.flags & ts.NodeFlags.Const) && ts.isVariableStatement(list.parent);
}

/** The module-level copy of a liftable function, named `name`, its calls to itself renamed and passed what it captures. */
export function liftedCopy(fn: FunctionLike, name: string, checker: ts.TypeChecker): ts.FunctionDeclaration {
  const f = ts.factory;
  const self = checker.getSymbolAtLocation(selfName(fn)!);
  const captured = captures(fn, checker);
  const extra = (): ts.Expression[] => captured.map((id) => f.createIdentifier(id.text));
  const rename = (n: ts.Node): ts.Node => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && checker.getSymbolAtLocation(n.expression) === self) {
      const args = n.arguments.map((a) => rename(a) as ts.Expression);
      return f.createCallExpression(f.createIdentifier(name), n.typeArguments, [...args, ...extra()]);
    }
    if (ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === self && !ts.isVariableDeclaration(n.parent)) return f.createIdentifier(name);
    return visitChildren(n, rename);
  };
  const body = fn.body!;
  const block = ts.isBlock(body) ? (rename(body) as ts.Block) : f.createBlock([f.createReturnStatement(rename(body) as ts.Expression)], true);
  // The captured values, typed as the outer function declares them.
  const params = captured.map((id) => {
    const type = checker.typeToTypeNode(checker.getTypeAtLocation(id), fn, ts.NodeBuilderFlags.NoTruncation);
    return f.createParameterDeclaration(undefined, undefined, id.text, undefined, type);
  });
  return f.createFunctionDeclaration(undefined, undefined, name, fn.typeParameters, [...fn.parameters, ...params], fn.type, block);
}
