// Members of user classes, inlined. Takes: from the classes pass's inliner
// (classes.ts), `new C(args)`, `o.f` of an instance it keeps as fields, and a
// call of a method or static method of a class of the program.
// Guarantees: a constructor is its field initializers, parameter properties and
// top-level `this.f = v` assignments, giving the new instance's fields; a
// getter, method or static method is its body inlined with `this` bound
// (inline-bodies.ts); a member a subclass of the program may override, an
// abstract or bodyless member, a subclass instance and a field assigned in a
// branch of the constructor are refused, located, saying what to write.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { skipParens, userText } from "./synth.js";
import { namedClassesOf } from "../file-index.js";
import { classOf, derivesFrom, isAssignment, isElementRead } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { inline } from "./inline-bodies.js";
import { assignTargets, type Frame, type Sink, type Value } from "./inlined-values.js";
import { runConstructor } from "./subclasses.js";
import { isInstanceList } from "./instance-lists.js";
import { dataFields } from "./instance-values.js";
import { columnsMember, columnsOf, recordArrayElement } from "./record-arrays.js";
import { recordFields } from "./value-types.js";

/** `o.f` of an instance: its field, or its getter inlined; undefined when `o` is no instance tsgrad keeps. */
export function readMember(inliner: Inliner, e: ts.PropertyAccessExpression, frame: Frame, out: Sink): Value | undefined {
  const objectNode = skipParens(e.expression);
  const name = e.name.text;
  const receiverType = inliner.typeOf(objectNode);
  const cls = classOf(inliner.checker, receiverType);
  const isThis = objectNode.kind === ts.SyntaxKind.ThisKeyword;
  if (name === "length" && inliner.checker.isTupleType(receiverType) && !assignTargets.has(e)) {
    // A tuple's length is its type's (the loop a reduce over it runs is then one of known length).
    const fields = recordFields(inliner.checker, receiverType);
    if (fields) return { kind: "expr", node: inliner.build.number(fields.length, e) };
  }
  if (objectNode.kind === ts.SyntaxKind.SuperKeyword) {
    fail(Code.Unsupported, e, `'${userText(e)}' reads a member through super, which tsgrad follows only for method calls; read this.${name} (a field is the same one), or call a method of the base class.`);
  }
  if (name === "length" && ts.isIdentifier(objectNode)) {
    // The length of an array of instances of different classes kept as its elements (instance-lists.ts).
    const key = inliner.key(objectNode);
    const list = key && inliner.env.get(key);
    if (isInstanceList(list)) return { kind: "expr", node: inliner.build.number(list.fields.size, e) };
  }
  if (!cls && !isThis && !inliner.holdsInstance(objectNode)) {
    // Static members (`Vec3.ORIGIN`) and fields of constants are constants.
    const object = inliner.value(objectNode, frame, out);
    if (object.kind === "struct") return fieldOf(inliner, object, e, frame, out);
    if (object.kind === "columns") return columnsMember(inliner, object, e);
    const node = inliner.asExpr(object, objectNode);
    return { kind: "expr", node: node === e.expression ? e : inliner.retyped(ts.factory.updatePropertyAccessExpression(e, node, e.name), e) };
  }
  const object = inliner.value(objectNode, frame, out);
  if (object.kind === "columns") return columnsMember(inliner, object, e);
  if (object.kind !== "struct") {
    // A constant instance (a module-level const): its fields and getters are read as they are, at run time.
    const node = inliner.asExpr(object, objectNode);
    return { kind: "expr", node: node === e.expression ? e : inliner.retyped(ts.factory.updatePropertyAccessExpression(e, node, e.name), e) };
  }
  if (object.param === objectNode && object.fields.has(name)) return { kind: "expr", node: e };
  return fieldOf(inliner, object, e, frame, out);
}

/** `o.f` of an instance kept as its fields: the field, a tuple's length, or its getter inlined; any other member refused, named. */
function fieldOf(inliner: Inliner, object: Value & { kind: "struct" }, e: ts.PropertyAccessExpression, frame: Frame, out: Sink): Value {
  void frame;
  const name = e.name.text;
  const field = object.fields.get(name);
  if (object.element && field?.kind === "expr" && isElementRead(field.node)) {
    // A field of an element of an array of instances (`particles_x[k]`), read where the user read `p.x`.
    const read = skipParens(field.node) as ts.ElementAccessExpression;
    return { kind: "expr", node: inliner.build.element(read.expression, read.argumentExpression, inliner.typeOf(e), e) };
  }
  if (field) return field;
  if (name === "length" && inliner.checker.isTupleType(object.type)) return { kind: "expr", node: inliner.build.number(object.fields.size, e) };
  // A #private member is found by the name as written (its symbol's name is the checker's own).
  const symbol = ts.isPrivateIdentifier(e.name) ? inliner.checker.getSymbolAtLocation(e.name) : inliner.checker.getPropertyOfType(object.type, name);
  const getter = symbol?.declarations?.find(ts.isGetAccessorDeclaration);
  if (getter) {
    if (!getter.body) fail(Code.OpaqueCall, e, `'${userText(e)}' is computed by a getter whose body tsgrad cannot see (declared in an interface or a .d.ts); type the value as the class that implements it.`);
    refuseOverride(inliner, getter, object, e, "getter");
    return inline(inliner, getter, object, [], e, out, object.name ? `${object.name}_${name}` : name) ?? fail(Code.Internal, e, "a getter gave no value; please report this with the class.");
  }
  if (symbol?.declarations?.some((d) => ts.isSetAccessorDeclaration(d))) {
    fail(Code.Unsupported, e, `'${name}' has a setter but no getter, so reading it gives undefined; read a field or add a getter.`);
  }
  if (symbol && symbol.flags & ts.SymbolFlags.Method) {
    fail(Code.Unsupported, e, `the method '${userText(e)}' is used as a value; call it here (${userText(e)}(...)).`);
  }
  return fail(Code.Unsupported, e, `'${userText(e)}' is not a field of ${inliner.className(object.type)}; read a field it declares.`);
}

