// Desugaring: parameters. Takes: a function whose parameters may be array or
// object patterns (`([x, y]: [number, number]) =>`, `({ w, b }: Params) =>`)
// or have defaults, and whose calls may omit defaulted arguments.
// Guarantees: every parameter is an identifier — a pattern becomes one
// parameter, named after its type (`params`) or its names (`x_y`),
// destructured by a `const` first in the body, so it is still differentiated
// as one value and its gradient has its type; every call to a user function
// passes every argument (an omitted one is its default, as JavaScript
// evaluates it, or `void 0` — undefined — for an optional parameter without
// one, for an object or array literal, and for a default that names what
// only the callee's file sees, which
// the callee's generated functions then apply themselves, as JavaScript does
// for an undefined argument); and no default reads another parameter, whose
// derivative through the default would be lost.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { boundNames } from "./destructuring.js";
import { Build, like, newLocal, typed, visitChildren } from "./synth.js";

export function desugarParameters(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  for (const p of fn.parameters) if (p.initializer) refuseParameterReads(p.initializer, fn, ctx.checker);
  return nameParameters(fillDefaults(fn, ctx), ctx.checker);
}

/** `f(x)` for `function f(x, delta = 1)` as `f(x, 1)`. */
function fillDefaults(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const visit = (node: ts.Node): ts.Node => {
    node = visitChildren(node, visit);
    if (!ts.isCallExpression(node) || node.arguments.some(ts.isSpreadElement)) return node;
    const callee = ctx.resolveFunction(node.expression);
    // Without a TypeScript `this` parameter, which is no argument.
    const params = callee ? callee.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")) : [];
    const omitted = params.slice(node.arguments.length);
    if (!callee || omitted.length === 0 || !omitted.every((p) => p.initializer || p.questionToken)) return node;
    const elsewhere = callee.getSourceFile() !== fn.getSourceFile();
    const missing = (): ts.Expression => typed(ts.factory.createVoidZero(), ctx.checker.getUndefinedType(), node);
    const defaults = omitted.map((p) => {
      if (!p.initializer) return missing();
      refuseParameterReads(p.initializer, callee, ctx.checker);
      // An object or array literal is a value lowering does not build at a call: the callee's own signature makes it.
      if (isLiteralValue(p.initializer) || (elsewhere && readsLocalNames(p.initializer, ctx))) return missing();
      return p.initializer;
    });
    return like(ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [...node.arguments, ...defaults]), node);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

function refuseParameterReads(init: ts.Expression, fn: FunctionLike, checker: ts.TypeChecker): void {
  const visit = (n: ts.Node): void => {
    const decl = ts.isIdentifier(n) ? checker.getSymbolAtLocation(n)?.valueDeclaration : undefined;
    if (decl && ts.isParameter(decl) && decl.parent === fn) {
      fail(Code.Unsupported, init, "a default computed from another parameter would hide that parameter's derivative; compute it in the body instead.");
    }
    ts.forEachChild(n, visit);
  };
  visit(init);
}

function isLiteralValue(e: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e);
}

/** Whether a default names something besides what every file sees (Math.PI, Infinity): it cannot be written at a call in another file. */
function readsLocalNames(init: ts.Expression, { checker, isLibDeclaration }: DesugarContext): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    const decl = ts.isIdentifier(n) ? checker.getSymbolAtLocation(n)?.declarations?.[0] : undefined;
    if (decl && !isLibDeclaration(decl)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(init);
  return found;
}

function nameParameters(fn: FunctionLike, checker: ts.TypeChecker): FunctionLike {
  if (fn.parameters.every((p) => ts.isIdentifier(p.name)) || !fn.body) return fn;
  const f = ts.factory;
  const build = new Build(checker);
  const taken = new Set(fn.parameters.flatMap((p) => boundNames(p.name)));
  const prologue: ts.Statement[] = [];
  const params = fn.parameters.map((p) => {
    if (ts.isIdentifier(p.name)) return p;
    const name = newLocal(parameterName(p, taken), checker.getTypeAtLocation(p), p);
    prologue.push(build.declare(p.name, name, ts.NodeFlags.Const, p));
    return like(f.updateParameterDeclaration(p, p.modifiers, p.dotDotDotToken, name, p.questionToken, p.type, p.initializer), p);
  });
  const body = ts.isBlock(fn.body)
    ? like(f.updateBlock(fn.body, [...prologue, ...fn.body.statements]), fn.body)
    : like(f.createBlock([...prologue, like(f.createReturnStatement(fn.body), fn.body)], true), fn.body);
  if (ts.isFunctionDeclaration(fn)) {
    return like(f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, body), fn);
  }
  if (ts.isArrowFunction(fn)) {
    return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, params, fn.type, fn.equalsGreaterThanToken, body), fn);
  }
  return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, body), fn);
}

/** `Params` -> `params`; else the names it binds (`x_y`), or `args` when there are many. */
function parameterName(p: ts.ParameterDeclaration, taken: Set<string>): string {
  let base = "args";
  if (p.type && ts.isTypeReferenceNode(p.type)) {
    const type = ts.isIdentifier(p.type.typeName) ? p.type.typeName.text : p.type.typeName.right.text;
    base = type.charAt(0).toLowerCase() + type.slice(1);
  } else {
    const names = boundNames(p.name);
    if (names.length > 0 && names.length <= 3) base = names.join("_");
  }
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
