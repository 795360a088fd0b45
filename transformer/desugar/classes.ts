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

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, copiedName, isNewLocal, like, newLocal, runtimeCall, runtimeCallName, skipParens, typed, userText, visitChildren } from "./synth.js";
import { DESUGAR } from "./index.js";
import { tsgradFunction } from "../recognise.js";
import { forEachNode, someNode } from "../walk.js";
import { isRecursive } from "../inline.js";
import { isRecordType, recordFields } from "./value-types.js";
import { dataAlias, dataColumn, dataCopy, dataPush, isDataType } from "./data-columns.js";
import { type Leaf, leafKey, recordLeaves } from "./record-columns.js";
import { isFunctionRecordType } from "./function-fields.js";
import { mergedWhole } from "./object-spread.js";
import { isFunctionArrayType, opaqueFunctionArray, UNROLLED, unrollFunctionLoop, unrollFunctions } from "./function-arrays.js";

/** What a name or an expression stands for while a function is inlined. */
export type Value =
  /** An expression of the subset (a number, an array, a constant object). */
  | { readonly kind: "expr"; readonly node: ts.Expression }
  /** A class instance (or structured parameter) as its fields; `exact` when its class is known (made by `new`). */
  | {
      readonly kind: "struct";
      readonly type: ts.Type;
      readonly fields: ReadonlyMap<string, Value>;
      readonly exact: boolean;
      /** The parameter of the differentiated function it is, read field by field where it is used. */
      readonly param?: ts.Identifier;
      /** The local or parameter it is kept in, for naming what its getters compute (`s_length`). */
      readonly name?: string;
      /** For a record or tuple: the expression it is read from (a parameter, a constant, a literal), used where the whole value is passed on. */
      readonly source?: ts.Expression;
      /** An element of an array kept as columns (`particles_x[k]`, ...): read and written in place, never copied. */
      readonly element?: boolean;
    }
  /** A function the compiler can see, or a Math function, named by `ref` at the site it came from. */
  | {
      readonly kind: "fn";
      readonly decl: FunctionLike | undefined;
      readonly ref: ts.Expression;
      readonly frame?: Frame;
      /** `robust ? cauchy : huber`: a call runs the one the test chooses, each inlined in its branch. */
      readonly choice?: { readonly test: ts.Expression; readonly then: Value & { kind: "fn" }; readonly otherwise: Value & { kind: "fn" } };
      /** What the names it reads were bound to where it was written: a closure a helper returns reads the helper's parameters after the helper's call. */
      readonly captured?: ReadonlyMap<Key, Value>;
    }
  /**
   * A local array of records of numbers, kept as one array per field (`trajectory_s`, `trajectory_i`), as RecordsType does for parameters;
   * a record field's numbers each have a column of their own, keyed by their path (`position.x`: `bodies_position_x`).
   */
  | { readonly kind: "columns"; readonly type: ts.Type; readonly element: ts.Type; readonly columns: ReadonlyMap<string, ts.Identifier> };

type Key = ts.Symbol | ts.Identifier;

/** An inlined body: what `this` is, and where its result goes. */
export interface Frame {
  readonly self: Value | undefined;
  /** Locals are renamed (the body is copied into another function); false for the differentiated function itself. */
  readonly rename: boolean;
  /** Where `return` stores its value in a body with statements. */
  result?: Value;
  /** The body's value is not kept (a void method, or a call made as a statement): a return only ends it. */
  discards?: boolean;
}

/** A place for statements an expression needs before it; undefined where none may go (a loop test, a ?: branch). */
export type Sink = ts.Statement[] | undefined;

export function desugarClasses(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!mentionsClassesOrFunctions(fn, ctx) && !mentionsRecords(fn, ctx) && !indexesTuple(fn, ctx.checker)) return fn;
  const inliner = new Inliner(fn, ctx);
  const out = inliner.run();
  if (process.env.DEBUG_CLASSES) console.log(ts.createPrinter().printNode(ts.EmitHint.Unspecified, out, fn.getSourceFile()));
  return out;
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
    else if (ts.isCallExpression(n) && !tsgradFunction(n, checker) && n.arguments.some((a) => isFunctionArgument(a, checker))) found = true;
    else if (ts.isCallExpression(n) && defaultsAFunction(n, ctx)) found = true;
    else if (ts.isObjectLiteralExpression(n) && isFunctionRecordType(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isArrayLiteralExpression(n) && isFunctionArrayType(checker, checker.getTypeAtLocation(n))) found = true;
    else if (ts.isForOfStatement(n) && isFunctionArrayType(checker, checker.getTypeAtLocation(n.expression))) found = true;
    else if (ts.isCallExpression(n) && ts.isElementAccessExpression(n.expression) && isFunctionArrayType(checker, checker.getTypeAtLocation(n.expression.expression))) found = true;
    else if (ts.isCallExpression(n) && checker.getTypeAtLocation(n).getCallSignatures().length > 0 && !!ctx.resolveFunction(n.expression)?.body) found = true;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && isFunctionRecordType(checker, checker.getTypeAtLocation(n.expression.expression))) found = true;
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
 * Whether `call` calls a helper that destructures a record holding constants
 * (`limitPenalty({ angle, limit }: Joint)` of a `Joint` with a `name: string`,
 * an element of an array of such records): lowering inlines helpers whose
 * parameters are plain names, and such a record is no parameter a helper's own
 * adjoint takes, so this pass inlines it, its fields read from the argument.
 */
function isDataPatternHelper(call: ts.CallExpression, ctx: DesugarContext, fromParameter: (arg: ts.Expression) => boolean): boolean {
  const decl = ctx.resolveFunction(call.expression);
  if (!decl?.body) return false;
  return decl.parameters.some((p, i) => ts.isObjectBindingPattern(p.name) && holdsData(ctx.checker, ctx.checker.getTypeAtLocation(p)) && !!call.arguments[i] && fromParameter(call.arguments[i]!));
}

/**
 * Whether `e` reads a parameter of `fn` or an element or field of one
 * (`chain[i]`), directly or through the local it is bound to (`const j =
 * chain[i]` of a callback made a loop), not a constant from outside.
 */
function readsParameter(e: ts.Expression, fn: FunctionLike, checker: ts.TypeChecker, depth = 0): boolean {
  let root = skipParens(e);
  while (ts.isElementAccessExpression(root) || ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root)) root = skipParens(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const symbol = isNewLocal(root) ? undefined : checker.getSymbolAtLocation(root);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isParameter(decl) && decl.parent === ts.getOriginalNode(fn)) return true;
  if (depth > 4) return false;
  const name = root;
  return someNode(fn, (n) => ts.isVariableDeclaration(n) && !!n.initializer && ts.isIdentifier(n.name) &&
    (n.name === name || (!!symbol && !isNewLocal(n.name) && checker.getSymbolAtLocation(n.name) === symbol)) && readsParameter(n.initializer, fn, checker, depth + 1));
}

/** A plain record (no class) with a string or boolean field next to its others. */
function holdsData(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion() || checker.isArrayType(t) || checker.isTupleType(t) || classOf(checker, t)) return false;
  return checker.getPropertiesOfType(t).some((p) => isDataType(checker.getTypeOfSymbol(p)));
}

/** A tuple or record literal of data (`[x * 2, y]`, `{ x, y: 1 }`), without spread. */
function isLiteralRecord(a: ts.Expression, checker: ts.TypeChecker): boolean {
  a = skipParens(a);
  const literal = (ts.isArrayLiteralExpression(a) && !a.elements.some(ts.isSpreadElement)) || (ts.isObjectLiteralExpression(a) && !a.properties.some(ts.isSpreadAssignment));
  return literal && isRecordType(checker, checker.getTypeAtLocation(a));
}

/**
 * Whether `call` calls a helper returning an array that destructures its
 * parameters (`layerNorm(x, { gain, bias }: Params): number[]`): lowering
 * inlines array helpers with plain parameters itself; this pass inlines these.
 */
function isPatternArrayHelper(call: ts.CallExpression, ctx: DesugarContext): boolean {
  const decl = ctx.resolveFunction(call.expression);
  if (!decl || !decl.parameters.some((p) => !ts.isIdentifier(p.name))) return false;
  const t = ctx.checker.getTypeAtLocation(call);
  const name = t.getSymbol()?.name;
  return ctx.checker.isArrayType(t) || name === "Float64Array";
}

/** Whether `call` calls a helper of `fn`'s file, not recursive, whose record or tuple result is inlined as its fields. */
function isRecordHelper(call: ts.CallExpression, fn: FunctionLike, ctx: DesugarContext): boolean {
  if (tsgradFunction(call, ctx.checker)) return false;
  const decl = ctx.resolveFunction(call.expression);
  const file = (ts.getParseTreeNode(fn) ?? fn).getSourceFile();
  return !!decl?.body && decl.getSourceFile() === file && !isRecursive(decl, (c) => ctx.resolveFunction(c));
}

/** The element of an array of records of numbers (`Compartments[]`, `{ position: Vec2; mass: number }[]`), which a local keeps as columns. */
function recordArrayElement(checker: ts.TypeChecker, t: ts.Type): ts.Type | undefined {
  if (!checker.isArrayType(t)) return undefined;
  const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  if (!element) return undefined;
  if (recordFields(checker, element)) return recordLeaves(checker, element) ? element : undefined;
  if (!classOf(checker, element) || hasPrivateFields(checker, element)) return undefined;
  // An instance's boolean and string fields are data (`pinned`, `label`): a column of them, read as written.
  const fields = instanceFields(checker, element);
  return fields.some(([, x]) => !!(x.flags & ts.TypeFlags.NumberLike)) && fields.every(([, x]) => !!(x.flags & ts.TypeFlags.NumberLike) || isDataType(x)) ? element : undefined;
}

/** `T[]`, built by the checker (an internal it has long had, not in its declared API). */
function arrayOf(checker: ts.TypeChecker, element: ts.Type): ts.Type | undefined {
  const make = (checker as ts.TypeChecker & { createArrayType?: (t: ts.Type) => ts.Type }).createArrayType;
  return make?.call(checker, element);
}

/** The stored fields of a class instance type (not its methods and getters). */
function instanceFields(checker: ts.TypeChecker, t: ts.Type): [string, ts.Type][] {
  const out: [string, ts.Type][] = [];
  for (const prop of checker.getPropertiesOfType(t)) {
    const decl = prop.valueDeclaration;
    if (prop.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor) || !decl || ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) continue;
    out.push([prop.name, checker.getTypeOfSymbol(prop)]);
  }
  return out;
}

function isRecordArrayType(checker: ts.TypeChecker, t: ts.Type): boolean {
  return recordArrayElement(checker, t) !== undefined;
}

/** The columns of an array of `element` (recordArrayElement's): a record's number leaves, or an instance's fields. */
function columnLeaves(checker: ts.TypeChecker, element: ts.Type): Leaf[] {
  return recordLeaves(checker, element) ?? instanceFields(checker, element).map(([name, type]) => ({ path: [name], type }));
}

/** A read with no effect and no call: a name, a field or an element of one (`vertices[(i + 1) % n]`). */
function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return !e.questionDotToken && isPlainRead(e.expression);
  if (ts.isElementAccessExpression(e)) return !e.questionDotToken && isPlainRead(e.expression) && !someNode(e.argumentExpression, (x) => ts.isCallExpression(x) || ts.isNewExpression(x) || (ts.isBinaryExpression(x) && isAssignment(x.operatorToken.kind)) || ts.isPrefixUnaryExpression(x) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken) || ts.isPostfixUnaryExpression(x));
  return false;
}

