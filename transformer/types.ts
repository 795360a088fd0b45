// Types. Takes: a node the checker typed. Guarantees: its subset Type, decided
// by how each value is declared, not by its shape alone: a property is an
// independent input only if it is declared as stored data (a field, a
// property signature, a parameter property); a getter's value is computed, so
// it is never a field of a structured parameter (lowering differentiates
// through its body instead), and a field some accessor of the program may
// compute is marked so that differentiating it is refused.

import { ts } from "./ts.js";
import { Code, fail } from "./diagnostics.js";
import { userText } from "./desugar/synth.js";
import { isKeyedByUse, isKeyedRecordType, isKeyedRowsType, isNumberMap } from "./desugar/keyed.js";
import { type Fn, type Param, type StructType, type Type, isStructType } from "./ir.js";

/**
 * Refuses to differentiate a structured parameter whose fields some accessor
 * may compute: its gradient would treat a computed value as an input.
 */
export function refuseComputedFields(p: Param, fn: Fn): void {
  if (!isStructType(p.type) || !p.type.computed?.length) return;
  const [field, why] = p.type.computed[0]!;
  const origin = fn.origin;
  const declared = origin && ts.isFunctionLike(origin) ? origin.parameters.find((x) => x.name.getText() === p.name) : undefined;
  fail(
    Code.UnsupportedType,
    declared ?? origin,
    `field ${p.name}.${field} may not be an input of its own: ${why}. Type the parameter as the class so tsgrad differentiates through the getter, or make '${field}' a plain field.`,
  );
}

/** The type of a value in the subset, or a located error naming what it is instead. */
export function subsetType(checker: ts.TypeChecker, node: ts.Node, what: string): Type {
  const t = constrained(checker, checker.getTypeAtLocation(node));
  if (every(t, ts.TypeFlags.NumberLike)) return "number";
  if (every(t, ts.TypeFlags.BooleanLike)) return "boolean";
  const array = arrayKind(checker, t);
  if (array) return { array };
  // `const g = scale(k)` of a factory returning `(c) => c * k`: which function it is is known only at run time.
  if (t.getCallSignatures().length > 0) {
    return fail(
      Code.UnsupportedType,
      node,
      `${what} is a function ('${checker.typeToString(t)}') made at run time, and tsgrad differentiates calls of functions it can see at compile time. ` +
        `Call a function declared by name instead, passing what the function closed over as parameters (scale(k, c) rather than scale(k)(c)).`,
    );
  }
  const shapes = recordShapes(checker, t);
  if (shapes) {
    // `[{ kind: "lens", focalMm }, { kind: "space", mm }]`: records of different fields in one array.
    const text = ts.getParseTreeNode(node)?.parent ? `'${userText(node)}'` : what;
    return fail(
      Code.UnsupportedType,
      node,
      `${text} is an array of records of different shapes (${shapes}), and tsgrad keeps an array of records as one array per field, which records with different fields cannot share; ` +
        `give every element the same fields (a kind and every number, 0 where one is unused), or make the numbers each element stands for where you build the list (a matrix or a number per element).`,
    );
  }
  const made = helperMatrix(checker, node, t);
  if (made) {
    // `const m = matmul(u, v)` whose helper the matrices pass could not read as a matrix it builds: name the call, not the type.
    return fail(
      Code.UnsupportedType,
      node,
      `'${userText(node)}' is the number[][] '${made}' returns, which tsgrad could not inline as a matrix: it inlines a helper that builds its result as a map of maps or from literal rows, with each helper matrix a callback calls computed from names outside that callback; ` +
        `compute such a matrix in a const before the map that needs it (const bt = transpose(b); a.map((row) => bt.map((col) => dot(row, col)))), or compute '${made}' outside the differentiated function and pass it in.`,
    );
  }
  return fail(
    Code.UnsupportedType,
    node,
    `${what} has type '${checker.typeToString(t)}', and tsgrad computes derivatives over numbers ` +
      `(booleans in conditions). Compute it outside the differentiated function and pass in the number it gives.`,
  );
}

