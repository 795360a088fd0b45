// Instances, records and tuples as values. Takes: from the classes pass's
// inliner (classes.ts), a value kept as its fields (made with new, a literal,
// an inlined call), one read in place (a parameter, an element of a parameter
// or constant array), and its declaration, assignment, ?: and read at an index.
// Guarantees: a local instance or record is one local per field named after it
// (`n_x`, `n_y`; an array field is the array itself, `p_coeffs`), const where
// nothing writes it; a parameter's or element's fields are read where they
// are used (`ps[i].x`); `a = b` of instances is field by field (through a
// const where a new field reads an old one); `c ? a : b` chooses each field;
// `t[i]` of a tuple of numbers is the element chosen by comparisons.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { someNode } from "../walk.js";
import { newLocal, skipParens, typed, userText } from "./synth.js";
import { classOf, fieldName, isAssignment, isConstantRead, isNumberOrBoolean, isPlainRead, reads } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { dataAlias, isDataType } from "./data-columns.js";
import { fieldLocalsWritable, heldBy, type Key, shared, type Sink, stable, type Value } from "./inlined-values.js";
import { storeColumns } from "./record-arrays.js";
import { isDataRecordType, isRecordType, recordFields } from "./value-types.js";

/** A record declared without a value: a `let` per field, each given its value where the record is assigned. */
export function unsetFields(inliner: Inliner, name: string, type: ts.Type, from: ts.Node, out: ts.Statement[]): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  for (const [field, fieldType] of recordFields(inliner.checker, type) ?? []) {
    if (isRecordType(inliner.checker, fieldType)) {
      fields.set(field, unsetFields(inliner, `${name}_${field}`, fieldType, from, out));
      continue;
    }
    const id = newLocal(`${name}_${field}`, fieldType, from);
    fieldLocalsWritable.add(id);
    out.push(inliner.build.declare(id, undefined, ts.NodeFlags.Let, from));
    fields.set(field, { kind: "expr", node: id });
  }
  return { kind: "struct", type, fields, exact: true, name };
}

/**
 * An instance kept in locals named after it (`n_x`, `n_y`): the fields of
 * `value`, each in a local of its own (a nested instance, recursively).
 * A `const` of a class whose fields are never written keeps const locals.
 */