function isFunctionArgument(a: ts.Expression, checker: ts.TypeChecker): boolean {
  // Arithmetic and literals are never functions: no need to ask the checker (slow deep in a long expression).
  if (isNeverFunction(a)) return false;
  const t = checker.getTypeAtLocation(a);
  return ts.isArrowFunction(a) || ts.isFunctionExpression(a) || t.getCallSignatures().length > 0 || isFunctionArrayType(checker, t);
}

/**
 * Whether `call` leaves a function parameter of a helper of the program to its
 * default (`predict(net, x)` of `predict(net, x, act: Act = softplus)`): the
 * helper is then given that function, and is specialised to it as to one passed.
 */
function defaultsAFunction(call: ts.CallExpression, ctx: DesugarContext): boolean {
  if (tsgradFunction(call, ctx.checker)) return false;
  const decl = ctx.resolveFunction(call.expression);
  if (!decl?.body) return false;
  return decl.parameters.some((p, i) => {
    if (!p.initializer || p.dotDotDotToken) return false;
    const arg = call.arguments[i];
    const omitted = !arg || ts.isVoidExpression(skipParens(arg));
    return omitted && isFunctionArgument(p.initializer, ctx.checker);
  });
}

/** An argument whose syntax alone says it is no function: a literal, or an arithmetic, comparison or unary operation. */
function isNeverFunction(a: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(a)) a = a.expression;
  if (ts.isLiteralExpression(a) || ts.isPrefixUnaryExpression(a) || ts.isPostfixUnaryExpression(a) || ts.isTemplateExpression(a)) return true;
  if (!ts.isBinaryExpression(a)) return false;
  const op = a.operatorToken.kind;
  // `a && f`, `a ?? f`, `a || f`, `(x, f)` and assignments may give a function.
  return !(op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken ||
    op === ts.SyntaxKind.CommaToken || (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment));
}

/** The user class declaration of an instance type, if `t` is one. */
function classOf(checker: ts.TypeChecker, t: ts.Type): ts.ClassLikeDeclaration | undefined {
  if (!(t.flags & ts.TypeFlags.Object)) return undefined;
  const decl = t.getSymbol()?.declarations?.find(ts.isClassLike);
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  // The instance type, not the class's constructor (`typeof Vec3`).
  if (t.getConstructSignatures().length > 0) return undefined;
  return decl;
}

export class Inliner {
  readonly checker: ts.TypeChecker;
  readonly build: Build;
  readonly env = new Map<Key, Value>();
  /** The bodies being inlined: a call back into one is recursion. */
  private readonly stack: ts.Node[] = [];
  /** Counters of the loops around the statement being rewritten that their bodies never assign: fixed within an iteration. */
  private readonly counters = new Set<Key>();