/** `new C(args)`: its constructor inlined into the fields of a new instance. */
export function construct(inliner: Inliner, e: ts.NewExpression, frame: Frame, out: Sink): Value {
  const type = inliner.typeOf(e);
  const cls = classOf(inliner.checker, type);
  if (!cls) return { kind: "expr", node: inliner.rewriteChildren(e, frame, out) };
  const what = `new ${cls.name?.text ?? "(class)"}(...)`;
  if (cls.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) fail(Code.Unsupported, e, `${what} makes an instance of an abstract class; make an instance of a class that extends it.`);
  const args = (e.arguments ?? []).map((a) => inliner.value(a, frame, out));
  const fields = new Map<string, Value>();
  const self: Value & { kind: "struct" } = { kind: "struct", type, fields, exact: true };
  // The chain from the base class down (subclasses.ts): initializers, parameter properties and bodies in JavaScript's order.
  runConstructor(inliner, cls, args, self, e, what, out, {
    initializers(c, ctorFrame) {
      for (const m of c.members) {
        if (ts.isPropertyDeclaration(m) && !isStatic(m) && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) && m.initializer) {
          fields.set(m.name.text, recordArrayField(inliner, m, e, ctorFrame, out) ?? inliner.value(m.initializer, ctorFrame, out));
        }
      }
    },
    statement(s, ctorFrame) {
      constructorStatement(inliner, s, self, ctorFrame, out, what);
    },
  });
  for (const [name] of dataFields(inliner, type, e)) {
    if (!fields.has(name)) fail(Code.Unsupported, e, `${what} leaves field '${name}' without a value tsgrad can see; give it an initializer or assign it at the top level of the constructor.`);
  }
  return self;
}

/**
 * `points: { minute: number; glucose: number }[] = []` (or a literal of
 * records): the field is an array of records, kept as one array per field as a
 * local one is (record-arrays.ts), which the class's methods then push to and
 * read (`this.points.push(...)`, `this.points.find(...)`). Const columns for a
 * readonly field, let columns for one a method may reassign.
 */
function recordArrayField(inliner: Inliner, m: ts.PropertyDeclaration, at: ts.NewExpression, frame: Frame, out: Sink): Value | undefined {
  const init = skipParens(m.initializer!);
  if (!out || !ts.isArrayLiteralExpression(init) || init.elements.some(ts.isSpreadElement)) return undefined;
  const type = inliner.checker.getTypeAtLocation(m.name);
  const element = recordArrayElement(inliner.checker, type);
  if (!element) return undefined;
  const readonly = m.modifiers?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false;
  // Typed from the field, placed at the `new`: the columns are locals of the function that makes the instance.
  return columnsOf(inliner, (m.name as ts.Identifier).text, type, element, init.elements, frame, out, m, !readonly, at);
}

/** A statement of a constructor: `inliner.f = v` gives the field its value; other statements are inlined. */
function constructorStatement(inliner: Inliner, s: ts.Statement, self: Value & { kind: "struct" }, frame: Frame, out: Sink, what: string): void {
  const fields = self.fields as Map<string, Value>;
  if (ts.isExpressionStatement(s)) {
    const e = skipParens(s.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipParens(e.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        fields.set(left.name.text, inliner.value(e.right, frame, out));
        return;
      }
    }
    if (ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword) return;
  }
  if (!out) fail(Code.Unsupported, s, `${what} runs statements, which tsgrad places before the expression that calls it; make the instance in a statement of its own (const v = ${what}).`);
  if (containsThisWrite(s)) fail(Code.Unsupported, s, `${what} assigns a field inside a branch or loop of the constructor; assign each field once, at the top level of the constructor (compute the value with ?: if needed).`);
  inliner.statement(s, frame, out);
}

