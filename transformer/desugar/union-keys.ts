// Desugaring: records read by a string-union key. Takes: a function that may
// read a record of numbers whose type lists its keys (`Record<Territory,
// number>`, `{ north: number; south: number }`) by a key whose type is a union
// of string literals (`rates[region]` with `region: "north" | "south"`), the
// record being anything but a parameter read by keys as a whole (keyed.ts runs
// first and turns those into arrays). Guarantees: each such read is a chain of
// field reads chosen by the key, `region === "north" ? rates.north :
// rates.south`, so the record stays a record of named numbers (its fields are
// differentiated as any fields are) and the key stays passive data that only
// chooses a branch, as a comparison of data does. A write by such a key
// (`rates[region] = x`) is left as it is, for lowering to refuse.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, skipParens, typed, visitChildren } from "./synth.js";

export function desugarUnionKeys(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  if (!fn.body) return fn;
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node => {
    const inner = visitChildren(node, visit);
    if (!ts.isElementAccessExpression(inner) || isWritten(node)) return inner;
    return chain(inner, checker, build) ?? inner;
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** Whether `node` is written (`r[k] = x`, `r[k] += x`, `r[k]++`), not only read. */
function isWritten(node: ts.Node): boolean {
  const parent = node.parent as ts.Node | undefined;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node) {
    const op = parent.operatorToken.kind;
    return op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
  }
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken);
}

/** The string literals of the union `t` (or the one literal `t`), else undefined. */
function literalsOf(t: ts.Type): string[] | undefined {
  const members = t.isUnion() ? t.types : [t];
  const out: string[] = [];
  for (const m of members) {
    if (!m.isStringLiteral()) return undefined;
    out.push(m.value);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Expressions that read the same value each time they are evaluated, cheaply:
 * names and field reads of names (`region`, `policy.territory`), repeated in
 * each test of the chain.
 */
function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e) && !e.questionDotToken) return isPlainRead(e.expression);
  return false;
}

/** `key === "a" ? r.a : key === "b" ? r.b : r.c` for `r[key]`, or undefined if `access` is not such a read. */
function chain(access: ts.ElementAccessExpression, checker: ts.TypeChecker, build: Build): ts.Expression | undefined {
  const key = access.argumentExpression;
  if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key) || access.questionDotToken) return undefined;
  if (!isPlainRead(key) || !isPlainRead(access.expression)) return undefined;
  const keys = literalsOf(checker.getTypeAtLocation(key));
  const record = checker.getNonNullableType(checker.getTypeAtLocation(access.expression));
  if (!keys || !(record.flags & ts.TypeFlags.Object) || checker.isArrayType(record) || checker.isTupleType(record)) return undefined;
  if (checker.getIndexInfoOfType(record, ts.IndexKind.String)) return undefined;
  const fields = keys.map((k) => checker.getPropertyOfType(record, k));
  // Every key names a field holding a number (an optional field reads undefined, as the user's read would).
  const numbers = (t: ts.Type): boolean => (t.isUnion() ? t.types.every(numbers) : !!(t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Undefined)));
  if (fields.some((p) => !p || p.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor) || !numbers(checker.getTypeOfSymbol(p)))) return undefined;
  if (!keys.every((k) => /^[A-Za-z_$][\w$]*$/.test(k))) return undefined;
  const type = checker.getTypeAtLocation(access);
  const read = (k: string): ts.Expression => build.property(access.expression, k, checker.getTypeOfSymbol(checker.getPropertyOfType(record, k)!), access);
  let out = read(keys[keys.length - 1]!);
  for (let i = keys.length - 2; i >= 0; i--) {
    const k = keys[i]!;
    const test = build.test(key, ts.SyntaxKind.EqualsEqualsEqualsToken, typed(ts.factory.createStringLiteral(k), checker.getStringLiteralType(k), key), access);
    out = build.cond(test, read(k), out, type, access);
  }
  return out;
}
