// Desugaring: lookups in a Map of records that is data. Takes: a function after
// the keyed-records pass (a key a walk over a keyed record gives is already
// `keyAt(scores, i)`), which may look records up by key in a built-in Map
// holding records, `universe.get(ticker)` and `universe.has(ticker)` of
// `universe: ReadonlyMap<string, Asset>`, the Map being a parameter (or a
// module constant) that holds no number of its own to differentiate. Such a Map
// is data: its type gives it no gradient (types.ts), and a record looked up in
// it is a constant for the derivative whatever key the lookup is given, as a
// key is a string. Guarantees: each such lookup is a passive marker
// (passive.ts) with the Map and the key as its holes, which lowering runs as
// written in the forward sweep: `const asset = universe.get(keyAt(scores, i))`
// is a local of its own type, `if (!asset) throw ...` is decided from it, and
// `asset.volatility` is a constant read through it, in the backward sweep as
// well. The key is lowered like any value (a key lookup of the runtime, a
// string the user computed). A Map of records in a local made in the function,
// a Map whose values are numbers (keyed.ts differentiates those), and a Map
// changed by the function (`universe.set(...)`) are left as written, for
// lowering to refuse named.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { passiveMarker } from "../passive.js";
import { Code, fail } from "../diagnostics.js";
import { forEachNode } from "../walk.js";
import { like, skipParens, typed, userText, visitChildren } from "./synth.js";

/** The lookups of a Map of records this pass turns into data reads. */
const LOOKUPS = new Set(["get", "has"]);
/** The methods whose result a for...of walks. */
const WALKS = new Set(["keys", "values", "entries"]);
/** Calls that change a Map: a Map the function changes is no constant. */
const CHANGES = new Set(["set", "delete", "clear"]);

export function desugarRecordMaps(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!fn.body || !ts.isBlock(fn.body)) return fn;
  const checker = ctx.checker;
  const maps = new RecordMaps(fn, ctx);
  let changed = false;
  /** A marker running `node` as written, the Map a hole when it is a parameter (a module constant stays as written: the generated function is declared where it is in scope). */
  const marker = (node: ts.Expression, map: ts.Identifier, key: readonly [ts.Identifier, ts.Expression] | undefined, type: ts.Type, from: ts.Node, receiver: ts.Identifier): ts.Expression => {
    const holes = new Map<ts.Identifier, number>();
    const args: ts.Expression[] = [];
    if (maps.isParameter(map)) {
      holes.set(receiver, args.length);
      args.push(like(ts.factory.createIdentifier(map.text), map));
    }
    if (key) {
      holes.set(key[0], args.length);
      args.push(key[1]);
    }
    changed = true;
    return typed(passiveMarker(node, holes, args, { numeric: every(type, ts.TypeFlags.NumberLike) }), type, from);
  };
  /** The marker for `n`, a lookup or a chain of field reads over `lookup` (`universe.get(k).volatility`), of type `type`. */
  const lookupMarker = (n: ts.Expression, lookup: ts.CallExpression, type: ts.Type): ts.Expression => {
    const callee = lookup.expression as ts.PropertyAccessExpression;
    const map = skipParens(callee.expression) as ts.Identifier;
    const receiver = ts.factory.createIdentifier(map.text);
    const key = ts.factory.createIdentifier("key");
    const read = like(ts.factory.createCallExpression(ts.factory.createPropertyAccessExpression(receiver, callee.name.text), undefined, [key]), lookup);
    // The key is lowered as any value (a lookup of the runtime, a string the user computed).
    const given = ts.visitNode(lookup.arguments[0]!, visit, ts.isExpression) as ts.Expression;
    return marker(like(fieldsOver(n, lookup, read), n), map, [key, given], type, n, receiver);
  };
  const visit = (n: ts.Node): ts.Node => {
    // A walk over the Map (`for (const [ticker, asset] of universe)`, or its keys(), values(), entries()): over a copy of what it holds, made once before the loop.
    if (ts.isForOfStatement(n) && maps.isWalked(n.expression)) {
      const walked = skipParens(n.expression);
      const method = ts.isCallExpression(walked) ? (walked.expression as ts.PropertyAccessExpression) : undefined;
      const map = (method ? skipParens(method.expression) : walked) as ts.Identifier;
      const receiver = ts.factory.createIdentifier(map.text);
      const source = method ? ts.factory.createCallExpression(ts.factory.createPropertyAccessExpression(receiver, method.name.text), undefined, []) : receiver;
      const copy = like(ts.factory.createArrayLiteralExpression([ts.factory.createSpreadElement(source)]), walked);
      const walk = marker(copy, map, undefined, arrayOf(checker, elementOf(n, checker)), walked, receiver);
      return ts.factory.updateForOfStatement(n, n.awaitModifier, n.initializer, walk, visitChildren(n.statement, visit) as ts.Statement);
    }
    // `EMISSIONS.get(mode)?.kg ?? 0.06`: the field where the lookup finds one, else the default, as
    // `read !== undefined ? read : d` (a lookup changes nothing and is cheap, so it is made twice).
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const left = skipParens(n.left);
      const lookup = maps.lookupUnder(left);
      if (lookup) {
        const type = checker.getTypeAtLocation(left);
        const test = typed(ts.factory.createBinaryExpression(lookupMarker(left, lookup, type), ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.factory.createVoidZero()), checker.getBooleanType(), n.left);
        const found = lookupMarker(left, lookup, checker.getNonNullableType(type));
        const otherwise = ts.visitNode(n.right, visit, ts.isExpression) as ts.Expression;
        return typed(ts.factory.createParenthesizedExpression(typed(ts.factory.createConditionalExpression(test, undefined, found, undefined, otherwise), checker.getTypeAtLocation(n), n)), checker.getTypeAtLocation(n), n);
      }
    }
    // The outermost read through a lookup (`universe.get(k)!.volatility`, after casts.ts `universe.get(k).volatility`) is one marker.
    const lookup = ts.isExpression(n) ? maps.lookupUnder(n) : undefined;
    return lookup ? lookupMarker(n as ts.Expression, lookup, checker.getTypeAtLocation(n)) : visitChildren(n, visit);
  };
  const out = visit(fn) as FunctionLike;
  return changed ? out : fn;
}

