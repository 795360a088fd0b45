// Local arrays of records (and of instances of numbers and data), kept as one
// array per field. Takes: from the classes pass's inliner (classes.ts), a
// local array of records made in the function (`const trail = [state]`,
// `[...xs]`, `let level = control`, what an inlined helper returns), its reads
// (`xs[k].x`, `xs.length`, `const p = xs[i]`), `xs.push(record)` and
// `xs = next`. Guarantees: such an array is never a value of its own — each
// field (each number of a nested record, by its path) is a column named after
// it (`bodies_position_x`), read and written at the element's index; boolean
// and string fields are data columns (data-columns.ts); what it cannot see
// field by field is refused, named, saying how to write it.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { someNode } from "../walk.js";
import { like, newLocal, runtimeCall, skipParens, typed, userText } from "./synth.js";
import { classOf, hasPrivateFields, instanceFields, isAssignment, isNamePath, isPlainRead } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { dataAlias, dataColumn, dataCopy, dataPush, isDataType } from "./data-columns.js";
import { type Frame, type Sink, stable, type Value } from "./inlined-values.js";
import { structOf } from "./instance-values.js";
import { type Leaf, leafKey, recordLeaves } from "./record-columns.js";
import { isNumberType, recordFields } from "./value-types.js";
import { isReferenceField, isReferenceType, referenceColumn, referencedElement, referenceIndex, referenceSource } from "./element-references.js";

/**
 * `xs[i]` of an array of instances kept as columns, read into a local: the
 * element at an index that no later statement changes (`i` itself when it is
 * a const, else a const `p_index` holding it), or undefined for any other value.
 */
export function elementOf(inliner: Inliner, init: ts.Expression, name: string, frame: Frame, out: ts.Statement[]): (Value & { kind: "struct" }) | undefined {
  const e = skipParens(init);
  if (!ts.isElementAccessExpression(e) || !isNamePath(e.expression)) return undefined;
  const columns = inliner.value(e.expression, frame, out);
  if (columns.kind !== "columns") return undefined;
  let index = inliner.expr(e.argumentExpression, frame, out);
  const counter = ts.isIdentifier(index) ? inliner.key(index) : undefined;
  if (!inliner.isFixed(index) && !(counter && inliner.counters.has(counter))) {
    const id = newLocal(`${name}_index`, inliner.checker.getNumberType(), e.argumentExpression);
    stable.add(id);
    out.push(inliner.build.declare(id, index, ts.NodeFlags.Const, e));
    index = id;
  }
  const row = rowAt(inliner, columns, index, e);
  return row.kind === "struct" ? row : undefined;
}

/** `xs[k]` of an array kept as columns: the record whose fields are `xs_f[k]` (a record field's, `xs_position_x[k]`, a record again). */
export function rowAt(inliner: Inliner, columns: Value & { kind: "columns" }, index: ts.Expression, at: ts.ElementAccessExpression): Value {
  if (!isPlainRead(index) && !ts.isNumericLiteral(index) && !(ts.isBinaryExpression(index) && !someNode(index, (x) => ts.isCallExpression(x) || (ts.isBinaryExpression(x) && isAssignment(x.operatorToken.kind))))) {
    fail(Code.Unsupported, at, `tsgrad reads '${userText(at)}' field by field; index it with a local (const k = ...; ${userText(at.expression)}[k]).`);
  }
  const fields = (type: ts.Type, prefix: readonly string[]): Value & { kind: "struct" } => {
    const out = new Map<string, Value>();
    for (const [field, fieldType] of recordFields(inliner.checker, type, 0, true) ?? instanceFields(inliner.checker, type)) {
      const path = [...prefix, field];
      const column = columns.columns.get(leafKey(path));
      if (column && prefix.length === 0 && isReferenceField(inliner.checker, columns.element, field)) {
        // `ducts[k].branch`: the element of the array the column's indices point into (element-references.ts).
        const element = referencedElement(inliner, column, index, fieldType, at) ?? fail(Code.Unsupported, at, `'${userText(at)}' reads '${field}' of an element before any element was pushed; build '${userText(at.expression)}' (push its elements) before reading it.`);
        out.set(field, { kind: "expr", node: element });
        continue;
      }
      out.set(field, column ? { kind: "expr", node: inliner.build.element(column, index, fieldType, at) } : fields(fieldType, path));
    }
    return { kind: "struct", type, fields: out, exact: true, element: true };
  };
  return fields(columns.element, []);
}