  constructor(
    private readonly fn: FunctionLike,
    private readonly ctx: DesugarContext,
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

  private isNumber(t: ts.Type): boolean {
    return !!(t.flags & ts.TypeFlags.NumberLike) || (t.isUnion() && t.types.every((x) => !!(x.flags & ts.TypeFlags.NumberLike)));
  }

  // ---- statements -----------------------------------------------------------

  private statements(list: readonly ts.Statement[], frame: Frame): ts.Statement[] {
    const out: ts.Statement[] = [];
    for (const s of frame.rename ? tailReturns(list) : list) this.statement(s, frame, out);
    return out;
  }

  blockOf(s: ts.Statement, frame: Frame): ts.Statement {
    const body = ts.isBlock(s) ? s.statements : [s];
    return like(ts.factory.createBlock(this.statements(body, frame), true), s);
  }

  private statement(s: ts.Statement, frame: Frame, out: ts.Statement[]): void {
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
        return;
      }
      if (!s.expression || !frame.result) fail(Code.NotScalar, s, "this return gives no value; return a value on every path of the method.");
      return void this.store(frame.result, this.value(s.expression, frame, out), s, out);
    }
    if (ts.isIfStatement(s)) {
      const test = this.expr(s.expression, frame, out);
      const then = this.blockOf(s.thenStatement, frame);
      const otherwise = s.elseStatement && this.blockOf(s.elseStatement, frame);
      return void out.push(like(f.updateIfStatement(s, test, then, otherwise), s));
    }
    if (ts.isBlock(s)) return void out.push(this.blockOf(s, frame));
    if (ts.isForStatement(s)) {
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
      const element = recordArrayElement(this.checker, type);
      if (init && out && element) {
        // An array of records made here (`[state]`) or by an inlined helper: one array per field.
        const made = ts.isArrayLiteralExpression(init) && !init.elements.some(ts.isSpreadElement)
          ? this.columnsOf(d.name.text, type, element, init.elements, frame, out, d, !isConst)
          : this.spreadCopy(d.name.text, type, element, init, frame, out, d, !isConst);
        const named = ts.isIdentifier(init) ? this.value(init, frame, out) : undefined;
        const value = made ?? (ts.isCallExpression(init) ? this.value(init, frame, out) : named?.kind === "columns" ? named : undefined);
        if (value?.kind === "columns") {
          // A let reassigned later (`level = next`) gets columns of its own to reassign; `const tmp = a`
          // (a buffer swap) holds a's columns as they are now, not a's names, which the swap reassigns.
          const own = made || (isConst && !named) ? value : this.ownColumns(d.name.text, value, isConst ? ts.NodeFlags.Const : ts.NodeFlags.Let, d, out);
          if (key) this.env.set(key, own);
          continue;
        }
        if (!isConst && named?.kind === "expr" && isPlainRead(named.node)) {
          // `let level = control` of a parameter or constant, reassigned later: its fields copied into columns.
          if (key) this.env.set(key, this.copyColumns(d.name.text, type, element, named.node, d, out));
          continue;
        }
        if (value) {
          kept.push(like(f.updateVariableDeclaration(d, frame.rename ? newLocal(d.name.text, type, d.name) : d.name, d.exclamationToken, d.type, this.asExpr(value, init)), d));
          continue;
        }
      }
      if (!init && out && !isConst && isRecordType(this.checker, type)) {
        // `let next: State;` assigned in each branch of an if (desugar/branches.ts): one unset local per field.
        if (key) this.env.set(key, this.unsetFields(d.name.text, type, d, out));
        continue;
      }
      if (init && out && isRecordType(this.checker, type) && (!isConst || !isPlainRead(init) || isNewLocal(d.name))) {
        const value = this.value(init, frame, out);
        // `const nx_ny = vertices[k]` that destructuring made, read by the declarations right after it: its fields are read where they are.
        if (isConst && isNewLocal(d.name) && value.kind === "expr" && isPlainRead(value.node)) {
          if (key) this.env.set(key, this.view(value.node, type));
          continue;
        }
        const struct = this.structOf(value, type);
        if (struct) {
          const fields = this.fieldLocals(d.name.text, struct, !isConst || (!!key && this.fieldsWritten(key)), d, out);
          if (key) this.env.set(key, fields);
          continue;
        }
      }
      if (classOf(this.checker, type)) {
        if (!init) fail(Code.Unsupported, d, `give '${d.name.text}' its value where it is declared, so tsgrad can keep its fields in locals.`);
        if (!out) fail(Code.Unsupported, d, `declare the instance '${d.name.text}' before the loop, not in its head.`);
        const element = this.elementOf(init, d.name.text, frame, out);
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
            if (key) this.env.set(key, this.instanceView(value.node, type));
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
        if (element && key && this.fieldsWritten(key)) {
          fail(Code.Unsupported, d, `'${d.name.text}' names an element of '${userText((init as ts.ElementAccessExpression).expression)}' and is reassigned, so tsgrad cannot tell which element its writes change; declare a const for each element you change (const p = ${userText(init)}).`);
        }
        const fields = this.fieldLocals(d.name.text, value, !isConst, d, out);
        if (key) this.env.set(key, fields);
        continue;
      }
      const value = init && this.value(init, frame, out);
      if (value && value.kind === "struct" && out) {
        // A tuple an inlined method returned (`const [u, v] = camera.project(p)`): one local per element.
        const fields = this.fieldLocals(d.name.text, value, !isConst, d, out);
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

  /** A record declared without a value: a `let` per field, each given its value where the record is assigned. */
  private unsetFields(name: string, type: ts.Type, from: ts.Node, out: ts.Statement[]): Value & { kind: "struct" } {
    const fields = new Map<string, Value>();
    for (const [field, fieldType] of recordFields(this.checker, type) ?? []) {
      if (isRecordType(this.checker, fieldType)) {
        fields.set(field, this.unsetFields(`${name}_${field}`, fieldType, from, out));
        continue;
      }
      const id = newLocal(`${name}_${field}`, fieldType, from);
      out.push(this.build.declare(id, undefined, ts.NodeFlags.Let, from));
      fields.set(field, { kind: "expr", node: id });
    }
    return { kind: "struct", type, fields, exact: true, name };
  }

  /**
   * An instance kept in locals named after it (`n_x`, `n_y`): the fields of
   * `value`, each in a local of its own (a nested instance, recursively).
   * A `const` of a class whose fields are never written keeps const locals.
   */
  private fieldLocals(name: string, value: Value & { kind: "struct" }, mutable: boolean, from: ts.Node, out: ts.Statement[]): Value & { kind: "struct" } {
    const fields = new Map<string, Value>();
    const cls = classOf(this.checker, value.type);
    for (const [field, v] of value.fields) {
      if (v.kind === "struct") {
        fields.set(field, this.fieldLocals(`${name}_${field}`, v, mutable, from, out));
        continue;
      }
      if (v.kind === "fn" || v.kind === "columns") {
        fields.set(field, v);
        continue;
      }
      const type = this.checker.getTypeAtLocation(v.node);
      const declared = cls && this.checker.getPropertyOfType(value.type, field);
      // Assigned where the value is reassigned (`p = p.derivative()`), or the class's field is not readonly.
      const writable = mutable || (!!cls && !isReadonly(cls, field));
      if (writable && isRecordType(this.checker, type) && isPlainRead(v.node)) {
        // A record field given a parameter's record (`new Box(range)`), then reassigned: its fields copied into locals.
        fields.set(field, this.fieldLocals(`${name}_${field}`, this.view(v.node, type), mutable, from, out));
        continue;
      }
      if (cls && declared && isDataType(this.checker.getTypeOfSymbol(declared))) {
        // A boolean or string field (`pinned`) is data: a local of its declared type, as a number field has.
        const fieldType = this.checker.getTypeOfSymbol(declared);
        const id = newLocal(`${name}_${field}`, fieldType, from);
        const writable = mutable || !isReadonly(cls, field);
        if (!writable) stable.add(id);
        // A string is passive data to lowering (a boolean is a value it has).
        const init = isNumberOrBoolean(fieldType) ? v.node : dataAlias(v.node, fieldType, from);
        out.push(this.build.declare(id, init, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
        fields.set(field, { kind: "expr", node: id });
        continue;
      }
      if (!this.isNumber(type) && isConstantRead(v.node) && !(writable && this.isArray(type))) {
        // An array or other constant the instance holds is read where it is used.
        fields.set(field, v);
        continue;
      }
      if (!this.isNumber(type) && this.isArray(type)) {
        // An array field of a record or instance is the array itself, named after the field.
        const id = newLocal(`${name}_${field}`, type, from);
        out.push(this.build.declare(id, v.node, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
        fields.set(field, { kind: "expr", node: id });
        continue;
      }
      if (!mutable && !cls && this.isNumber(type) && this.isFixed(v.node)) {
        // A const record made of values already in consts (what an inlined helper returned, a literal argument
        // `norm([u, v])` of parameters never reassigned) names them: no copies.
        fields.set(field, v);
        continue;
      }
      if (!this.isNumber(type)) {
        const shown = this.checker.typeToString(declared ? this.checker.getTypeOfSymbol(declared) : type);
        fail(Code.UnsupportedType, from, `field '${field}' of '${name}' has type '${shown}', which tsgrad cannot keep in a local: an instance's fields may be numbers, arrays of numbers (number[], Float64Array), booleans, strings, and instances or records of these; make '${field}' one of these, or read it from a constant outside the function.`);
      }
      const id = newLocal(`${name}_${field}`, this.checker.getNumberType(), from);
      if (!writable) stable.add(id);
      out.push(this.build.declare(id, v.node, writable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
      fields.set(field, { kind: "expr", node: id });
    }
    return { kind: "struct", type: value.type, fields, exact: value.exact, name };
  }

  /** Whether `e` is a value no later statement changes: a literal, a const this pass made, or a const or never-assigned parameter of the function. */
  private isFixed(e: ts.Expression): boolean {
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

  private isArray(t: ts.Type): boolean {
    const name = t.getSymbol()?.name;
    return this.checker.isArrayType(t) || name === "Float64Array" || name === "Float32Array";
  }

  /** A record or tuple value as its fields: itself, or `e.x`, `e[0]` of an expression `e` of that type. */
  private structOf(v: Value, type: ts.Type): (Value & { kind: "struct" }) | undefined {
    if (v.kind === "struct") return v;
    // Only a read is viewed field by field: another expression (a call) would run once per field.
    if (v.kind === "expr" && isRecordType(this.checker, type) && isPlainRead(v.node)) return this.view(v.node, type);
    return undefined;
  }

  /** The fields of the record or tuple `e` reads, each read from it where it is used (`e.x`, `e[0]`). */
  private view(e: ts.Expression, type: ts.Type): Value & { kind: "struct" } {
    const fields = new Map<string, Value>();
    const tuple = this.checker.isTupleType(type);
    for (const [name, fieldType] of recordFields(this.checker, type) ?? []) {
      const read = tuple ? this.build.element(e, Number(name), fieldType, e) : this.build.property(e, name, fieldType, e);
      fields.set(name, isRecordType(this.checker, fieldType) ? this.view(read, fieldType) : { kind: "expr", node: read });
    }
    return { kind: "struct", type, fields, exact: true, source: e };
  }

  /** What the user wrote for a local's value: the head of the for...of whose element instance-loops.ts declared it from, else the value. */
  private shownInit(name: ts.Identifier, init: ts.Expression): string {
    const loop = ts.getParseTreeNode(init);
    if (!loop || !ts.isForOfStatement(loop)) return userText(init);
    const kind = ts.isVariableDeclarationList(loop.initializer) && loop.initializer.flags & ts.NodeFlags.Let ? "let" : "const";
    return `for (${kind} ${name.text} of ${userText(loop.expression)})`;
  }

  /** The fields of the instance `e` reads (an element of a parameter or constant array), each read from it where it is used (`e.x`). */
  private instanceView(e: ts.Expression, type: ts.Type, outer: readonly ts.Type[] = []): Value & { kind: "struct" } {
    const fields = new Map<string, Value>();
    for (const [name, fieldType] of this.dataFields(type, e)) {
      const read = this.build.property(e, name, fieldType, e);
      // A field of a class that holds itself (`next: Node`) is read as a value: viewing it would never end.
      const nested = classOf(this.checker, fieldType) && fieldType !== type && !outer.includes(fieldType);
      fields.set(name, nested ? this.instanceView(read, fieldType, [...outer, type]) : isRecordType(this.checker, fieldType) ? this.view(read, fieldType) : { kind: "expr", node: read });
    }
    // Its class is the array's element type: a subclass's instance may be there (refuseOverride asks).
    return { kind: "struct", type, fields, exact: false, source: e };
  }

  /** Whether the function writes a field of the local `key` (`p.x += 1`): its field locals are then let. */
  private fieldsWritten(key: Key): boolean {
    const user = ts.getParseTreeNode(this.fn) ?? this.fn;
    return someNode(user, (n) => {
      if (!ts.isBinaryExpression(n) || !isAssignment(n.operatorToken.kind)) return false;
      let target = skipParens(n.left);
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = skipParens(target.expression);
      return target !== skipParens(n.left) && ts.isIdentifier(target) && this.key(target) === key;
    });
  }

  /** `target = value`, field by field for an instance (through temporaries when a new field reads an old one). */
  private store(target: Value, value: Value, from: ts.Node, out: ts.Statement[]): void {
    if (target.kind === "columns") return this.storeColumns(target, value, from, out);
    if (target.kind === "expr") {
      if (!ts.isIdentifier(target.node)) fail(Code.Unsupported, from, "only locals can be assigned here; assign to a let declared in the function.");
      out.push(this.build.assign(target.node, this.asExpr(value, from), from));
      return;
    }
    if (target.kind === "struct" && value.kind === "expr") value = this.structOf(value, target.type) ?? value;
    if (target.kind !== "struct" || value.kind !== "struct") fail(Code.Unsupported, from, `tsgrad cannot assign '${userText(from)}' field by field; assign an instance made with new or a method.`);
    const pairs: [ts.Identifier, ts.Expression][] = [];
    const collect = (t: Value, v: Value): void => {
      // A field read whole (`cov: filtered.cov`) is assigned field by field from where it is read.
      if (t.kind === "struct" && v.kind === "expr") v = this.structOf(v, t.type) ?? v;
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
      const tmp = newLocal(`${t.text}_next`, this.checker.getNumberType(), from);
      out.push(this.build.declare(tmp, v, ts.NodeFlags.Const, from));
      return [t, tmp];
    });
    for (const [t, v] of staged) if (t !== v) out.push(this.build.assign(t, v, from));
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
          ? this.columnsOf(userText(left).replace(/\W+/g, "_") + "_next", target.type, target.element, right.elements, frame, out, e)
          : undefined;
        return this.store(target, made ?? this.value(e.right, frame, out), e, out);
      }
      if (target && target.kind === "struct") {
        if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) fail(Code.Unsupported, e, "compound assignment to an instance is not supported; assign a new instance.");
        return this.store(target, this.value(e.right, frame, out), s, out);
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
    if (ts.isPropertyAccessExpression(left) && !ts.isPrivateIdentifier(left.name)) {
      const object = skipParens(left.expression);
      if (object.kind !== ts.SyntaxKind.ThisKeyword && !this.holdsInstance(object)) return undefined;
      const owner = this.value(object, frame, out);
      if (owner.kind !== "struct") return undefined;
      const field = owner.fields.get(left.name.text);
      if (!field) fail(Code.Unsupported, left, `'${userText(left)}' is not a field tsgrad keeps in a local; write fields declared in the class.`);
      if (owner.param) fail(Code.ParamMutation, left, `assigning into parameter '${owner.param.text}' mutates the caller's value; copy it into a local instance first (new ...).`);
      if (owner.element && isDataType(this.typeOf(left))) {
        // Its column is data the backward sweep reads as it is at the end (a branch on it is not recorded).
        fail(Code.Unsupported, left, `'${userText(left.parent)}' changes the ${this.checker.typeToString(this.typeOf(left))} field '${left.name.text}' of an element of an array, which tsgrad keeps as data, set when the element is made; set it in the constructor, or keep what changes in a number field (1 or 0).`);
      }
      return field;
    }
    return undefined;
  }

  /** Whether `e` is a name for an instance this pass keeps in locals (or `this` of one). */
  private holdsInstance(e: ts.Expression): boolean {
    if (ts.isIdentifier(e)) {
      const key = this.key(e);
      return !!key && this.env.get(key)?.kind === "struct";
    }
    return ts.isPropertyAccessExpression(e) && this.holdsInstance(skipParens(e.expression));
  }

  // ---- expressions ----------------------------------------------------------

  /** `e` as an expression of the subset (an instance here is refused). */
  private expr(e: ts.Expression, frame: Frame, out: Sink): ts.Expression {
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
    if (isRecordType(this.checker, v.type)) return this.literal(v, at);
    if (isFunctionRecordType(this.checker, v.type)) {
      const fn = [...v.fields].find(([, x]) => x.kind === "fn")?.[0] ?? "";
      return fail(Code.UnknownFunction, at, `'${userText(at)}' holds a function ('${fn}'), which tsgrad resolves where it is called; call its fields here (${userText(at)}.${fn}(...)), or pass it to a function of this file, which is specialised to it.`);
    }
    if (classOf(this.checker, v.type) && isArrayElement(at)) {
      // `[new Bag(xs, 1), ...]`: an array of instances is kept as one array per field, which a field of arrays cannot be.
      const [field, type] = instanceFields(this.checker, v.type).find(([, t]) => !this.isNumber(t) && !isDataType(t)) ?? [];
      if (field && type) {
        fail(Code.UnsupportedType, at, `'${userText(at)}' goes into an array of ${this.checker.typeToString(v.type)} instances, which tsgrad keeps as one array per field, and their field '${field}' has type '${this.checker.typeToString(type)}'; keep each instance in a local of its own, or keep '${field}' of every instance in an array of rows (number[][]) beside an array of instances of numbers.`);
      }
    }
    return fail(Code.UnsupportedType, at, `'${userText(at)}' is an instance of ${this.className(v.type)}, which tsgrad keeps as its fields; use its fields or methods here, or pass it to a function of your program.`);
  }

  /** A record or tuple kept as its fields, written out as a literal where the whole value is needed (`return [re, im]`). */
  private literal(v: Value & { kind: "struct" }, at: ts.Node): ts.Expression {
    const f = ts.factory;
    if (this.checker.isTupleType(v.type)) {
      return typed(f.createArrayLiteralExpression([...v.fields.values()].map((x) => this.asExpr(x, at))), v.type, at);
    }
    const props = [...v.fields].map(([name, x]) => f.createPropertyAssignment(name, this.asExpr(x, at)));
    return typed(f.createObjectLiteralExpression(props, false), v.type, at);
  }

  private className(t: ts.Type): string {
    return `class ${this.checker.typeToString(t)}`;
  }

  value(e: ts.Expression, frame: Frame, out: Sink): Value {
    const f = ts.factory;
    if (ts.isParenthesizedExpression(e)) {
      const inner = this.value(e.expression, frame, out);
      return inner.kind === "expr" && inner.node !== e.expression ? { kind: "expr", node: this.retyped(f.updateParenthesizedExpression(e, inner.node), e) } : inner.kind === "expr" ? { kind: "expr", node: e } : inner;
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      if (!frame.self) fail(Code.Unsupported, e, "'this' here is not an instance tsgrad can see; use 'this' inside the methods and getters of a class.");
      return frame.self;
    }
    if (ts.isIdentifier(e)) return this.identifier(e, frame);
    if (ts.isNewExpression(e)) return this.construct(e, frame, out);
    if (ts.isCallExpression(e)) return this.call(e, frame, out, false) ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing, so its value cannot be used; call it as a statement, or return a value from it.`);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Math" && this.typeOf(e).getCallSignatures().length > 0) {
      const decl = this.checker.getSymbolAtLocation(e.expression)?.declarations?.[0];
      if (decl && this.ctx.isLibDeclaration(decl)) return { kind: "fn", decl: undefined, ref: e };
    }
    if (ts.isPropertyAccessExpression(e) && !ts.isPrivateIdentifier(e.name)) {
      const member = this.member(e, frame, out);
      if (member) return member;
    }
    if (ts.isObjectLiteralExpression(e) && (isRecordType(this.checker, this.typeOf(e)) || isFunctionRecordType(this.checker, this.typeOf(e))) && e.properties.every((p) => ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))))) {
      // A record written out (`{ x: a.x + b.x, y }`, `{ ...state, s: next }`): its fields, as the fields of a value.
      const fields = new Map<string, Value>();
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p)) {
          const part = this.value(p.expression, frame, out);
          const struct = this.structOf(part, this.typeOf(p.expression));
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
    if (ts.isElementAccessExpression(e) && !ts.isNumericLiteral(skipParens(e.argumentExpression)) && ts.isIdentifier(skipParens(e.expression))) {
      const object = this.value(e.expression, frame, out);
      if (object.kind === "columns") return this.row(object, this.expr(e.argumentExpression, frame, out), e);
    }
    if (ts.isElementAccessExpression(e) && !ts.isNumericLiteral(skipParens(e.argumentExpression)) && isPlainRead(e.expression) && !assignTargets.has(e)) {
      const elements = this.tupleElements(this.value(e.expression, frame, out), e.expression);
      if (elements) {
        const picked = this.pick(elements, this.expr(e.argumentExpression, frame, out), e, out);
        if (picked) return picked;
      }
    }
    if (ts.isElementAccessExpression(e) && ts.isNumericLiteral(skipParens(e.argumentExpression))) {
      const object = this.value(e.expression, frame, out);
      if (object.kind === "columns") return this.row(object, e.argumentExpression, e);
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
      if (then.kind === "struct" || otherwise.kind === "struct") return this.choose(test, then, otherwise, e);
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

  /** The elements of a tuple of numbers (`[number, number]`, a parameter, a constant or a local kept as fields), else undefined. */
  private tupleElements(object: Value, at: ts.Expression): ts.Expression[] | undefined {
    const type = object.kind === "struct" ? object.type : this.typeOf(at);
    if (!this.checker.isTupleType(type)) return undefined;
    const fields = recordFields(this.checker, type);
    if (!fields || !fields.every(([, t]) => this.isNumber(t))) return undefined;
    // A constant from outside the function (`LUMA[ch]`) is data, read at the index as it is.
    if (object.kind === "expr" && this.isOutsideConstant(object.node)) return undefined;
    const struct = object.kind === "struct" ? object : object.kind === "expr" && isPlainRead(object.node) ? this.view(object.node, type) : undefined;
    if (!struct) return undefined;
    const out: ts.Expression[] = [];
    for (const [name] of fields) {
      const v = struct.fields.get(name);
      if (v?.kind !== "expr") return undefined;
      out.push(v.node);
    }
    return out;
  }

  /** Whether `e` reads a name declared outside the differentiated function (a module or enclosing constant). */
  private isOutsideConstant(e: ts.Expression): boolean {
    let root = skipParens(e);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
    if (!ts.isIdentifier(root) || isNewLocal(root)) return false;
    const symbol = this.checker.getSymbolAtLocation(root);
    const decl = symbol?.valueDeclaration;
    return !!symbol && !!decl && ts.isVariableDeclaration(decl) && !this.declaredInside(symbol) && !!(decl.parent.flags & ts.NodeFlags.Const);
  }

  /**
   * `t[i]` of a tuple of numbers at an index known only at run time: the
   * element chosen by comparisons (`i === 0 ? t[0] : t[1]`), so its derivative
   * goes to the element read, as in JAX's indexing of a tuple by a traced value.
   * An index past the end reads the last element (TypeScript types it number).
   */
  private pick(elements: readonly ts.Expression[], index: ts.Expression, at: ts.ElementAccessExpression, out: Sink): Value | undefined {
    if (!isConstantRead(index)) {
      if (!out) return undefined;
      const id = newLocal("index", this.checker.getNumberType(), at.argumentExpression);
      stable.add(id);
      out.push(this.build.declare(id, index, ts.NodeFlags.Const, at));
      index = id;
    }
    const type = this.typeOf(at);
    let chosen = elements[elements.length - 1]!;
    for (let k = elements.length - 2; k >= 0; k--) {
      const test = this.build.test(index, ts.SyntaxKind.EqualsEqualsEqualsToken, this.build.number(k, at), at);
      chosen = this.build.cond(test, elements[k]!, chosen, type, at);
    }
    return { kind: "expr", node: chosen };
  }

  /**
   * `xs[i]` of an array of instances kept as columns, read into a local: the
   * element at an index that no later statement changes (`i` itself when it is
   * a const, else a const `p_index` holding it), or undefined for any other value.
   */
  private elementOf(init: ts.Expression, name: string, frame: Frame, out: ts.Statement[]): (Value & { kind: "struct" }) | undefined {
    const e = skipParens(init);
    if (!ts.isElementAccessExpression(e) || !ts.isIdentifier(skipParens(e.expression))) return undefined;
    const columns = this.value(e.expression, frame, out);
    if (columns.kind !== "columns") return undefined;
    let index = this.expr(e.argumentExpression, frame, out);
    const counter = ts.isIdentifier(index) ? this.key(index) : undefined;
    if (!this.isFixed(index) && !(counter && this.counters.has(counter))) {
      const id = newLocal(`${name}_index`, this.checker.getNumberType(), e.argumentExpression);
      stable.add(id);
      out.push(this.build.declare(id, index, ts.NodeFlags.Const, e));
      index = id;
    }
    const row = this.row(columns, index, e);
    return row.kind === "struct" ? row : undefined;
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

  /** `xs[k]` of an array kept as columns: the record whose fields are `xs_f[k]` (a record field's, `xs_position_x[k]`, a record again). */
  private row(columns: Value & { kind: "columns" }, index: ts.Expression, at: ts.ElementAccessExpression): Value {
    if (!isPlainRead(index) && !ts.isNumericLiteral(index) && !(ts.isBinaryExpression(index) && !someNode(index, (x) => ts.isCallExpression(x) || (ts.isBinaryExpression(x) && isAssignment(x.operatorToken.kind))))) {
      fail(Code.Unsupported, at, `tsgrad reads '${userText(at)}' field by field; index it with a local (const k = ...; ${userText(at.expression)}[k]).`);
    }
    const fields = (type: ts.Type, prefix: readonly string[]): Value & { kind: "struct" } => {
      const out = new Map<string, Value>();
      for (const [field, fieldType] of recordFields(this.checker, type) ?? instanceFields(this.checker, type)) {
        const path = [...prefix, field];
        const column = columns.columns.get(leafKey(path));
        out.set(field, column ? { kind: "expr", node: this.build.element(column, index, fieldType, at) } : fields(fieldType, path));
      }
      return { kind: "struct", type, fields: out, exact: true, element: true };
    };
    return fields(columns.element, []);
  }

  /** The number at `path` of a record value (`item.position.x`), each record on the way seen as its fields; undefined where one cannot be. */
  private leafOf(item: Value, type: ts.Type, path: readonly string[]): Value | undefined {
    let v: Value | undefined = item;
    for (const field of path) {
      const struct: (Value & { kind: "struct" }) | undefined = v && this.structOf(v, type);
      v = struct?.fields.get(field);
      const symbol = this.checker.getPropertyOfType(type, field);
      if (!symbol) return undefined;
      type = this.checker.getTypeOfSymbol(symbol);
    }
    return v;
  }

  /** `{ x }`: the value of the local `x` (the name's own symbol is the property's). */
  private shorthand(p: ts.ShorthandPropertyAssignment, frame: Frame): Value {
    const symbol = this.checker.getShorthandAssignmentValueSymbol(p);
    const bound = symbol && this.env.get(symbol);
    if (bound) return bound;
    if (frame.rename && symbol && !this.declaredInside(symbol)) copiedName(p.name);
    // The declaration's own name resolves to the local (the shorthand's name resolves to the property).
    const name = symbol?.valueDeclaration && ts.getNameOfDeclaration(symbol.valueDeclaration);
    if (name && ts.isIdentifier(name)) return this.identifier(name, frame);
    return fail(Code.Unsupported, p, `write the field as '${p.name.text}: ${p.name.text}' here.`);
  }

  /** `c ? a : b` of instances: an instance whose every field is chosen by `c`. */
  private choose(test: ts.Expression, a: Value, b: Value, at: ts.ConditionalExpression): Value {
    if (a.kind === "struct" && b.kind === "struct") {
      const fields = new Map<string, Value>();
      for (const [field, av] of a.fields) fields.set(field, this.choose(test, av, b.fields.get(field) ?? fail(Code.Unsupported, at, `the branches of '${userText(at)}' are instances of different classes; choose between instances of one class.`), at));
      return { kind: "struct", type: this.typeOf(at), fields, exact: a.exact && b.exact };
    }
    const then = this.asExpr(a, at.whenTrue);
    const otherwise = this.asExpr(b, at.whenFalse);
    return { kind: "expr", node: this.build.cond(test, then, otherwise, this.checker.getTypeAtLocation(then), at) };
  }

  /** Every child of `e` rewritten (names bound here replaced by their values), `e` itself when nothing changed. */
  private rewriteChildren<T extends ts.Node>(e: T, frame: Frame, out: Sink): T {
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
  private retyped<T extends ts.Expression>(updated: T, e: ts.Expression): T {
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
      return this.parameterStruct(id, type);
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
  private declaredInside(symbol: ts.Symbol): boolean {
    const original = ts.getOriginalNode(this.fn);
    for (let n: ts.Node | undefined = symbol.declarations?.[0]; n; n = n.parent) if (n === original) return true;
    return false;
  }

  /** A structured parameter `p` as its fields `p.x`, `p.y` (lowering reads each into a local once). */
  private parameterStruct(id: ts.Identifier, type: ts.Type): Value & { kind: "struct" } {
    const fields = new Map<string, Value>();
    for (const [name, fieldType] of this.dataFields(type, id)) {
      fields.set(name, { kind: "expr", node: this.build.property(id, name, fieldType, id) });
    }
    return { kind: "struct", type, fields, exact: false, param: id, name: id.text };
  }

  /** The stored fields of an instance type, in declaration order. */
  private dataFields(type: ts.Type, at: ts.Node): [string, ts.Type][] {
    const record = recordFields(this.checker, type);
    if (record) return record.map(([k, t]) => [k, t]);
    const out: [string, ts.Type][] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      if (prop.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) continue;
      const decl = prop.valueDeclaration;
      if (decl && (ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl))) continue;
      out.push([prop.name, this.checker.getTypeOfSymbolAtLocation(prop, at)]);
    }
    return out;
  }

  /** `o.f` of an instance: its field, or its getter inlined; undefined when `o` is no instance tsgrad keeps. */
  private member(e: ts.PropertyAccessExpression, frame: Frame, out: Sink): Value | undefined {
    const objectNode = skipParens(e.expression);
    const name = e.name.text;
    const receiverType = this.typeOf(objectNode);
    const cls = classOf(this.checker, receiverType);
    const isThis = objectNode.kind === ts.SyntaxKind.ThisKeyword;
    if (name === "length" && this.checker.isTupleType(receiverType) && !assignTargets.has(e)) {
      // A tuple's length is its type's (the loop a reduce over it runs is then one of known length).
      const fields = recordFields(this.checker, receiverType);
      if (fields) return { kind: "expr", node: this.build.number(fields.length, e) };
    }
    if (!cls && !isThis && !this.holdsInstance(objectNode)) {
      // Static members (`Vec3.ORIGIN`) and fields of constants are constants.
      const object = this.value(objectNode, frame, out);
      if (object.kind === "struct") return this.fieldOf(object, e, frame, out);
      if (object.kind === "columns") return this.columnsMember(object, e);
      const node = this.asExpr(object, objectNode);
      return { kind: "expr", node: node === e.expression ? e : this.retyped(ts.factory.updatePropertyAccessExpression(e, node, e.name), e) };
    }
    const object = this.value(objectNode, frame, out);
    if (object.kind === "columns") return this.columnsMember(object, e);
    if (object.kind !== "struct") {
      // A constant instance (a module-level const): its fields and getters are read as they are, at run time.
      const node = this.asExpr(object, objectNode);
      return { kind: "expr", node: node === e.expression ? e : this.retyped(ts.factory.updatePropertyAccessExpression(e, node, e.name), e) };
    }
    if (object.param === objectNode && object.fields.has(name)) return { kind: "expr", node: e };
    return this.fieldOf(object, e, frame, out);
  }

  /** Whether the column `key` of the records or instances of an array kept as columns holds data (a boolean, a string), not a number. */
  private isDataField(element: ts.Type, key: string): boolean {
    // A record's columns are its numbers, an instance's its fields (numbers or data).
    if (recordFields(this.checker, element)) return false;
    const symbol = this.checker.getPropertyOfType(element, key);
    return !!symbol && isDataType(this.checker.getTypeOfSymbol(symbol));
  }

  /** `xs.length` of an array kept as columns: its first column's. */
  private columnsMember(columns: Value & { kind: "columns" }, e: ts.PropertyAccessExpression): Value {
    const first = [...columns.columns.values()][0]!;
    if (e.name.text === "length") return { kind: "expr", node: this.build.length(first, e) };
    return fail(Code.Unsupported, e, `tsgrad keeps '${userText(e.expression)}' as one array per field; read its length and its elements (${userText(e.expression)}[i].field) here.`);
  }

  private fieldOf(object: Value & { kind: "struct" }, e: ts.PropertyAccessExpression, frame: Frame, out: Sink): Value {
    void frame;
    const name = e.name.text;
    const field = object.fields.get(name);
    if (object.element && field?.kind === "expr" && isElementRead(field.node)) {
      // A field of an element of an array of instances (`particles_x[k]`), read where the user read `p.x`.
      const read = skipParens(field.node) as ts.ElementAccessExpression;
      return { kind: "expr", node: this.build.element(read.expression, read.argumentExpression, this.typeOf(e), e) };
    }
    if (field) return field;
    if (name === "length" && this.checker.isTupleType(object.type)) return { kind: "expr", node: this.build.number(object.fields.size, e) };
    const symbol = this.checker.getPropertyOfType(object.type, name);
    const getter = symbol?.declarations?.find(ts.isGetAccessorDeclaration);
    if (getter) {
      if (!getter.body) fail(Code.OpaqueCall, e, `'${userText(e)}' is computed by a getter whose body tsgrad cannot see (declared in an interface or a .d.ts); type the value as the class that implements it.`);
      this.refuseOverride(getter, object, e, "getter");
      return this.inline(getter, object, [], e, out, object.name ? `${object.name}_${name}` : name) ?? fail(Code.Internal, e, "a getter gave no value; please report this with the class.");
    }
    if (symbol?.declarations?.some((d) => ts.isSetAccessorDeclaration(d))) {
      fail(Code.Unsupported, e, `'${name}' has a setter but no getter, so reading it gives undefined; read a field or add a getter.`);
    }
    if (symbol && symbol.flags & ts.SymbolFlags.Method) {
      fail(Code.Unsupported, e, `the method '${userText(e)}' is used as a value; call it here (${userText(e)}(...)).`);
    }
    return fail(Code.Unsupported, e, `'${userText(e)}' is not a field of ${this.className(object.type)}; read a field it declares.`);
  }

  /** `new C(args)`: its constructor inlined into the fields of a new instance. */
  private construct(e: ts.NewExpression, frame: Frame, out: Sink): Value {
    const type = this.typeOf(e);
    const cls = classOf(this.checker, type);
    if (!cls) return { kind: "expr", node: this.rewriteChildren(e, frame, out) };
    const what = `new ${cls.name?.text ?? "(class)"}(...)`;
    if (cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) {
      fail(Code.Unsupported, e, `${what} makes an instance of a subclass, whose fields tsgrad does not gather from its base class yet; use a class without 'extends' in differentiated code.`);
    }
    const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    const args = (e.arguments ?? []).map((a) => this.value(a, frame, out));
    const fields = new Map<string, Value>();
    const self: Value & { kind: "struct" } = { kind: "struct", type, fields, exact: true };
    this.enter(cls, e);
    const saved = new Map<Key, Value | undefined>();
    try {
      const ctorFrame: Frame = { self, rename: true };
      // Field initializers run first (`x = 0`), then the constructor's parameter properties and body.
      for (const m of cls.members) {
        if (ts.isPropertyDeclaration(m) && !isStatic(m) && ts.isIdentifier(m.name) && m.initializer) {
          fields.set(m.name.text, this.value(m.initializer, ctorFrame, out));
        }
      }
      if (ctor) {
        this.bindParameters(ctor.parameters, args, e, what, out, saved, (key, p) => countUses(ctor.body!, key, this.checker) + (ts.isParameterPropertyDeclaration(p, ctor) ? 1 : 0));
        for (const p of ctor.parameters) {
          if (ts.isIdentifier(p.name) && ts.isParameterPropertyDeclaration(p, ctor)) {
            const key = this.checker.getSymbolsOfParameterPropertyDeclaration(p, p.name.text)[0];
            fields.set(p.name.text, (key && this.env.get(key)) ?? fail(Code.Internal, p, "a parameter property has no value; please report this with the class."));
          }
        }
        // Its body after the passes before this one (`xs.map(...)`, `[0, ...inner, 0]`), when they kept its parameters.
        const body = this.desugaredBody(ctor);
        const statements = body.parameters.every((p, i) => p === ctor.parameters[i]) && body.body && ts.isBlock(body.body) ? body.body.statements : ctor.body!.statements;
        for (const s of statements) this.constructorStatement(s, self, ctorFrame, out, what);
      }
    } finally {
      this.leave(saved);
    }
    for (const [name] of this.dataFields(type, e)) {
      if (!fields.has(name)) fail(Code.Unsupported, e, `${what} leaves field '${name}' without a value tsgrad can see; give it an initializer or assign it at the top level of the constructor.`);
    }
    return self;
  }

  /** A statement of a constructor: `this.f = v` gives the field its value; other statements are inlined. */
  private constructorStatement(s: ts.Statement, self: Value & { kind: "struct" }, frame: Frame, out: Sink, what: string): void {
    const fields = self.fields as Map<string, Value>;
    if (ts.isExpressionStatement(s)) {
      const e = skipParens(s.expression);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = skipParens(e.left);
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
          fields.set(left.name.text, this.value(e.right, frame, out));
          return;
        }
      }
      if (ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword) return;
    }
    if (!out) fail(Code.Unsupported, s, `${what} runs statements, which tsgrad places before the expression that calls it; make the instance in a statement of its own (const v = ${what}).`);
    if (containsThisWrite(s)) fail(Code.Unsupported, s, `${what} assigns a field inside a branch or loop of the constructor; assign each field once, at the top level of the constructor (compute the value with ?: if needed).`);
    this.statement(s, frame, out);
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
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "push" && ts.isIdentifier(skipParens(callee.expression))) {
      const receiver = this.value(callee.expression, frame, out);
      if (receiver.kind === "columns") return this.pushColumns(receiver, e, frame, out, statement);
    }
    if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name)) {
      const method = this.method(callee);
      if (method) {
        const [decl, isStaticMethod] = method;
        const receiver = isStaticMethod ? undefined : this.value(callee.expression, frame, out);
        if (receiver?.kind === "struct") this.refuseOverride(decl, receiver, callee, "method");
        else if (receiver) {
          const node = this.asExpr(receiver, callee.expression);
          if (this.overrideOf(decl, this.typeOf(callee.expression), false)) {
            fail(Code.Unsupported, callee, `'${userText(callee)}(...)' may run the method of ${this.overrideOf(decl, this.typeOf(callee.expression), false)} instead, which tsgrad cannot choose at compile time; call it on an instance of the class whose method runs.`);
          }
          return this.inline(decl, { kind: "expr", node }, e.arguments.map((a) => this.value(a, frame, out)), e, out, callee.name.text, statement);
        }
        return this.inline(decl, receiver, e.arguments.map((a) => this.value(a, frame, out)), e, out, callee.name.text, statement);
      }
    }
    if (ts.isIdentifier(callee)) {
      const key = this.key(callee);
      const bound = key && this.env.get(key);
      if (bound?.kind === "fn") return this.callFunctionValue(bound, e, frame, out, statement);
    }
    if (ts.isElementAccessExpression(callee) && isFunctionArrayType(this.checker, this.typeOf(callee.expression))) {
      // `steps[1](x)` of an array of functions kept as its elements.
      const element = this.value(callee, frame, out);
      if (element.kind !== "fn") fail(Code.UnsupportedType, e, opaqueFunctionArray(userText(e), this.checker.typeToString(this.typeOf(callee.expression))));
      return this.callFunctionValue(element, e, frame, out, statement);
    }
    if (ts.isPropertyAccessExpression(callee) && UNROLLED.has(callee.name.text) && isFunctionArrayType(this.checker, this.typeOf(callee.expression))) {
      return unrollFunctions(this, e, callee, frame, out, statement);
    }
    if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name) && this.holdsInstance(skipParens(callee.expression))) {
      // `layer.activation(z)` of a record kept as its fields: the function its literal gave the field.
      const field = this.value(callee, frame, out);
      if (field.kind === "fn") return this.callFunctionValue(field, e, frame, out, statement);
    }
    const constant = ts.isPropertyAccessExpression(callee) ? this.constantField(callee) : undefined;
    if (constant) return this.callFunctionValue(constant, e, frame, out, statement);
    const args = e.arguments.map((a) => this.value(a, frame, out));
    const decl = this.ctx.resolveFunction(callee);
    // A helper that takes or returns an instance, or takes a function, is inlined: specialised to this call.
    const record = (a: Value): boolean => a.kind === "struct" && !classOf(this.checker, a.type);
    // A helper returning a function (`exposure(stops)` returning `(p) => ...`) is inlined too: the closure is its value.
    const classy = args.some((a) => (a.kind === "struct" && !record(a)) || a.kind === "fn") || !!classOf(this.checker, this.typeOf(e)) || defaultsAFunction(e, this.ctx) || this.typeOf(e).getCallSignatures().length > 0;
    // A helper taking or returning a record or tuple is inlined when it is this file's and not recursive (else it is called).
    const structured = args.some((a) => record(a) || a.kind === "columns") || isRecordType(this.checker, this.typeOf(e)) || isRecordArrayType(this.checker, this.typeOf(e)) || isPatternArrayHelper(e, this.ctx) || this.destructuresElement(e, args);
    const specialise = classy || (structured && isRecordHelper(e, this.fn, this.ctx));
    const kept = args.some((a) => record(a) && !(a.kind === "struct" && a.source)) || isRecordType(this.checker, this.typeOf(e)) || isRecordArrayType(this.checker, this.typeOf(e));
    if (decl?.body && !specialise && kept && !tsgradFunction(e, this.checker)) {
      const why = decl.getSourceFile() !== (ts.getParseTreeNode(this.fn) ?? this.fn).getSourceFile() ? "is declared in another file" : "calls itself";
      fail(Code.Unsupported, e, `'${userText(e)}' takes or returns a record or tuple, which tsgrad keeps as its fields by inlining the helper, but '${functionLabel(callee)}' ${why}; pass and return numbers (or arrays) instead, or declare the helper in this file without recursion.`);
    }
    if (decl && decl.body && specialise && !tsgradFunction(e, this.checker)) {
      return this.inline(decl, undefined, args, e, out, functionLabel(callee), statement);
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

  /**
   * `UNIT.act` of a module-level (or enclosing) `const UNIT = { w: 2, act: Math.tanh }`:
   * the function its literal gives the field, which never changes; else undefined.
   */
  private constantField(callee: ts.PropertyAccessExpression): (Value & { kind: "fn" }) | undefined {
    const object = skipParens(callee.expression);
    if (!ts.isIdentifier(object) || isNewLocal(object) || !isFunctionRecordType(this.checker, this.typeOf(object))) return undefined;
    // Not a new local: its key is its symbol (an import resolved to what it names).
    const symbol = this.key(object) as ts.Symbol | undefined;
    const decl = symbol?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !(decl.parent.flags & ts.NodeFlags.Const) || !decl.initializer || this.declaredInside(symbol)) return undefined;
    let literal = skipParens(decl.initializer);
    while (ts.isAsExpression(literal) || ts.isSatisfiesExpression(literal)) literal = skipParens(literal.expression);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    const property = literal.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === callee.name.text);
    const value = property && ts.isPropertyAssignment(property) ? property.initializer : property && ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) return undefined;
    const fn = ts.isShorthandPropertyAssignment(property!) ? this.shorthand(property, { self: undefined, rename: true }) : this.value(value, { self: undefined, rename: true }, undefined);
    return fn.kind === "fn" ? fn : undefined;
  }

  /** `act(z)` where `act` is bound to a function: that function inlined, or the Math function called. */
  private callFunctionValue(fnValue: Value & { kind: "fn" }, e: ts.CallExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
    if (fnValue.choice) {
      // Each function inlined where the test chooses it: its arguments are computed once, before.
      const { test, then, otherwise } = fnValue.choice;
      const args = e.arguments.map((a) => this.once(this.value(a, frame, out), "arg", 2, a, out));
      const branch = (fn: Value & { kind: "fn" }): ts.Expression => {
        const value = fn.decl?.body ? this.inline(fn.decl, undefined, args, e, undefined, functionLabel(fn.ref)) : { kind: "expr" as const, node: typed(ts.factory.createCallExpression(fn.ref, undefined, args.map((a, i) => this.asExpr(a, e.arguments[i]!))), this.typeOf(e), e) };
        return this.asExpr(value ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing, so its value cannot be used; call it as a statement, or return a value from it.`), e);
      };
      return { kind: "expr", node: this.build.cond(test, branch(then), branch(otherwise), this.typeOf(e), e) };
    }
    const args = e.arguments.map((a) => this.value(a, frame, out));
    return this.callWith(fnValue, args, e, out, statement);
  }

  /** `fnValue` called with `args` at `e`: inlined with the names it captured bound again, or the Math function called. */
  callWith(fnValue: Value & { kind: "fn" }, args: readonly Value[], e: ts.CallExpression, out: Sink, statement: boolean): Value | undefined {
    if (fnValue.decl?.body) {
      const restored = [...(fnValue.captured ?? [])].filter(([key]) => !this.env.has(key));
      for (const [key, v] of restored) this.env.set(key, v);
      try {
        return this.inline(fnValue.decl, undefined, args, e, out, functionLabel(fnValue.ref), statement);
      } finally {
        for (const [key] of restored) this.env.delete(key);
      }
    }
    const call = ts.factory.createCallExpression(fnValue.ref, undefined, args.map((a, i) => this.asExpr(a, e.arguments[i] ?? e)));
    return { kind: "expr", node: typed(call, this.typeOf(e), e) };
  }

  /** `trajectory.push(state)` of an array kept as columns: each column grows by the record's field. */
  private pushColumns(target: Value & { kind: "columns" }, e: ts.CallExpression, frame: Frame, out: Sink, statement: boolean): Value | undefined {
    if (!statement || !out) fail(Code.Unsupported, e, `'${userText(e)}' grows an array of records tsgrad keeps as one array per field; call push as a statement of its own.`);
    for (const a of e.arguments) {
      const item = this.structOf(this.value(a, frame, out), target.element);
      if (!item) fail(Code.Unsupported, a, `tsgrad keeps '${userText(e.expression)}' as one array per field, and cannot see the fields of '${userText(a)}'; give push a record local or a record literal.`);
      for (const [field, column] of target.columns) {
        const v = this.leafOf(item, target.element, field.split(".")) ?? fail(Code.Unsupported, a, `'${userText(a)}' has no field '${field}' tsgrad can see; give push a record with every field of the array's records.`);
        if (this.isDataField(target.element, field)) {
          out.push(dataPush(column, this.asExpr(v, a), this.typeOf(e), e));
          continue;
        }
        const push = this.build.property(column, "push", this.typeOf(e.expression), e);
        out.push(like(ts.factory.createExpressionStatement(typed(ts.factory.createCallExpression(push, undefined, [this.asExpr(v, a)]), this.typeOf(e), e)), e));
      }
    }
    return undefined;
  }

  /**
   * `xs = next` of an array of records kept as columns: each column reassigned
   * (`xs_x = next_x`), the buffer reassignment lowering saves for the backward
   * sweep as it does for any local array (keepArray / restoreArray).
   */
  private storeColumns(target: Value & { kind: "columns" }, value: Value, from: ts.Node, out: ts.Statement[]): void {
    if (value.kind === "expr" && isPlainRead(value.node)) {
      // `level = control` of a parameter or constant: its fields copied into columns first.
      value = this.copyColumns(userText(value.node).replace(/\W+/g, "_"), target.type, target.element, value.node, from, out);
    }
    if (value.kind !== "columns") {
      return fail(Code.Unsupported, from, `'${userText(from)}' assigns an array of records whose fields tsgrad cannot see; assign an array built here (a literal, map, Array.from or push) or by a helper of this file.`);
    }
    for (const [field, column] of target.columns) {
      const source = value.columns.get(field) ?? fail(Code.Unsupported, from, `the records assigned in '${userText(from)}' have no field '${field}'; assign records with every field of the array's.`);
      if (source !== column) out.push(this.build.assign(column, source, from));
    }
  }

  /**
   * `let xs = source` of an array of records tsgrad reads in place (a
   * parameter, a constant): one let column per field, filled by a loop
   * (`xs_x.push(source[k].x)`), which a later `xs = next` reassigns.
   */
  private copyColumns(name: string, type: ts.Type, element: ts.Type, source: ts.Expression, from: ts.Node, out: ts.Statement[]): Value & { kind: "columns" } {
    const f = ts.factory;
    const number = this.checker.getNumberType();
    const columns = new Map<string, ts.Identifier>();
    const k = newLocal("k", number, from);
    const row = this.build.element(source, k, element, from);
    const tuple = this.checker.isTupleType(element);
    const body: ts.Statement[] = [];
    for (const { path, type: fieldType } of columnLeaves(this.checker, element)) {
      const field = leafKey(path);
      const arrayType = arrayOf(this.checker, fieldType) ?? type;
      const id = newLocal(`${name}_${path.join("_")}`, arrayType, from);
      const data = !tuple && this.isDataField(element, field);
      out.push(this.build.declare(id, data ? dataColumn([], arrayType, from) : typed(f.createArrayLiteralExpression([]), arrayType, from), ts.NodeFlags.Let, from));
      const read = this.readPath(row, element, path, from);
      if (data) {
        body.push(dataPush(id, read, number, from));
        columns.set(field, id);
        continue;
      }
      const push = this.build.property(id, "push", this.checker.getAnyType(), from);
      body.push(like(f.createExpressionStatement(typed(f.createCallExpression(push, undefined, [read]), number, from)), from));
      columns.set(field, id);
    }
    const init = f.createVariableDeclarationList([like(f.createVariableDeclaration(k, undefined, undefined, this.build.number(0, from)), from)], ts.NodeFlags.Let);
    const test = this.build.test(k, ts.SyntaxKind.LessThanToken, this.build.length(source, from), from);
    const step = typed(f.createPostfixIncrement(k), number, from);
    out.push(like(f.createForStatement(like(init, from), test, step, like(f.createBlock(body, true), from)), from));
    return { kind: "columns", type, element, columns };
  }

  /** `row.position.x` (`row[0]` of a tuple): the number at `path` of the record `row`. */
  private readPath(row: ts.Expression, type: ts.Type, path: readonly string[], from: ts.Node): ts.Expression {
    for (const field of path) {
      const tuple = this.checker.isTupleType(type);
      const symbol = this.checker.getPropertyOfType(type, field);
      type = symbol ? this.checker.getTypeOfSymbol(symbol) : this.checker.getNumberType();
      row = tuple ? this.build.element(row, Number(field), type, from) : this.build.property(row, field, type, from);
    }
    return row;
  }

  /** `let xs = made` (or `const tmp = xs`), of an array of records kept as columns: a local per column, which a later `xs = next` reassigns. */
  private ownColumns(name: string, value: Value & { kind: "columns" }, flags: ts.NodeFlags, from: ts.Node, out: ts.Statement[]): Value & { kind: "columns" } {
    const columns = new Map<string, ts.Identifier>();
    for (const [field, source] of value.columns) {
      const type = this.checker.getTypeAtLocation(source);
      const id = newLocal(`${name}_${field.split(".").join("_")}`, type, from);
      out.push(this.build.declare(id, this.isDataField(value.element, field) ? dataAlias(source, type, from) : source, flags, from));
      columns.set(field, id);
    }
    return { ...value, columns };
  }

  /**
   * `[...xs]` of an array of records, declared as `name`: a copy of each of
   * xs's columns (`tensor(xs_x)`), or of the fields of a parameter or constant
   * read element by element; undefined for any other initializer.
   */
  private spreadCopy(name: string, type: ts.Type, element: ts.Type, init: ts.Expression, frame: Frame, out: ts.Statement[], from: ts.Node, mutable: boolean): (Value & { kind: "columns" }) | undefined {
    const only = ts.isArrayLiteralExpression(init) && init.elements.length === 1 ? init.elements[0]! : undefined;
    if (!only || !ts.isSpreadElement(only)) return undefined;
    const source = this.value(only.expression, frame, out);
    if (source.kind === "expr" && isPlainRead(source.node)) return this.copyColumns(name, type, element, source.node, from, out);
    if (source.kind !== "columns") return undefined;
    const columns = new Map<string, ts.Identifier>();
    for (const [field, column] of source.columns) {
      const columnType = this.checker.getTypeAtLocation(column);
      const id = newLocal(`${name}_${field.split(".").join("_")}`, columnType, from);
      const copy = this.isDataField(element, field) ? dataCopy(column, columnType, from) : runtimeCall("tensor", [column], columnType, from);
      out.push(this.build.declare(id, copy, mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
      columns.set(field, id);
    }
    return { kind: "columns", type, element, columns };
  }

  /** `[a, b]` of records, declared as `name`: one array literal per field (let arrays when `name` is reassigned). */
  private columnsOf(name: string, type: ts.Type, element: ts.Type, items: readonly ts.Expression[], frame: Frame, out: ts.Statement[], from: ts.Node, mutable = false): Value & { kind: "columns" } | undefined {
    const records = items.map((x) => this.structOf(this.value(x, frame, out), element));
    if (records.some((r) => !r)) return undefined;
    const columns = new Map<string, ts.Identifier>();
    const leaves = columnLeaves(this.checker, element);
    const values = records.map((r) => leaves.map(({ path }) => this.leafOf(r!, element, path)));
    if (values.some((r) => r.some((v) => !v))) return undefined;
    for (const [n, { path, type: fieldType }] of leaves.entries()) {
      const field = leafKey(path);
      const arrayType = arrayOf(this.checker, fieldType) ?? this.checker.getTypeAtLocation(from);
      const id = newLocal(`${name}_${path.join("_")}`, arrayType, from);
      const items = values.map((r) => this.asExpr(r[n]!, from));
      const literal = this.isDataField(element, field) ? dataColumn(items, arrayType, from) : typed(ts.factory.createArrayLiteralExpression(items), arrayType, from);
      out.push(this.build.declare(id, literal, mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const, from));
      columns.set(field, id);
    }
    return { kind: "columns", type, element, columns };
  }

  /** The method a property access calls, if it is a method of a user class with a body: [declaration, static]. */
  private method(callee: ts.PropertyAccessExpression): [ts.MethodDeclaration, boolean] | undefined {
    const symbol = this.checker.getSymbolAtLocation(callee.name) ?? this.checker.getPropertyOfType(this.typeOf(callee.expression), callee.name.text);
    const decls = symbol?.declarations ?? [];
    const decl = decls.find((d): d is ts.MethodDeclaration => ts.isMethodDeclaration(d) && ts.isClassLike(d.parent));
    if (!decl) {
      const signature = decls.find((d) => ts.isMethodSignature(d) || (ts.isMethodDeclaration(d) && !d.body));
      if (signature && !decl) {
        const owner = classOf(this.checker, this.typeOf(callee.expression));
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

  /** Refuses a getter or method that a subclass the program declares may override, for an instance whose class is not known exactly. */
  private refuseOverride(decl: ts.MethodDeclaration | ts.GetAccessorDeclaration, receiver: Value & { kind: "struct" }, at: ts.Node, what: string): void {
    const other = this.overrideOf(decl, receiver.type, receiver.exact);
    if (!other) return;
    if (receiver.param) {
      fail(Code.Unsupported, at, `'${userText(at)}' may run the ${what} of ${other} instead, which tsgrad cannot choose at compile time; type the parameter as the class whose ${what} runs, or read fields instead.`);
    }
    fail(Code.Unsupported, at, `'${userText(at)}' may run the ${what} of ${other} instead, which tsgrad cannot choose at compile time; type the value as the class whose ${what} runs, or make the instance with new.`);
  }

  /** Another class of the program, a subclass of `decl`'s, that overrides it and whose instances a value of type `t` may be. */
  private overrideOf(decl: ts.ClassElement, t: ts.Type, exact: boolean): string | undefined {
    if (exact) return undefined;
    const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
    const base = decl.parent;
    if (!name || !ts.isClassLike(base)) return undefined;
    const files = this.ctx.sourceFiles?.() ?? [decl.getSourceFile()];
    for (const file of files) {
      if (file.isDeclarationFile) continue;
      let found: string | undefined;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (ts.isClassLike(n) && n !== base && n.name && n.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === name)) {
          const symbol = this.checker.getSymbolAtLocation(n.name);
          const declared = symbol && this.checker.getDeclaredTypeOfSymbol(symbol);
          if (declared && derivesFrom(this.checker, declared, base) && this.checker.isTypeAssignableTo(declared, t)) found = `class ${n.name.text}`;
        }
        ts.forEachChild(n, visit);
      };
      visit(file);
      if (found) return found;
    }
    return undefined;
  }

  private enter(node: ts.Node, site: ts.Node): void {
    if (this.stack.includes(node)) {
      fail(Code.Recursion, site, `'${userText(site)}' calls itself (through its class's methods), which tsgrad inlines; write the recursion as a loop, or as a module-level function of numbers.`);
    }
    this.stack.push(node);
  }

  private leave(saved: Map<Key, Value | undefined>): void {
    this.stack.pop();
    for (const [key, v] of saved) (v ? this.env.set(key, v) : this.env.delete(key));
  }

  /**
   * The body of a method, getter or function, inlined at `site` with `this`
   * bound to `self` and its parameters to `args`. A body that is one returned
   * expression becomes that expression; a body with statements places them in
   * `out`, its result in locals named after it.
   */
  private inline(
    decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration,
    self: Value | undefined,
    args: readonly Value[],
    site: ts.CallExpression | ts.PropertyAccessExpression,
    out: Sink,
    label: string,
    statement = false,
  ): Value | undefined {
    const what = `'${userText(ts.isCallExpression(site) ? site.expression : site)}'`;
    const body = this.desugaredBody(decl);
    const params = body.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
    if (args.length > params.length) fail(Code.Unsupported, site, `${what} takes ${params.length} argument(s) but is called with ${args.length}; pass only the arguments it declares.`);
    this.enter(decl, site);
    const saved = new Map<Key, Value | undefined>();
    try {
      // `this` made by a call or new is kept in consts named after what made it (`minus_x`).
      if (self?.kind === "struct") self = this.once(self, receiverLabel(site), body.body ? fieldUses(body.body, (n) => n.kind === ts.SyntaxKind.ThisKeyword) : 2, site, out);
      this.bindParameters(params, args, site, what, out, saved, (key) => (body.body ? fieldUses(body.body, (n) => ts.isIdentifier(n) && (n === key || (!!n.parent && this.checker.getSymbolAtLocation(n) === key))) : 2));
      const frame: Frame = { self, rename: true };
      const block = body.body;
      if (!block) return fail(Code.OpaqueCall, site, `${what} has no body for tsgrad to differentiate; call a function or method with a body.`);
      if (!ts.isBlock(block)) return this.value(block, frame, out);
      const only = block.statements.length === 1 ? block.statements[0]! : undefined;
      if (only && ts.isReturnStatement(only) && only.expression) return this.value(only.expression, frame, out);
      if (!out) {
        // In a branch: a body of consts then a return (`const [dx, dy] = v; return ...`) is one expression.
        const value = this.asOneExpression(block.statements, frame);
        if (value) return value;
        fail(Code.Unsupported, site, `${what} has statements, which tsgrad places before the expression that calls it, so they would run where this ?:, && / || or loop test skips them; call it in a statement of its own (const v = ...).`);
      }
      const statements = tailReturns(block.statements);
      const last = statements[statements.length - 1];
      if (last && ts.isReturnStatement(last) && last.expression && !statements.slice(0, -1).some(containsReturn)) {
        // One return, at the end: the statements go first and the returned value is the call's.
        for (const s of statements.slice(0, -1)) this.statement(s, frame, out);
        const value = this.value(last.expression, frame, out);
        if (statement || value.kind !== "expr" || isConstantRead(value.node) || !this.isNumber(this.typeOf(value.node))) return value;
        // A number computed by statements is kept under the name of what computed it (`s_length`).
        const id = newLocal(label, this.typeOf(value.node), site);
        stable.add(id);
        out.push(this.build.declare(id, value.node, ts.NodeFlags.Const, site));
        return { kind: "expr", node: id };
      }
      const returnType = this.resultType(decl, site);
      if (returnType && !statement) frame.result = this.resultLocals(label, returnType, site, out);
      else frame.discards = true;
      for (const s of statements) {
        if (!frame.result && ts.isReturnStatement(s)) {
          if (s.expression) this.value(s.expression, frame, out);
          continue;
        }
        this.statement(s, frame, out);
      }
      return statement ? undefined : frame.result;
    } finally {
      this.leave(saved);
    }
  }

  /**
   * A body of `const` declarations then a `return`, as one expression: each
   * const's value put where the const is read. Only when every value is
   * arithmetic, reads and calls of Math (nothing that changes anything or runs
   * code of the program), so computing it where it is read is the same.
   */
  private asOneExpression(body: readonly ts.Statement[], frame: Frame): Value | undefined {
    const last = body[body.length - 1];
    if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
    const scratch: ts.Statement[] = [];
    for (const s of body.slice(0, -1)) {
      if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return undefined;
      this.statement(s, frame, scratch);
    }
    const value = this.value(last.expression, frame, scratch);
    if (value.kind !== "expr") return undefined;
    const values = new Map<ts.Node, ts.Expression>();
    const substitute = (e: ts.Expression): ts.Expression => {
      const visit = (n: ts.Node): ts.Node => (ts.isIdentifier(n) && values.has(n) ? values.get(n)! : visitChildren(n, visit));
      return visit(e) as ts.Expression;
    };
    for (const s of scratch) {
      if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return undefined;
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !isNewLocal(d.name) || !d.initializer || !isPure(d.initializer, this.ctx)) return undefined;
        values.set(d.name, ts.factory.createParenthesizedExpression(substitute(d.initializer)));
      }
    }
    if (!isPure(value.node, this.ctx)) return undefined;
    return { kind: "expr", node: values.size > 0 ? substitute(value.node) : value.node };
  }

  /** The type a body returns, when it returns a value. */
  private resultType(decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration, site: ts.Node): ts.Type | undefined {
    const t = ts.isCallExpression(site) ? this.typeOf(site) : this.typeOf(site);
    void decl;
    return t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined) ? undefined : t;
  }

  /** `let move_x: number; ...` for the result of an inlined body with statements. */
  private resultLocals(label: string, type: ts.Type, from: ts.Node, out: ts.Statement[]): Value {
    if (classOf(this.checker, type) || isRecordType(this.checker, type)) {
      const fields = new Map<string, Value>();
      for (const [name, fieldType] of this.dataFields(type, from)) {
        if (classOf(this.checker, fieldType) || isRecordType(this.checker, fieldType)) {
          fields.set(name, this.resultLocals(`${label}_${name}`, fieldType, from, out));
          continue;
        }
        if (!this.isNumber(fieldType)) fail(Code.UnsupportedType, from, `'${userText(from)}' returns an instance whose field '${name}' has type '${this.checker.typeToString(fieldType)}'; return an instance whose fields are numbers (or instances of such classes).`);
        const id = newLocal(`${label}_${name}`, fieldType, from);
        // Assigned only inside the inlined body: after it, a value that does not change.
        stable.add(id);
        out.push(this.build.declare(id, undefined, ts.NodeFlags.Let, from));
        fields.set(name, { kind: "expr", node: id });
      }
      return { kind: "struct", type, fields, exact: false };
    }
    const id = newLocal(label, type, from);
    stable.add(id);
    out.push(this.build.declare(id, undefined, ts.NodeFlags.Let, from));
    return { kind: "expr", node: id };
  }

  /**
   * Binds parameters to arguments: to the argument itself when it is a name or
   * a constant (or read once), else to a const holding it, so it is computed once.
   */
  private bindParameters(
    params: readonly ts.ParameterDeclaration[],
    args: readonly Value[],
    site: ts.Node,
    what: string,
    out: Sink,
    saved: Map<Key, Value | undefined>,
    /** How many times the body reads a parameter (or each of its fields): one read needs no const. */
    uses: (key: Key, p: ts.ParameterDeclaration) => number | FieldUses,
  ): void {
    params.forEach((p, i) => {
      if (!ts.isIdentifier(p.name)) fail(Code.Unsupported, p, `destructure the parameters of ${what} in its body instead of its parameter list.`);
      if (p.dotDotDotToken) fail(Code.Unsupported, p, `${what} has a rest parameter; take an array parameter instead.`);
      // A parameter property's name gives the property; the body reads the parameter.
      const key = ts.isParameterPropertyDeclaration(p, p.parent) ? this.checker.getSymbolsOfParameterPropertyDeclaration(p, p.name.text)[0] : this.key(p.name);
      if (!key) fail(Code.Internal, p, `no symbol for '${p.name.text}'; please report this with the function.`);
      let arg: Value | undefined = args[i];
      // `void 0` stands for an omitted argument whose default the callee applies (desugar/parameters.ts).
      if (arg?.kind === "expr" && ts.isVoidExpression(skipParens(arg.node)) && p.initializer) arg = undefined;
      if (!arg) {
        if (!p.initializer) fail(Code.Unsupported, site, `${what} is called without its parameter '${p.name.text}'; pass it.`);
        arg = this.value(p.initializer, { self: undefined, rename: true }, out);
      }
      saved.set(key, saved.has(key) ? saved.get(key) : this.env.get(key));
      this.env.set(key, this.once(arg, p.name.text, uses(key, p), site, out));
    });
  }

  /** `v` computed once: each field (or the value) that is no simple read goes into a const, unless it is read at most once. */
  private once(v: Value, name: string, uses: number | FieldUses, from: ts.Node, out: Sink): Value {
    // An element of an array of instances stays where it is: the body may write its fields.
    if (v.kind === "fn" || v.kind === "columns" || (v.kind === "struct" && v.element)) return v;
    if (typeof uses !== "number") {
      if (v.kind !== "struct") return this.once(v, name, uses.bare + [...uses.fields.values()].reduce((a, b) => a + b, 0), from, out);
      // A field read once goes where it is read; one read more often (or the whole instance passed on) is kept in a const.
      const fields = new Map<string, Value>();
      for (const [field, fv] of v.fields) fields.set(field, this.once(fv, `${name}_${field}`, uses.bare > 0 ? 2 : (uses.fields.get(field) ?? 0), from, out));
      return { ...v, fields };
    }
    if (v.kind === "expr") {
      if (uses <= 1 || isConstantRead(v.node) || !out) return v;
      const type = this.checker.getTypeAtLocation(v.node);
      if (!this.isNumber(type)) return v;
      const id = newLocal(name, type, from);
      stable.add(id);
      out.push(this.build.declare(id, v.node, ts.NodeFlags.Const, from));
      return { kind: "expr", node: id };
    }
    const fields = new Map<string, Value>();
    for (const [field, fv] of v.fields) fields.set(field, this.once(fv, `${name}_${field}`, uses, from, out));
    return { ...v, fields };
  }

  /** A method, getter or function body after the passes before this one (destructured parameters, switch, ...). */
  private desugaredBody(decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.ConstructorDeclaration): FunctionLike {
    const cached = desugared.get(decl);
    if (cached) return cached;
    const f = ts.factory;
    const asFunction: FunctionLike = ts.isFunctionDeclaration(decl) || ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)
      ? decl
      : like(f.createFunctionExpression(undefined, undefined, undefined, undefined, decl.parameters, undefined, decl.body!), decl);
    // The passes ask a function for its file (a default read in another file): it sits where the method does.
    if (asFunction !== decl) (asFunction as { parent: ts.Node }).parent = decl.parent;
    let result = asFunction;
    for (const [name, pass] of DESUGAR) {
      if (name === "classes") break;
      result = pass(result, this.ctx);
    }
    desugared.set(decl, result);
    return result;
  }
}

const desugared = new WeakMap<ts.Node, FunctionLike>();

/** Element accesses written to (`t[i] = v`, `t[i]++`): never read through a choice of elements. */
const assignTargets = new WeakSet<ts.Node>();

/** Locals this pass declared whose value never changes after it is set (consts, and the results of inlined bodies). */
const stable = new WeakSet<ts.Identifier>();

function isStable(e: ts.Expression): boolean {
  return ts.isIdentifier(e) && stable.has(e);
}

function updateBody(fn: FunctionLike, body: ts.ConciseBody): FunctionLike {
  const f = ts.factory;
  if (body === fn.body) return fn;
  if (ts.isFunctionDeclaration(fn)) return like(f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body as ts.Block), fn);
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, body), fn);
  return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body as ts.Block), fn);
}