/** The method a property access calls, if it is a method of a user class with a body: [declaration, static]. */
export function calledMethod(inliner: Inliner, callee: ts.PropertyAccessExpression, exact?: ts.Type): [ts.MethodDeclaration, boolean] | undefined {
  // On an instance whose class is known, the member that class has (its own, or the nearest base's): virtual dispatch.
  const own = exact && !ts.isPrivateIdentifier(callee.name) ? inliner.checker.getPropertyOfType(exact, callee.name.text) : undefined;
  const symbol = own ?? inliner.checker.getSymbolAtLocation(callee.name) ?? inliner.checker.getPropertyOfType(inliner.typeOf(callee.expression), callee.name.text);
  const decls = symbol?.declarations ?? [];
  const decl = decls.find((d): d is ts.MethodDeclaration => ts.isMethodDeclaration(d) && ts.isClassLike(d.parent));
  if (!decl) {
    const signature = decls.find((d) => ts.isMethodSignature(d) || (ts.isMethodDeclaration(d) && !d.body));
    if (signature && !decl) {
      const owner = classOf(inliner.checker, inliner.typeOf(callee.expression));
      if (owner || !decl) {
        if (ts.isMethodSignature(signature) || (ts.isMethodDeclaration(signature) && signature.getSourceFile().isDeclarationFile)) return undefined;
        fail(Code.OpaqueCall, callee, `'${userText(callee)}(...)' calls an abstract method, whose body tsgrad cannot see; call it on an instance of a class that implements it.`);
      }
    }
    return undefined;
  }
  if (decl.getSourceFile().isDeclarationFile) return undefined;
  if (!decl.body) fail(Code.OpaqueCall, callee, `'${userText(callee)}(...)' has no body for tsgrad to differentiate; call a method with a body.`);
  if (decl.asteriskToken || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
    fail(Code.Async, callee, `'${userText(callee)}' is a generator or async method, which cannot be differentiated; make it a plain synchronous method.`);
  }
  return [decl, isStatic(decl)];
}

/**
 * Whether `callee` names a method of a class of the program (with a body or
 * abstract), which calledMethod resolves or refuses: "static" for a static
 * one, whose receiver is the class itself.
 */
export function methodCall(inliner: Inliner, callee: ts.PropertyAccessExpression): "static" | "instance" | undefined {
  const symbol = inliner.checker.getSymbolAtLocation(callee.name) ?? inliner.checker.getPropertyOfType(inliner.typeOf(callee.expression), callee.name.text);
  const decl = symbol?.declarations?.find((d): d is ts.MethodDeclaration => ts.isMethodDeclaration(d) && ts.isClassLike(d.parent));
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  return isStatic(decl) ? "static" : "instance";
}

/** Refuses a getter or method that a subclass the program declares may override, for an instance whose class is not known exactly. */
export function refuseOverride(inliner: Inliner, decl: ts.MethodDeclaration | ts.GetAccessorDeclaration, receiver: Value & { kind: "struct" }, at: ts.Node, what: string): void {
  const other = overrideOf(inliner, decl, receiver.type, receiver.exact);
  if (!other) return;
  if (receiver.param) {
    fail(Code.Unsupported, at, `'${userText(at)}' may run the ${what} of ${other} instead, which tsgrad cannot choose at compile time; type the parameter as the class whose ${what} runs, or read fields instead.`);
  }
  fail(Code.Unsupported, at, `'${userText(at)}' may run the ${what} of ${other} instead, which tsgrad cannot choose at compile time; type the value as the class whose ${what} runs, or make the instance with new.`);
}

/** Another class of the program, a subclass of `decl`'s, that overrides it and whose instances a value of type `t` may be. */
export function overrideOf(inliner: Inliner, decl: ts.ClassElement, t: ts.Type, exact: boolean): string | undefined {
  if (exact) return undefined;
  const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  const base = decl.parent;
  if (!name || !ts.isClassLike(base)) return undefined;
  const files = inliner.ctx.sourceFiles?.() ?? [decl.getSourceFile()];
  for (const file of files) {
    if (file.isDeclarationFile) continue;
    for (const n of namedClassesOf(file)) {
      if (n === base || !n.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === name)) continue;
      const symbol = inliner.checker.getSymbolAtLocation(n.name!);
      const declared = symbol && inliner.checker.getDeclaredTypeOfSymbol(symbol);
      if (declared && derivesFrom(inliner.checker, declared, base) && inliner.checker.isTypeAssignableTo(declared, t)) return `class ${n.name!.text}`;
    }
  }
  return undefined;
}

/** Whether `n` assigns a field of `this` (not inside a function written in it). */
function containsThisWrite(n: ts.Node): boolean {
  if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isPropertyAccessExpression(skipParens(n.left)) &&
      skipParens((skipParens(n.left) as ts.PropertyAccessExpression).expression).kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isFunctionLike(n)) return false;
  return !!ts.forEachChild(n, containsThisWrite);
}

function isStatic(m: ts.ClassElement): boolean {
  return !!ts.canHaveModifiers(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
}
