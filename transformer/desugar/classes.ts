// Desugaring: classes as value types, and functions passed as arguments.
// Takes: a function after the other passes, whose code may create class
// instances (`new Vec3(x, y, z)`), call their methods, getters and static
// methods (`a.add(b).scale(s).dot(n)`, `Vec3.zero()`), keep instances in
// locals (`let p = ...; p = p.step(dt)`), and pass functions the compiler can
// see to helpers (`layer(x, Math.tanh)`, `fit(data, huber)`).
// Guarantees: no instance is left as a value — each becomes one local per
// field (`n_x`, `n_y`, `n_z`), scalarized as a hand-written kernel would be
// (an array field is the array itself in a local, `p_coeffs`; an instance that
// is an element of a parameter or constant array is read in place, `ps[i].x`);
// every method, getter, constructor and helper taking an instance or a function
// is inlined, with `this` and its parameters bound (so a call through a function
// value is specialised per call site, as JAX's tracing does); a method resolved
// through the checker that a subclass may override is refused, located.
//
// This file holds the pass's entry, the test of whether a function needs it,
// and the inliner's walk over statements and expressions, which hands each
// construct family to the file that owns it: instance-values.ts (instances,
// records and tuples as locals per field), class-members.ts (constructors,
// getters, methods, static methods), function-values.ts (functions passed and
// called as values), function-arrays.ts (arrays of functions, unrolled),
// record-arrays.ts (local arrays of records as columns) and inline-bodies.ts
// (a body inlined at its call); inlined-values.ts says what a name is bound
// to, class-predicates.ts holds the questions they share.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { tsgradFunction } from "../recognise.js";
import { forEachNode, someNode } from "../walk.js";
import { Build, copiedName, isNewLocal, like, newLocal, runtimeCall, runtimeCallName, skipParens, typed, userText, visitChildren } from "./synth.js";
import { calledMethod, construct, methodCall, overrideOf, readMember, refuseOverride } from "./class-members.js";
import { dispatchType, refuseAbstractReceiver } from "./subclasses.js";
import { instanceList, isInstanceList, isMixedInstanceList, listElement, listUse, unrollListLoop } from "./instance-lists.js";
import { classOf, hasPrivateFields, instanceFields, isArrayElement, isAssignment, isDataPatternHelper, isLiteralRecord, isNamePath, isPatternArrayHelper, isPlainRead, isRecordHelper, isShortCircuit, isTypeNodeLike, readsParameter } from "./class-predicates.js";
import { isDataType } from "./data-columns.js";
import { isFunctionArrayType, opaqueFunctionArray, UNROLLED, unrollFunctionLoop, unrollFunctions } from "./function-arrays.js";
import { isFunctionRecordType } from "./function-fields.js";
import { callFunctionValue, constantField, defaultsAFunction, isFunctionArgument } from "./function-values.js";
import { afterReturn, functionLabel, inline, tailReturns } from "./inline-bodies.js";
import { assignTargets, fieldLocalsWritable, type Frame, heldBy, isStable, type Key, shared, type Sink, stable, type Value } from "./inlined-values.js";
import { choose, fieldLocals, fieldsWritten, instanceView, parameterStruct, pick, recordLiteral, store, structOf, tupleElements, unsetFields, view } from "./instance-values.js";
import { mergedWhole } from "./object-spread.js";
import { columnsOf, copyColumns, elementOf, isRecordArrayType, ownColumns, pushColumns, recordArrayElement, rowAt, spreadCopy } from "./record-arrays.js";
import { isDataRecordType, isRecordType } from "./value-types.js";
import { isCodedCall } from "./union-results.js";
import { type ElementOf, elementOfDeclaration, isReferenceType } from "./element-references.js";

export function desugarClasses(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!mentionsClassesOrFunctions(fn, ctx) && !mentionsRecords(fn, ctx) && !indexesTuple(fn, ctx.checker)) return fn;
  const inliner = new Inliner(fn, ctx);
  return inliner.run();
}

/**
 * Whether `fn` makes or reads a class instance, calls a method or getter of a
 * user class, or passes a function to another: most functions do none of it,
 * and are left exactly as they are.
 */
