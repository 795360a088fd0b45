// Desugaring: locals that may hold no number yet. Takes: a function that may
// declare `let m: number | undefined` (a running minimum, a first value seen)
// and give it a value with `m = x`, `m ??= x` or `m = undefined`, test it with
// `m === undefined`, `m !== undefined` (`== null`, `!= null`), read it with
// `m ?? d`, `m!`, or where the checker has narrowed it to a number.
// Guarantees: such a local is two: a number (`m`, 0 while unset) and a boolean
// saying whether it holds one (`mSet`); `m ??= x` is `if (!mSet) { m = x; mSet
// = true; }`, `m = x` sets both, a test of `undefined` reads the flag, `m ?? d`
// is `mSet ? m : d`. So the choice is a branch, with no derivative of its own,
// and the number is differentiated like any local. A use that needs the
// undefined itself (passed on, returned, read where it may be unset) is
// refused at that use, named as written, with the test or default to write. A
// local declared with a value that may be missing itself (`const hit =
// xs.find(...)`) is not taken: the passes after this one read it as they
// always have.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { forEachNode } from "../walk.js";
import { Build, isNewLocal, like, newLocal, skipParens, typed, userText, visitChildren } from "./synth.js";

interface Maybe {
  readonly value: ts.Identifier;
  readonly set: ts.Identifier;
  readonly name: string;
  /** What the local holds when unset: undefined or null (its type has one of them). */
  readonly missing: ts.TypeFlags;
}