/** The collections of JavaScript's library whose only data field is `size`: `Map`, `ReadonlyMap`, `Set`, `ReadonlySet`, `WeakMap`, `WeakSet`. */
const COLLECTIONS = new Set(["Map", "ReadonlyMap", "Set", "ReadonlySet", "WeakMap", "WeakSet"]);

function isBuiltinCollection(t: ts.Type): boolean {
  const symbol = t.getSymbol();
  return !!symbol && COLLECTIONS.has(symbol.name) && !!symbol.declarations?.length && symbol.declarations.every((d) => /(^|[\\/])lib\.[\w.]+\.d\.ts$/.test(d.getSourceFile().fileName));
}

/** The call as written (`matmul(u, v)`) when `node` names a local `number[][]` given the result of a call. */
function helperMatrix(checker: ts.TypeChecker, node: ts.Node, t: ts.Type): string | undefined {
  const user = ts.getParseTreeNode(node);
  const decl = user?.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.name !== user || !decl.initializer) return undefined;
  let init = decl.initializer;
  while (ts.isParenthesizedExpression(init) || ts.isNonNullExpression(init)) init = init.expression;
  if (!ts.isCallExpression(init) || !checker.isArrayType(t)) return undefined;
  const row = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  return row && checker.isArrayType(row) ? init.getText() : undefined;
}

/** The members of `t`'s element when `t` is an array of a union of record types (`({ kind: "lens"; ... } | { kind: "space"; ... })[]`), shown. */
function recordShapes(checker: ts.TypeChecker, t: ts.Type): string | undefined {
  if (!checker.isArrayType(t)) return undefined;
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  if (!element || !element.isUnion()) return undefined;
  const members = element.types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  if (members.length < 2 || !members.every((m) => m.flags & ts.TypeFlags.Object && !checker.isArrayType(m) && m.getCallSignatures().length === 0)) return undefined;
  return members.map((m) => checker.typeToString(m)).join(" | ");
}

/**
 * The type of a parameter: what subsetType allows, arrays of arrays
 * (`Float64Array[]`, read-only data), structured values (plain objects, class
 * instances and tuples of numbers and arrays), and anything else as an opaque
 * constant (a string, a union of names, an enum, a config object, a function):
 * passed on and compared, never differentiated.
 */
export function parameterType(checker: ts.TypeChecker, node: ts.Node, what: string, files?: () => readonly ts.SourceFile[]): Type {
  const t = constrained(checker, checker.getTypeAtLocation(node));
  // A record whose keys its type lists, read by keys that are data, and a Map<string, number> (desugar/keyed.ts): keyed by strings.
  const byUse = ts.isParameter(node) && ts.isIdentifier(node.name) && isKeyedByUse(checker.getSymbolAtLocation(node.name));
  if (isKeyedRowsType(checker, checker.getNonNullableType(t))) return keyedRowsOf(checker, t, node);
  if (byUse || isNumberMap(checker, checker.getNonNullableType(t))) {
    return { opaque: typeNodeOf(checker, t, node), description: `'${checker.typeToString(t)}'`, keyed: true, keyedNumbers: true };
  }
  if (checker.isArrayType(t)) {
    const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
    const rows = nestedRows(checker, t);
    if (rows) return rows;
    const records = element && recordsOf(checker, element, node, files);
    if (records) return { ...records, node: typeNodeOf(checker, t, node), ...(!records.isTuple && hasBehaviour(checker, element) ? { plainGradient: true as const } : {}) };
    const trees = element && treesOf(checker, element, node, files);
    if (trees) return { trees, node: typeNodeOf(checker, t, node), ...(hasReadonlyFields(checker, element) ? { readonlyFields: true } : {}) };
  }
  if (every(t, ts.TypeFlags.NumberLike) || every(t, ts.TypeFlags.BooleanLike) || arrayKind(checker, t)) {
    return subsetType(checker, node, what);
  }
  // An array of something else (`number[][][]`, records with array fields) is data; its
  // members are not fields to name in a diagnostic.
  const struct = checker.isArrayType(t) ? undefined : structOf(checker, t, node, files, 0, true, "trees");
  if (struct && "struct" in struct) {
    // A class instance keeps its class's name in generated signatures (a reader sees `p: Vec3`, not its fields).
    const isClass = !!t.getSymbol()?.declarations?.some(ts.isClassLike) && t.getConstructSignatures().length === 0;
    // So does a type with optional fields (`Partial<Settings>`, `Camera`), which a literal of its fields would not say as well.
    return isClass || struct.optional ? { ...struct, node: typeNodeOf(checker, t, node) } : struct;
  }
  const opaque = typeNodeOf(checker, t, node);
  const description = checker.isArrayType(t)
    ? `'${checker.typeToString(t)}' (an array is differentiated when its elements are numbers, number[] or Float64Array rows, or records and tuples of numbers, arrays, records, strings and booleans${elementBlocker(checker, t, node, files)})`
    : `'${checker.typeToString(t)}'`;
  if (struct) return { opaque, description, blocker: struct.blocker };
  const keyed = !checker.isArrayType(t) && !!checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (keyed && isKeyedRecordType(checker, checker.getNonNullableType(t))) return { opaque, description, keyed, keyedNumbers: true };
  return keyed ? { opaque, description, keyed } : { opaque, description };
}