class RecordMaps {
  private readonly checker: ts.TypeChecker;
  /** Maps found to be changed in the function, by symbol. */
  private readonly changedMaps = new Set<ts.Symbol>();

  constructor(
    private readonly fn: FunctionLike,
    private readonly ctx: DesugarContext,
  ) {
    this.checker = ctx.checker;
    forEachNode(fn.body!, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && CHANGES.has(n.expression.name.text)) {
        const target = skipParens(n.expression.expression);
        const symbol = ts.isIdentifier(target) ? this.checker.getSymbolAtLocation(target) : undefined;
        if (!symbol) return;
        // A parameter's Map of records changed here: its lookups would depend on when they run, and the caller's Map would change.
        if (ts.isIdentifier(target) && this.isParameter(target) && this.isRecordMap(this.checker.getTypeAtLocation(target))) {
          fail(
            Code.Unsupported,
            n,
            `'${userText(n)}' changes the Map of records '${target.text}', a parameter tsgrad reads as data fixed for the call; make the Map it should be before calling the function (new Map(${target.text}) with the entry set) and pass that in.`,
          );
        }
        this.changedMaps.add(symbol);
      }
    });
  }

  /** `universe`, `universe.values()`, `.keys()` or `.entries()` of a Map of records that is data, walked by for...of. */
  isWalked(e: ts.Expression): boolean {
    e = skipParens(e);
    if (ts.isCallExpression(e) && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) && WALKS.has(e.expression.name.text)) e = skipParens(e.expression.expression);
    return ts.isIdentifier(e) && this.isData(e);
  }

  /** The lookup `n` is, or reads fields through (`universe.get(k).volatility`, `universe.get(k).limits.max`). */
  lookupUnder(n: ts.Expression): ts.CallExpression | undefined {
    let e = n;
    while (ts.isPropertyAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isCallExpression(e) && this.isLookup(e) ? e : undefined;
  }

  /** `m.get(k)` or `m.has(k)` of a Map of records that is data: a parameter or module constant the function leaves unchanged, a key that is a string. */
  isLookup(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !LOOKUPS.has(callee.name.text) || call.arguments.length !== 1) return false;
    const map = skipParens(callee.expression);
    if (!ts.isIdentifier(map) || !this.isData(map)) return false;
    // A key that is a string carries no derivative, whatever it was computed from.
    const key = this.checker.getTypeAtLocation(call.arguments[0]!);
    return every(key, ts.TypeFlags.StringLike);
  }

  /** Whether `map` names a Map of records that is data: a parameter or module constant the function leaves unchanged. */
  private isData(map: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(map);
    if (!symbol || this.changedMaps.has(symbol)) return false;
    if (!this.isParameter(map) && !this.isModuleConstant(symbol)) return false;
    return this.isRecordMap(this.checker.getTypeAtLocation(map));
  }

  /** Whether `id` names a parameter of the function (not reassigned: a parameter of a Map type never is, desugar/parameter-writes.ts refuses it). */
  isParameter(id: ts.Identifier): boolean {
    const decl = this.checker.getSymbolAtLocation(id)?.valueDeclaration;
    return !!decl && ts.isParameter(decl) && decl.parent === (ts.getParseTreeNode(this.fn) ?? this.fn);
  }

  /** A `const` declared at the top of a module: its Map is made once, before any call. */
  private isModuleConstant(symbol: ts.Symbol): boolean {
    const decl = symbol.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent) || !(decl.parent.flags & ts.NodeFlags.Const)) return false;
    return ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent);
  }

  /**
   * A built-in `Map` or `ReadonlyMap` keyed by strings whose values are records
   * (objects that are neither arrays nor functions): the Maps of numbers are
   * keyed.ts's, differentiated by key.
   */
  private isRecordMap(t: ts.Type): boolean {
    const symbol = t.getSymbol();
    if (!symbol || (symbol.name !== "Map" && symbol.name !== "ReadonlyMap")) return false;
    if (!symbol.declarations?.every((d) => this.ctx.isLibDeclaration(d))) return false;
    const [key, value] = this.checker.getTypeArguments(t as ts.TypeReference);
    if (!key || !value || !every(key, ts.TypeFlags.StringLike)) return false;
    const members = value.isUnion() ? value.types : [value];
    return members.every((m) => !!(m.flags & ts.TypeFlags.Object) && !this.checker.isArrayType(m) && !this.checker.isTupleType(m) && m.getCallSignatures().length === 0);
  }
}