function mentionsClassesOrFunctions(fn: FunctionLike, ctx: DesugarContext): boolean {
  const checker = ctx.checker;
  let found = false;
  const userMember = (name: ts.Node): boolean => {
    const decl = checker.getSymbolAtLocation(name)?.declarations?.[0];
    return !!decl && (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl)) && !decl.getSourceFile().isDeclarationFile;
  };
  forEachNode(fn, (n) => {
    if (found) return false;
    if (ts.isNewExpression(n) && classOf(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isParameter(n) && classOf(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && classOf(checker, checker.getTypeAtLocation(n.name))) found = true;
    else if (ts.isPropertyAccessExpression(n) && !ts.isPrivateIdentifier(n.name) && userMember(n.name)) found = true;
    // The arguments first: tsgradFunction resolves the call's signature, which checks every argument (slow deep in a long expression).
    else if (ts.isCallExpression(n) && n.arguments.some((a) => isFunctionArgument(a, checker)) && !tsgradFunction(n, checker)) found = true;
    else if (ts.isCallExpression(n) && defaultsAFunction(n, ctx)) found = true;
    else if (ts.isObjectLiteralExpression(n) && isFunctionRecordType(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isArrayLiteralExpression(n) && isFunctionArrayType(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isForOfStatement(n) && isFunctionArrayType(checker, checker.getTypeAtLocation(n.expression))) found = true;
    else if (ts.isCallExpression(n) && ts.isElementAccessExpression(n.expression) && isFunctionArrayType(checker, checker.getTypeAtLocation(n.expression.expression))) found = true;
    else if (ts.isCallExpression(n) && !!ctx.resolveFunction(n.expression)?.body && checker.getTypeAtLocation(n).getCallSignatures().length > 0) found = true;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && isFunctionRecordType(checker, checker.getTypeAtLocation(n.expression.expression))) found = true;
    else if (ts.isCallExpression(n) && isCodedCall(n) && !!ctx.resolveFunction(n.expression)?.parameters.some((p) => !ts.isIdentifier(p.name))) found = true;
    return !found;
  });
  return found;
}

/** Whether `fn` reads a tuple of numbers at an index known only at run time (`angles[i]`, as a reduce over a tuple does). */
function indexesTuple(fn: FunctionLike, checker: ts.TypeChecker): boolean {
  return someNode(fn, (n) => ts.isElementAccessExpression(n) && !ts.isNumericLiteral(skipParens(n.argumentExpression)) && checker.isTupleType(checker.getTypeAtLocation(n.expression)));
}

/**
 * Whether `fn` keeps a record or tuple in a local (other than a `const` naming
 * a parameter's or constant's value, which lowering reads in place), or calls
 * a helper of its file that returns one: such values are kept as their fields.
 */
function mentionsRecords(fn: FunctionLike, ctx: DesugarContext): boolean {
  const checker = ctx.checker;
  return someNode(fn, (n) => {
    // Each call below is a record helper's (isRecordHelper): a call of nothing with a body (`Math.sin(x)`) is none, asked before its types.
    if (ts.isCallExpression(n) && !ctx.resolveFunction(n.expression)?.body) return false;
    if (ts.isVariableDeclarationList(n)) {
      const isConst = !!(n.flags & ts.NodeFlags.Const);
      return n.declarations.some((d) => ts.isIdentifier(d.name) && !!d.initializer && (
        (isRecordType(checker, checker.getTypeAtLocation(d.name)) && (!isConst || !isPlainRead(d.initializer) || isNewLocal(d.name))) ||
        (ts.isArrayLiteralExpression(d.initializer) && isRecordArrayType(checker, checker.getTypeAtLocation(d.name)))));
    }
    if (ts.isCallExpression(n) && isRecordArrayType(checker, checker.getTypeAtLocation(n)) && isRecordHelper(n, fn, ctx)) return true;
    // `c ? norm([x * 2, y]) : 0`: a literal literal-arguments.ts left in place (a branch), given to a helper inlined with it as its fields.
    if (ts.isCallExpression(n) && n.arguments.some((a) => isLiteralRecord(a, checker)) && isRecordHelper(n, fn, ctx)) return true;
    if (ts.isCallExpression(n) && isDataPatternHelper(n, ctx, (a) => readsParameter(a, fn, checker)) && isRecordHelper(n, fn, ctx)) return true;
    return ts.isCallExpression(n) && (isRecordType(checker, checker.getTypeAtLocation(n)) || isPatternArrayHelper(n, ctx)) && isRecordHelper(n, fn, ctx);
  });
}

/**
 * The rewrite of one function: names bound to what they stand for (`env`),
 * walked statement by statement. Its members are read by the construct
 * families' files, which take it as their first argument.
 */
export class Inliner {
  readonly checker: ts.TypeChecker;
  readonly build: Build;
  readonly env = new Map<Key, Value>();
  /** The bodies being inlined: a call back into one is recursion. */
  readonly stack: ts.Node[] = [];
  /** Counters of the loops around the statement being rewritten that their bodies never assign: fixed within an iteration. */
  readonly counters = new Set<Key>();
  /** Consts naming an element of a parameter or constant array of records kept in place (`const b = branches[i]`), which an instance's field may hold (element-references.ts). */
  readonly elements = new Map<Key, ElementOf>();

  constructor(
    readonly fn: FunctionLike,
    readonly ctx: DesugarContext,
  ) {
    this.checker = ctx.checker;
    this.build = new Build(ctx.checker);
  }

  run(): FunctionLike {
    const fn = this.fn;
    if (!fn.body) return fn;
    const frame: Frame = { self: undefined, rename: false };
    const f = ts.factory;
    if (!ts.isBlock(fn.body)) {
      const out: ts.Statement[] = [];
      const value = this.expr(fn.body, frame, out);
      if (out.length === 0) return updateBody(fn, value);
      return updateBody(fn, like(f.createBlock([...out, like(f.createReturnStatement(value), fn.body)], true), fn.body));
    }
    return updateBody(fn, like(f.updateBlock(fn.body, this.statements(fn.body.statements, frame)), fn.body));
  }

  // ---- names ----------------------------------------------------------------

  key(id: ts.Identifier): Key | undefined {
    if (isNewLocal(id)) return id;
    const symbol = this.checker.getSymbolAtLocation(id);
    return symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }

  typeOf(node: ts.Node): ts.Type {
    return this.checker.getTypeAtLocation(node);
  }

  isNumber(t: ts.Type): boolean {
    return !!(t.flags & ts.TypeFlags.NumberLike) || (t.isUnion() && t.types.every((x) => !!(x.flags & ts.TypeFlags.NumberLike)));
  }

  // ---- statements -----------------------------------------------------------

  private statements(list: readonly ts.Statement[], frame: Frame): ts.Statement[] {
    const out: ts.Statement[] = [];
    for (const s of frame.rename ? tailReturns(list, this) : list) this.statement(s, frame, out);
    return out;
  }

  blockOf(s: ts.Statement, frame: Frame): ts.Statement {
    const body = ts.isBlock(s) ? s.statements : [s];
    return like(ts.factory.createBlock(this.statements(body, frame), true), s);
  }

  statement(s: ts.Statement, frame: Frame, out: ts.Statement[]): void {
    const f = ts.factory;
    if (ts.isVariableStatement(s)) return this.variables(s, frame, out);
    if (ts.isExpressionStatement(s)) return this.expressionStatement(s, frame, out);
    if (ts.isReturnStatement(s)) {
      if (!frame.rename) {
        if (!s.expression) return void out.push(s);
        const value = this.expr(s.expression, frame, out);
        return void out.push(like(f.updateReturnStatement(s, value), s));
      }
      if (!frame.result && (!s.expression || frame.discards)) {
        // `if (this.pinned) return;` of a body whose value is not kept: tailReturns put the rest in the else branch.
        if (s.expression) this.value(s.expression, frame, out);
        for (const after of afterReturn.get(s) ?? []) this.statement(after, frame, out);
        return;
      }
      if (!s.expression || !frame.result) fail(Code.NotScalar, s, "this return gives no value; return a value on every path of the method.");
      store(this, frame.result, this.value(s.expression, frame, out), s, out);
      // A return inside a loop leaves it (tailReturns): the flag, then break.
      for (const after of afterReturn.get(s) ?? []) this.statement(after, frame, out);
      return;
    }
    if (ts.isIfStatement(s)) {
      const test = this.expr(s.expression, frame, out);
      const then = this.blockOf(s.thenStatement, frame);
      const otherwise = s.elseStatement && this.blockOf(s.elseStatement, frame);
      return void out.push(like(f.updateIfStatement(s, test, then, otherwise), s));
    }
    if (ts.isBlock(s)) return void out.push(this.blockOf(s, frame));
    if (ts.isForStatement(s)) {
      // A loop over an array of instances of different classes: one copy of the body per element (instance-lists.ts).
      if (unrollListLoop(this, s, frame, out)) return;
      let init = s.initializer;
      if (init && ts.isVariableDeclarationList(init)) init = this.declarationList(init, frame, out, s);
      else if (init) init = this.expr(init, frame, undefined);
      const test = s.condition && this.expr(s.condition, frame, undefined);
      const step = s.incrementor && this.expr(s.incrementor, frame, undefined);
      const counter = this.counterOf(s);
      if (counter) this.counters.add(counter);
      try {
        return void out.push(like(f.updateForStatement(s, init, test, step, this.blockOf(s.statement, frame)), s));
      } finally {
        if (counter) this.counters.delete(counter);
      }
    }
    if (ts.isWhileStatement(s)) {
      return void out.push(like(f.updateWhileStatement(s, this.expr(s.expression, frame, undefined), this.blockOf(s.statement, frame)), s));
    }
    if (ts.isDoStatement(s)) {
      return void out.push(like(f.updateDoStatement(s, this.blockOf(s.statement, frame), this.expr(s.expression, frame, undefined)), s));
    }
    if (ts.isForOfStatement(s) && isFunctionArrayType(this.checker, this.typeOf(s.expression))) return unrollFunctionLoop(this, s, frame, out);
    if (ts.isForOfStatement(s)) {
      const list = ts.isVariableDeclarationList(s.initializer) ? this.declarationList(s.initializer, frame, undefined, s) : s.initializer;
      return void out.push(like(f.updateForOfStatement(s, s.awaitModifier, list, this.expr(s.expression, frame, out), this.blockOf(s.statement, frame)), s));
    }
    if (ts.isFunctionDeclaration(s) && s.name && frame.rename) {
      // An inner function of an inlined body is inlined where it is called, as lowering does.
      const key = this.key(s.name);
      if (key) this.env.set(key, { kind: "fn", decl: s, ref: s.name });
      return;
    }
    if (ts.isThrowStatement(s) && s.expression) {
      return void out.push(like(f.updateThrowStatement(s, this.expr(s.expression, frame, undefined)), s));
    }
    if (frame.rename && !ts.isBreakStatement(s) && !ts.isContinueStatement(s) && !ts.isEmptyStatement(s)) {
      // Lowering reports anything else; copied from another function, it would be reported there.
      out.push(s);
      return;
    }
    out.push(s);
  }

  private variables(s: ts.VariableStatement, frame: Frame, out: ts.Statement[]): void {
    const list = this.declarationList(s.declarationList, frame, out, s);
    // Every declaration may have become fields or a binding; the statements they needed are in out already.
    if (list.declarations.length > 0) out.push(like(ts.factory.updateVariableStatement(s, s.modifiers, list), s));
  }

  /**
   * The declarations of a list, each a number or other local as written (renamed
   * in an inlined body), an instance as one local per field, an inner function
   * as a binding (inlined where it is called).
   */
  private declarationList(list: ts.VariableDeclarationList, frame: Frame, out: Sink, from: ts.Node): ts.VariableDeclarationList {
    const f = ts.factory;
    const kept: ts.VariableDeclaration[] = [];
    const isConst = !!(list.flags & ts.NodeFlags.Const);
    // `var` and `using` are left as written: lowering says what to write instead.
    const scoped = list.flags & ts.NodeFlags.BlockScoped;
    if (scoped !== ts.NodeFlags.Const && scoped !== ts.NodeFlags.Let) return list;
    for (const d of list.declarations) {
      if (!ts.isIdentifier(d.name)) {
        kept.push(d);
        continue;
      }
      const key = this.key(d.name);
      const init = d.initializer && skipParens(d.initializer);
      if (init && frame.rename && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && key) {
        this.env.set(key, { kind: "fn", decl: init, ref: init });
        continue;
      }
      const type = this.typeOf(d.name);
      if (init && out && isConst && key && isMixedInstanceList(this, init, type)) {
        // `const shapes: Shape[] = [new Circle(r), new Rect(w, h)]`: its elements, each of its own class.
        this.env.set(key, instanceList(this, d.name.text, init, frame, out, d));
        continue;
      }
      if (init && key && ts.isElementAccessExpression(init) && ts.isIdentifier(skipParens(init.expression)) && isInstanceList(this.env.get(this.key(skipParens(init.expression) as ts.Identifier)!))) {
        // `const p = parts[i]` of an array of instances of different classes: the element itself, as in JavaScript (no copy).
        if (!isConst && this.reassigned(d.name)) fail(Code.Unsupported, d, `'${d.name.text}' names an element of '${userText(init.expression)}' and is reassigned, so tsgrad cannot tell which instance its reads and writes mean; declare a const for each element (const p = ${userText(init)}).`);
        this.env.set(key, this.value(init, frame, out));
        continue;
      }
      const element = recordArrayElement(this.checker, type);
      if (init && out && element) {
        // An array of records made here (`[state]`) or by an inlined helper: one array per field.
        const made = ts.isArrayLiteralExpression(init) && !init.elements.some(ts.isSpreadElement)
          ? columnsOf(this, d.name.text, type, element, init.elements, frame, out, d, !isConst)
          : spreadCopy(this, d.name.text, type, element, init, frame, out, d, !isConst);
        // `const array = this.points` (what a search over a field hoists) names the field's columns as `const array = xs` does a local's.
        const named = ts.isIdentifier(init) || (ts.isPropertyAccessExpression(init) && isNamePath(init)) ? this.value(init, frame, out) : undefined;
        const value = made ?? (ts.isCallExpression(init) ? this.value(init, frame, out) : named?.kind === "columns" ? named : undefined);
        if (value?.kind === "columns") {
          // A let reassigned later (`level = next`) gets columns of its own to reassign; `const tmp = a`
          // (a buffer swap) holds a's columns as they are now, not a's names, which the swap reassigns.
          const own = made || (isConst && !named) ? value : ownColumns(this, d.name.text, value, isConst ? ts.NodeFlags.Const : ts.NodeFlags.Let, d, out);
          if (key) this.env.set(key, own);
          continue;
        }
        if (!isConst && named?.kind === "expr" && isPlainRead(named.node)) {
          // `let level = control` of a parameter or constant, reassigned later: its fields copied into columns.
          if (key) this.env.set(key, copyColumns(this, d.name.text, type, element, named.node, d, out));
          continue;
        }
        if (value) {
          kept.push(like(f.updateVariableDeclaration(d, frame.rename ? newLocal(d.name.text, type, d.name) : d.name, d.exclamationToken, d.type, this.asExpr(value, init)), d));
          continue;
        }
      }
      if (!init && out && !isConst && isRecordType(this.checker, type)) {
        // `let next: State;` assigned in each branch of an if (desugar/branches.ts): one unset local per field.
        if (key) this.env.set(key, unsetFields(this, d.name.text, type, d, out));
        continue;
      }
      if (init && out && isRecordType(this.checker, type) && (!isConst || !isPlainRead(init) || isNewLocal(d.name))) {
        const value = this.value(init, frame, out);
        // `const nx_ny = vertices[k]` that destructuring made, read by the declarations right after it: its fields are read where they are.
        if (isConst && isNewLocal(d.name) && value.kind === "expr" && isPlainRead(value.node)) {
          if (key) this.env.set(key, view(this, value.node, type));
          continue;
        }
        const struct = structOf(this, value, type);
        if (struct) {
          const fields = fieldLocals(this, d.name.text, struct, !isConst || (!!key && fieldsWritten(this, key, d)), d, out, !isConst && (frame.rename || this.reassigned(d.name)));
          if (key) this.env.set(key, fields);
          if (key) holds(fields, key, !isConst && (frame.rename || this.reassigned(d.name)));
          continue;
        }
      }
      if (init && out && isConst && !isRecordType(this.checker, type) && isDataRecordType(this.checker, type)) {
        // `const r = readings[i]` of records with strings or booleans kept as columns: the element itself, as an instance's.
        const element = elementOf(this, init, d.name.text, frame, out);
        if (element) {
          if (key) this.env.set(key, element);
          continue;
        }
      }
      if (classOf(this.checker, type)) {
        if (!init) fail(Code.Unsupported, d, `give '${d.name.text}' its value where it is declared, so tsgrad can keep its fields in locals.`);
        if (!out) fail(Code.Unsupported, d, `declare the instance '${d.name.text}' before the loop, not in its head.`);
        const element = elementOf(this, init, d.name.text, frame, out);
        if (element && (isConst || !this.reassigned(d.name))) {
          // `const p = particles[i]` names the element itself: `p.x += dx` writes particles_x[i], as it would the instance.
          if (key) this.env.set(key, element);
          continue;
        }
        let value = element ?? this.value(init, frame, out);
        if (value.kind === "expr" && isPlainRead(value.node) && !hasPrivateFields(this.checker, type)) {
          // `const target = observed[i]` of a parameter or constant array of instances: its fields read where they are used.
          // Its writes (`o.x += 1`, a method writing this.x) change that element, as they would in JavaScript.
          if (isConst || !this.reassigned(d.name)) {
            if (key) this.env.set(key, instanceView(this, value.node, type));
            continue;
          }
          const copy = `let own = new ${this.checker.typeToString(type)}(...)`;
          const loop = ts.getParseTreeNode(init);
          if (loop && ts.isForOfStatement(loop)) {
            fail(Code.Unsupported, d, `'${d.name.text}' of '${this.shownInit(d.name, init)}' is reassigned, and tsgrad reads each instance of '${userText(loop.expression)}' in place, so it cannot tell which instance '${d.name.text}' means after; loop with const and copy the instance you change into one of your own (${copy}).`);
          }
          fail(Code.Unsupported, d, `'${d.name.text}' names '${userText(init)}', an instance tsgrad reads in place, and is reassigned, so tsgrad cannot tell which instance its reads and writes mean; declare a const for each instance (const p = ${userText(init)}), or copy the one you keep into an instance of your own (let ${d.name.text} = new ${this.checker.typeToString(type)}(...)).`);
        }
        if (value.kind !== "struct") fail(Code.Unsupported, init, `tsgrad cannot tell which instance '${this.shownInit(d.name, init)}' is; make it with new, a method or a static method of the class.`);
        if (ts.isCallExpression(init) && key && (isConst || !this.reassigned(d.name)) && heldBy.get(value)?.reassigned === false) {
          // `const same = t.setAlpha(a)` of a method ending in `return this`: the instance t names, as in JavaScript (no copy).
          this.env.set(key, value);
          continue;
        }
        if (element && key && fieldsWritten(this, key)) {
          fail(Code.Unsupported, d, `'${d.name.text}' names an element of '${userText((init as ts.ElementAccessExpression).expression)}' and is reassigned, so tsgrad cannot tell which element its writes change; declare a const for each element you change (const p = ${userText(init)}).`);
        }
        const fields = fieldLocals(this, d.name.text, value, !isConst, d, out);
        if (key) this.env.set(key, fields);
        if (key) holds(fields, key, !isConst && (frame.rename || this.reassigned(d.name)));
        continue;
      }
      // `const b = branches[i]`: an instance made from it may go into an array, which keeps the index it is at.
      // Declared again (a callback expanded twice), it names the new element, or none tsgrad can index.
      if (key) this.elements.delete(key);
      if (init && isConst && key && ts.isElementAccessExpression(init) && isPlainRead(init) && isReferenceType(this.checker, type)) {
        const element = elementOfDeclaration(this, init, this.expr(init.expression, frame, out), this.expr(init.argumentExpression, frame, out));
        if (element) this.elements.set(key, element);
      }
      const value = init && this.value(init, frame, out);
      if (value && value.kind === "struct" && out) {
        // A tuple an inlined method returned (`const [u, v] = camera.project(p)`): one local per element.
        const fields = fieldLocals(this, d.name.text, value, !isConst, d, out);
        if (key) this.env.set(key, fields);
        continue;
      }
      if (value && value.kind === "fn") {
        if (key) this.env.set(key, value);
        // A closure a call returned (`const f = scale(k)`) is only ever inlined: nothing to declare.
        if (frame.rename || (init && (ts.isCallExpression(skipParens(init)) || ts.isElementAccessExpression(skipParens(init))))) continue;
        kept.push(d);
        continue;
      }
      const expr = value && this.asExpr(value, init!);
      if (isConst && key && expr && isStable(expr) && this.isArray(type)) {
        // `const y = layerNorm(x, params)`: the array the inlined helper built, under its own name.
        this.env.set(key, { kind: "expr", node: expr });
        continue;
      }
      if (frame.rename && isConst && key && expr && this.isFixed(expr)) {
        // `const scale = params.scale` in an inlined body, where the field is the caller's `scale`: no copy.
        this.env.set(key, { kind: "expr", node: expr });
        continue;
      }
      if (frame.rename) {
        const id = newLocal(d.name.text, type, d.name);
        if (isConst) stable.add(id);
        if (key) this.env.set(key, { kind: "expr", node: id });
        kept.push(like(f.createVariableDeclaration(id, undefined, d.type, expr), d));
      } else {
        kept.push(expr === d.initializer ? d : like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, expr), d));
      }
    }
    void from;
    return like(f.updateVariableDeclarationList(list, kept), list);
  }

  /** Whether `e` is a value no later statement changes: a literal, a const this pass made, or a const or never-assigned parameter of the function. */
  isFixed(e: ts.Expression): boolean {
    if (ts.isNumericLiteral(e) || isStable(e)) return true;
    if (!ts.isIdentifier(e) || isNewLocal(e)) return false;
    const symbol = this.checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !this.declaredInside(symbol)) return false;
    if (ts.isVariableDeclaration(decl)) return ts.isVariableDeclarationList(decl.parent) && !!(decl.parent.flags & ts.NodeFlags.Const);
    if (!ts.isParameter(decl)) return false;
    const user = ts.getParseTreeNode(this.fn) ?? this.fn;
    return !someNode(user, (n) => (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isIdentifier(skipParens(n.left)) && this.checker.getSymbolAtLocation(skipParens(n.left)) === symbol) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && this.checker.getSymbolAtLocation(n.operand) === symbol));
  }

  isArray(t: ts.Type): boolean {
    const name = t.getSymbol()?.name;
    return this.checker.isArrayType(t) || name === "Float64Array" || name === "Float32Array";
  }

  /** What the user wrote for a local's value: the head of the for...of whose element instance-loops.ts declared it from, else the value. */
  private shownInit(name: ts.Identifier, init: ts.Expression): string {
    const loop = ts.getParseTreeNode(init);
    if (!loop || !ts.isForOfStatement(loop)) return userText(init);
    const kind = ts.isVariableDeclarationList(loop.initializer) && loop.initializer.flags & ts.NodeFlags.Let ? "let" : "const";
    return `for (${kind} ${name.text} of ${userText(loop.expression)})`;
  }

  private expressionStatement(s: ts.ExpressionStatement, frame: Frame, out: ts.Statement[]): void {
    const f = ts.factory;
    const e = skipParens(s.expression);
    if (ts.isBinaryExpression(e) && isAssignment(e.operatorToken.kind)) {
      const left = skipParens(e.left);
      const target = this.assignable(left, frame, out);
      if (target?.kind === "columns") {
        if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) fail(Code.Unsupported, e, `'${userText(e)}' combines arrays of records with an operator; assign a new array (=).`);
        const right = skipParens(e.right);
        // `pts = [{ x: 2 * k, y: k }]`: each column gets the literal of its field.
        const made = ts.isArrayLiteralExpression(right) && !right.elements.some(ts.isSpreadElement)
          ? columnsOf(this, userText(left).replace(/\W+/g, "_") + "_next", target.type, target.element, right.elements, frame, out, e)
          : undefined;
        return store(this, target, made ?? this.value(e.right, frame, out), e, out);
      }
      if (target && target.kind === "struct") {
        if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) fail(Code.Unsupported, e, "compound assignment to an instance is not supported; assign a new instance.");
        if (shared.has(target) && !ts.isIdentifier(left)) {
          fail(Code.Unsupported, e, `'${userText(e)}' replaces a record that another local also names (it was passed to the constructor, and JavaScript shares objects, it does not copy them), which tsgrad cannot follow; write its fields ('${userText(left)}.x = ...'), or pass the constructor a copy ('{ ...record }').`);
        }
        return store(this, target, this.value(e.right, frame, out), s, out);
      }
      const right = this.expr(e.right, frame, out);
      assignTargets.add(left);
      const newLeft = target?.kind === "expr" ? target.node : this.expr(left, frame, out);
      out.push(like(f.updateExpressionStatement(s, like(f.updateBinaryExpression(e, newLeft, e.operatorToken, right), e)), s));
      return;
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = this.assignable(skipParens(e.operand), frame, out);
      assignTargets.add(skipParens(e.operand));
      const operand = target?.kind === "expr" ? target.node : this.expr(e.operand, frame, out);
      const updated = ts.isPrefixUnaryExpression(e) ? f.updatePrefixUnaryExpression(e, operand) : f.updatePostfixUnaryExpression(e, operand);
      out.push(like(f.updateExpressionStatement(s, like(updated, e)), s));
      return;
    }
    if (ts.isCallExpression(e)) {
      // A method or helper called for its effect (a mutating method, a helper that logs).
      const value = this.call(e, frame, out, true);
      if (value === undefined) return;
      if (value.kind === "expr" && value.node !== e && !ts.isCallExpression(value.node)) return;
      if (value.kind === "expr") out.push(like(f.updateExpressionStatement(s, value.node), s));
      return;
    }
    out.push(like(f.updateExpressionStatement(s, this.expr(s.expression, frame, out)), s));
  }

  /** What an assignment writes: a renamed local, an instance's field local, or undefined to leave it to lowering. */
  private assignable(left: ts.Expression, frame: Frame, out: ts.Statement[]): Value | undefined {
    if (ts.isIdentifier(left)) {
      const key = this.key(left);
      return key ? this.env.get(key) : undefined;
    }
    if (ts.isPropertyAccessExpression(left)) {
      const object = skipParens(left.expression);
      if (ts.isElementAccessExpression(object) && isNamePath(object.expression) && isDataType(this.typeOf(left)) && this.value(object.expression, frame, out).kind === "columns") {
        // `stack[0].material = "TiO2"` of records kept as columns: their string and boolean columns are data, set when each record is made.
        const written = ts.getOriginalNode(left).parent ?? left;
        fail(Code.Unsupported, left, `'${userText(written)}' changes the ${this.checker.typeToString(this.typeOf(left))} field '${left.name.text}' of an element of an array, which tsgrad keeps as data, set when the element is made; give the record its value where you make it (in the literal, map or push), or keep what changes in a number field (1 or 0).`);
      }
      // `this.state.x += ...`: a field of a record an instance keeps in a field, rooted at `this` as a field itself is.
      if (!isThisPath(object) && !this.holdsInstance(object)) return undefined;
      const owner = this.value(object, frame, out);
      if (owner.kind !== "struct") return undefined;
      const field = owner.fields.get(left.name.text);
      if (!field) fail(Code.Unsupported, left, `'${userText(left)}' is not a field tsgrad keeps in a local; write fields declared in the class.`);
      if (owner.param) fail(Code.ParamMutation, left, `assigning into parameter '${owner.param.text}' mutates the caller's value; copy it into a local instance first (new ...).`);
      if (field.kind === "expr" && ts.isIdentifier(field.node) && !fieldLocalsWritable.has(field.node) && !owner.element) {
        // The field names the value the record was made from (a parameter, a const): writing there would change that.
        fail(Code.Unsupported, left, `'${userText(left.parent)}' writes to a record through a name tsgrad did not see it written through (another name for the same object: a helper's result, a parameter of a helper it was passed to), which would change the value '${userText(field.node)}' it was made from; write through the local the record was declared in, or copy the record first ('{ ...record }') if a copy is meant.`);
      }
      if (owner.element && isReferenceType(this.checker, this.typeOf(left))) {
        // The field is the index of an element of another array (element-references.ts): assigning it would write into that array.
        fail(Code.Unsupported, left, `'${userText(left.parent)}' replaces the record '${left.name.text}' that an element of an array of instances holds, which tsgrad keeps as the index of an element of the array the record came from; make a new instance with the other record (new ${this.checker.typeToString(owner.type)}(...)) and put it where this one was.`);
      }
      if (owner.element && isDataType(this.typeOf(left))) {
        // Its column is data the backward sweep reads as it is at the end (a branch on it is not recorded).
        fail(Code.Unsupported, left, `'${userText(left.parent)}' changes the ${this.checker.typeToString(this.typeOf(left))} field '${left.name.text}' of an element of an array, which tsgrad keeps as data, set when the element is made; set it in the constructor, or keep what changes in a number field (1 or 0).`);
      }
      return field;
    }
    return undefined;
  }

  /** Whether `e` is a name for an instance this pass keeps in locals (or `this` of one). */
  holdsInstance(e: ts.Expression): boolean {
    if (ts.isIdentifier(e)) {
      const key = this.key(e);
      return !!key && this.env.get(key)?.kind === "struct";
    }
    return ts.isPropertyAccessExpression(e) && this.holdsInstance(skipParens(e.expression));
  }

  // ---- expressions ----------------------------------------------------------

  /** `e` as an expression of the subset (an instance here is refused). */
  expr(e: ts.Expression, frame: Frame, out: Sink): ts.Expression {
    return this.asExpr(this.value(e, frame, out), e);
  }

  asExpr(v: Value, at: ts.Node): ts.Expression {
    if (v.kind === "expr") return v.node;
    if (v.kind === "fn") {
      // An arrow written here, kept as a value: its body with the names bound here replaced.
      if (v.frame && (ts.isArrowFunction(v.ref) || ts.isFunctionExpression(v.ref))) return this.rewriteChildren(v.ref, v.frame, undefined);
      return v.ref;
    }
    if (v.kind === "columns") {
      const name = userText(at);
      return fail(Code.Unsupported, at, `'${name}' is an array of records that tsgrad keeps as one array per field: it reads it (${name}[i].field, ${name}.length), grows it with push and assigns it to a local (xs = ${name}), but cannot use it as a value here; assign it in a statement of its own (in each branch of an if, not through ?:), or pass it to a helper of this file.`);
    }
    if (v.source) return v.source;
    if (isInstanceList(v)) return fail(Code.Unsupported, at, listUse(at));
    if (isRecordType(this.checker, v.type)) return recordLiteral(this, v, at);
    if (isFunctionRecordType(this.checker, v.type)) {
      const fn = [...v.fields].find(([, x]) => x.kind === "fn")?.[0] ?? "";
      return fail(Code.UnknownFunction, at, `'${userText(at)}' holds a function ('${fn}'), which tsgrad resolves where it is called; call its fields here (${userText(at)}.${fn}(...)), or pass it to a function of this file, which is specialised to it.`);
    }
    // Where the user wrote it: a pass may have rebuilt the node (a map callback made a loop), leaving it no parent.
    if (classOf(this.checker, v.type) && isArrayElement(ts.getParseTreeNode(at) ?? at)) {
      // `[new Bag(xs, 1), ...]`: an array of instances is kept as one array per field, which a field of arrays cannot be.
      const [field, type] = instanceFields(this.checker, v.type).find(([, t]) => !this.isNumber(t) && !isDataType(t)) ?? [];
      const blockers = field && type ? recordBlockers(this.checker, type) : undefined;
      if (field && type && blockers) {
        // `branch: Branch` with `name: string` and `fittingK?: number`: a record field is columns only when all of it is numbers.
        fail(Code.UnsupportedType, at, `'${userText(at)}' goes into an array of ${this.checker.typeToString(v.type)} instances, which tsgrad keeps as one array per field (a record field as one array per number of it), and their field '${field}' holds a '${this.checker.typeToString(type)}', ${blockers}; give the class the numbers it reads from '${field}' as fields of their own (passed to its constructor), or keep each instance in a local of its own.`);
      }
      if (field && type) {
        fail(Code.UnsupportedType, at, `'${userText(at)}' goes into an array of ${this.checker.typeToString(v.type)} instances, which tsgrad keeps as one array per field, and their field '${field}' has type '${this.checker.typeToString(type)}'; keep each instance in a local of its own, or keep '${field}' of every instance in an array of rows (number[][]) beside an array of instances of numbers.`);
      }
    }
    return fail(Code.UnsupportedType, at, `'${userText(at)}' is an instance of ${this.className(v.type)}, which tsgrad keeps as its fields; use its fields or methods here, or pass it to a function of your program.`);
  }

  className(t: ts.Type): string {
    return `class ${this.checker.typeToString(t)}`;
  }

  value(e: ts.Expression, frame: Frame, out: Sink): Value {
    const f = ts.factory;
    if (ts.isParenthesizedExpression(e)) {
      const inner = this.value(e.expression, frame, out);
      return inner.kind === "expr" && inner.node !== e.expression ? { kind: "expr", node: this.retyped(f.updateParenthesizedExpression(e, inner.node), e) } : inner.kind === "expr" ? { kind: "expr", node: e } : inner;
    }
    if (e.kind === ts.SyntaxKind.SuperKeyword) {
      // `super.step(dt)`: the instance, whose base class's method call() resolved (readMember refuses other reads of super).
      if (!frame.self) fail(Code.Unsupported, e, "'super' here is not an instance tsgrad can see; call super's methods inside the methods of a class.");
      return frame.self;
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      if (!frame.self) fail(Code.Unsupported, e, "'this' here is not an instance tsgrad can see; use 'this' inside the methods and getters of a class.");
      return frame.self;
    }
    if (ts.isIdentifier(e)) return this.identifier(e, frame);
    if (ts.isNewExpression(e)) return construct(this, e, frame, out);
    if (ts.isCallExpression(e)) return this.call(e, frame, out, false) ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing, so its value cannot be used; call it as a statement, or return a value from it.`);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Math" && this.typeOf(e).getCallSignatures().length > 0) {
      const decl = this.checker.getSymbolAtLocation(e.expression)?.declarations?.[0];
      if (decl && this.ctx.isLibDeclaration(decl)) return { kind: "fn", decl: undefined, ref: e };
    }
    if (ts.isPropertyAccessExpression(e)) {
      const member = readMember(this, e, frame, out);
      if (member) return member;
    }
    if (ts.isObjectLiteralExpression(e) && (isDataRecordType(this.checker, this.typeOf(e)) || isFunctionRecordType(this.checker, this.typeOf(e))) && e.properties.every((p) => ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))))) {
      // A record written out (`{ x: a.x + b.x, y }`, `{ ...state, s: next }`): its fields, as the fields of a value.
      const fields = new Map<string, Value>();
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p)) {
          const part = this.value(p.expression, frame, out);
          const struct = structOf(this, part, this.typeOf(p.expression));
          if (!struct) {
            // A merge with a part it cannot follow (a module constant, optional fields): the merge pass's message, at the merge.
            if (e.properties.filter(ts.isSpreadAssignment).length > 1) fail(Code.Unsupported, e, mergedWhole(e, this.checker));
            fail(Code.Unsupported, p, `tsgrad keeps '${userText(e)}' as its fields, and cannot see the fields of '${userText(p.expression)}'; spread a record local or parameter, or write the fields out.`);
          }
          for (const [name, v] of struct.fields) fields.set(name, v);
        } else if (ts.isPropertyAssignment(p)) fields.set((p.name as ts.Identifier | ts.StringLiteral).text, this.value(p.initializer, frame, out));
        else if (ts.isShorthandPropertyAssignment(p)) fields.set(p.name.text, this.shorthand(p, frame));
      }
      return { kind: "struct", type: this.typeOf(e), fields, exact: true };
    }
    if (ts.isArrayLiteralExpression(e) && (frame.rename || isRecordType(this.checker, this.typeOf(e))) && this.checker.isTupleType(this.typeOf(e)) && !e.elements.some(ts.isSpreadElement)) {
      // A tuple an inlined method or helper returns: its elements, as the fields of a value.
      const fields = new Map<string, Value>(e.elements.map((x, i) => [String(i), this.value(x, frame, out)]));
      return { kind: "struct", type: this.typeOf(e), fields, exact: true };
    }
    if (ts.isElementAccessExpression(e) && ts.isIdentifier(skipParens(e.expression))) {
      const key = this.key(skipParens(e.expression) as ts.Identifier);
      const list = key && this.env.get(key);
      if (isInstanceList(list)) return listElement(this, list, e, frame, out);
    }
    if (ts.isElementAccessExpression(e) && !ts.isNumericLiteral(skipParens(e.argumentExpression)) && isNamePath(e.expression)) {
      const object = this.value(e.expression, frame, out);
      if (object.kind === "columns") return rowAt(this, object, this.expr(e.argumentExpression, frame, out), e);
    }
    if (ts.isElementAccessExpression(e) && !ts.isNumericLiteral(skipParens(e.argumentExpression)) && isPlainRead(e.expression) && !assignTargets.has(e)) {
      const elements = tupleElements(this, this.value(e.expression, frame, out), e.expression);
      if (elements) {
        const picked = pick(this, elements, this.expr(e.argumentExpression, frame, out), e, out);
        if (picked) return picked;
      }
    }
    if (ts.isElementAccessExpression(e) && ts.isNumericLiteral(skipParens(e.argumentExpression))) {
      const object = this.value(e.expression, frame, out);
      if (object.kind === "columns") return rowAt(this, object, e.argumentExpression, e);
      if (object.kind === "struct") {
        const index = (skipParens(e.argumentExpression) as ts.NumericLiteral).text;
        return object.fields.get(index) ?? fail(Code.Unsupported, e, `'${userText(e)}' reads past the end of the tuple; read an element it has.`);
      }
      const node = this.asExpr(object, e.expression);
      return { kind: "expr", node: node === e.expression ? e : this.retyped(ts.factory.updateElementAccessExpression(e, node, e.argumentExpression), e) };
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      // Inlined where a helper calls it; given to map(x, (xi) => ...), it is kept for lowering, its free names rewritten.
      return { kind: "fn", decl: e, ref: e, frame, captured: new Map(this.env) };
    }
    if (ts.isArrayLiteralExpression(e) && isFunctionArrayType(this.checker, this.typeOf(e)) && !e.elements.some(ts.isSpreadElement)) {
      // `[exposure(a), contrast(b)]`: its functions, as the fields of a value (function-arrays.ts).
      const fields = new Map<string, Value>();
      e.elements.forEach((x, i) => {
        const v = this.value(x, frame, out);
        if (v.kind !== "fn") fail(Code.UnsupportedType, x, `'${userText(x)}' is a function tsgrad cannot see at compile time, so the array it is in cannot be unrolled; put functions of the program (or closures they return) in the array.`);
        fields.set(String(i), v);
      });
      return { kind: "struct", type: this.typeOf(e), fields, exact: true };
    }
    if (ts.isConditionalExpression(e)) {
      const test = this.expr(e.condition, frame, out);
      const then = this.value(e.whenTrue, frame, undefined);
      const otherwise = this.value(e.whenFalse, frame, undefined);
      if (then.kind === "struct" || otherwise.kind === "struct") return choose(this, test, then, otherwise, e);
      if (then.kind === "fn" && otherwise.kind === "fn") {
        const ref = like(f.updateConditionalExpression(e, test, e.questionToken, this.asExpr(then, e.whenTrue), e.colonToken, this.asExpr(otherwise, e.whenFalse)), e);
        return { kind: "fn", decl: undefined, ref, choice: { test, then, otherwise } };
      }
      return { kind: "expr", node: like(f.updateConditionalExpression(e, test, e.questionToken, this.asExpr(then, e.whenTrue), e.colonToken, this.asExpr(otherwise, e.whenFalse)), e) };
    }
    if (ts.isBinaryExpression(e) && isShortCircuit(e.operatorToken.kind)) {
      const left = this.expr(e.left, frame, out);
      const right = this.expr(e.right, frame, undefined);
      return { kind: "expr", node: left === e.left && right === e.right ? e : this.retyped(f.updateBinaryExpression(e, left, e.operatorToken, right), e) };
    }
    return { kind: "expr", node: this.rewriteChildren(e, frame, out) };
  }

  /** Whether `e` reads a name declared outside the differentiated function (a module or enclosing constant). */
  isOutsideConstant(e: ts.Expression): boolean {
    let root = skipParens(e);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
    if (!ts.isIdentifier(root) || isNewLocal(root)) return false;
    const symbol = this.checker.getSymbolAtLocation(root);
    const decl = symbol?.valueDeclaration;
    return !!symbol && !!decl && ts.isVariableDeclaration(decl) && !this.declaredInside(symbol) && !!(decl.parent.flags & ts.NodeFlags.Const);
  }

  /** The counter `i` of `for (let i = ...; ...; i++)` when the loop's body never assigns it (its value is then fixed in each iteration). */
  private counterOf(s: ts.ForStatement): Key | undefined {
    const init = s.initializer;
    if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
    const name = init.declarations[0]!.name;
    const key = ts.isIdentifier(name) ? this.key(name) : undefined;
    if (!key) return undefined;
    const writes = (target: ts.Expression): boolean => ts.isIdentifier(skipParens(target)) && this.key(skipParens(target) as ts.Identifier) === key;
    const assigned = someNode(s.statement, (n) =>
      (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && writes(n.left)) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && writes(n.operand)));
    return assigned ? undefined : key;
  }

  /** Whether the function assigns the local `name` after its declaration (`p = particles[j]`). */
  private reassigned(name: ts.Identifier): boolean {
    const key = this.key(name);
    const user = ts.getParseTreeNode(this.fn) ?? this.fn;
    return someNode(user, (n) => ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isIdentifier(skipParens(n.left)) && this.key(skipParens(n.left) as ts.Identifier) === key);
  }

  /** `{ x }`: the value of the local `x` (the name's own symbol is the property's). */
  shorthand(p: ts.ShorthandPropertyAssignment, frame: Frame): Value {
    const symbol = this.checker.getShorthandAssignmentValueSymbol(p);
    const bound = symbol && this.env.get(symbol);
    if (bound) return bound;
    if (frame.rename && symbol && !this.declaredInside(symbol)) copiedName(p.name);
    // The declaration's own name resolves to the local (the shorthand's name resolves to the property).
    const name = symbol?.valueDeclaration && ts.getNameOfDeclaration(symbol.valueDeclaration);
    if (name && ts.isIdentifier(name)) return this.identifier(name, frame);
    return fail(Code.Unsupported, p, `write the field as '${p.name.text}: ${p.name.text}' here.`);
  }

  /** Every child of `e` rewritten (names bound here replaced by their values), `e` itself when nothing changed. */
  rewriteChildren<T extends ts.Node>(e: T, frame: Frame, out: Sink): T {
    const visit = (n: ts.Node): ts.Node => {
      if (ts.isExpression(n) && !isTypeNodeLike(n)) {
        // The right operand of && / || and the branches of ?: may not run: nothing is placed before them.
        return this.expr(n, frame, ts.isFunctionLike(e) ? undefined : out);
      }
      if (ts.isBlock(n) && ts.isFunctionLike(e)) return ts.factory.updateBlock(n, this.statements(n.statements, { ...frame, rename: false }));
      return visitChildren(n, visit);
    };
    if (ts.isPropertyAccessExpression(e)) {
      const owner = ts.isPrivateIdentifier(e.name) ? this.value(e.expression, frame, out) : undefined;
      // `this.#secret` of a parameter: read on the parameter, where lowering says why it cannot be an input.
      if (owner?.kind === "struct" && owner.param) return like(ts.factory.updatePropertyAccessExpression(e, owner.param, e.name), e) as ts.Node as T;
      const object = this.expr(e.expression, frame, out);
      return (object === e.expression ? e : this.retyped(ts.factory.updatePropertyAccessExpression(e, object, e.name), e)) as ts.Node as T;
    }
    const updated = visitChildren(e, visit);
    return updated === e || !ts.isExpression(e) ? updated : (this.retyped(updated as ts.Node as ts.Expression, e) as ts.Node as T);
  }

  /** `updated`, a rewrite of `e`, with `e`'s type: a node a pass built answers the checker through its record, not its original's. */
  retyped<T extends ts.Expression>(updated: T, e: ts.Expression): T {
    return typed(updated, this.typeOf(e), e);
  }

  private identifier(id: ts.Identifier, frame: Frame): Value {
    const key = this.key(id);
    const bound = key && this.env.get(key);
    if (bound) return bound;
    // A name a copied body reads from outside the differentiated function (a module constant).
    if (frame.rename && !isNewLocal(id) && key && !this.declaredInside(key as ts.Symbol)) copiedName(id);
    const type = this.typeOf(id);
    const symbol = key && !isNewLocal(id) ? (key as ts.Symbol) : undefined;
    const decl = symbol?.valueDeclaration;
    // A parameter of the differentiated function that is an instance: its fields, read where they are used.
    if (decl && ts.isParameter(decl) && decl.parent === ts.getOriginalNode(this.fn) && classOf(this.checker, type) && !hasPrivateFields(this.checker, type)) {
      return parameterStruct(this, id, type);
    }
    if (type.getCallSignatures().length > 0) {
      const fnDecl = this.ctx.resolveFunction(id);
      if (fnDecl) return { kind: "fn", decl: fnDecl, ref: id };
    }
    // A module-level `const STEPS = [double, softsign]`: its functions, as the array literal gives them.
    const init = decl && ts.isVariableDeclaration(decl) && decl.parent.flags & ts.NodeFlags.Const && !this.declaredInside(symbol!) ? decl.initializer && skipParens(decl.initializer) : undefined;
    if (init && ts.isArrayLiteralExpression(init) && isFunctionArrayType(this.checker, type)) return this.value(init, { self: undefined, rename: true }, undefined);
    return { kind: "expr", node: id };
  }

  /** Whether a symbol is declared in the differentiated function (its locals keep their meaning wherever they are read). */
  declaredInside(symbol: ts.Symbol): boolean {
    const original = ts.getOriginalNode(this.fn);
    for (let n: ts.Node | undefined = symbol.declarations?.[0]; n; n = n.parent) if (n === original) return true;
    return false;
  }

  /**
   * A call: a method of an instance or a class (inlined with `this` bound), a
   * function value bound here (inlined), a function of the program given an
   * instance or a function (inlined: specialised to this call), or any other
   * call with its arguments rewritten. Undefined for a call made for its
   * effect that leaves nothing to keep.
   */
  private call(e: ts.CallExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
    const f = ts.factory;
    const callee = skipParens(e.expression);
    // `xs.push(record)`, `this.points.push(record)` of an array of records kept as columns (a local, or a field: class-members.ts).
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "push" && isNamePath(callee.expression)) {
      const receiver = this.value(callee.expression, frame, out);
      if (receiver.kind === "columns") return pushColumns(this, receiver, e, frame, out, statement);
    }
    const called = ts.isPropertyAccessExpression(callee) ? methodCall(this, callee) : undefined;
    if (called && ts.isPropertyAccessExpression(callee)) {
      // The receiver first: an instance whose class is known runs that class's method (subclasses.ts);
      // `super.step(dt)` runs the base class's method on this instance, whatever its class.
      let receiver = called === "static" ? undefined : this.value(callee.expression, frame, out);
      const isSuper = skipParens(callee.expression).kind === ts.SyntaxKind.SuperKeyword;
      const method = calledMethod(this, callee, isSuper ? undefined : dispatchType(this, receiver));
      // methodCall said a method of the program runs here, and the receiver's statements are placed already.
      if (!method) return fail(Code.Internal, callee, `no method '${userText(callee)}' found; please report this with the class.`);
      const [decl] = method;
      if (receiver && !dispatchType(this, receiver) && !isSuper) refuseAbstractReceiver(this, callee);
      const args = (): Value[] => e.arguments.map((a) => this.value(a, frame, out));
      if (receiver?.kind === "struct") {
        let self = receiver;
        if (out && isFresh(this, self) && skipParens(callee.expression).kind !== ts.SyntaxKind.ThisKeyword && writesThis(this, decl)) {
          // `new Smoother(start).setAlpha(a)`: an instance no local holds, written by its method, gets locals to write.
          self = fieldLocals(this, lowerFirst(this.checker.typeToString(self.type)), self, true, callee, out);
        }
        refuseOverride(this, decl, self, callee, "method");
        if (out && returnsThis(decl)) {
          // `s.setAlpha(a)` ending in `return this`: the same instance, as in JavaScript (not a copy of its fields).
          inline(this, decl, self, args(), e, out, callee.name.text, true);
          return statement ? undefined : self;
        }
        receiver = self;
      } else if (receiver) {
        const node = this.asExpr(receiver, callee.expression);
        const other = overrideOf(this, decl, this.typeOf(callee.expression), false);
        if (other) fail(Code.Unsupported, callee, `'${userText(callee)}(...)' may run the method of ${other} instead, which tsgrad cannot choose at compile time; call it on an instance of the class whose method runs.`);
        receiver = { kind: "expr", node };
      }
      return inline(this, decl, receiver, args(), e, out, callee.name.text, statement);
    }
    if (ts.isIdentifier(callee)) {
      const key = this.key(callee);
      const bound = key && this.env.get(key);
      if (bound?.kind === "fn") return callFunctionValue(this, bound, e, frame, out, statement);
    }
    if (ts.isElementAccessExpression(callee) && isFunctionArrayType(this.checker, this.typeOf(callee.expression))) {
      // `steps[1](x)` of an array of functions kept as its elements.
      const element = this.value(callee, frame, out);
      if (element.kind !== "fn") fail(Code.UnsupportedType, e, opaqueFunctionArray(userText(e), this.checker.typeToString(this.typeOf(callee.expression))));
      return callFunctionValue(this, element, e, frame, out, statement);
    }
    if (ts.isPropertyAccessExpression(callee) && UNROLLED.has(callee.name.text) && isFunctionArrayType(this.checker, this.typeOf(callee.expression))) {
      return unrollFunctions(this, e, callee, frame, out, statement);
    }
    if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name) && this.holdsInstance(skipParens(callee.expression))) {
      // `layer.activation(z)` of a record kept as its fields: the function its literal gave the field.
      const field = this.value(callee, frame, out);
      if (field.kind === "fn") return callFunctionValue(this, field, e, frame, out, statement);
    }
    const constant = ts.isPropertyAccessExpression(callee) ? constantField(this, callee) : undefined;
    if (constant) return callFunctionValue(this, constant, e, frame, out, statement);
    const args = e.arguments.map((a) => this.value(a, frame, out));
    const decl = this.ctx.resolveFunction(callee);
    // A helper that takes or returns an instance, or takes a function, is inlined: specialised to this call.
    const record = (a: Value): boolean => a.kind === "struct" && !classOf(this.checker, a.type);
    // A helper returning a function (`exposure(stops)` returning `(p) => ...`) is inlined too: the closure is its value.
    const classy = args.some((a) => (a.kind === "struct" && !record(a)) || a.kind === "fn") || !!classOf(this.checker, this.typeOf(e)) || defaultsAFunction(e, this.ctx) || this.typeOf(e).getCallSignatures().length > 0;
    // A helper taking or returning a record or tuple is inlined when it is this file's and not recursive (else it is called).
    const structured = args.some((a) => record(a) || a.kind === "columns") || isRecordType(this.checker, this.typeOf(e)) || isRecordArrayType(this.checker, this.typeOf(e)) || isPatternArrayHelper(e, this.ctx) || this.destructuresElement(e, args);
    // A helper's string-union result compared by its code (union-results.ts) whose parameters lowering cannot bind (a pattern): inlined here.
    const coded = isCodedCall(e) && !!decl?.parameters.some((p) => !ts.isIdentifier(p.name));
    const specialise = classy || ((structured || coded) && isRecordHelper(e, this.fn, this.ctx));
    const kept = args.some((a) => record(a) && !(a.kind === "struct" && a.source)) || isRecordType(this.checker, this.typeOf(e)) || isRecordArrayType(this.checker, this.typeOf(e));
    if (decl?.body && !specialise && kept && !tsgradFunction(e, this.checker)) {
      const why = decl.getSourceFile() !== (ts.getParseTreeNode(this.fn) ?? this.fn).getSourceFile() ? "is declared in another file" : "calls itself";
      fail(Code.Unsupported, e, `'${userText(e)}' takes or returns a record or tuple, which tsgrad keeps as its fields by inlining the helper, but '${functionLabel(callee)}' ${why}; pass and return numbers (or arrays) instead, or declare the helper in this file without recursion.`);
    }
    if (decl && decl.body && specialise && !tsgradFunction(e, this.checker)) {
      return inline(this, decl, undefined, args, e, out, functionLabel(callee), statement);
    }
    const newArgs = args.map((a, i) => this.asExpr(a, e.arguments[i]!));
    const newCallee = ts.isPropertyAccessExpression(callee) || ts.isIdentifier(callee) ? this.expr(callee, frame, out) : callee;
    const same = newCallee === callee && newArgs.every((a, i) => a === e.arguments[i]);
    if (same) return { kind: "expr", node: e };
    // A call of tsgrad's runtime that a pass wrote (`max(xs)` for Math.max(...xs)) stays one with its new arguments.
    const runtime = runtimeCallName(e);
    if (runtime) return { kind: "expr", node: runtimeCall(runtime, newArgs, this.typeOf(e), e) };
    return { kind: "expr", node: this.retyped(f.updateCallExpression(e, newCallee, e.typeArguments, newArgs), e) };
  }

  /** `penalty(chain[i])` of a helper destructuring a record with constants (isDataPatternHelper), given an element of a parameter. */
  private destructuresElement(e: ts.CallExpression, args: readonly Value[]): boolean {
    return isDataPatternHelper(e, this.ctx, (a) => {
      const v = args[e.arguments.indexOf(a)];
      return v?.kind === "expr" && readsParameter(v.node, this.fn, this.checker);
    });
  }

}