/** The number at `path` of a record value (`item.position.x`), each record on the way seen as its fields; undefined where one cannot be. */
function leafOf(inliner: Inliner, item: Value, type: ts.Type, path: readonly string[]): Value | undefined {
  let v: Value | undefined = item;
  for (const field of path) {
    const struct: (Value & { kind: "struct" }) | undefined = v && structOf(inliner, v, type);
    v = struct?.fields.get(field);
    const symbol = inliner.checker.getPropertyOfType(type, field);
    if (!symbol) return undefined;
    type = inliner.checker.getTypeOfSymbol(symbol);
  }
  return v;
}

/** Whether the column `key` of the records or instances of an array kept as columns holds data (a boolean, a string), not a number. */
function isDataField(inliner: Inliner, element: ts.Type, key: string): boolean {
  const leaf = recordLeaves(inliner.checker, element, true)?.find((l) => leafKey(l.path) === key);
  if (leaf) return isDataType(leaf.type);
  const symbol = inliner.checker.getPropertyOfType(element, key);
  return !!symbol && isDataType(inliner.checker.getTypeOfSymbol(symbol));
}

/** `xs.length` of an array kept as columns: its first column's. */
export function columnsMember(inliner: Inliner, columns: Value & { kind: "columns" }, e: ts.PropertyAccessExpression): Value {
  const first = [...columns.columns.values()][0]!;
  if (e.name.text === "length") return { kind: "expr", node: inliner.build.length(first, e) };
  return fail(Code.Unsupported, e, `tsgrad keeps '${userText(e.expression)}' as one array per field; read its length and its elements (${userText(e.expression)}[i].field) here.`);
}

/** `trajectory.push(state)` of an array kept as columns: each column grows by the record's field. */
export function pushColumns(inliner: Inliner, target: Value & { kind: "columns" }, e: ts.CallExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
  if (!statement || !out) fail(Code.Unsupported, e, `'${userText(e)}' grows an array of records tsgrad keeps as one array per field; call push as a statement of its own.`);
  for (const a of e.arguments) {
    const item = structOf(inliner, inliner.value(a, frame, out), target.element);
    if (!item) fail(Code.Unsupported, a, `tsgrad keeps '${userText(e.expression)}' as one array per field, and cannot see the fields of '${userText(a)}'; give push a record local or a record literal.`);
    for (const [field, column] of target.columns) {
      const v = leafOf(inliner, item, target.element, field.split(".")) ?? fail(Code.Unsupported, a, `'${userText(a)}' has no field '${field}' tsgrad can see; give push a record with every field of the array's records.`);
      if (isReferenceField(inliner.checker, target.element, field)) {
        const index = referenceIndex(inliner, column, v, target.element, field, fieldTypeOf(inliner, target.element, field), a);
        out.push(dataPush(column, index, inliner.typeOf(e), e));
        continue;
      }
      if (isDataField(inliner, target.element, field)) {
        out.push(dataPush(column, inliner.asExpr(v, a), inliner.typeOf(e), e));
        continue;
      }
      const push = inliner.build.property(column, "push", inliner.typeOf(e.expression), e);
      out.push(like(ts.factory.createExpressionStatement(typed(ts.factory.createCallExpression(push, undefined, [inliner.asExpr(v, a)]), inliner.typeOf(e), e)), e));
    }
  }
  return undefined;
}

/**
 * `xs = next` of an array of records kept as columns: each column reassigned
 * (`xs_x = next_x`), the buffer reassignment lowering saves for the backward
 * sweep as it does for any local array (keepArray / restoreArray).
 */