/**
 * Statements whose returns are all in tail position: after an `if` that
 * returns on every path through one branch, the rest of the list moves into
 * the other branch (`if (c) return a; return b;` is `if (c) return a; else return b;`).
 */
function tailReturns(list: readonly ts.Statement[]): ts.Statement[] {
  const f = ts.factory;
  const out: ts.Statement[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (ts.isIfStatement(s) && containsReturn(s)) {
      const rest = list.slice(i + 1);
      const then = tailReturns(withRest(s.thenStatement, rest));
      const otherwise = tailReturns(withRest(s.elseStatement, rest));
      out.push(like(f.updateIfStatement(s, s.expression, f.createBlock(then, true), otherwise.length ? f.createBlock(otherwise, true) : undefined), s));
      return out;
    }
    if (!ts.isReturnStatement(s) && containsReturn(s)) {
      fail(Code.Unsupported, s, "this body returns from inside a loop or block, which tsgrad cannot inline yet; break out of the loop and return after it.");
    }
    out.push(s);
    if (ts.isReturnStatement(s)) return out;
  }
  return out;
}

function withRest(s: ts.Statement | undefined, rest: readonly ts.Statement[]): ts.Statement[] {
  const own = s ? (ts.isBlock(s) ? [...s.statements] : [s]) : [];
  return alwaysReturns(own) ? own : [...own, ...rest];
}