export function fieldLocals(inliner: Inliner, name: string, value: Value & { kind: "struct" }, mutable: boolean, from: ts.Node, out: ts.Statement[], reassigned = mutable): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  const cls = classOf(inliner.checker, value.type);
  for (const [field, v] of value.fields) {
    const owner = v.kind === "struct" ? heldBy.get(v) : undefined;
    if (v.kind === "struct" && owner) {
      // `new Sim(st, k)` keeps the record `st` names: in JavaScript both names are one object, so the
      // instance's field is st's own locals, and a write through either is seen through the other.
      if (!reassigned && !owner.reassigned) {
        shared.add(v);
        fields.set(field, v);
        continue;
      }
      // Reassigned (`let s = ...; s = new Sim(other, k)`), the field would copy into st's locals: a copy,
      // which is JavaScript's meaning only while nothing writes the record.
      if (fieldsWritten(inliner, owner.key) || (!!cls && subfieldsWritten(inliner, cls, field))) {
        fail(Code.Unsupported, from, `'${userText(from)}' keeps a record that another local names in its field '${field}' and is reassigned, and the record is written through one of them (JavaScript shares objects, it does not copy them), which tsgrad cannot follow; declare the instance const, or store a copy ('{ ...record }') if a copy is meant.`);
      }
    }
    if (v.kind === "struct") {
      // A record an instance holds (`this.state = { x: x0, v: 0 }`) whose fields are written (`this.state.x += dx`, in a
      // method or in the function) gets locals of its own: its fields may name the caller's values, which that would change.
      const written = mutable || (!!cls && subfieldsWritten(inliner, cls, field));
      fields.set(field, fieldLocals(inliner, `${name}_${field}`, v, written, from, out, reassigned));
      continue;
    }
    if (v.kind === "fn" || v.kind === "columns") {
      fields.set(field, v);
      continue;
    }
    const type = inliner.checker.getTypeAtLocation(v.node);
    const declared = cls && inliner.checker.getPropertyOfType(value.type, field);
    // A record's string or boolean field (`material` of a layer an array of records holds) is data as an instance's is.
    const data = declared || (isDataRecordType(inliner.checker, value.type) ? inliner.checker.getPropertyOfType(value.type, field) : undefined);
    // Assigned where the value is reassigned (`p = p.derivative()`), or the class's field is not readonly.
    const writable = mutable || (!!cls && !isReadonly(cls, field));
    if (writable && isRecordType(inliner.checker, type) && isPlainRead(v.node)) {
      // A record field given a parameter's record (`new Box(range)`), then reassigned: its fields copied into locals.
      fields.set(field, fieldLocals(inliner, `${name}_${field}`, view(inliner, v.node, type), mutable, from, out));
      continue;
    }
    if (data && isDataType(inliner.checker.getTypeOfSymbol(data))) {
      // A boolean or string field (`pinned`) is data: a local of its declared type, as a number field has.
      const fieldType = inliner.checker.getTypeOfSymbol(data);
      const id = newLocal(`${name}_${field}`, fieldType, from);
      const writable = mutable || (!!cls && !isReadonly(cls, field));
      if (!writable) stable.add(id);
      else fieldLocalsWritable.add(id);
      // A string is passive data to lowering (a boolean is a value it has).
      const init = isNumberOrBoolean(fieldType) ? v.node : dataAlias(v.node, fieldType, from);
      out.push(inliner.build.declare(id, init, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
      fields.set(field, { kind: "expr", node: id });
      continue;
    }
    if (!inliner.isNumber(type) && isConstantRead(v.node) && !(writable && inliner.isArray(type))) {
      // An array or other constant the instance holds is read where it is used.
      fields.set(field, v);
      continue;
    }
    if (!inliner.isNumber(type) && inliner.isArray(type)) {
      // An array field of a record or instance is the array itself, named after the field.
      const id = newLocal(`${name}_${field}`, type, from);
      if (writable) fieldLocalsWritable.add(id);
      out.push(inliner.build.declare(id, v.node, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
      fields.set(field, { kind: "expr", node: id });
      continue;
    }
    if (!mutable && !cls && inliner.isNumber(type) && inliner.isFixed(v.node)) {
      // A const record made of values already in consts (what an inlined helper returned, a literal argument
      // `norm([u, v])` of parameters never reassigned) names them: no copies.
      fields.set(field, v);
      continue;
    }
    if (!inliner.isNumber(type)) {
      const shown = inliner.checker.typeToString(declared ? inliner.checker.getTypeOfSymbol(declared) : type);
      fail(Code.UnsupportedType, from, `field '${field}' of '${name}' has type '${shown}', which tsgrad cannot keep in a local: an instance's fields may be numbers, arrays of numbers (number[], Float64Array), booleans, strings, and instances or records of these; make '${field}' one of these, or read it from a constant outside the function.`);
    }
    const id = newLocal(`${name}_${field}`, inliner.checker.getNumberType(), from);
    if (!writable) stable.add(id);
    else fieldLocalsWritable.add(id);
    out.push(inliner.build.declare(id, v.node, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
    fields.set(field, { kind: "expr", node: id });
  }
  return { kind: "struct", type: value.type, fields, exact: value.exact, name };
}

/** A record or tuple value as its fields: itself, or `e.x`, `e[0]` of an expression `e` of that type. */
export function structOf(inliner: Inliner, v: Value, type: ts.Type): (Value & { kind: "struct" }) | undefined {
  if (v.kind === "struct") return v;
  // Only a read is viewed field by field: another expression (a call) would run once per field.
  // A record with strings or booleans beside its numbers is viewed too: its data fields are read in place as well.
  if (v.kind === "expr" && isDataRecordType(inliner.checker, type) && isPlainRead(v.node)) return view(inliner, v.node, type);
  return undefined;
}

/** The fields of the record or tuple `e` reads, each read from it where it is used (`e.x`, `e[0]`). */
export function view(inliner: Inliner, e: ts.Expression, type: ts.Type): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  const tuple = inliner.checker.isTupleType(type);
  for (const [name, fieldType] of recordFields(inliner.checker, type, 0, true) ?? []) {
    const read = tuple ? inliner.build.element(e, Number(name), fieldType, e) : inliner.build.property(e, name, fieldType, e);
    fields.set(name, isRecordType(inliner.checker, fieldType) ? view(inliner, read, fieldType) : { kind: "expr", node: read });
  }
  return { kind: "struct", type, fields, exact: true, source: e };
}

/** The fields of the instance `e` reads (an element of a parameter or constant array), each read from it where it is used (`e.x`). */
export function instanceView(inliner: Inliner, e: ts.Expression, type: ts.Type, outer: readonly ts.Type[] = []): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  for (const [name, fieldType] of dataFields(inliner, type, e)) {
    const read = inliner.build.property(e, name, fieldType, e);
    // A field of a class that holds itself (`next: Node`) is read as a value: viewing it would never end.
    const nested = classOf(inliner.checker, fieldType) && fieldType !== type && !outer.includes(fieldType);
    fields.set(name, nested ? instanceView(inliner, read, fieldType, [...outer, type]) : isRecordType(inliner.checker, fieldType) ? view(inliner, read, fieldType) : { kind: "expr", node: read });
  }
  // Its class is the array's element type: a subclass's instance may be there (refuseOverride asks).
  return { kind: "struct", type, fields, exact: false, source: e };
}

/**
 * Whether the function writes a field of the local `key` (`p.x += 1`): its field locals are then let.
 * Looked for in what the user wrote, in the function as the passes before this one left it (where
 * `const q = p; q.x *= k` has become `p.x *= k`), and through the places the record goes whole: a
 * helper that writes into its parameter (`bump(p, k)`), and a constructor (`new Sim(p, k)`), whose
 * instance then names the same record (JavaScript shares objects, it does not copy them).
 */
export function fieldsWritten(inliner: Inliner, key: Key, declaration?: ts.Node): boolean {
  const user = ts.getParseTreeNode(inliner.fn) ?? inliner.fn;
  // A local of a helper inlined here (`const totals = {...}` in `tankPpm`) is written in the helper's own body.
  const declared = declaration && ts.getParseTreeNode(declaration);
  const own = declared && ts.findAncestor(declared.parent, ts.isFunctionLike);
  const roots = [user, inliner.fn, ...(own && own !== user ? [own] : [])];
  return roots.some((root) => writesThrough(inliner, root, (id) => inliner.key(id) === key, new Set()));
}

/** Whether `root` writes a field of what `named` names, or passes it whole to a constructor or to a helper that writes into that parameter. */
function writesThrough(inliner: Inliner, root: ts.Node, named: (id: ts.Identifier) => boolean, seen: Set<ts.Node>): boolean {
  const isNamed = (e: ts.Expression): boolean => {
    e = skipParens(e);
    while (ts.isNonNullExpression(e)) e = skipParens(e.expression);
    return ts.isIdentifier(e) && named(e);
  };
  return someNode(root, (n) => {
    const written = ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) ? n.left
      : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) ? n.operand
      : undefined;
    if (written) {
      let target = skipParens(written);
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target) || ts.isNonNullExpression(target)) target = skipParens(target.expression);
      return target !== skipParens(written) && ts.isIdentifier(target) && named(target);
    }
    if (ts.isNewExpression(n)) return !!n.arguments?.some(isNamed);
    // `{ inner: p }`, `{ p }`: a record holding the same object, through which it may be written.
    if ((ts.isPropertyAssignment(n) && isNamed(n.initializer)) || (ts.isShorthandPropertyAssignment(n) && named(n.name))) return true;
    if (!ts.isCallExpression(n) || !n.arguments.some(isNamed)) return false;
    const helper = inliner.ctx.resolveFunction(n.expression) ?? methodOf(inliner, n);
    if (!helper?.body || seen.has(helper)) return false;
    seen.add(helper);
    return n.arguments.some((a, i) => {
      const p = helper.parameters[i];
      if (!isNamed(a) || !p || !ts.isIdentifier(p.name)) return false;
      const symbol = inliner.checker.getSymbolAtLocation(p.name);
      return !!symbol && writesThrough(inliner, helper.body!, (id) => inliner.checker.getSymbolAtLocation(id) === symbol, seen);
    });
  });
}