/** `n`, a chain of field reads over `lookup`, with `read` in its place. */
function fieldsOver(n: ts.Expression, lookup: ts.CallExpression, read: ts.Expression): ts.Expression {
  if (n === lookup) return read;
  const f = ts.factory;
  if (ts.isPropertyAccessExpression(n)) {
    // `universe.get(k)!.volatility` as the user wrote it (casts.ts took the `!` away): a field of what get found.
    const inner = fieldsOver(n.expression, lookup, read);
    // `?.` where the user wrote it: undefined when get found nothing.
    if (n.questionDotToken) return f.createPropertyAccessChain(inner, n.questionDotToken, n.name.text);
    return f.createPropertyAccessExpression(n.expression === lookup && ts.isCallExpression(read) ? f.createNonNullExpression(inner) : inner, n.name.text);
  }
  if (ts.isNonNullExpression(n)) return f.createNonNullExpression(fieldsOver(n.expression, lookup, read));
  if (ts.isParenthesizedExpression(n)) return f.createParenthesizedExpression(fieldsOver(n.expression, lookup, read));
  return read;
}

/** The type of what a for...of binds (its one declaration). */
function elementOf(loop: ts.ForOfStatement, checker: ts.TypeChecker): ts.Type {
  const head = loop.initializer;
  return ts.isVariableDeclarationList(head) && head.declarations[0] ? checker.getTypeAtLocation(head.declarations[0].name) : checker.getAnyType();
}

/** `element[]` (createArrayType is the checker's own, not in its public declarations; `unknown[]` prints where it is missing). */
function arrayOf(checker: ts.TypeChecker, element: ts.Type): ts.Type {
  const arrays = checker as unknown as { createArrayType?: (t: ts.Type) => ts.Type };
  return arrays.createArrayType ? arrays.createArrayType(element) : checker.getAnyType();
}

/** Whether `t`, or every member of the union `t`, has one of `flags`. */
function every(t: ts.Type, flags: ts.TypeFlags): boolean {
  if (t.flags & flags) return true;
  return t.isUnion() && t.types.every((x) => (x.flags & flags) !== 0);
}
