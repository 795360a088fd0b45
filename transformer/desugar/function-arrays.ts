// Arrays of functions: `const pipeline = [exposure(a), contrast(b), warmth]`,
// a list of steps applied in order. Takes: a checker type, or a call on such an
// array. Guarantees: a type is a function array here when it is an array or
// tuple whose elements are functions (to call, not construct). The classes
// pass keeps an array literal of functions the compiler can see (named
// functions, arrows, and the closures a function of the program returns) as its
// elements, each a function value, passed whole to the helpers that take it;
// `fs.reduce((p, f) => f(p), x)`, `fs.map((f) => f(x))`, `fs.forEach(...)`,
// `for (const f of fs)` and `fs[2](x)` are unrolled, one call per element, each
// inlined as a call of that function — as JAX's tracing sees a Python list of
// functions. Any other array of functions (a parameter of the differentiated
// function, one grown with push) is refused where it is walked, named.

import { ts } from "../ts.js";

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
