// Desugaring: helpers returning a tuple or record, or null. Takes: a function
// that declares `const sun = sunDirection(site, hour)`, where the helper (a
// function of the same file, so the module names its body reads mean the same
// here, not recursive) returns a tuple or record of numbers or `null` /
// `undefined` (`Vec3 | null`, `[number, number] | undefined`), and tests the
// result before reading it (`if (sun === null) return;`, `if (!sun) continue;`,
// `sun ? ... : 0`). Guarantees: no such declaration remains. The helper's body
// is inlined in a block where the declaration was, its returns turned into
// assignments: `let sun: Vec3 = [0, 0, 0]` (a placeholder, never read while
// missing) and `let hasSun = true`, `return [e, n, u]` is `sun = [e, n, u]`,
// `return null` is `hasSun = false`, and the statements after an
// `if (c) return ...;` go into its else. A test that the result is missing is
// `!hasSun` (present: `hasSun`); a read where the checker knows it is there is
// the local `sun`, a tuple of numbers like any. A read where it may be missing,
// a strict test for the missing value the helper never returns, and a return
// inside a loop or nested block of the helper are refused, named, with the way
// out. The result is what JavaScript computes: the same statements run in the
// same order, the helper's locals scoped to their block (each call has its own).

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { isRecursive } from "../inline.js";
// A cycle (index.ts lists this pass), read only when a pass runs, once both modules are loaded.
import { desugarBefore } from "./index.js";
import { Build, like, newLocal, skipParens, typed, userText, visitChildren } from "./synth.js";

const f = ts.factory;
const MISSING = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;

/** A declaration of a helper's result that may be missing, as this pass rewrites it. */
interface Maybe {
  /** The user's name (`sun`). */
  readonly name: string;
  /** The local holding the result when it is there, typed without null. */
  readonly value: ts.Identifier;
  /** `hasSun`: whether the helper returned a value. */
  readonly present: ts.Identifier;
  /** The missing values the helper's type admits. */
  readonly nullable: boolean;
  readonly undefinable: boolean;
}

