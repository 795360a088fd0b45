// Inlining a body at its call. Takes: from the classes pass's inliner
// (classes.ts), a function, method, getter or constructor of the program, the
// value of `this` and of each argument, and the call site.
// Guarantees: the body after the passes before this one, copied with its
// locals renamed and its parameters bound — to the argument itself when it
// is a name or constant or read once, else to a const computed once (named
// after the parameter); a body that is one expression is that expression; a
// body with statements places them before the statement of the call, its
// result in locals named after the callee (`move_x`), and returns only in tail
// position (`if (c) return a; return b` is an if/else); in a `?:` branch only
// a body of pure consts and a return is accepted (as one expression); a call
// back into a body being inlined is refused as recursion.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { FunctionLike } from "../lower.js";
import { isNewLocal, like, newLocal, skipParens, typed, userText, visitChildren } from "./synth.js";
import { DESUGAR } from "./index.js";
import { forEachNode } from "../walk.js";
import { classOf, isConstantRead, isPure } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { type Frame, heldBy, type Key, type Sink, stable, type Value } from "./inlined-values.js";
import { dataFields } from "./instance-values.js";
import { isRecordType } from "./value-types.js";

/** `node` (a body or class) entered at `site`: refused as recursion when it is being inlined already. */
export function enter(inliner: Inliner, node: ts.Node, site: ts.Node): void {
  if (inliner.stack.includes(node)) {
    fail(Code.Recursion, site, `'${userText(site)}' calls itself (through its class's methods), which tsgrad inlines; write the recursion as a loop, or as a module-level function of numbers.`);
  }
  inliner.stack.push(node);
}

/** The body entered last left: the names its parameters bound given back what they were bound to before. */
export function leave(inliner: Inliner, saved: Map<Key, Value | undefined>): void {
  inliner.stack.pop();
  for (const [key, v] of saved) (v ? inliner.env.set(key, v) : inliner.env.delete(key));
}

/**
 * The body of a method, getter or function, inlined at `site` with `this`
 * bound to `self` and its parameters to `args`. A body that is one returned
 * expression becomes that expression; a body with statements places them in
 * `out`, its result in locals named after it.
 */
export function inline(
  inliner: Inliner,
  decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration,
  self: Value | undefined,
  args: readonly Value[],
  site: ts.CallExpression | ts.PropertyAccessExpression,
  out: Sink,
  label: string,
  statement = false,
): Value | undefined {
  const what = `'${userText(ts.isCallExpression(site) ? site.expression : site)}'`;
  const body = desugaredBody(inliner, decl);
  const params = body.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
  if (args.length > params.length) fail(Code.Unsupported, site, `${what} takes ${params.length} argument(s) but is called with ${args.length}; pass only the arguments it declares.`);
  enter(inliner, decl, site);
  const saved = new Map<Key, Value | undefined>();
  try {
    // `this` made by a call or new is kept in consts named after what made it (`minus_x`).
    if (self?.kind === "struct") self = once(inliner, self, receiverLabel(site), body.body ? fieldUses(body.body, (n) => n.kind === ts.SyntaxKind.ThisKeyword) : 2, site, out);
    bindParameters(inliner, params, args, site, what, out, saved, (key) => (body.body ? fieldUses(body.body, (n) => ts.isIdentifier(n) && (n === key || (!!n.parent && inliner.checker.getSymbolAtLocation(n) === key))) : 2));
    const frame: Frame = { self, rename: true };
    const block = body.body;
    if (!block) return fail(Code.OpaqueCall, site, `${what} has no body for tsgrad to differentiate; call a function or method with a body.`);
    if (!ts.isBlock(block)) return inliner.value(block, frame, out);
    const only = block.statements.length === 1 ? block.statements[0]! : undefined;
    if (only && ts.isReturnStatement(only) && only.expression) return inliner.value(only.expression, frame, out);
    if (!out) {
      // In a branch: a body of consts then a return (`const [dx, dy] = v; return ...`) is one expression.
      const value = asOneExpression(inliner, block.statements, frame);
      if (value) return value;
      fail(Code.Unsupported, site, `${what} has statements, which tsgrad places before the expression that calls it, so they would run where this ?:, && / || or loop test skips them; call it in a statement of its own (const v = ...).`);
    }
    const statements = tailReturns(block.statements, inliner);
    const last = statements[statements.length - 1];
    if (last && ts.isReturnStatement(last) && last.expression && !statements.slice(0, -1).some(containsReturn)) {
      // One return, at the end: the statements go first and the returned value is the call's.
      for (const s of statements.slice(0, -1)) inliner.statement(s, frame, out);
      const value = inliner.value(last.expression, frame, out);
      if (statement || value.kind !== "expr" || isConstantRead(value.node) || !inliner.isNumber(inliner.typeOf(value.node))) return value;
      // A number computed by statements is kept under the name of what computed it (`s_length`).
      const id = newLocal(label, inliner.typeOf(value.node), site);
      stable.add(id);
      out.push(inliner.build.declare(id, value.node, ts.NodeFlags.Const, site));
      return { kind: "expr", node: id };
    }
    const returnType = resultType(inliner, decl, site);
    if (returnType && !statement) frame.result = resultLocals(inliner, label, returnType, site, out);
    else frame.discards = true;
    for (const s of statements) {
      if (!frame.result && ts.isReturnStatement(s)) {
        if (s.expression) inliner.value(s.expression, frame, out);
        continue;
      }
      inliner.statement(s, frame, out);
    }
    return statement ? undefined : frame.result;
  } finally {
    leave(inliner, saved);
  }
}

