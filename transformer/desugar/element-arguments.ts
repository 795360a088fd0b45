// Desugaring: an element of an array of tuples or records passed whole to a
// helper that returns an array (or nothing). Takes: a function whose calls may
// give such a helper, for a parameter typed as a tuple or record of numbers
// (`reach: Reach`, `Reach = [k: number, x: number]`), an element of an array
// read by name: `routeReach(reach, flow, dt)` where `reach` is the element of
// `reaches.forEach((reach) => ...)`, of `for (const reach of reaches)`, or
// `const reach = reaches[r]`, and `routeReach(reaches[r], ...)` itself.
// Guarantees: the argument is a literal of the element's fields
// (`[reach[0], reach[1]]`, `{ k: reach.k, x: reach.x }`), which the next pass
// (literal-arguments.ts) declares before the statement, named after the
// parameter, as lowering reads a helper given a local tuple. Lowering inlines a
// helper returning an array with its record parameters bound to such locals (a
// parameter of the differentiated function, or a local kept as one local per
// field); an element stays in its array, read in place, so it needs this copy.
// The copy is what JavaScript passes as long as the helper only reads it; a
// helper that writes into it (`reach[0] = ...`) is refused, named, since the
// write would not reach the array.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { parameterWrite } from "./parameter-writes.js";
import { Build, like, skipParens, typed, userText, visitChildren } from "./synth.js";
import { recordFields } from "./value-types.js";

export function copyElementArguments(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  const build = new Build(checker);
  const f = ts.factory;
  const self = ts.getOriginalNode(fn);

  /** Whether `e` reads an element of an array: `xs[i]`, or a name an element is given (a callback's or for...of's, or `const x = xs[i]`). */
  const isElement = (e: ts.Expression): boolean => {
    e = skipParens(e);
    if (ts.isElementAccessExpression(e)) {
      const t = checker.getTypeAtLocation(e.expression);
      return checker.isArrayType(t) || (t.getSymbol()?.name === "ReadonlyArray");
    }
    if (!ts.isIdentifier(e)) return false;
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl) return false;
    // A parameter of the function itself is a structured parameter lowering binds as it is.
    if (ts.isParameter(decl)) {
      const owner = decl.parent;
      if (owner === self || owner === fn || !(ts.isArrowFunction(owner) || ts.isFunctionExpression(owner))) return false;
      // The element of an array method's callback (`reaches.forEach((reach) => ...)`).
      const call = owner.parent;
      return !!call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.arguments[0] === owner && owner.parameters[0] === decl;
    }
    if (ts.isVariableDeclaration(decl)) {
      if (decl.parent && ts.isVariableDeclarationList(decl.parent) && decl.parent.parent && ts.isForOfStatement(decl.parent.parent)) return true;
      return !!decl.initializer && ts.isElementAccessExpression(skipParens(decl.initializer)) && !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const);
    }
    return false;
  };

  /** `[e[0], e[1]]` or `{ k: e.k }`: the element's numbers, of the parameter's type. */
  const fieldsOf = (arg: ts.Expression, type: ts.Type, fields: readonly (readonly [string, ts.Type])[]): ts.Expression => {
    if (checker.isTupleType(type)) {
      return like(typed(f.createArrayLiteralExpression(fields.map(([k, t]) => build.element(arg, Number(k), t, arg))), type, arg), arg);
    }
    const props = fields.map(([k, t]) => like(f.createPropertyAssignment(k, build.property(arg, k, t, arg)), arg));
    return like(typed(f.createObjectLiteralExpression(props), type, arg), arg);
  };

  const visit = (node: ts.Node): ts.Node => {
    if (ts.isCallExpression(node) && !node.arguments.some(ts.isSpreadElement)) {
      const rewritten = rewrite(node);
      if (rewritten) return rewritten;
    }
    return visitChildren(node, visit);
  };

  const rewrite = (call: ts.CallExpression): ts.CallExpression | undefined => {
    const helper = ctx.resolveFunction(call.expression);
    if (!helper?.body || helper.typeParameters || ctx.isLibDeclaration(helper)) return undefined;
    const result = checker.getTypeAtLocation(call);
    // A helper returning a number or a record is inlined by the classes pass, which reads an element where it is.
    if (!checker.isArrayType(result) && !(result.flags & ts.TypeFlags.Void) && result.getSymbol()?.name !== "Float64Array") return undefined;
    const params = helper.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
    let changed = false;
    const args = call.arguments.map((arg, i) => {
      const param = params[i];
      if (!param || param.dotDotDotToken || !param.type || !isElement(arg)) return visit(arg) as ts.Expression;
      const type = checker.getTypeAtLocation(param);
      const fields = recordFields(checker, type);
      if (!fields || !fields.every(([, t]) => !!(t.flags & ts.TypeFlags.NumberLike))) return visit(arg) as ts.Expression;
      const written = parameterWrite(helper, helper.parameters.indexOf(param), ctx);
      if (written) {
        const name = userText(call.expression);
        fail(Code.Unsupported, arg, `'${userText(arg)}' is an element of an array, given whole to '${name}', which writes into it (${written}); tsgrad gives '${name}' a copy of the element's numbers, so the write would not reach the array. Write the element's fields where it lives (${userText(arg)}[0] = ...), or have '${name}' return the new values.`);
      }
      changed = true;
      return fieldsOf(visit(arg) as ts.Expression, type, fields);
    });
    if (!changed) return undefined;
    return like(f.updateCallExpression(call, visit(call.expression) as ts.Expression, call.typeArguments, args), call);
  };

  return ts.visitEachChild(fn, visit, undefined);
}