export function desugarMaybeLocals(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  if (!fn.body) return fn;
  const f = ts.factory;
  const build = new Build(checker);
  const number = checker.getNumberType();
  const boolean = checker.getBooleanType();
  const locals = new Map<ts.Symbol, Maybe>();

  // The locals: a `let` (or `const`) of `number | undefined` declared in the function, by one name.
  forEachNode(fn.body, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && !isNewLocal(n.name) && isMaybeNumber(checker, checker.getTypeAtLocation(n.name)) && ts.isVariableDeclarationList(n.parent) && !ts.isForOfStatement(n.parent.parent) && !ts.isForInStatement(n.parent.parent)) {
      const symbol = checker.getSymbolAtLocation(n.name);
      const missing = missingOf(checker.getTypeAtLocation(n.name));
      if (symbol) locals.set(symbol, { value: newLocal(n.name.text, number, n.name), set: newLocal(`${n.name.text}Set`, boolean, n.name), name: n.name.text, missing });
    }
  });
  // A local declared with a value that may itself be missing (`const hit = xs.find(...)`) is left to the passes that read it as such (nullish.ts).
  forEachNode(fn.body, (n) => {
    const target = ts.isVariableDeclaration(n) ? n.name : undefined;
    const value = ts.isVariableDeclaration(n) ? n.initializer : undefined;
    const symbol = target && ts.isIdentifier(target) && !isNewLocal(target) ? checker.getSymbolAtLocation(target) : undefined;
    if (symbol && value && locals.has(symbol)) {
      const t = checker.getTypeAtLocation(value);
      if (!every(t, ts.TypeFlags.NumberLike) && !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) locals.delete(symbol);
    }
  });
  if (locals.size === 0) return fn;

  const maybeOf = (e: ts.Expression): Maybe | undefined => {
    e = skipParens(e);
    if (!ts.isIdentifier(e) || isNewLocal(e)) return undefined;
    const symbol = checker.getSymbolAtLocation(e);
    return symbol && locals.get(symbol);
  };
  const setTo = (m: Maybe, value: boolean, from: ts.Node): ts.Statement => build.assign(m.set, typed(value ? f.createTrue() : f.createFalse(), boolean, from), from);
  /** Whether `e` is undefined or null (`missing` says which one only, for a strict comparison). */
  const isUndefined = (e: ts.Expression, missing: ts.TypeFlags = ts.TypeFlags.Undefined | ts.TypeFlags.Null): boolean => {
    e = skipParens(e);
    const flags = (ts.isIdentifier(e) && e.text === "undefined" ? ts.TypeFlags.Undefined : 0) | (e.kind === ts.SyntaxKind.NullKeyword ? ts.TypeFlags.Null : 0) | checker.getTypeAtLocation(e).flags;
    return !!(flags & missing);
  };
  const notSet = (m: Maybe, from: ts.Node): ts.Expression => typed(f.createPrefixUnaryExpression(ts.SyntaxKind.ExclamationToken, m.set), boolean, from);

  /** `m = x`, `m ??= x`, `m = undefined` as statements of the two locals; undefined when `e` is no such assignment. */
  const assignment = (e: ts.Expression, from: ts.Statement): ts.Statement[] | undefined => {
    e = skipParens(e);
    if (!ts.isBinaryExpression(e)) return undefined;
    const m = maybeOf(e.left);
    if (!m) return undefined;
    const op = e.operatorToken.kind;
    if (op < ts.SyntaxKind.FirstAssignment || op > ts.SyntaxKind.LastAssignment) return undefined;
    if (op === ts.SyntaxKind.EqualsToken) {
      if (isUndefined(e.right)) return [setTo(m, false, from)];
      const value = numberValue(m, e.right, e);
      return [build.assign(m.value, value, from), setTo(m, true, from)];
    }
    if (op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
      const value = numberValue(m, e.right, e);
      return [ifThen(notSet(m, e), [build.assign(m.value, value, from), setTo(m, true, from)], from)];
    }
    // `m += x` where the checker has narrowed m to a number: the number local's own update.
    if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment && op !== ts.SyntaxKind.BarBarEqualsToken && op !== ts.SyntaxKind.AmpersandAmpersandEqualsToken) return undefined;
    return fail(Code.UnsupportedType, e, `'${userText(e)}' tests whether '${m.name}' (a number | undefined) is truthy, where 0 counts as missing too; write the test you mean (${m.name} === undefined ? ... : ...) or use ??=.`);
  };

  /** The number `x` assigned to `m`: refused when it may be undefined itself. */
  const numberValue = (m: Maybe, x: ts.Expression, at: ts.Expression): ts.Expression => {
    if (!every(checker.getTypeAtLocation(x), ts.TypeFlags.NumberLike)) {
      fail(Code.UnsupportedType, at, `'${userText(at)}' gives '${m.name}' a value of type '${checker.typeToString(checker.getTypeAtLocation(x))}', and tsgrad keeps '${m.name}' (a number | undefined) as a number and a flag saying whether it is set; assign a number (${userText(x)} ?? 0), or test for undefined first.`);
    }
    return visit(x) as ts.Expression;
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node)) {
      const [d, ...more] = node.declarationList.declarations;
      const m = d && ts.isIdentifier(d.name) && more.length === 0 ? maybeOf(d.name) : undefined;
      if (m && d) {
        const init = d.initializer;
        const given = !!init && !isUndefined(init);
        const value = given ? numberValue(m, init!, init!) : build.number(0, d);
        return [build.declare(m.value, value, ts.NodeFlags.Let, d), build.declare(m.set, typed(given ? f.createTrue() : f.createFalse(), boolean, d), ts.NodeFlags.Let, d)];
      }
    }
    if (ts.isExpressionStatement(node)) {
      const out = assignment(node.expression, node);
      if (out) return out;
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (equality) {
        // `m === undefined`: whether it is unset; `m !== undefined`: whether it is set.
        const m = maybeOf(node.left) ?? maybeOf(node.right);
        const other = m && (maybeOf(node.left) ? node.right : node.left);
        const strict = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
        if (m && other && isUndefined(other, strict ? m.missing : undefined)) {
          const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
          return negated ? m.set : notSet(m, node);
        }
      }
      if (op === ts.SyntaxKind.QuestionQuestionToken) {
        const m = maybeOf(node.left);
        if (m) return build.cond(m.set, m.value, visit(node.right) as ts.Expression, checker.getTypeAtLocation(node), node);
      }
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) {
        const m = maybeOf(node.left);
        if (m && (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken)) {
          fail(Code.Unsupported, node, `'${userText(node)}' assigns '${m.name}' (a number | undefined) inside an expression, and tsgrad keeps it as a number and a flag saying whether it is set; assign it in a statement of its own.`);
        }
        if (m) return like(f.updateBinaryExpression(node, m.value, node.operatorToken, visit(node.right) as ts.Expression), node);
      }
    }
    if (ts.isNonNullExpression(node)) {
      // `m!`: the user says it is set here.
      const m = maybeOf(node.expression);
      if (m) return m.value;
    }
    if (ts.isIdentifier(node) && !isNewLocal(node)) {
      const m = maybeOf(node);
      if (m) {
        // A read the checker has narrowed to a number (after `if (m === undefined) return`, in `m !== undefined ? m : 0`).
        if (every(checker.getTypeAtLocation(node), ts.TypeFlags.NumberLike)) return m.value;
        fail(Code.UnsupportedType, node.parent ?? node, `'${userText(node.parent ?? node)}' reads '${m.name}', which may still be undefined here, and tsgrad keeps '${m.name}' (a number | undefined) as a number and a flag saying whether it is set; test it first (if (${m.name} !== undefined) ...) or give it a default (${m.name} ?? 0).`);
      }
    }
    return visitChildren(node, visit);
  };
  return visitChildren(fn, visit);
}

/** Undefined or null: what a `number | undefined` (`number | null`) local holds when unset. */
function missingOf(t: ts.Type): ts.TypeFlags {
  return t.isUnion() && t.types.some((x) => x.flags & ts.TypeFlags.Null) ? ts.TypeFlags.Null : ts.TypeFlags.Undefined;
}

/** `number | undefined` (or `number | null`): a number that may be missing, and nothing else. */
function isMaybeNumber(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!t.isUnion()) return false;
  const missing = t.types.filter((x) => x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null));
  const rest = t.types.filter((x) => !(x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  return missing.length === 1 && rest.length > 0 && rest.every((x) => x.flags & ts.TypeFlags.NumberLike) && !!checker;
}

function ifThen(test: ts.Expression, then: ts.Statement[], from: ts.Node): ts.Statement {
  return like(ts.factory.createIfStatement(test, like(ts.factory.createBlock(then, true), from)), from);
}