/**
 * A body of `const` declarations then a `return`, as one expression: each
 * const's value put where the const is read. Only when every value is
 * arithmetic, reads and calls of Math (nothing that changes anything or runs
 * code of the program), so computing it where it is read is the same.
 */
function asOneExpression(inliner: Inliner, body: readonly ts.Statement[], frame: Frame): Value | undefined {
  const last = body[body.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
  const scratch: ts.Statement[] = [];
  for (const s of body.slice(0, -1)) {
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return undefined;
    inliner.statement(s, frame, scratch);
  }
  const value = inliner.value(last.expression, frame, scratch);
  if (value.kind !== "expr") return undefined;
  const values = new Map<ts.Node, ts.Expression>();
  const substitute = (e: ts.Expression): ts.Expression => {
    const visit = (n: ts.Node): ts.Node => (ts.isIdentifier(n) && values.has(n) ? values.get(n)! : visitChildren(n, visit));
    return visit(e) as ts.Expression;
  };
  for (const s of scratch) {
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return undefined;
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !isNewLocal(d.name) || !d.initializer || !isPure(d.initializer, inliner.ctx)) return undefined;
      values.set(d.name, ts.factory.createParenthesizedExpression(substitute(d.initializer)));
    }
  }
  if (!isPure(value.node, inliner.ctx)) return undefined;
  return { kind: "expr", node: values.size > 0 ? substitute(value.node) : value.node };
}

/** The type a body returns, when it returns a value. */
function resultType(inliner: Inliner, decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration, site: ts.Node): ts.Type | undefined {
  const t = ts.isCallExpression(site) ? inliner.typeOf(site) : inliner.typeOf(site);
  void decl;
  return t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined) ? undefined : t;
}

/** `let move_x: number; ...` for the result of an inlined body with statements. */
function resultLocals(inliner: Inliner, label: string, type: ts.Type, from: ts.Node, out: ts.Statement[]): Value {
  if (classOf(inliner.checker, type) || isRecordType(inliner.checker, type)) {
    const fields = new Map<string, Value>();
    for (const [name, fieldType] of dataFields(inliner, type, from)) {
      if (classOf(inliner.checker, fieldType) || isRecordType(inliner.checker, fieldType)) {
        fields.set(name, resultLocals(inliner, `${label}_${name}`, fieldType, from, out));
        continue;
      }
      if (!inliner.isNumber(fieldType)) fail(Code.UnsupportedType, from, `'${userText(from)}' returns an instance whose field '${name}' has type '${inliner.checker.typeToString(fieldType)}'; return an instance whose fields are numbers (or instances of such classes).`);
      const id = newLocal(`${label}_${name}`, fieldType, from);
      // Assigned only inside the inlined body: after it, a value that does not change.
      stable.add(id);
      out.push(inliner.build.declare(id, undefined, ts.NodeFlags.Let, from));
      fields.set(name, { kind: "expr", node: id });
    }
    return { kind: "struct", type, fields, exact: false };
  }
  const id = newLocal(label, type, from);
  stable.add(id);
  out.push(inliner.build.declare(id, undefined, ts.NodeFlags.Let, from));
  return { kind: "expr", node: id };
}