/** What keeps the record type `t` from being columns of numbers: its optional fields and fields of other types, shown; undefined when `t` is no record. */
function recordBlockers(checker: ts.TypeChecker, t: ts.Type): string | undefined {
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion() || checker.isArrayType(t) || checker.isTupleType(t) || t.getCallSignatures().length > 0) return undefined;
  const reasons: string[] = [];
  for (const p of checker.getPropertiesOfType(t)) {
    const type = checker.getTypeOfSymbol(p);
    if (p.flags & ts.SymbolFlags.Optional) reasons.push(`'${p.name}' is optional`);
    else if (!(type.flags & ts.TypeFlags.NumberLike) && !isRecordType(checker, type)) reasons.push(`'${p.name}' is a ${checker.typeToString(type)}`);
  }
  return reasons.length > 0 ? `whose ${reasons.join(" and ")}` : undefined;
}

/** An instance made by `new` or returned by a call, held by no local: its fields may be expressions, not locals to write. */
function isFresh(inliner: Inliner, v: Value & { kind: "struct" }): boolean {
  return !v.name && !v.param && !v.element && !v.source && !heldBy.has(v) && !!classOf(inliner.checker, v.type);
}

/** Whether the method writes a field of `this`, or calls a method of `this` that does. */
function writesThis(inliner: Inliner, decl: ts.MethodDeclaration, seen = new Set<ts.Node>()): boolean {
  if (seen.has(decl) || !decl.body) return false;
  seen.add(decl);
  const onThis = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(skipParens(e)) && skipParens((skipParens(e) as ts.PropertyAccessExpression).expression).kind === ts.SyntaxKind.ThisKeyword;
  return someNode(decl.body, (n) => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && onThis(n.left)) return true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && onThis(n.operand)) return true;
    if (ts.isCallExpression(n) && onThis(n.expression)) {
      const called = inliner.checker.getSymbolAtLocation((skipParens(n.expression) as ts.PropertyAccessExpression).name)?.declarations?.find(ts.isMethodDeclaration);
      return !!called && writesThis(inliner, called, seen);
    }
    return false;
  });
}