/** The method a call as the user wrote it runs (`o.absorb(st, k)`), when the checker can tell. */
function methodOf(inliner: Inliner, call: ts.CallExpression): ts.MethodDeclaration | undefined {
  const original = ts.getParseTreeNode(call);
  if (!original || !ts.isCallExpression(original)) return undefined;
  const decl = inliner.checker.getResolvedSignature(original)?.declaration;
  return decl && ts.isMethodDeclaration(decl) && decl.body ? decl : undefined;
}

/**
 * Whether the class's methods or the function differentiated assign a field of
 * what the field `field` holds (`this.state.x += ...`, `sim.state.v = 0`), by
 * the field's name: a record kept in the field then needs locals of its own.
 */
function subfieldsWritten(inliner: Inliner, cls: ts.ClassLikeDeclaration, field: string): boolean {
  const underField = (target: ts.Expression): boolean => {
    target = skipParens(target);
    if (!ts.isPropertyAccessExpression(target) && !ts.isElementAccessExpression(target)) return false;
    for (let e = skipParens(target.expression); ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e); e = skipParens(e.expression)) {
      if (ts.isPropertyAccessExpression(e) && e.name.text === field) return true;
    }
    return false;
  };
  const writes = (root: ts.Node): boolean =>
    someNode(root, (n) =>
      (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && underField(n.left)) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && underField(n.operand)));
  return writes(cls) || writes(ts.getParseTreeNode(inliner.fn) ?? inliner.fn);
}