function alwaysReturns(list: readonly ts.Statement[]): boolean {
  const last = list[list.length - 1];
  if (!last) return false;
  if (ts.isReturnStatement(last) || ts.isThrowStatement(last)) return true;
  if (ts.isBlock(last)) return alwaysReturns(last.statements);
  if (ts.isIfStatement(last)) return alwaysReturns([last.thenStatement]) && !!last.elseStatement && alwaysReturns([last.elseStatement]);
  return false;
}

function containsReturn(n: ts.Node): boolean {
  if (ts.isReturnStatement(n)) return true;
  if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
  return !!ts.forEachChild(n, containsReturn);
}

function containsThisWrite(n: ts.Node): boolean {
  if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isPropertyAccessExpression(skipParens(n.left)) &&
      skipParens((skipParens(n.left) as ts.PropertyAccessExpression).expression).kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isFunctionLike(n)) return false;
  return !!ts.forEachChild(n, containsThisWrite);
}

/** How often a body reads each field of a value (`this.x`, `o.x`), and the value itself otherwise (`this.dot(this)`); a loop counts as many. */
interface FieldUses {
  readonly fields: ReadonlyMap<string, number>;
  readonly bare: number;
}

function fieldUses(body: ts.Node, isRef: (n: ts.Node) => boolean): FieldUses {
  const fields = new Map<string, number>();
  let bare = 0;
  const visit = (x: ts.Node, weight: number): void => {
    if (isRef(x)) {
      const parent = x.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === x) fields.set(parent.name.text, (fields.get(parent.name.text) ?? 0) + weight);
      else if (!(parent && ts.isParameter(parent))) bare += weight;
      return;
    }
    const w = ts.isIterationStatement(x, false) || ts.isFunctionLike(x) ? 2 : weight;
    ts.forEachChild(x, (c) => visit(c, w));
  };
  visit(body, 1);
  return { fields, bare };
}