/** A record of arrays keyed by strings (`Record<string, number[]>`): its rows are read by key, its gradient has its keys and row lengths. */
function keyedRowsOf(checker: ts.TypeChecker, t: ts.Type, node: ts.Node, field = false): Type {
  const opaque = field ? (checker.typeToTypeNode(t, printedAt(node), ts.NodeBuilderFlags.NoTruncation) ?? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword)) : typeNodeOf(checker, t, node);
  return { opaque, description: `'${checker.typeToString(t)}'`, keyed: true, keyedNumbers: true, keyedRows: true };
}

/** `; its elements' field 'f' is a 'T'`: what keeps an array's records from being differentiated, else "". */
function elementBlocker(checker: ts.TypeChecker, t: ts.Type, node: ts.Node, files: (() => readonly ts.SourceFile[]) | undefined): string {
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  const struct = element && structOf(checker, constrained(checker, element), node, files, 1, false, "all");
  if (!struct || !("blocker" in struct)) return "";
  return `; field '${struct.blocker.field}' of its elements is a '${struct.blocker.type}'`;
}

/**
 * An array of arrays of numbers, any number of levels deep: `number[][]` and
 * `Float64Array[]` are rows at depth 1, `number[][][]` at depth 2.
 */
function nestedRows(checker: ts.TypeChecker, t: ts.Type): Type | undefined {
  let depth = 0;
  let x = t;
  while (checker.isArrayType(x) && !arrayKind(checker, x)) {
    const element = checker.getIndexTypeOfType(x, ts.IndexKind.Number);
    if (!element) return undefined;
    depth++;
    x = element;
  }
  const rows = depth > 0 ? arrayKind(checker, x) : undefined;
  if (!rows) return undefined;
  return depth === 1 ? { array: "js", rows } : { array: "js", rows, depth };
}

/**
 * Where the checker prints a type: the node itself, or for a node desugaring
 * rebuilt (a destructured parameter made a plain one, which has no parent)
 * its original. The checker walks up to the source file to decide how a name
 * is reachable, and a node with no way up would make it throw.
 */
function printedAt(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const parsed = ts.getParseTreeNode(n);
    if (parsed && (parsed.getSourceFile() as ts.SourceFile | undefined) !== undefined) return parsed;
  }
  return undefined;
}

/** The type the user wrote for a parameter, else the checker's name for it. */
function typeNodeOf(checker: ts.TypeChecker, t: ts.Type, node: ts.Node): ts.TypeNode {
  const declared = ts.isParameter(node) ? node.type : undefined;
  return (
    declared ??
    checker.typeToTypeNode(t, printedAt(node), ts.NodeBuilderFlags.NoTruncation) ??
    ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword)
  );
}

/**
 * The fields of an array's element when it is a record or tuple of numbers
 * only (`{ x: number; y: number }`, `[number, number]`, a class of number
 * fields): an array of these is an array of records, read by field.
 */
