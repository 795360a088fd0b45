// Records that carry functions: `{ weights, bias, activation: sigmoid }`, the
// way a layer or a model is often described. Takes: a checker type. Guarantees:
// a type is such a record here when its every field is data the classes pass
// keeps as a record's (value-types.ts) or a function, and at least one is a
// function. The classes pass keeps a literal of it as its fields, a function
// field as the function the literal names, so `layer.activation(z)` is that
// function inlined where it is called (as a function passed as an argument is,
// and as JAX's tracing sees the Python function a pytree's static field holds).

import { ts } from "../ts.js";
import { isRecordType } from "./value-types.js";

/** Whether `t` is a plain record with at least one function field and only data fields besides. */
export function isFunctionRecordType(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion()) return false;
  if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return false;
  if (checker.isArrayType(t) || checker.isTupleType(t) || checker.getIndexInfosOfType(t).length > 0) return false;
  const decl = t.getSymbol()?.declarations?.[0];
  if (!decl || ts.isClassLike(decl) || decl.getSourceFile().isDeclarationFile) return false;
  const props = checker.getPropertiesOfType(t);
  let functions = 0;
  for (const p of props) {
    if (p.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor | ts.SymbolFlags.Optional)) return false;
    const d = p.valueDeclaration;
    if (!d || !(ts.isPropertySignature(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d) || ts.isPropertyDeclaration(d))) return false;
    const type = checker.getTypeOfSymbol(p);
    if (isFunctionType(type)) functions++;
    else if (!isDataField(checker, type)) return false;
  }
  return functions > 0;
}

/** A function type: something to call, not to construct. */
export function isFunctionType(t: ts.Type): boolean {
  return !t.isUnion() && t.getCallSignatures().length > 0 && t.getConstructSignatures().length === 0;
}

/** A field a record of data may have: a number, an array, a typed array, a record or tuple of these. */
function isDataField(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (t.flags & ts.TypeFlags.NumberLike || checker.isArrayType(t)) return true;
  const name = t.getSymbol()?.name;
  return name === "Float64Array" || name === "Float32Array" || isRecordType(checker, t);
}