export function storeColumns(inliner: Inliner, target: Value & { kind: "columns" }, value: Value, from: ts.Node, out: ts.Statement[]): void {
  if (value.kind === "expr" && isPlainRead(value.node)) {
    // `level = control` of a parameter or constant: its fields copied into columns first.
    value = copyColumns(inliner, userText(value.node).replace(/\W+/g, "_"), target.type, target.element, value.node, from, out);
  }
  if (value.kind !== "columns") {
    return fail(Code.Unsupported, from, `'${userText(from)}' assigns an array of records whose fields tsgrad cannot see; assign an array built here (a literal, map, Array.from or push) or by a helper of this file.`);
  }
  for (const [field, column] of target.columns) {
    const source = value.columns.get(field) ?? fail(Code.Unsupported, from, `the records assigned in '${userText(from)}' have no field '${field}'; assign records with every field of the array's.`);
    if (isReferenceField(inliner.checker, target.element, field)) {
      const [into, of] = [referenceSource(column), referenceSource(source)];
      if (!into || !of || userText(into) !== userText(of)) {
        fail(Code.UnsupportedType, from, `'${userText(from)}' assigns instances whose field '${field}' tsgrad keeps as the index of an element of another array than the one it points into (or than none yet); keep one array of instances, made from the elements of one array.`);
      }
    }
    if (source !== column) out.push(inliner.build.assign(column, source, from));
  }
}

/**
 * `let xs = source` of an array of records tsgrad reads in place (a
 * parameter, a constant): one let column per field, filled by a loop
 * (`xs_x.push(source[k].x)`), which a later `xs = next` reassigns.
 */
export function copyColumns(inliner: Inliner, name: string, type: ts.Type, element: ts.Type, source: ts.Expression, from: ts.Node, out: ts.Statement[]): Value & { kind: "columns" } {
  const f = ts.factory;
  const number = inliner.checker.getNumberType();
  const columns = new Map<string, ts.Identifier>();
  const k = newLocal("k", number, from);
  const row = inliner.build.element(source, k, element, from);
  const tuple = inliner.checker.isTupleType(element);
  const body: ts.Statement[] = [];
  for (const { path, type: fieldType } of columnLeaves(inliner.checker, element)) {
    const field = leafKey(path);
    if (!tuple && isReferenceField(inliner.checker, element, field)) {
      fail(Code.UnsupportedType, from, `'${userText(from)}' copies '${userText(source)}', whose instances' field '${field}' holds a '${inliner.checker.typeToString(fieldType)}' tsgrad cannot keep as a column; read '${userText(source)}' in place (const, not let), or make the instances here from the elements of a parameter or constant array.`);
    }
    const arrayType = arrayOf(inliner.checker, fieldType) ?? type;
    const id = newLocal(`${name}_${path.join("_")}`, arrayType, from);
    const data = !tuple && isDataField(inliner, element, field);
    out.push(inliner.build.declare(id, data ? dataColumn([], arrayType, from) : typed(f.createArrayLiteralExpression([]), arrayType, from), ts.NodeFlags.Let, from));
    const read = readPath(inliner, row, element, path, from);
    if (data) {
      body.push(dataPush(id, read, number, from));
      columns.set(field, id);
      continue;
    }
    const push = inliner.build.property(id, "push", inliner.checker.getAnyType(), from);
    body.push(like(f.createExpressionStatement(typed(f.createCallExpression(push, undefined, [read]), number, from)), from));
    columns.set(field, id);
  }
  const init = f.createVariableDeclarationList([like(f.createVariableDeclaration(k, undefined, undefined, inliner.build.number(0, from)), from)], ts.NodeFlags.Let);
  const test = inliner.build.test(k, ts.SyntaxKind.LessThanToken, inliner.build.length(source, from), from);
  const step = typed(f.createPostfixIncrement(k), number, from);
  out.push(like(f.createForStatement(like(init, from), test, step, like(f.createBlock(body, true), from)), from));
  return { kind: "columns", type, element, columns };
}