export function inlineMaybeResults(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  if (!fn.body || !hasCandidate(fn.body, checker)) return fn;
  const build = new Build(checker);
  const maybes = new Map<ts.Symbol, Maybe>();

  const maybeOf = (e: ts.Expression): { symbol: ts.Symbol; maybe: Maybe } | undefined => {
    e = skipParens(e);
    const symbol = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    const maybe = symbol && maybes.get(symbol);
    return maybe && symbol && { symbol, maybe };
  };
  /** `hasSun`, or `!hasSun`: the flag itself (a new local is known by its node). */
  const presence = (maybe: Maybe, there: boolean, from: ts.Node): ts.Expression =>
    there ? maybe.present : typed(f.createPrefixUnaryExpression(ts.SyntaxKind.ExclamationToken, maybe.present), checker.getBooleanType(), from);

  /** `sun === null`, `sun == undefined`, `!sun`, `sun !== null`: the result tested for being there, and the test's value when it is. */
  const tested = (e: ts.Expression): { maybe: Maybe; there: boolean } | undefined => {
    e = skipParens(e);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = tested(e.operand) ?? bare(e.operand);
      return inner && { maybe: inner.maybe, there: !inner.there };
    }
    if (!ts.isBinaryExpression(e)) return undefined;
    const op = e.operatorToken.kind;
    const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!negated && !loose && op !== ts.SyntaxKind.EqualsEqualsEqualsToken) return undefined;
    const other = isNull(e.right) || isUndefined(e.right) ? e.right : isNull(e.left) || isUndefined(e.left) ? e.left : undefined;
    const found = other && maybeOf(other === e.right ? e.left : e.right);
    if (!other || !found) return undefined;
    const { maybe } = found;
    // `=== null` of a result that is never undefined is exactly "missing" (and so on); a strict test of the other is always false.
    const exact = loose || (isNull(other) ? !maybe.undefinable : !maybe.nullable);
    if (!exact) {
      const tested = isNull(other) ? "null" : "undefined";
      const never = isNull(other) ? !maybe.nullable : !maybe.undefinable;
      const why = never ? `'${maybe.name}' is never ${tested} (its helper returns ${isNull(other) ? "undefined" : "null"} when there is none), so the test is always ${negated ? "true" : "false"}` : `'${maybe.name}' may also be ${isNull(other) ? "undefined" : "null"}`;
      fail(Code.Unsupported, e, `'${userText(e)}' tests for ${tested}, but ${why}; write '${maybe.name} == null' (or '!${maybe.name}') instead, which tsgrad reads as "missing".`);
    }
    return { maybe, there: negated };
  };
  /** `sun` used as a condition: there exactly when it is (a tuple or record is truthy). */
  const bare = (e: ts.Expression): { maybe: Maybe; there: boolean } | undefined => {
    const found = maybeOf(e);
    return found && { maybe: found.maybe, there: true };
  };
  const condition = (e: ts.Expression): ts.Expression => {
    const t = tested(e) ?? bare(e);
    return t ? presence(t.maybe, t.there, e) : (visit(e) as ts.Expression);
  };

  /** The helper call `const sun = helper(...)` declares, when its result is a tuple or record of numbers or missing. */
  const declaration = (node: ts.VariableStatement): ts.Statement[] | undefined => {
    const list = node.declarationList;
    if (!(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) return undefined;
    const d = list.declarations[0]!;
    const init = d.initializer && skipParens(d.initializer);
    if (!ts.isIdentifier(d.name) || !init || !ts.isCallExpression(init) || init.questionDotToken) return undefined;
    const declared = checker.getTypeAtLocation(d.name);
    const shape = maybeShape(checker, declared);
    if (!shape) return undefined;
    const helper = ctx.resolveFunction(init.expression);
    if (!helper?.body || helper === fn || ts.getOriginalNode(helper) === ts.getOriginalNode(fn)) return undefined;
    // Only a helper of this file: the module names its body reads mean the same where its statements go (inline.ts).
    if (ts.getOriginalNode(helper).getSourceFile() !== ts.getOriginalNode(fn).getSourceFile()) return undefined;
    const what = `'${userText(init.expression)}'`;
    const refuse = (at: ts.Node, why: string): never =>
      fail(
        Code.UnsupportedType,
        at,
        `'${d.name.getText()}' may be missing ('${checker.typeToString(declared)}'): tsgrad inlines ${what} where it is called and reads its result once it is tested (if (${(d.name as ts.Identifier).text} === null) ...), but ${why}. Rewrite the helper so it can be inlined, or make it return a value that is never missing.`,
      );
    if (isRecursive(helper, (c) => ctx.resolveFunction(c))) return refuse(init, `${what} calls itself`);
    if (init.arguments.length > helper.parameters.length || init.arguments.some(ts.isSpreadElement) || helper.parameters.some((p) => p.dotDotDotToken || !ts.isIdentifier(p.name))) {
      return refuse(init, `its parameters are not one plain name per argument`);
    }
    const name = d.name.text;
    const value = newLocal(name, shape.present, d.name);
    const present = newLocal(`has${name[0]!.toUpperCase()}${name.slice(1)}`, checker.getBooleanType(), d.name);
    const symbol = checker.getSymbolAtLocation(d.name);
    const maybe: Maybe = { name, value, present, nullable: shape.nullable, undefinable: shape.undefinable };
    if (symbol) maybes.set(symbol, maybe);

    const decl = desugarBefore("maybe results", helper, ctx);
    const body = decl.body!;
    const statements: readonly ts.Statement[] = ts.isBlock(body) ? body.statements : [like(f.createReturnStatement(body), body)];
    // Arguments: a name or a literal the helper does not assign is read where its parameter is; anything else is a const of it.
    const passed = new Map<ts.Symbol, ts.Expression>();
    const prefix: ts.Statement[] = [];
    for (const [k, p] of helper.parameters.entries()) {
      const arg = init.arguments[k] ?? p.initializer;
      const param = checker.getSymbolAtLocation(p.name);
      if (!arg || !param) return refuse(init, `it is called without its argument '${p.name.getText()}'`);
      const plain = skipParens(arg);
      if ((ts.isIdentifier(plain) || ts.isLiteralExpression(plain)) && !assigns(body, param, checker)) passed.set(param, plain);
      else prefix.push(build.declare(p.name, arg, ts.NodeFlags.Const, arg));
    }
    const substitute = (n: ts.Node): ts.Node => {
      if (ts.isIdentifier(n) && !isDeclarationName(n)) {
        const s = checker.getSymbolAtLocation(n);
        const arg = s && passed.get(s);
        if (arg) return arg;
      }
      // `{ hour }`: the field keeps its name.
      if (ts.isShorthandPropertyAssignment(n)) {
        const s = checker.getSymbolAtLocation(n.name);
        const arg = s && passed.get(s);
        if (arg) return like(f.createPropertyAssignment(n.name.text, arg), n);
      }
      if (ts.isPropertyAccessExpression(n)) return like(f.updatePropertyAccessExpression(n, substitute(n.expression) as ts.Expression, n.name), n);
      return visitChildren(n, substitute);
    };
    const result = (ret: ts.ReturnStatement): ts.Statement => {
      const e = ret.expression && skipParens(ret.expression);
      if (!e || isNull(e) || isUndefined(e)) return build.assign(present, typed(f.createFalse(), checker.getBooleanType(), ret), ret);
      if (mayBeMissing(checker.getTypeAtLocation(e))) return refuse(ret, `this return gives a value that may itself be missing ('${userText(ret)}'); return null and the value in separate returns`);
      return build.assign(value, substitute(e) as ts.Expression, ret);
    };
    const structured = structure(statements, result, (s) => refuse(s, `${what} returns inside a loop, a switch or a nested block (tsgrad turns returns into assignments where the helper's statements run in order: return from an if at the top level of its body, or at its end)`));
    const falls = !alwaysReturns(statements);
    const inner = [...prefix, ...structured.map((s) => substitute(s) as ts.Statement), ...(falls ? [build.assign(present, typed(f.createFalse(), checker.getBooleanType(), node), node)] : [])];
    const declareValue = build.declare(value, placeholder(checker, build, shape.present, d), ts.NodeFlags.Let, node);
    const declarePresent = build.declare(present, typed(f.createTrue(), checker.getBooleanType(), node), ts.NodeFlags.Let, node);
    return [declareValue, declarePresent, like(f.createBlock(inner, true), node)];
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node)) {
      const out = declaration(node);
      if (out) return out.map((s) => visit(s) as ts.Statement);
    }
    if (ts.isIfStatement(node)) {
      return like(f.updateIfStatement(node, condition(node.expression), visit(node.thenStatement) as ts.Statement, node.elseStatement && (visit(node.elseStatement) as ts.Statement)), node);
    }
    if (ts.isConditionalExpression(node)) {
      return like(f.updateConditionalExpression(node, condition(node.condition), node.questionToken, visit(node.whenTrue) as ts.Expression, node.colonToken, visit(node.whenFalse) as ts.Expression), node);
    }
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return like(f.updateBinaryExpression(node, condition(node.left), node.operatorToken, condition(node.right)), node);
    }
    if (ts.isExpression(node)) {
      const t = tested(node);
      if (t) return presence(t.maybe, t.there, node);
    }
    if (ts.isIdentifier(node) && !isDeclarationName(node)) {
      const found = maybeOf(node);
      if (found) {
        if (mayBeMissing(checker.getTypeAtLocation(node))) {
          fail(
            Code.UnsupportedType,
            node,
            `'${found.maybe.name}' may be missing here ('${checker.typeToString(checker.getTypeAtLocation(node))}'); tsgrad reads the result of a helper that may return null once it is tested: ` +
              `test it first (if (${found.maybe.name} === null) return;, or ${found.maybe.name} ? ... : ...) and read it where it is there.`,
          );
        }
        return found.maybe.value;
      }
    }
    return visitChildren(node, visit);
  };
  const out = visit(fn) as FunctionLike;
  return out;
}