function recordsOf(
  checker: ts.TypeChecker,
  element: ts.Type,
  node: ts.Node,
  files: (() => readonly ts.SourceFile[]) | undefined,
): { records: string[]; isTuple: boolean } | undefined {
  const struct = structOf(checker, constrained(checker, element), node, files);
  if (!struct || !("struct" in struct) || struct.computed?.length || struct.optional?.length) return undefined;
  if (!struct.struct.every(([, type]) => type === "number")) return undefined;
  return { records: struct.struct.map(([name]) => name), isTuple: struct.isTuple };
}

/**
 * The fields of an array's element when it is a record that holds more than
 * numbers (array, tuple or record fields, strings and other constants): an
 * array of these is differentiated in place (TreesType), its constants kept.
 */
function treesOf(
  checker: ts.TypeChecker,
  element: ts.Type,
  node: ts.Node,
  files: (() => readonly ts.SourceFile[]) | undefined,
  /** How deep the array sits in a parameter already (a recursive type stops at MAX_NESTING). */
  nested = 0,
): StructType | undefined {
  const struct = structOf(checker, constrained(checker, element), node, files, nested + 1, true, "all");
  if (!struct || !("struct" in struct) || struct.computed?.length) return undefined;
  // A class instance's methods and getters are its parameter handling's (classes.ts), not a record's.
  if (element.getSymbol()?.declarations?.some(ts.isClassLike)) return undefined;
  return struct;
}

/**
 * Whether an element type is more than its data fields (a class instance, a
 * type with methods or getters): plain records of those fields, its gradient,
 * are then not values of it.
 */
function hasBehaviour(checker: ts.TypeChecker, element: ts.Type): boolean {
  return !!element.getSymbol()?.declarations?.some(ts.isClassLike) || checker.getPropertiesOfType(element).some((p) => role(p) !== "data");
}

/** Whether a record declares a field `readonly` (`readonly mass: number`): its adjoint is then not written through its own type. */
function hasReadonlyFields(checker: ts.TypeChecker, element: ts.Type): boolean {
  return checker.getPropertiesOfType(element).some((p) => (p.declarations ?? []).some((d) => !!(ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Readonly)));
}

/**
 * A field that has no gradient and is kept as it is (a string, a boolean, a
 * union of names): JAX's static leaves. Its type prints as the user's.
 */
function staticLeaf(checker: ts.TypeChecker, x: ts.Type, node: ts.Node): Type | undefined {
  if (!every(x, ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike)) return undefined;
  const opaque = checker.typeToTypeNode(x, printedAt(node), ts.NodeBuilderFlags.NoTruncation) ?? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword);
  return { opaque, description: `'${checker.typeToString(x)}'` };
}

/** A type parameter as its constraint (`T extends number` is a number). */
function constrained(checker: ts.TypeChecker, t: ts.Type): ts.Type {
  return t.flags & ts.TypeFlags.TypeParameter ? (checker.getBaseConstraintOfType(t) ?? t) : t;
}

/** How a property holds its value, by its declarations. */
function role(prop: ts.Symbol): "data" | "accessor" | "method" {
  const decls = prop.declarations ?? [];
  if (prop.flags & ts.SymbolFlags.Accessor || decls.some((d) => ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d))) {
    return "accessor";
  }
  if (prop.flags & ts.SymbolFlags.Method || decls.some((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d))) return "method";
  return "data";
}

/** How deep records may nest in a structured parameter (`{ seg: { from: [x, y] } }` is 2). */
const MAX_NESTING = 4;

/**
 * The fields of an object or tuple type whose stored members are numbers,
 * arrays of numbers or such objects and tuples again (methods and getters are not fields), or the first member
 * that keeps it from being one (`W1: number[][]`); undefined for a type that
 * is no object at all.
 */