/** `row.position.x` (`row[0]` of a tuple): the number at `path` of the record `row`. */
function readPath(inliner: Inliner, row: ts.Expression, type: ts.Type, path: readonly string[], from: ts.Node): ts.Expression {
  for (const field of path) {
    const tuple = inliner.checker.isTupleType(type);
    const symbol = inliner.checker.getPropertyOfType(type, field);
    type = symbol ? inliner.checker.getTypeOfSymbol(symbol) : inliner.checker.getNumberType();
    row = tuple ? inliner.build.element(row, Number(field), type, from) : inliner.build.property(row, field, type, from);
  }
  return row;
}

/** `let xs = made` (or `const tmp = xs`), of an array of records kept as columns: a local per column, which a later `xs = next` reassigns. */
export function ownColumns(inliner: Inliner, name: string, value: Value & { kind: "columns" }, flags: ts.NodeFlags, from: ts.Node, out: ts.Statement[]): Value & { kind: "columns" } {
  const columns = new Map<string, ts.Identifier>();
  for (const [field, source] of value.columns) {
    const type = inliner.checker.getTypeAtLocation(source);
    const id = newLocal(`${name}_${field.split(".").join("_")}`, type, from);
    const reference = isReferenceField(inliner.checker, value.element, field);
    if (reference) referenceColumn(id, source);
    out.push(inliner.build.declare(id, reference || isDataField(inliner, value.element, field) ? dataAlias(source, type, from) : source, flags, from));
    columns.set(field, id);
  }
  return { ...value, columns };
}

/**
 * `[...xs]` of an array of records, declared as `name`: a copy of each of
 * xs's columns (`tensor(xs_x)`), or of the fields of a parameter or constant
 * read element by element; undefined for any other initializer.
 */