/**
 * Binds parameters to arguments: to the argument itself when it is a name or
 * a constant (or read once), else to a const holding it, so it is computed once.
 */
export function bindParameters(
  inliner: Inliner,
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
    const key = ts.isParameterPropertyDeclaration(p, p.parent) ? inliner.checker.getSymbolsOfParameterPropertyDeclaration(p, p.name.text)[0] : inliner.key(p.name);
    if (!key) fail(Code.Internal, p, `no symbol for '${p.name.text}'; please report this with the function.`);
    let arg: Value | undefined = args[i];
    // `void 0` stands for an omitted argument whose default the callee applies (desugar/parameters.ts).
    if (arg?.kind === "expr" && ts.isVoidExpression(skipParens(arg.node)) && p.initializer) arg = undefined;
    if (!arg) {
      if (!p.initializer) fail(Code.Unsupported, site, `${what} is called without its parameter '${p.name.text}'; pass it.`);
      arg = inliner.value(p.initializer, { self: undefined, rename: true }, out);
    } else if (arg.kind === "expr" && p.initializer && mayBeUndefined(inliner.checker.getTypeAtLocation(arg.node))) {
      arg = defaultWhenUndefined(inliner, arg.node, p, site, what, out);
    }
    saved.set(key, saved.has(key) ? saved.get(key) : inliner.env.get(key));
    inliner.env.set(key, once(inliner, arg, p.name.text, uses(key, p), site, out));
  });
}

function mayBeUndefined(t: ts.Type): boolean {
  const parts = t.isUnion() ? t.types : [t];
  return parts.some((x) => x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void));
}

/**
 * An argument that may be undefined (an optional parameter passed on, `new
 * Cell(params, tempC)`) for a parameter with a default: JavaScript applies the
 * default to undefined as to an omitted argument, so the parameter is
 * `tempC !== undefined ? tempC : 25`. The argument is read twice, so it must be
 * a name or a field path.
 */
function defaultWhenUndefined(inliner: Inliner, node: ts.Expression, p: ts.ParameterDeclaration, site: ts.Node, what: string, out: Sink): Value {
  let path = skipParens(node);
  while (ts.isPropertyAccessExpression(path) && !path.questionDotToken) path = skipParens(path.expression);
  const fallback = inliner.value(p.initializer!, { self: undefined, rename: true }, out);
  if (!ts.isIdentifier(path) || fallback.kind !== "expr") {
    fail(Code.Unsupported, site, `${what} is passed '${userText(node)}', which may be undefined, for its parameter '${(p.name as ts.Identifier).text}' that has a default; pass a value that is always there ('${userText(node)} ?? ${userText(p.initializer!)}').`);
  }
  const checker = inliner.checker;
  const missing = typed(ts.factory.createVoidZero(), checker.getUndefinedType(), site);
  const present = inliner.build.test(node, ts.SyntaxKind.ExclamationEqualsEqualsToken, missing, site);
  return { kind: "expr", node: inliner.build.cond(present, node, fallback.node, checker.getNonNullableType(checker.getTypeAtLocation(node)), site) };
}

/** `v` computed once: each field (or the value) that is no simple read goes into a const, unless it is read at most once. */
export function once(inliner: Inliner, v: Value, name: string, uses: number | FieldUses, from: ts.Node, out: Sink): Value {
  // An element of an array of instances stays where it is: the body may write its fields.
  if (v.kind === "fn" || v.kind === "columns" || (v.kind === "struct" && v.element)) return v;
  if (typeof uses !== "number") {
    if (v.kind !== "struct") return once(inliner, v, name, uses.bare + [...uses.fields.values()].reduce((a, b) => a + b, 0), from, out);
    // A field read once goes where it is read; one read more often (or the whole instance passed on) is kept in a const.
    const fields = new Map<string, Value>();
    for (const [field, fv] of v.fields) fields.set(field, once(inliner, fv, `${name}_${field}`, uses.bare > 0 ? 2 : (uses.fields.get(field) ?? 0), from, out));
    return sameHolder({ ...v, fields }, v);
  }
  if (v.kind === "expr") {
    if (uses <= 1 || isConstantRead(v.node) || !out) return v;
    const type = inliner.checker.getTypeAtLocation(v.node);
    // An array made by the argument (`curved.slice(s, e)`, a row copied for the body: row-arguments.ts) is made once too.
    if (!inliner.isNumber(type) && !(ts.isCallExpression(skipParens(v.node)) && inliner.checker.isArrayType(type))) return v;
    const id = newLocal(name, type, from);
    stable.add(id);
    out.push(inliner.build.declare(id, v.node, ts.NodeFlags.Const, from));
    return { kind: "expr", node: id };
  }
  const fields = new Map<string, Value>();
  for (const [field, fv] of v.fields) fields.set(field, once(inliner, fv, `${name}_${field}`, uses, from, out));
  return sameHolder({ ...v, fields }, v);
}