/** How many times a body names `key` (a loop counts as many). */
function countUses(body: ts.Node, key: Key, checker: ts.TypeChecker): number {
  let n = 0;
  const visit = (x: ts.Node, weight: number): void => {
    if (ts.isIdentifier(x) && (x === key || (x.parent && checker.getSymbolAtLocation(x) === key))) n += weight;
    const w = ts.isIterationStatement(x, false) || ts.isFunctionLike(x) ? 2 : weight;
    ts.forEachChild(x, (c) => visit(c, w));
  };
  visit(body, 1);
  return n;
}

/** A node read as it is wherever it is copied: a name, a literal, a field of a name. */
function isConstantRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isStringLiteralLike(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(e.operand);
  if (ts.isPropertyAccessExpression(e)) return isConstantRead(e.expression);
  return false;
}

/** Arithmetic, comparisons, reads and calls of the default library's Math: computing it twice, or elsewhere, is the same. */
function isPure(e: ts.Expression, ctx: DesugarContext): boolean {
  return !someNode(e, (n) => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) return true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if (ts.isNewExpression(n) || ts.isFunctionLike(n)) return true;
    if (!ts.isCallExpression(n)) return false;
    const callee = skipParens(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== "Math") return true;
    return ctx.checker.getSymbolAtLocation(callee.expression)?.declarations?.every((d) => ctx.isLibDeclaration(d)) !== true;
  });
}