/** Whether `body` declares a const of a type that may be a helper's result missing: cheap test before the pass does anything. */
function hasCandidate(body: ts.Node, checker: ts.TypeChecker): boolean {
  // An explicit stack, not recursion: a return of thousands of terms nests as deep (long-expressions.test.ts).
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isCallExpression(skipParens(n.initializer)) && maybeShape(checker, checker.getTypeAtLocation(n.name))) return true;
    ts.forEachChild(n, (child) => void stack.push(child));
  }
  return false;
}

/** `T | null` (or undefined) where T is a tuple or record of numbers (nested): T, and which missing values. */
function maybeShape(checker: ts.TypeChecker, t: ts.Type): { present: ts.Type; nullable: boolean; undefinable: boolean } | undefined {
  if (!t.isUnion()) return undefined;
  const present = t.types.filter((x) => !(x.flags & MISSING));
  if (present.length !== 1 || present.length === t.types.length || !isNumbersShape(checker, present[0]!, 0)) return undefined;
  return { present: present[0]!, nullable: t.types.some((x) => x.flags & ts.TypeFlags.Null), undefinable: t.types.some((x) => x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) };
}

/** A tuple or plain record whose members are numbers or such tuples and records. */
function isNumbersShape(checker: ts.TypeChecker, t: ts.Type, depth: number): boolean {
  if (depth > 4 || !(t.flags & ts.TypeFlags.Object) || checker.isArrayType(t) || t.getCallSignatures().length > 0) return false;
  if (t.getSymbol()?.declarations?.some(ts.isClassLike)) return false;
  const members = checker.isTupleType(t) ? checker.getTypeArguments(t as ts.TypeReference) : checker.getPropertiesOfType(t).map((p) => checker.getTypeOfSymbol(p));
  if (!checker.isTupleType(t) && checker.getPropertiesOfType(t).some((p) => p.flags & (ts.SymbolFlags.Optional | ts.SymbolFlags.Method | ts.SymbolFlags.Accessor))) return false;
  return members.length > 0 && members.every((x) => !!(x.flags & ts.TypeFlags.NumberLike) || isNumbersShape(checker, x, depth + 1));
}

