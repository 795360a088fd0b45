// Desugaring: records read by a string-union key. Takes: a function that may
// read a record of numbers whose type lists its keys (`Record<Territory,
// number>`, `{ north: number; south: number }`) by a key whose type is a union
// of string literals (`rates[region]` with `region: "north" | "south"`), the
// record being anything but a parameter read by keys as a whole (keyed.ts runs
// first and turns those into arrays). Guarantees: each such read is a chain of
// field reads chosen by the key, `region === "north" ? rates.north :
// rates.south`, so the record stays a record of named numbers (its fields are
// differentiated as any fields are) and the key stays passive data that only
// chooses a branch, as a comparison of data does. A write by such a key that is
// a statement of its own (`totals[n] += dose * ppm`, `counts[kind]++`, on a
// local record the function builds and updates) is the same write to one field
// chosen by an if/else chain, `if (n === "N") totals.N += ...; else ...`, so
// the value is computed once, in the branch that runs, where a read by the same
// key names its field directly (`totals.N += dose * ppm.N`). A write by such a
// key inside a larger expression is left as it is, for lowering to refuse.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Build, like, shownAsWritten, skipParens, typed, visitChildren } from "./synth.js";

export function desugarUnionKeys(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  if (!fn.body) return fn;
  const build = new Build(checker);
  // Keys whose value is known where the code being visited runs: inside the branch a write chose (`n` is "N").
  const known = new Map<ts.Symbol, string>();
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isExpressionStatement(node)) {
      const written = writeChain(node, checker, build, (key, k, value) => {
        const symbol = ts.isIdentifier(key) ? checker.getSymbolAtLocation(key) : undefined;
        if (!symbol || known.has(symbol) || assigns(value, symbol, checker)) return ts.visitNode(value, visit, ts.isExpression) as ts.Expression;
        known.set(symbol, k);
        try {
          return ts.visitNode(value, visit, ts.isExpression) as ts.Expression;
        } finally {
          known.delete(symbol);
        }
      });
      if (written) return written;
    }
    const inner = visitChildren(node, visit);
    if (!ts.isElementAccessExpression(inner) || isWritten(node)) return inner;
    return chain(inner, checker, build, known) ?? inner;
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** A read or write `r[key]` of a record of named numbers by a string-union key: the record's type and the key's literals. */
interface UnionAccess {
  readonly record: ts.Type;
  readonly keys: readonly string[];
}

/** Whether `e` assigns the name `symbol` (then a key it reads is not the one the branch chose). */
function assigns(e: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  let found = false;
  const look = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && isWritten(n) && checker.getSymbolAtLocation(n) === symbol) found = true;
    ts.forEachChild(n, look);
  };
  look(e);
  return found;
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

/** What `access` reads when it is `r[key]` of a record of named numbers by a string-union key; undefined for any other access. */
function unionAccess(access: ts.ElementAccessExpression, checker: ts.TypeChecker): UnionAccess | undefined {
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
  return { record, keys };
}

/** `key === "a"`, the test that chooses field `a`. */
function keyTest(key: ts.Expression, k: string, checker: ts.TypeChecker, build: Build, from: ts.Node): ts.Expression {
  return build.test(key, ts.SyntaxKind.EqualsEqualsEqualsToken, typed(ts.factory.createStringLiteral(k), checker.getStringLiteralType(k), key), from);
}

/**
 * `if (key === "a") r.a += v; else if (key === "b") r.b += v; else r.c += v;` for the
 * statement `r[key] += v` (any assignment operator, `++` and `--`), or undefined if
 * `statement` is not such a write.
 */
function writeChain(
  statement: ts.ExpressionStatement,
  checker: ts.TypeChecker,
  build: Build,
  /** The value written, desugared in the branch where `key` is `k`. */
  valueWhere: (key: ts.Expression, k: string, value: ts.Expression) => ts.Expression,
): ts.Statement | undefined {
  const e = skipParens(statement.expression);
  let target: ts.Expression;
  let rebuild: (field: ts.Expression, k: string) => ts.Expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
    target = skipParens(e.left);
    const key = ts.isElementAccessExpression(target) ? target.argumentExpression : e.left;
    rebuild = (field, k) => ts.factory.createBinaryExpression(field, e.operatorToken.kind as ts.BinaryOperator, valueWhere(key, k, e.right));
  } else if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
    target = skipParens(e.operand);
    const op = e.operator;
    rebuild = (field) => (ts.isPrefixUnaryExpression(e) ? ts.factory.createPrefixUnaryExpression(op, field) : ts.factory.createPostfixUnaryExpression(field, op));
  } else {
    return undefined;
  }
  if (!ts.isElementAccessExpression(target)) return undefined;
  const access = unionAccess(target, checker);
  if (!access) return undefined;
  const { record, keys } = access;
  const type = checker.getTypeAtLocation(e);
  const write = (k: string): ts.Statement => {
    const field = build.property(target.expression, k, checker.getTypeOfSymbol(checker.getPropertyOfType(record, k)!), target);
    return like(ts.factory.createExpressionStatement(typed(rebuild(field, k), type, e)), statement);
  };
  let out = write(keys[keys.length - 1]!);
  for (let i = keys.length - 2; i >= 0; i--) {
    const k = keys[i]!;
    // The comment above the branch's adjoint shows the test as written here (`if (n === "N")`).
    const test = shownAsWritten(keyTest(target.argumentExpression, k, checker, build, target.argumentExpression));
    out = like(ts.factory.createIfStatement(test, write(k), out), statement);
  }
  return out;
}

/** `key === "a" ? r.a : key === "b" ? r.b : r.c` for `r[key]`, or undefined if `access` is not such a read. */
function chain(access: ts.ElementAccessExpression, checker: ts.TypeChecker, build: Build, known: ReadonlyMap<ts.Symbol, string>): ts.Expression | undefined {
  const found = unionAccess(access, checker);
  if (!found) return undefined;
  const { record, keys } = found;
  const key = access.argumentExpression;
  const type = checker.getTypeAtLocation(access);
  const read = (k: string): ts.Expression => build.property(access.expression, k, checker.getTypeOfSymbol(checker.getPropertyOfType(record, k)!), access);
  // Inside the branch of a write by the same key, the key is known: `totals.N += doses[i] * ppm.N`.
  const symbol = ts.isIdentifier(key) ? checker.getSymbolAtLocation(key) : undefined;
  const k = symbol && known.get(symbol);
  if (k !== undefined && keys.includes(k)) return read(k);
  let out = read(keys[keys.length - 1]!);
  for (let i = keys.length - 2; i >= 0; i--) {
    const k = keys[i]!;
    out = build.cond(keyTest(key, k, checker, build, access), read(k), out, type, access);
  }
  return out;
}