function structOf(
  checker: ts.TypeChecker,
  t: ts.Type,
  node: ts.Node,
  files: (() => readonly ts.SourceFile[]) | undefined,
  nested = 0,
  /** A parameter's or an array element's number fields may be missing (`k1?: number`, `detuneCents?: number`); a result's may not. */
  optionalNumbers = false,
  /**
   * "trees": fields may be arrays of records holding more than numbers (`users: User[]`);
   * "all": also constants (strings, booleans), as an element of such an array may hold.
   * A result's fields may be neither, nor may a record parameter's own: a config
   * record with a string field is a constant (read field by field as data).
   */
  statics: "none" | "trees" | "all" = "none",
): StructType | { blocker: { field: string; type: string } } | undefined {
  if (!(t.flags & ts.TypeFlags.Object) || arrayKind(checker, t) || t.getCallSignatures().length > 0) return undefined;
  // A built-in Map or Set is no record of its `size`: data (a Map of records, desugar/record-maps.ts), or keyed numbers (keyed.ts).
  if (isBuiltinCollection(t)) return undefined;
  const member = (x: ts.Type): Type | undefined => {
    if (every(x, ts.TypeFlags.NumberLike)) return "number";
    const array = arrayKind(checker, x);
    if (array) return { array };
    // A field that is an array of arrays (`W1: number[][]`, or deeper).
    const rows = nestedRows(checker, x);
    if (rows) return rows;
    // A field that is a record of arrays keyed by strings (`users: Record<string, number[]>`): read by key (desugar/keyed.ts).
    if (statics !== "none" && isKeyedRowsType(checker, checker.getNonNullableType(x))) return keyedRowsOf(checker, x, node, true);
    // A field that is itself a plain record or tuple of these (`from: [number, number]`):
    // a pytree one level down, whose gradient has the same nesting. (Not a class
    // instance, whose methods and getters only its own parameter handling knows.)
    if (statics !== "none") {
      const leaf = statics === "all" ? staticLeaf(checker, x, node) : undefined;
      if (leaf) return leaf;
      // A field that is an array of records (`users: User[]`): differentiated in place.
      const element = checker.isArrayType(x) ? checker.getIndexTypeOfType(x, ts.IndexKind.Number) : undefined;
      const trees = element && nested < MAX_NESTING ? treesOf(checker, element, node, files, nested + 1) : undefined;
      if (trees) return { trees, node: checker.typeToTypeNode(x, printedAt(node), ts.NodeBuilderFlags.NoTruncation) ?? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword), ...(element && hasReadonlyFields(checker, element) ? { readonlyFields: true } : {}) };
    }
    const inner = nested < MAX_NESTING && !x.getSymbol()?.declarations?.some(ts.isClassLike) ? structOf(checker, constrained(checker, x), node, files, nested + 1, optionalNumbers, statics) : undefined;
    if (!inner || !("struct" in inner) || inner.computed?.length) return undefined;
    return inner.optional ? { struct: inner.struct, isTuple: inner.isTuple, optional: inner.optional } : { struct: inner.struct, isTuple: inner.isTuple };
  };
  if (checker.isTupleType(t)) {
    const items = checker.getTypeArguments(t as ts.TypeReference);
    const bad = items.findIndex((x) => !member(x));
    if (bad >= 0) return { blocker: { field: String(bad), type: checker.typeToString(items[bad]!) } };
    return { struct: items.map((x, i) => [String(i), member(x)!] as const), isTuple: true };
  }
  const fields: (readonly [string, Type])[] = [];
  const optional: string[] = [];
  for (const prop of checker.getPropertiesOfType(t)) {
    if (role(prop) !== "data") continue;
    // A #private field cannot be read or rebuilt outside its class.
    const name = prop.valueDeclaration && ts.getNameOfDeclaration(prop.valueDeclaration);
    if (name && ts.isPrivateIdentifier(name)) return { blocker: { field: name.text, type: "a private field" } };
    const propType = checker.getTypeOfSymbolAtLocation(prop, node);
    let type = member(propType);
    // `k1?: number`: a number when the value has it (as an optional number parameter is).
    if (!type && optionalNumbers && every(checker.getNonNullableType(propType), ts.TypeFlags.NumberLike) && every(propType, ts.TypeFlags.NumberLike | ts.TypeFlags.Undefined)) {
      type = "number";
      optional.push(prop.name);
    }
    // `limit?: [min: number, max: number]` of an array's element: a record or tuple when the element has it (JAX's None leaf otherwise).
    if (!type && statics === "all" && propType.isUnion() && propType.types.some((x) => !!(x.flags & ts.TypeFlags.Undefined))) {
      const present = checker.getNonNullableType(propType);
      const inner = isStructType(member(present)) ? member(present) : undefined;
      if (inner) {
        type = inner;
        optional.push(prop.name);
      }
    }
    if (!type) return { blocker: { field: prop.name, type: checker.typeToString(propType) } };
    fields.push([prop.name, type]);
  }
  if (fields.length === 0) return undefined;
  const computed = files ? computedFields(checker, t, fields.map(([f]) => f), files) : [];
  return { struct: fields, isTuple: false, ...(computed.length > 0 ? { computed } : {}), ...(optional.length > 0 ? { optional } : {}) };
}