function isNumberOrBoolean(t: ts.Type): boolean {
  const kinds = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike;
  return !!(t.flags & kinds) || (t.isUnion() && t.types.every((x) => !!(x.flags & kinds)));
}

/** `xs[k]`: an element of a named array at a name or a literal, as a view of an array of instances reads its fields. */
function isElementRead(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isElementAccessExpression(e) && ts.isIdentifier(skipParens(e.expression)) && (ts.isIdentifier(skipParens(e.argumentExpression)) || ts.isNumericLiteral(skipParens(e.argumentExpression)));
}

/** Whether `e` is written as an element of an array: in a literal (`[new Bag(...)]`), pushed, or stored at an index. */
function isArrayElement(e: ts.Node): boolean {
  const parent = e.parent;
  if (!parent) return false;
  if (ts.isArrayLiteralExpression(parent) || ts.isParenthesizedExpression(parent)) return ts.isArrayLiteralExpression(parent) || isArrayElement(parent);
  if (ts.isCallExpression(parent)) return parent.arguments.includes(e as ts.Expression) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === "push";
  // `xs.map((x) => new Bag(...))`, `Array.from({ length }, () => new Bag(...))`.
  const call = ts.isArrowFunction(parent) && parent.body === e ? parent.parent : undefined;
  if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) return ["map", "from"].includes(call.expression.name.text);
  return ts.isBinaryExpression(parent) && parent.right === e && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(skipParens(parent.left));
}