/** `copy`, the record `v` passed on with its fields bound for the body, held by the local that holds `v` (one object in JavaScript). */
function sameHolder(copy: Value, v: Value): Value {
  const holder = heldBy.get(v);
  if (holder) heldBy.set(copy, holder);
  return copy;
}

/** A method, getter or function body after the passes before this one (destructured parameters, switch, ...). */
export function desugaredBody(inliner: Inliner, decl: FunctionLike | ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.ConstructorDeclaration): FunctionLike {
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
    result = pass(result, inliner.ctx);
  }
  desugared.set(decl, result);
  return result;
}

const desugared = new WeakMap<ts.Node, FunctionLike>();

/**
 * Statements whose returns are all in tail position: after an `if` that
 * returns on every path through one branch, the rest of the list moves into
 * the other branch (`if (c) return a; return b;` is `if (c) return a; else return b;`).
 */
export function tailReturns(list: readonly ts.Statement[], inliner?: Inliner): ts.Statement[] {
  const f = ts.factory;
  const out: ts.Statement[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (inliner && ts.isIterationStatement(s, false) && containsReturn(s) && returnsBreakOut(s)) {
      // `for (...) { if (c) return v; ... } rest`: the return stores the result and breaks out, a flag says it did, and the rest runs when it did not.
      const boolean = inliner.checker.getBooleanType();
      const returned = newLocal("returned", boolean, s);
      out.push(inliner.build.declare(returned, typed(f.createFalse(), boolean, s), ts.NodeFlags.Let, s));
      forEachNode(s, (n) => {
        if (ts.isReturnStatement(n)) afterReturn.set(n, [inliner.build.assign(returned, typed(f.createTrue(), boolean, n), n), like(f.createBreakStatement(), n)]);
        return !ts.isFunctionLike(n);
      });
      out.push(s);
      const rest = tailReturns(list.slice(i + 1), inliner);
      if (rest.length) out.push(like(f.createIfStatement(typed(f.createPrefixUnaryExpression(ts.SyntaxKind.ExclamationToken, returned), boolean, s), f.createBlock(rest, true)), s));
      return out;
    }
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

/** What follows the store of a return inside a loop of an inlined body (tailReturns): `returned = true; break;`. */
export const afterReturn = new WeakMap<ts.ReturnStatement, readonly ts.Statement[]>();

/** Whether every return in the loop `loop` would leave it with a plain `break` (none inside a nested loop or switch). */
function returnsBreakOut(loop: ts.IterationStatement): boolean {
  const ok = (n: ts.Node, nested: boolean): boolean => {
    if (ts.isReturnStatement(n)) return !nested && !!n.expression;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return true;
    const inner = nested || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
    return !ts.forEachChild(n, (c) => !ok(c, inner) || undefined);
  };
  return !ts.forEachChild(loop, (c) => !ok(c, false) || undefined);
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
export function countUses(body: ts.Node, key: Key, checker: ts.TypeChecker): number {
  let n = 0;
  const visit = (x: ts.Node, weight: number): void => {
    if (ts.isIdentifier(x) && (x === key || (x.parent && checker.getSymbolAtLocation(x) === key))) n += weight;
    const w = ts.isIterationStatement(x, false) || ts.isFunctionLike(x) ? 2 : weight;
    ts.forEachChild(x, (c) => visit(c, w));
  };
  visit(body, 1);
  return n;
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
export function functionLabel(callee: ts.Expression): string {
  callee = skipParens(callee);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return "result";
}