/** An accessor some code of the program declares: in a class, an object literal, or a property descriptor. */
interface Accessor {
  readonly name: string;
  /** The class or object literal it belongs to; undefined for Object.defineProperty and its kin. */
  readonly owner: ts.ClassLikeDeclaration | ts.ObjectLiteralExpression | undefined;
  readonly at: ts.Node;
}

/**
 * Keyed by the program's list of files (program.getSourceFiles() returns the
 * same array each time), not by the checker: lowering hands each function its
 * own wrapper of the checker, and an index per wrapper walked the whole
 * program once per differentiated function (118 walks for the corpus).
 */
const accessorIndex = new WeakMap<readonly ts.SourceFile[], Accessor[]>();

/** Every accessor the program's own files declare, found once per program. */
function accessors(files: () => readonly ts.SourceFile[]): Accessor[] {
  const sources = files();
  let found = accessorIndex.get(sources);
  if (found) return found;
  const out: Accessor[] = [];
  const nameOf = (n: ts.PropertyName | undefined): string | undefined =>
    n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) ? n.text : undefined;
  /** A property descriptor that computes its value (get/set), or one tsgrad cannot read. */
  const computes = (d: ts.Expression | undefined): boolean =>
    !d || !ts.isObjectLiteralExpression(d) ||
    d.properties.some((p) => { const n = nameOf(p.name); return n === "get" || n === "set"; });
  const descriptors = (map: ts.Expression | undefined, at: ts.Node): void => {
    if (!map || !ts.isObjectLiteralExpression(map)) return;
    for (const p of map.properties) {
      const name = nameOf(p.name);
      if (name && ts.isPropertyAssignment(p) && computes(p.initializer)) out.push({ name, owner: undefined, at });
    }
  };
  const visit = (n: ts.Node): void => {
    if ((ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) && (ts.isClassLike(n.parent) || ts.isObjectLiteralExpression(n.parent))) {
      const name = nameOf(n.name);
      if (name) out.push({ name, owner: n.parent, at: n });
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression)) {
      const object = n.expression.expression.text;
      const method = n.expression.name.text;
      const [, key, third] = n.arguments;
      if ((object === "Object" || object === "Reflect") && method === "defineProperty" && key) {
        const name = ts.isStringLiteralLike(key) || ts.isNumericLiteral(key) ? key.text : undefined;
        if (name && computes(third)) out.push({ name, owner: undefined, at: n });
      }
      if (object === "Object" && (method === "defineProperties" || method === "create")) descriptors(key, n);
    }
    ts.forEachChild(n, visit);
  };
  for (const file of sources) if (!file.isDeclarationFile) visit(file);
  found = out;
  accessorIndex.set(sources, found);
  return found;
}

