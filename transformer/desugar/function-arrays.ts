// Arrays of functions: `const pipeline = [exposure(a), contrast(b), warmth]`,
// a list of steps applied in order. Takes: a checker type, or, from the classes
// pass's inliner (classes.ts), a call or for...of on such an array.
// Guarantees: a type is a function array here when it is an array or tuple
// whose elements are functions (to call, not construct). The classes pass keeps
// an array literal of functions the compiler can see (named functions, arrows,
// and the closures a function of the program returns) as its elements, each a
// function value, passed whole to the helpers that take it; here
// `fs.reduce((p, f) => f(p), x)`, `fs.map((f) => f(x))`, `fs.forEach(...)` and
// `for (const f of fs)` are unrolled, one call (or copy of the loop's body) per
// element, each inlined as a call of that function — as JAX's tracing sees a
// Python list of functions; `fs[2](x)` is the element called. Any other array
// of functions (a parameter of the differentiated function, one grown with
// push) is refused where it is walked, named.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { someNode } from "../walk.js";
import { typed, userText } from "./synth.js";
import type { Inliner } from "./classes.js";
import type { Frame, Sink, Value } from "./inlined-values.js";
import { callWith } from "./function-values.js";

/** The methods over an array of functions that are unrolled. */
export const UNROLLED = new Set(["reduce", "map", "forEach"]);

/** Whether `t` is an array or tuple of functions. */
export function isFunctionArrayType(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (checker.isTupleType(t)) {
    const elements = checker.getTypeArguments(t as ts.TypeReference);
    return elements.length > 0 && elements.every(isCallable);
  }
  if (!checker.isArrayType(t)) return false;
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  return !!element && isCallable(element);
}

function isCallable(t: ts.Type): boolean {
  return t.getCallSignatures().length > 0 && t.getConstructSignatures().length === 0;
}

/** The refusal for walking an array of functions tsgrad cannot see element by element. */
export function opaqueFunctionArray(what: string, type: string): string {
  return (
    `'${what}' walks an array of functions ('${type}') that tsgrad cannot see element by element; tsgrad unrolls a const array literal of ` +
    `functions it can see (const steps = [scale(a), shift(b)]), declared in the differentiated function or at module level and passed as it is. ` +
    `Build the array that way, or call the functions in order (contrast(exposure(p, a), b)).`
  );
}

/** The functions of an array the inliner keeps as its elements, in order; refused, named, for any other array of functions. */
function functionsOf(inliner: Inliner, array: ts.Expression, site: ts.Node, frame: Frame, out: Sink): (Value & { kind: "fn" })[] {
  const v = inliner.value(array, frame, out);
  const fns = v.kind === "struct" ? [...v.fields.values()] : undefined;
  if (!fns || !fns.every((x): x is Value & { kind: "fn" } => x.kind === "fn")) fail(Code.UnsupportedType, site, opaqueFunctionArray(userText(site), inliner.checker.typeToString(inliner.typeOf(array))));
  return fns as (Value & { kind: "fn" })[];
}

/** `fs.reduce((p, f) => f(p), x)`, `fs.map((f) => f(x))`, `fs.forEach((f) => ...)`: the callback inlined once per function, in order. */
export function unrollFunctions(inliner: Inliner, e: ts.CallExpression, callee: ts.PropertyAccessExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
  const method = callee.name.text;
  const fns = functionsOf(inliner, callee.expression, e, frame, out);
  const callback = e.arguments[0] && inliner.value(e.arguments[0], frame, out);
  if (callback?.kind !== "fn") return fail(Code.Unsupported, e, `'${userText(e)}' walks an array of functions with a callback tsgrad cannot see; write the callback here as an arrow, or pass a function of the program.`);
  const index = (i: number): Value => ({ kind: "expr", node: inliner.build.number(i, e) });
  // The callback is given what it declares parameters for (`(p, f) => f(p)` takes no index).
  const declared = callback.decl ? callback.decl.parameters.length : 3;
  if (method === "reduce") {
    if (e.arguments.length < 2) fail(Code.Unsupported, e, `'${userText(e)}' has no initial value, so it would combine the functions themselves; give reduce the value to start from (${userText(callee)}((v, f) => f(v), x)).`);
    let acc = inliner.value(e.arguments[1]!, frame, out);
    fns.forEach((fn, i) => {
      acc = callWith(inliner, callback, [acc, fn, index(i)].slice(0, declared), e, out, false) ?? fail(Code.NotScalar, e, `the callback of '${userText(e)}' returns nothing; return the value passed on.`);
    });
    return acc;
  }
  const results = fns.map((fn, i) => callWith(inliner, callback, [fn, index(i)].slice(0, declared), e, out, method === "forEach"));
  if (method === "forEach") return statement ? undefined : { kind: "expr", node: typed(ts.factory.createVoidZero(), inliner.typeOf(e), e) };
  const elements = results.map((r) => (r ? inliner.asExpr(r, e) : fail(Code.NotScalar, e, `the callback of '${userText(e)}' returns nothing; return a value.`)));
  return { kind: "expr", node: typed(ts.factory.createArrayLiteralExpression(elements), inliner.typeOf(e), e) };
}

/** `for (const f of fs) body` over an array of functions kept as its elements: the body once per function, `f` bound to it. */
export function unrollFunctionLoop(inliner: Inliner, s: ts.ForOfStatement, frame: Frame, out: ts.Statement[]): void {
  const list = s.initializer;
  const d = ts.isVariableDeclarationList(list) && list.declarations.length === 1 ? list.declarations[0]! : undefined;
  if (!d || !ts.isIdentifier(d.name)) return fail(Code.Unsupported, list, `name the function with one const (for (const f of ${userText(s.expression)})).`);
  if (someNode(s.statement, (n) => ts.isBreakStatement(n) || ts.isContinueStatement(n), (n) => !ts.isFunctionLike(n) && !ts.isIterationStatement(n, false))) {
    fail(Code.Unsupported, s, `the loop over '${userText(s.expression)}', an array of functions, is unrolled (one copy of its body per function), so it cannot break or continue; put the rest of the body in an if statement instead.`);
  }
  const key = inliner.key(d.name);
  const saved = key && inliner.env.get(key);
  try {
    for (const fn of functionsOf(inliner, s.expression, s, frame, out)) {
      if (key) inliner.env.set(key, fn);
      out.push(inliner.blockOf(s.statement, frame));
    }
  } finally {
    if (key) (saved ? inliner.env.set(key, saved) : inliner.env.delete(key));
  }
}