/** Zeros of the shape `t` (`[0, 0, 0]`, `{ x: 0, y: 0 }`): what the result holds while it is missing, never read then. */
function placeholder(checker: ts.TypeChecker, build: Build, t: ts.Type, from: ts.Node): ts.Expression {
  if (checker.isTupleType(t)) {
    const items = checker.getTypeArguments(t as ts.TypeReference).map((x) => (x.flags & ts.TypeFlags.NumberLike ? build.number(0, from) : placeholder(checker, build, x, from)));
    return typed(f.createArrayLiteralExpression(items), t, from);
  }
  const fields = checker.getPropertiesOfType(t).map((p) => {
    const x = checker.getTypeOfSymbol(p);
    return f.createPropertyAssignment(p.name, x.flags & ts.TypeFlags.NumberLike ? build.number(0, from) : placeholder(checker, build, x, from));
  });
  return typed(f.createObjectLiteralExpression(fields), t, from);
}

/**
 * The helper's statements with each return made by `result` and the code
 * after an `if` whose branch returns moved into its other branch; a return
 * anywhere else is handed to `refuse`.
 */
function structure(statements: readonly ts.Statement[], result: (ret: ts.ReturnStatement) => ts.Statement, refuse: (s: ts.Node) => never): ts.Statement[] {
  const out: ts.Statement[] = [];
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    if (ts.isReturnStatement(s)) {
      out.push(result(s));
      return out;
    }
    if (ts.isIfStatement(s) && (hasReturn(s.thenStatement) || (s.elseStatement && hasReturn(s.elseStatement)))) {
      const rest = statements.slice(i + 1);
      const branch = (b: ts.Statement | undefined): ts.Statement[] => {
        const own = b ? (ts.isBlock(b) ? [...b.statements] : [b]) : [];
        return structure(alwaysReturns(own) ? own : [...own, ...rest], result, refuse);
      };
      // The code after the if is moved into one branch only: the other must always return.
      if (!alwaysReturns(branchOf(s.thenStatement)) && !(s.elseStatement && alwaysReturns(branchOf(s.elseStatement)))) refuse(s);
      const then = f.createBlock(branch(s.thenStatement), true);
      const otherwise = f.createBlock(branch(s.elseStatement), true);
      out.push(like(f.updateIfStatement(s, s.expression, like(then, s.thenStatement), like(otherwise, s.elseStatement ?? s)), s));
      return out;
    }
    if (hasReturn(s)) refuse(s);
    out.push(s);
  }
  return out;
}

function branchOf(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** Whether running `statements` always ends in a return (of these statements, not of a function inside). */
function alwaysReturns(statements: readonly ts.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (ts.isReturnStatement(last)) return true;
  if (ts.isBlock(last)) return alwaysReturns(last.statements);
  if (ts.isIfStatement(last) && last.elseStatement) return alwaysReturns(branchOf(last.thenStatement)) && alwaysReturns(branchOf(last.elseStatement));
  return false;
}

/** Whether `s` has a return statement of its own (not of a function inside it). */
function hasReturn(s: ts.Node): boolean {
  if (ts.isReturnStatement(s)) return true;
  if (ts.isFunctionLike(s)) return false;
  return ts.forEachChild(s, hasReturn) ?? false;
}

function mayBeMissing(t: ts.Type): boolean {
  if (t.flags & MISSING) return true;
  return t.isUnion() && t.types.some(mayBeMissing);
}

function isNull(e: ts.Expression): boolean {
  return skipParens(e).kind === ts.SyntaxKind.NullKeyword;
}

function isUndefined(e: ts.Expression): boolean {
  e = skipParens(e);
  return (ts.isIdentifier(e) && e.text === "undefined") || ts.isVoidExpression(e);
}

/** Whether `body` assigns (or increments) the variable `symbol`: its argument is then a const of its own. */
function assigns(body: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  let found = false;
  const written = (e: ts.Expression): boolean => {
    e = skipParens(e);
    return (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol) || ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e);
  };
  const look = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && written(n.left)) found = true;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && written(n.operand)) found = true;
    else ts.forEachChild(n, look);
  };
  look(ts.getOriginalNode(body));
  return found;
}

/** Whether `id` is the name a declaration declares (not a use of it). */
function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return !!p && (ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyAccessExpression(p)) && (p as { name?: ts.Node }).name === id;
}