/** The fields of `t` that an accessor of the program may compute for a value of type `t`, with where. */
function computedFields(checker: ts.TypeChecker, t: ts.Type, fields: readonly string[], files: () => readonly ts.SourceFile[]): [string, string][] {
  const out: [string, string][] = [];
  // A class's or object literal's own getter says more than a name some defineProperty uses.
  const all = accessors(files);
  for (const a of [...all.filter((x) => x.owner), ...all.filter((x) => !x.owner)]) {
    if (!fields.includes(a.name) || out.some(([f]) => f === a.name)) continue;
    const where = `${a.at.getSourceFile().fileName.split("/").pop()}:${a.at.getSourceFile().getLineAndCharacterOfPosition(a.at.getStart()).line + 1}`;
    if (!a.owner) {
      out.push([a.name, `Object.defineProperty gives '${a.name}' an accessor (${where})`]);
      continue;
    }
    const ownerType = ts.isClassLike(a.owner)
      ? checker.getTypeAtLocation(a.owner.name ?? a.owner)
      : checker.getTypeAtLocation(a.owner);
    const classSymbol = ts.isClassLike(a.owner) && a.owner.name ? checker.getSymbolAtLocation(a.owner.name) : undefined;
    const instance = classSymbol ? checker.getDeclaredTypeOfSymbol(classSymbol) : ownerType;
    if (checker.isTypeAssignableTo(instance, t)) {
      const owner = ts.isClassLike(a.owner) ? `class ${a.owner.name?.text ?? "(anonymous)"}` : "an object literal";
      out.push([a.name, `'${a.name}' is a getter in ${owner} (${where})`]);
    }
  }
  return out;
}

/** "f64" for Float64Array, "js" for number[] (readonly or not), else undefined. */
export function arrayKind(checker: ts.TypeChecker, t: ts.Type): "f64" | "js" | undefined {
  // The built-in Float64Array only: a user's class of that name is not one.
  const symbol = t.getSymbol();
  const decls = symbol?.declarations ?? [];
  // (@types/node augments it too, in another declaration file.)
  if (symbol?.name === "Float64Array" && decls.some((d) => isDefaultLibFile(d.getSourceFile())) && decls.every((d) => d.getSourceFile().isDeclarationFile)) {
    return "f64";
  }
  if (checker.isArrayType(t)) {
    const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
    if (element && every(element, ts.TypeFlags.NumberLike)) return "js";
  }
  return undefined;
}

/** Whether `file` is one of TypeScript's default libraries (lib.es5.d.ts, lib.dom.d.ts, ...). */
function isDefaultLibFile(file: ts.SourceFile): boolean {
  return file.isDeclarationFile && /(^|[\\/])lib\.[\w.]+\.d\.ts$/.test(file.fileName);
}

/** Whether `t`, or every member of the union `t`, has one of `flags` (`1 | 2` is a number). */
export function every(t: ts.Type, flags: ts.TypeFlags): boolean {
  if (t.flags & flags) return true;
  return t.isUnion() && t.types.every((x) => (x.flags & flags) !== 0);
}

/**
 * The type of a value a function may return to vjp, jvp and the Jacobians: a
 * number, an array of numbers, or a tuple or record of these (a pytree, in
 * JAX's words). Undefined for anything else.
 */
export function resultTypeOf(checker: ts.TypeChecker, t: ts.Type, node: ts.Node): Type | undefined {
  t = constrained(checker, t);
  if (every(t, ts.TypeFlags.NumberLike)) return "number";
  const array = arrayKind(checker, t);
  if (array) return { array };
  const struct = structOf(checker, t, node, undefined);
  return struct && "struct" in struct ? struct : undefined;
}

/**
 * `[loss, aux]` for `hasAux`: a tuple of a number and a value of any type,
 * which is returned as it is and never differentiated (opaque unless it is a
 * number, array or record of them). Undefined when `t` is not such a pair.
 */
export function auxResultTypeOf(checker: ts.TypeChecker, t: ts.Type, node: ts.Node): Type | undefined {
  t = constrained(checker, t);
  if (!checker.isTupleType(t)) return undefined;
  const items = checker.getTypeArguments(t as ts.TypeReference);
  if (items.length !== 2 || !every(items[0]!, ts.TypeFlags.NumberLike)) return undefined;
  const aux = items[1]!;
  const auxType: Type = resultTypeOf(checker, aux, node) ?? (every(aux, ts.TypeFlags.BooleanLike) ? "boolean" : {
    opaque: checker.typeToTypeNode(aux, printedAt(node), ts.NodeBuilderFlags.NoTruncation) ?? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword),
    description: `'${checker.typeToString(aux)}'`,
  });
  return { struct: [["0", "number"], ["1", auxType]], isTuple: true };
}