/** Whether every return of the method is `return this` (a chaining setter). */
function returnsThis(decl: ts.MethodDeclaration): boolean {
  let returns = 0;
  let others = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression && skipParens(n.expression).kind === ts.SyntaxKind.ThisKeyword) returns++;
      else others++;
    }
    ts.forEachChild(n, visit);
  };
  if (decl.body) ts.forEachChild(decl.body, visit);
  return returns > 0 && others === 0;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `this`, or a field path from it (`this.state`). */
function isThisPath(e: ts.Expression): boolean {
  e = skipParens(e);
  if (e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(e) && !e.questionDotToken && !ts.isPrivateIdentifier(e.name) && isThisPath(e.expression);
}

/** Marks the record or instance `value` (and the records it holds) as what the local `key` holds: another name may come to hold it. */
function holds(value: Value, key: Key, reassigned: boolean): void {
  if (value.kind !== "struct" || value.param || value.element || value.source || heldBy.has(value)) return;
  heldBy.set(value, { key, reassigned });
  for (const v of value.fields.values()) holds(v, key, reassigned);
}

function updateBody(fn: FunctionLike, body: ts.ConciseBody): FunctionLike {
  const f = ts.factory;
  if (body === fn.body) return fn;
  if (ts.isFunctionDeclaration(fn)) return like(f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body as ts.Block), fn);
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, body), fn);
  return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body as ts.Block), fn);
}