/** `target = value`, field by field for an instance (through temporaries when a new field reads an old one). */
export function store(inliner: Inliner, target: Value, value: Value, from: ts.Node, out: ts.Statement[]): void {
  if (target.kind === "columns") return storeColumns(inliner, target, value, from, out);
  if (target.kind === "expr") {
    if (!ts.isIdentifier(target.node)) fail(Code.Unsupported, from, "only locals can be assigned here; assign to a let declared in the function.");
    out.push(inliner.build.assign(target.node, inliner.asExpr(value, from), from));
    return;
  }
  if (target.kind === "struct" && value.kind === "expr") value = structOf(inliner, value, target.type) ?? value;
  if (target.kind !== "struct" || value.kind !== "struct") fail(Code.Unsupported, from, `tsgrad cannot assign '${userText(from)}' field by field; assign an instance made with new or a method.`);
  const pairs: [ts.Identifier, ts.Expression][] = [];
  const collect = (t: Value, v: Value): void => {
    // A field read whole (`cov: filtered.cov`) is assigned field by field from where it is read.
    if (t.kind === "struct" && v.kind === "expr") v = structOf(inliner, v, t.type) ?? v;
    if (t.kind === "struct" && v.kind === "struct") {
      for (const [field, tv] of t.fields) {
        const vv = v.fields.get(field);
        if (!vv) fail(Code.Unsupported, from, `the value assigned has no field '${field}'; assign an instance of the same class.`);
        collect(tv, vv);
      }
      return;
    }
    if (t.kind !== "expr" || !ts.isIdentifier(t.node) || v.kind !== "expr") {
      fail(Code.ParamMutation, from, `'${userText(from)}' writes into an instance tsgrad does not keep in locals (a parameter or a constant); copy it into a local instance first (new ...).`);
    }
    pairs.push([t.node, v.node]);
  };
  collect(target, value);
  // `p = p.step(dt)`: a new field that reads a field written before it is computed into a const first.
  const staged = pairs.map(([t, v], i): [ts.Identifier, ts.Expression] => {
    const written = new Set(pairs.slice(0, i).map(([w]) => w));
    if (!reads(v, written)) return [t, v];
    const tmp = newLocal(`${t.text}_next`, inliner.checker.getNumberType(), from);
    out.push(inliner.build.declare(tmp, v, ts.NodeFlags.Const, from));
    return [t, tmp];
  });
  for (const [t, v] of staged) if (t !== v) out.push(inliner.build.assign(t, v, from));
}

/** A record or tuple kept as its fields, written out as a literal where the whole value is needed (`return [re, im]`). */
export function recordLiteral(inliner: Inliner, v: Value & { kind: "struct" }, at: ts.Node): ts.Expression {
  const f = ts.factory;
  if (inliner.checker.isTupleType(v.type)) {
    return typed(f.createArrayLiteralExpression([...v.fields.values()].map((x) => inliner.asExpr(x, at))), v.type, at);
  }
  const props = [...v.fields].map(([name, x]) => f.createPropertyAssignment(name, inliner.asExpr(x, at)));
  return typed(f.createObjectLiteralExpression(props, false), v.type, at);
}