export function spreadCopy(inliner: Inliner, name: string, type: ts.Type, element: ts.Type, init: ts.Expression, frame: Frame, out: ts.Statement[], from: ts.Node, mutable: boolean): (Value & { kind: "columns" }) | undefined {
  const only = ts.isArrayLiteralExpression(init) && init.elements.length === 1 ? init.elements[0]! : undefined;
  if (!only || !ts.isSpreadElement(only)) return undefined;
  const source = inliner.value(only.expression, frame, out);
  if (source.kind === "expr" && isPlainRead(source.node)) return copyColumns(inliner, name, type, element, source.node, from, out);
  if (source.kind !== "columns") return undefined;
  const columns = new Map<string, ts.Identifier>();
  for (const [field, column] of source.columns) {
    const columnType = inliner.checker.getTypeAtLocation(column);
    const id = newLocal(`${name}_${field.split(".").join("_")}`, columnType, from);
    const reference = isReferenceField(inliner.checker, element, field);
    if (reference) referenceColumn(id, column);
    const copy = reference || isDataField(inliner, element, field) ? dataCopy(column, columnType, from) : runtimeCall("tensor", [column], columnType, from);
    out.push(inliner.build.declare(id, copy, mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
    columns.set(field, id);
  }
  return { kind: "columns", type, element, columns };
}

/** `[a, b]` of records, declared as `name`: one array literal per field (let arrays when `name` is reassigned). */
export function columnsOf(inliner: Inliner, name: string, type: ts.Type, element: ts.Type, items: readonly ts.Expression[], frame: Frame, out: ts.Statement[], from: ts.Node, mutable = false, at: ts.Node = from): Value & { kind: "columns" } | undefined {
  const made = items;
  const records = items.map((x) => structOf(inliner, inliner.value(x, frame, out), element));
  if (records.some((r) => !r)) return undefined;
  const columns = new Map<string, ts.Identifier>();
  const leaves = columnLeaves(inliner.checker, element);
  const values = records.map((r) => leaves.map(({ path }) => leafOf(inliner, r!, element, path)));
  if (values.some((r) => r.some((v) => !v))) return undefined;
  for (const [n, { path, type: fieldType }] of leaves.entries()) {
    const field = leafKey(path);
    if (isReferenceField(inliner.checker, element, field)) {
      // A column of the indices of the elements the instances hold (element-references.ts).
      const indexType = arrayOf(inliner.checker, inliner.checker.getNumberType()) ?? fieldType;
      const id = newLocal(`${name}_${field}`, indexType, at);
      referenceColumn(id);
      const indices = values.map((r, k) => referenceIndex(inliner, id, r[n]!, element, field, fieldType, made[k]!));
      out.push(inliner.build.declare(id, dataColumn(indices, indexType, at), mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const, at));
      columns.set(field, id);
      continue;
    }
    const arrayType = arrayOf(inliner.checker, fieldType) ?? inliner.checker.getTypeAtLocation(from);
    const id = newLocal(`${name}_${path.join("_")}`, arrayType, at);
    const items = values.map((r) => inliner.asExpr(r[n]!, at));
    const literal = isDataField(inliner, element, field) ? dataColumn(items, arrayType, at) : typed(ts.factory.createArrayLiteralExpression(items), arrayType, at);
    out.push(inliner.build.declare(id, literal, mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const, at));
    columns.set(field, id);
  }
  return { kind: "columns", type, element, columns };
}

/** The element of an array of records of numbers (`Compartments[]`, `{ position: Vec2; mass: number }[]`), which a local keeps as columns. */
export function recordArrayElement(checker: ts.TypeChecker, t: ts.Type): ts.Type | undefined {
  if (!checker.isArrayType(t)) return undefined;
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  if (!element) return undefined;
  // A record's strings and booleans (`material: Material`) are data columns beside its numbers.
  if (recordFields(checker, element, 0, true)) return recordLeaves(checker, element, true)?.some((l) => isNumberType(l.type)) ? element : undefined;
  if (!classOf(checker, element) || hasPrivateFields(checker, element)) return undefined;
  // An instance's boolean and string fields are data (`pinned`, `label`): a column of them, read as written;
  // a field holding a record of numbers (`outer: Segment`) is a column per number of it, as an array of records' is.
  const fields = instanceFields(checker, element);
  const number = (x: ts.Type): boolean => !!(x.flags & ts.TypeFlags.NumberLike);
  // A field holding a record with strings or optional fields (`branch: Branch`) is a column of the indices of the elements it names.
  return fields.some(([, x]) => number(x) || !!recordLeaves(checker, x)) && fields.every(([, x]) => number(x) || isDataType(x) || !!recordLeaves(checker, x) || isReferenceType(checker, x)) ? element : undefined;
}

/** `T[]`, built by the checker (an internal it has long had, not in its declared API). */
function arrayOf(checker: ts.TypeChecker, element: ts.Type): ts.Type | undefined {
  const make = (checker as ts.TypeChecker & { createArrayType?: (t: ts.Type) => ts.Type }).createArrayType;
  return make?.call(checker, element);
}

export function isRecordArrayType(checker: ts.TypeChecker, t: ts.Type): boolean {
  return recordArrayElement(checker, t) !== undefined;
}

/** The columns of an array of `element` (recordArrayElement's): a record's number leaves, or an instance's fields (a record field's leaves, by their path). */
function columnLeaves(checker: ts.TypeChecker, element: ts.Type): Leaf[] {
  return recordLeaves(checker, element, true) ?? instanceFields(checker, element).flatMap(([name, type]) => recordLeaves(checker, type)?.map((leaf) => ({ path: [name, ...leaf.path], type: leaf.type })) ?? [{ path: [name], type }]);
}

/** The declared type of the field `field` of `element`. */
function fieldTypeOf(inliner: Inliner, element: ts.Type, field: string): ts.Type {
  const symbol = inliner.checker.getPropertyOfType(element, field);
  return symbol ? inliner.checker.getTypeOfSymbol(symbol) : inliner.checker.getAnyType();
}
