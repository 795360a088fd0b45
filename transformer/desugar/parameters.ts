// Desugaring: destructured parameters. Takes: a function whose parameters may
// be array or object patterns (`([x, y]: [number, number]) =>`,
// `({ w, b }: Params) =>`). Guarantees: every parameter is an identifier — a
// pattern becomes one parameter, named after its type (`params`) or its names
// (`x_y`), destructured by a `const` first in the body, so it is still
// differentiated as one value and its gradient has its type.

import * as ts from "typescript";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { boundNames } from "./destructuring.js";
import { Build, like, newLocal } from "./synth.js";

export function nameParameters(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
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