/** `c ? a : b` of instances: an instance whose every field is chosen by `c`. */
export function choose(inliner: Inliner, test: ts.Expression, a: Value, b: Value, at: ts.ConditionalExpression): Value {
  // `given !== undefined ? given : [0, 200]` (a pattern's tuple or record default): a read of the same type is viewed field by field.
  if (a.kind === "struct" && b.kind === "expr") b = structOf(inliner, b, a.type) ?? b;
  if (b.kind === "struct" && a.kind === "expr") a = structOf(inliner, a, b.type) ?? a;
  if (a.kind === "struct" && b.kind === "struct") {
    const fields = new Map<string, Value>();
    for (const [field, av] of a.fields) fields.set(field, choose(inliner, test, av, b.fields.get(field) ?? fail(Code.Unsupported, at, `the branches of '${userText(at)}' are instances of different classes; choose between instances of one class.`), at));
    return { kind: "struct", type: inliner.typeOf(at), fields, exact: a.exact && b.exact };
  }
  const then = inliner.asExpr(a, at.whenTrue);
  const otherwise = inliner.asExpr(b, at.whenFalse);
  return { kind: "expr", node: inliner.build.cond(test, then, otherwise, inliner.checker.getTypeAtLocation(then), at) };
}

/** A structured parameter `p` as its fields `p.x`, `p.y` (lowering reads each into a local once). */
export function parameterStruct(inliner: Inliner, id: ts.Identifier, type: ts.Type): Value & { kind: "struct" } {
  const fields = new Map<string, Value>();
  for (const [name, fieldType] of dataFields(inliner, type, id)) {
    fields.set(name, { kind: "expr", node: inliner.build.property(id, name, fieldType, id) });
  }
  return { kind: "struct", type, fields, exact: false, param: id, name: id.text };
}

/** The stored fields of an instance type, in declaration order. */
export function dataFields(inliner: Inliner, type: ts.Type, at: ts.Node): [string, ts.Type][] {
  const record = recordFields(inliner.checker, type);
  if (record) return record.map(([k, t]) => [k, t]);
  const out: [string, ts.Type][] = [];
  for (const prop of inliner.checker.getPropertiesOfType(type)) {
    if (prop.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) continue;
    const decl = prop.valueDeclaration;
    if (decl && (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl))) continue;
    out.push([fieldName(prop), inliner.checker.getTypeOfSymbolAtLocation(prop, at)]);
  }
  return out;
}

/** The elements of a tuple of numbers (`[number, number]`, a parameter, a constant or a local kept as fields), else undefined. */
export function tupleElements(inliner: Inliner, object: Value, at: ts.Expression): ts.Expression[] | undefined {
  const type = object.kind === "struct" ? object.type : inliner.typeOf(at);
  if (!inliner.checker.isTupleType(type)) return undefined;
  const fields = recordFields(inliner.checker, type);
  if (!fields || !fields.every(([, t]) => inliner.isNumber(t))) return undefined;
  // A constant from outside the function (`LUMA[ch]`) is data, read at the index as it is.
  if (object.kind === "expr" && inliner.isOutsideConstant(object.node)) return undefined;
  const struct = object.kind === "struct" ? object : object.kind === "expr" && isPlainRead(object.node) ? view(inliner, object.node, type) : undefined;
  if (!struct) return undefined;
  const out: ts.Expression[] = [];
  for (const [name] of fields) {
    const v = struct.fields.get(name);
    if (v?.kind !== "expr") return undefined;
    out.push(v.node);
  }
  return out;
}

/**
 * `t[i]` of a tuple of numbers at an index known only at run time: the
 * element chosen by comparisons (`i === 0 ? t[0] : t[1]`), so its derivative
 * goes to the element read, as in JAX's indexing of a tuple by a traced value.
 * An index past the end reads the last element (TypeScript types it number).
 */
export function pick(inliner: Inliner, elements: readonly ts.Expression[], index: ts.Expression, at: ts.ElementAccessExpression, out: Sink): Value | undefined {
  if (!isConstantRead(index)) {
    if (!out) return undefined;
    const id = newLocal("index", inliner.checker.getNumberType(), at.argumentExpression);
    stable.add(id);
    out.push(inliner.build.declare(id, index, ts.NodeFlags.Const, at));
    index = id;
  }
  const type = inliner.typeOf(at);
  let chosen = elements[elements.length - 1]!;
  for (let k = elements.length - 2; k >= 0; k--) {
    const test = inliner.build.test(index, ts.SyntaxKind.EqualsEqualsEqualsToken, inliner.build.number(k, at), at);
    chosen = inliner.build.cond(test, elements[k]!, chosen, type, at);
  }
  return { kind: "expr", node: chosen };
}

function isReadonly(cls: ts.ClassLikeDeclaration, field: string): boolean {
  const readonly = (m: ts.Node): boolean => !!ts.canHaveModifiers(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword);
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === field) return readonly(m);
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === field) return readonly(p);
    }
  }
  return false;
}
