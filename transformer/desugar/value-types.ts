// Which types the classes pass keeps as their fields (scalar replacement):
// class instances, and plain records and tuples made of numbers, such records
// and tuples, and arrays. Takes: a checker type. Guarantees: a type is a
// record or tuple here only when every field is data the pass can hold in a
// local (a number, a nested record or tuple, an array read where it is used),
// so `{ x: number; y: number }`, `interface Vec`, `[re: number, im: number]`
// and `{ from: [number, number]; to: [number, number] }` are, while a record
// with a string, a function, an optional field or methods is left to lowering
// as it is.

import { ts } from "../ts.js";

/** A record or tuple's fields in order: a tuple's are "0", "1", ... */
export type Fields = readonly (readonly [string, ts.Type])[];

/**
 * The fields of a plain record or tuple of data, or undefined for any other type.
 * With `data`, a record (not a tuple) may also carry strings and booleans beside
 * its numbers (`{ material: Material; thicknessNm: number }`): what an array of
 * records kept as columns holds as data columns (record-arrays.ts).
 */
export function recordFields(checker: ts.TypeChecker, t: ts.Type, depth = 0, data = false): Fields | undefined {
  if (depth > 8) return undefined;
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion()) return undefined;
  if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return undefined;
  if (checker.isTupleType(t)) {
    const target = (t as ts.TypeReference).target as ts.TupleType;
    // Optional and rest elements give a tuple no fixed set of fields.
    if (target.elementFlags.some((f) => !(f & ts.ElementFlags.Required))) return undefined;
    const items = checker.getTypeArguments(t as ts.TypeReference);
    const out = items.map((x, i) => [String(i), x] as const);
    return out.length > 0 && out.every(([, x]) => isFieldType(checker, x, depth, false)) ? out : undefined;
  }
  if (checker.isArrayType(t) || checker.getIndexInfosOfType(t).length > 0) return undefined;
  // `Record<Nutrient, number>` (a mapped type over a union of string literals) lists its keys as a
  // type literal would; its fields are symbols the mapping made, with no declaration of their own.
  const mapped = isMappedType(t);
  const decl = t.getSymbol()?.declarations?.[0];
  // Classes are the class pass's own (their methods, getters and overrides); library types are not data.
  if (!mapped && (!decl || ts.isClassLike(decl) || decl.getSourceFile().isDeclarationFile)) return undefined;
  const props = checker.getPropertiesOfType(t);
  if (props.length === 0) return undefined;
  const out: (readonly [string, ts.Type])[] = [];
  for (const p of props) {
    if (p.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor | ts.SymbolFlags.Optional)) return undefined;
    // A field a spread copied (`{ ...body, velocity }` of a readonly field) is a new symbol that keeps only the declarations.
    const d = p.valueDeclaration ?? p.declarations?.[0];
    const declared = d && (ts.isPropertySignature(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d) || ts.isPropertyDeclaration(d));
    if (!declared && !(mapped && p.flags & ts.SymbolFlags.Property)) return undefined;
    const type = checker.getTypeOfSymbol(p);
    if (!isFieldType(checker, type, depth, data)) return undefined;
    out.push([p.name, type]);
  }
  return out;
}

/** Whether `t` is made by a mapped type (`Record<K, number>`, `Readonly<Vec>`): its keys are its properties. */
function isMappedType(t: ts.Type): boolean {
  return !!((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped);
}

/** Whether `t` is a record or tuple of data (recordFields gives its fields). */
export function isRecordType(checker: ts.TypeChecker, t: ts.Type): boolean {
  return recordFields(checker, t) !== undefined;
}

/** Whether `t` is a record of numbers that also carries strings or booleans (recordFields with `data`). */
export function isDataRecordType(checker: ts.TypeChecker, t: ts.Type): boolean {
  return recordFields(checker, t, 0, true) !== undefined;
}

function isFieldType(checker: ts.TypeChecker, t: ts.Type, depth: number, data: boolean): boolean {
  if (isNumberType(t)) return true;
  if (data && isDataFieldType(t)) return true;
  if (checker.isArrayType(t)) return true;
  const name = t.getSymbol()?.name;
  if (name === "Float64Array" || name === "Float32Array") return true;
  return recordFields(checker, t, depth + 1, data) !== undefined;
}

export function isNumberType(t: ts.Type): boolean {
  return !!(t.flags & ts.TypeFlags.NumberLike) || (t.isUnion() && t.types.every((x) => !!(x.flags & ts.TypeFlags.NumberLike)));
}

/** A string or boolean (a literal or a union of them): data a record of an array kept as columns carries beside its numbers. */
export function isDataFieldType(t: ts.Type): boolean {
  const data = ts.TypeFlags.BooleanLike | ts.TypeFlags.StringLike;
  return !!(t.flags & data) || (t.isUnion() && t.types.every((x) => !!(x.flags & data)));
}