/** Whether the class has #private fields, which code outside it cannot read: lowering reports such a parameter. */
function hasPrivateFields(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.getPropertiesOfType(t).some((p) => {
    const name = p.valueDeclaration && ts.getNameOfDeclaration(p.valueDeclaration);
    return !!name && ts.isPrivateIdentifier(name);
  });
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

function isStatic(m: ts.ClassElement): boolean {
  return !!ts.canHaveModifiers(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** Whether `e` names one of `ids` (the same identifier node: locals a pass made are their every reference). */
function reads(e: ts.Node, ids: ReadonlySet<ts.Identifier>): boolean {
  if (ts.isIdentifier(e)) return ids.has(e);
  return !!ts.forEachChild(e, (c) => reads(c, ids));
}

function isTypeNodeLike(n: ts.Node): boolean {
  return ts.isTypeNode(n);
}

/** A name for the instance a method or getter is called on, when it is computed (`a.minus(b).length`: `minus`). */
function receiverLabel(site: ts.CallExpression | ts.PropertyAccessExpression): string {
  const callee = ts.isCallExpression(site) ? skipParens(site.expression) : site;
  const receiver = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : callee;
  if (ts.isCallExpression(receiver)) return functionLabel(receiver.expression);
  if (ts.isNewExpression(receiver) && ts.isIdentifier(receiver.expression)) return receiver.expression.text.charAt(0).toLowerCase() + receiver.expression.text.slice(1);
  return "self";
}

/** A name for the result of an inlined call: the function's or method's name. */
function functionLabel(callee: ts.Expression): string {
  callee = skipParens(callee);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return "result";
}

/** Whether the class type `t` extends the class `base`, directly or not. */
function derivesFrom(checker: ts.TypeChecker, t: ts.Type, base: ts.Node): boolean {
  const seen = new Set<ts.Type>();
  const queue = [t];
  for (let x = queue.pop(); x; x = queue.pop()) {
    if (seen.has(x)) continue;
    seen.add(x);
    if (x !== t && x.symbol?.declarations?.includes(base as ts.Declaration)) return true;
    if (x.isClassOrInterface()) queue.push(...checker.getBaseTypes(x));
  }
  return false;
}
