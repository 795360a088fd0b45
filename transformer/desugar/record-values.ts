// Desugaring: `Object.values(o)` of a record with named number fields. Takes: a
// function that may call `Object.values(o)` where `o` is a record whose type
// lists its keys (`{ fuel: number; labour: number }`) and is not a parameter of
// its own (keyed.ts reads those by key): a local, a field (`mix.gains`).
// Walks of such records by for...of were unrolled by entries.ts before this.
// Guarantees: each such call is the array literal of its fields in the order
// the type lists them, as entries.ts walks them (`[o.fuel, o.labour]`), which
// the passes after this one read as any array literal. A record with an
// optional field, whose values have no fixed length, is refused, named, with
// the walk to write instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { isKeyedRecordType, isNamedNumbers } from "./keyed.js";
import { Build, like, skipParens, typed, userText, visitChildren } from "./synth.js";
import { someNode } from "../walk.js";

export function desugarRecordValues(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!fn.body) return fn;
  // Looked for without recursing first: every function passes through here, and a long
  // return nests thousands deep (walk.ts); the rewriting visitor runs only where there is work.
  if (!someNode(fn.body, isObjectValues)) return fn;
  const checker = ctx.checker;
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isCallExpression(node)) {
      const record = recordOf(node, fn, ctx);
      if (record) return valuesOf(node, record, checker, build);
    }
    const out = visitChildren(node, visit);
    return ts.isArrayLiteralExpression(out) && out !== node ? spliceValues(out) : out;
  };
  const body = visit(fn.body) as ts.ConciseBody;
  if (body === fn.body) return fn;
  const f = ts.factory;
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, body), fn);
  if (ts.isFunctionExpression(fn)) return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body as ts.Block), fn);
  const decl = fn as ts.FunctionDeclaration;
  return like(f.updateFunctionDeclaration(decl, decl.modifiers, decl.asteriskToken, decl.name, decl.typeParameters, decl.parameters, decl.type, body as ts.Block), fn);
}

/** The argument of `Object.values(o)` (the library's Object), when `o` is a record of named number fields that is not a parameter of its own. */
function recordOf(call: ts.CallExpression, fn: FunctionLike, ctx: DesugarContext): ts.Expression | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "values" || call.arguments.length !== 1) return undefined;
  if (!ts.isIdentifier(callee.expression) || callee.expression.text !== "Object") return undefined;
  const decl = ctx.checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
  if (!decl || !ctx.isLibDeclaration(decl)) return undefined;
  const arg = call.arguments[0]!;
  const t = ctx.checker.getTypeAtLocation(arg);
  if (!isNamedNumbers(ctx.checker, t) || isKeyedRecordType(ctx.checker, t)) return undefined;
  // A parameter of its own is read by key (keyed.ts), its values in the argument's order.
  const root = skipParens(arg);
  const symbol = ts.isIdentifier(root) ? ctx.checker.getSymbolAtLocation(root) : undefined;
  if (symbol && fn.parameters.some((p) => ts.isIdentifier(p.name) && ctx.checker.getSymbolAtLocation(p.name) === symbol)) return undefined;
  return arg;
}

/** `Object.values(o)` as `[o.a, o.b]`, its fields in the order its type lists them; refused for a record with optional fields. */
function valuesOf(call: ts.CallExpression, arg: ts.Expression, checker: ts.TypeChecker, build: Build): ts.Expression {
  const number = checker.getNumberType();
  const fields = checker.getPropertiesOfType(checker.getTypeAtLocation(arg));
  const optional = fields.find((p) => p.flags & ts.SymbolFlags.Optional);
  if (optional) {
    fail(Code.Unsupported, call, `'${userText(call)}' has one element per field '${userText(arg)}' has, and '${optional.name}' is optional, so how many is known only at run time; write the walk over it instead (for (const v of ${userText(call)})), which skips a missing field.`);
  }
  if (fields.some((p) => !/^[A-Za-z_$][\w$]*$/.test(p.name))) return call;
  // createArrayType is the checker's own (not in its public declarations); the call's own type where it is missing.
  const arrays = checker as unknown as { createArrayType?: (t: ts.Type) => ts.Type };
  const type = arrays.createArrayType ? arrays.createArrayType(number) : checker.getTypeAtLocation(call);
  const o = skipParens(arg);
  return like(typed(ts.factory.createArrayLiteralExpression(fields.map((p) => build.property(o, p.name, number, call))), type, call), call);
}

/**
 * `[...xs, ...Object.values(o)]` once the call is `[o.a, o.b]`: the fields
 * spliced in where they are spread, `[...xs, o.a, o.b]` (the same numbers in
 * the same order), which array-spread.ts builds as a join of `xs` and the
 * fields; a spread of a literal in place is not one of the forms it joins.
 */
function spliceValues(literal: ts.ArrayLiteralExpression): ts.ArrayLiteralExpression {
  const spliced = literal.elements.flatMap((e) =>
    ts.isSpreadElement(e) && ts.isArrayLiteralExpression(e.expression) && e.expression.elements.every((x) => !ts.isSpreadElement(x)) ? [...e.expression.elements] : [e],
  );
  if (spliced.length === literal.elements.length && spliced.every((e, i) => e === literal.elements[i])) return literal;
  return ts.factory.updateArrayLiteralExpression(literal, spliced);
}

/** `Object.values(...)`, as written. */
function isObjectValues(n: ts.Node): boolean {
  return ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "values" && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === "Object";
}
