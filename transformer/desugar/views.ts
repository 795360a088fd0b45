// Desugaring: views. Takes: a function whose `const` locals may name a part of
// an array (`const tail = buf.subarray(1, 3)`) or arrays of records or rows
// joined end to end (`const nodes = SUPPORTS.concat(free)`), read (and, for a
// subarray, written) by index. Guarantees: no such local remains. Each use
// reads where the element lives: `tail[i]` is `buf[tail_start + i]` (so a write
// through the view reaches buf, as JavaScript's shared buffer does), `nodes[a].x`
// is `a < SUPPORTS.length ? SUPPORTS[a].x : free[a - SUPPORTS.length].x`, a
// method or for...of over `nodes` walks `SUPPORTS.concat(free)` (array-methods
// makes that one loop per part), and `.length` is the view's length. A joined
// list of numbers is left to the array-methods pass, which copies it once.
// A use of the view as a whole value (passed to a function) is refused, named.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { Build, like, newLocal, skipParens, StatementPlaces, typed, userText, visitChildren } from "./synth.js";

interface SubarrayView {
  readonly kind: "subarray";
  /** As the user wrote it: `subarray`, or `slice` of records or rows read in place. */
  readonly method: "subarray" | "slice";
  readonly array: ts.Expression;
  readonly start: ts.Expression;
  readonly length: ts.Expression;
}

interface JoinedView {
  readonly kind: "concat";
  readonly call: ts.CallExpression;
  readonly parts: readonly ts.Expression[];
}

type View = SubarrayView | JoinedView;

export function desugarViews(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  const build = new Build(checker);
  const views = new Map<ts.Symbol, View>();
  const number = checker.getNumberType();
  const viewOf = (e: ts.Node): View | undefined => {
    if (!ts.isIdentifier(e)) return undefined;
    const symbol = checker.getSymbolAtLocation(e);
    return symbol && views.get(symbol);
  };
  const plus = (a: ts.Expression, b: ts.Expression, from: ts.Node): ts.Expression =>
    typed(ts.factory.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, from);
  const minus = (a: ts.Expression, b: ts.Expression, from: ts.Node): ts.Expression =>
    typed(ts.factory.createBinaryExpression(a, ts.SyntaxKind.MinusToken, b), number, from);

  /** `view[i]` followed by the reads `tail` applies to it (`.x`, `[j]`), as that read of the element where it lives. */
  const element = (view: View, index: ts.Expression, tail: (base: ts.Expression) => ts.Expression, from: ts.Expression): ts.Expression => {
    const type = checker.getTypeAtLocation(from);
    if (view.kind === "subarray") {
      const at = isZero(view.start) ? index : plus(view.start, index, from);
      return tail(typed(ts.factory.createElementAccessExpression(view.array, at), type, from));
    }
    // Part k holds the indices from the lengths before it.
    const at = plain(index, "index", from);
    let offset: ts.Expression | undefined;
    const reads = view.parts.map((part) => {
      const i = offset ? minus(at, offset, from) : at;
      const read = tail(typed(ts.factory.createElementAccessExpression(part, i), type, from));
      offset = offset ? plus(offset, build.length(part, from), from) : build.length(part, from);
      return { read, end: offset };
    });
    const last = reads.pop()!.read;
    return reads.reduceRight<ts.Expression>((otherwise, r) => build.cond(build.test(at, ts.SyntaxKind.LessThanToken, r.end, from), r.read, otherwise, checker.getTypeAtLocation(last), from), last);
  };

  /** Index expressions read more than once are computed first, into a const before the statement (none outside one). */
  const places = new StatementPlaces();
  const plain = (e: ts.Expression, name: string, from: ts.Node): ts.Expression => {
    if (ts.isIdentifier(e) || ts.isNumericLiteral(e)) return e;
    if (!places.place) fail(Code.Unsupported, from, `name the index first (const k = ${userText(e)}) and read '${userText(from)}' with it.`);
    const local = newLocal(name, number, from);
    places.place.push(build.declare(local, e, ts.NodeFlags.Const, from));
    return local;
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node)) {
      const declared = declareView(node);
      if (declared) return declared;
    }
    if (ts.isForOfStatement(node)) {
      const view = viewOf(node.expression);
      if (view) {
        // The loop's own expression has no place before it; its body does.
        const body = places.within(undefined, () => visit(node.statement) as ts.Statement);
        return like(ts.factory.updateForOfStatement(node, node.awaitModifier, node.initializer, walked(view, node.expression), body), node);
      }
    }
    const statement = places.statement(node, visit);
    if (statement) return statement;
    if (ts.isElementAccessExpression(node)) {
      const view = viewOf(node.expression);
      if (view) {
        const index = visit(node.argumentExpression) as ts.Expression;
        return like(element(view, index, (base) => base, node), node);
      }
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && ts.isElementAccessExpression(node.expression)) {
      const inner = node.expression;
      const view = viewOf(inner.expression);
      if (view && view.kind === "concat") {
        // `nodes[a].x`: the field read in each part (a record is not chosen by ?:, its field is).
        const index = visit(inner.argumentExpression) as ts.Expression;
        const reread = (base: ts.Expression): ts.Expression =>
          ts.isPropertyAccessExpression(node)
            ? typed(ts.factory.createPropertyAccessExpression(base, node.name), checker.getTypeAtLocation(node), node)
            : typed(ts.factory.createElementAccessExpression(base, visit(node.argumentExpression) as ts.Expression), checker.getTypeAtLocation(node), node);
        return like(element(view, index, reread, inner), node);
      }
    }
    if (ts.isPropertyAccessExpression(node)) {
      const view = viewOf(node.expression);
      if (view && node.name.text === "length") return like(lengthOf(view, node), node);
      if (view) return like(ts.factory.updatePropertyAccessExpression(node, walked(view, node.expression), node.name), node);
    }
    if (ts.isCallExpression(node)) {
      // `frame(signal, 1, 4).reduce(...)`: the view the helper returns, walked in place (slices.ts).
      const view = viewHelper(node, (e, name, from) => plain(visit(e) as ts.Expression, name, from));
      if (view) {
        if (!isMethodReceiver(node)) {
          const of = userText(skipParens((view.expression as ts.PropertyAccessExpression).expression));
          fail(Code.Unsupported, node, `'${userText(node)}' returns a view of '${of}' (part of it, read in place, never an array of its own), used here as a whole value; name it (const view = ${userText(node)}) and index it or walk it with a method, or pass a copy made with slice on '${of}' itself (${of}.slice(start, end)).`);
        }
        return visit(view);
      }
    }
    if (ts.isIdentifier(node) && viewOf(node)?.kind === "subarray" && (viewOf(node) as SubarrayView).method === "slice") {
      const view = viewOf(node) as SubarrayView;
      fail(Code.Unsupported, node, `'${node.text}' is a copy of part of '${userText(view.array)}' (records or rows), which tsgrad reads in place of '${userText(view.array)}', used here as a whole value; index it (${node.text}[i]) or walk it (for (const p of ${node.text})) where it is used, or pass '${userText(view.array)}' and the index to start from.`);
    }
    if (ts.isIdentifier(node) && viewOf(node)) {
      fail(Code.Unsupported, node, `'${node.text}' names part of another array here as a whole value; index it (${node.text}[i]) where it is used, or copy it (${node.text}.slice()) first.`);
    }
    return visitChildren(node, visit);
  };

  /**
   * The view where a method or for...of walks it: `A.concat(B)` as written, or
   * `buf.subarray(start, start + length)` with its bounds already clamped, which
   * array-methods walks in place (slices.ts).
   */
  const walked = (view: View, from: ts.Expression): ts.Expression => {
    if (view.kind === "concat") return view.call;
    const end = isZero(view.start) ? view.length : plus(view.start, view.length, from);
    const method = ts.factory.createPropertyAccessExpression(view.array, view.method);
    return typed(ts.factory.createCallExpression(method, undefined, [view.start, end]), checker.getTypeAtLocation(from), from);
  };

  const lengthOf = (view: View, from: ts.Node): ts.Expression =>
    view.kind === "subarray" ? view.length : view.parts.map((p) => build.length(p, from)).reduce((a, b) => plus(a, b, from));

  /** `const tail = buf.subarray(s, e)` (bounds into consts) or `const nodes = A.concat(B)` of records or rows: nothing left to declare. */
  const declareView = (node: ts.VariableStatement): ts.Statement[] | undefined => {
    const list = node.declarationList;
    if (!(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) return undefined;
    const d = list.declarations[0]!;
    const out: ts.Statement[] = [];
    const written = d.initializer && skipParens(d.initializer);
    // `const w = frame(signal, s, n)` of a helper returning a view: the view it returns, its arguments computed first.
    const init = written && ts.isCallExpression(written) ? (viewHelper(written, (e, name, from) => declared(visit(e) as ts.Expression, name, from, out)) ?? written) : written;
    if (!ts.isIdentifier(d.name) || !init || !ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) return undefined;
    const symbol = checker.getSymbolAtLocation(d.name);
    const receiver = skipParens(init.expression.expression);
    if (!symbol || !isPlainRead(receiver)) return undefined;
    const method = init.expression.name.text;
    const name = d.name.text;
    // `const rest = pts.slice(1)` of records or rows, neither array written: the copy reads what a view of pts reads.
    const slice = method === "slice" && readOnlySlice(d.name, receiver, symbol);
    if ((method === "subarray" || slice) && init.arguments.length <= 2 && !init.arguments.some(ts.isSpreadElement)) {
      const n = build.length(receiver, init);
      const [s, e] = init.arguments.map((a) => visit(a) as ts.Expression);
      const start = s ? clamp(s, n, `${name}Start`, init, out) : build.number(0, init);
      const end = e ? clamp(e, n, `${name}End`, init, out) : n;
      const difference = isZero(start) ? end : minus(end, start, init);
      const length = isZero(start) && !e ? n : declared(build.cond(build.test(difference, ts.SyntaxKind.GreaterThanToken, build.number(0, init), init), difference, build.number(0, init), number, init), `${name}Length`, init, out);
      views.set(symbol, { kind: "subarray", method: slice ? "slice" : "subarray", array: receiver, start, length });
      return out;
    }
    if (method === "concat" && init.arguments.length > 0) {
      const type = checker.getTypeAtLocation(d.name);
      const elementType = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      // A list of numbers is copied once by array-methods; records and rows cannot be.
      if (!elementType || every(elementType, ts.TypeFlags.NumberLike)) return undefined;
      const parts = [receiver, ...init.arguments.map(skipParens)];
      if (!parts.every((p) => isPlainRead(p) && (checker.isArrayType(checker.getTypeAtLocation(p)) || checker.isTupleType(checker.getTypeAtLocation(p))))) return undefined;
      if (writesThrough(fn, symbol, checker)) return undefined;
      views.set(symbol, { kind: "concat", call: init, parts });
      return [];
    }
    return undefined;
  };

  /**
   * Whether `const name = receiver.slice(...)` copies records or rows (numbers
   * are copied by array-methods) that nothing writes afterwards: not the copy,
   * nor the array it copies (a parameter or a const, never reassigned).
   */
  const readOnlySlice = (name: ts.Identifier, receiver: ts.Expression, symbol: ts.Symbol): boolean => {
    const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(name), ts.IndexKind.Number);
    if (!element || every(element, ts.TypeFlags.NumberLike) || !checker.isArrayType(checker.getTypeAtLocation(receiver))) return false;
    let root = receiver;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    const rootSymbol = ts.isIdentifier(root) ? checker.getSymbolAtLocation(root) : undefined;
    const decl = rootSymbol?.valueDeclaration;
    const fixed = !!decl && (ts.isParameter(decl) || (ts.isVariableDeclaration(decl) && !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)));
    return fixed && !writesThrough(fn, symbol, checker) && !writesThrough(fn, rootSymbol!, checker);
  };

  /**
   * `frame(signal, s, n)` of a helper of the program whose body returns a
   * subarray of what it is given (`return signal.subarray(start, start + size)`,
   * after consts of its own): that subarray call, the helper's parameters
   * replaced by the arguments — a name or a number as it is, anything else
   * computed once first by `hoist` (into a const named after the parameter) —
   * so the view reads the caller's array in place, as the returned view would.
   */
  const viewHelper = (call: ts.CallExpression, hoist: (e: ts.Expression, name: string, from: ts.Node) => ts.Expression): ts.CallExpression | undefined => {
    const helper = ctx.resolveFunction(call.expression);
    if (!helper?.body || helper === fn || ts.getOriginalNode(helper) === ts.getOriginalNode(fn)) return undefined;
    const statements = ts.isBlock(helper.body) ? helper.body.statements : undefined;
    const last = statements ? statements[statements.length - 1] : undefined;
    const returned = statements ? (last && ts.isReturnStatement(last) ? last.expression : undefined) : (helper.body as ts.Expression);
    const view = returned && skipParens(returned);
    if (!view || !ts.isCallExpression(view) || !ts.isPropertyAccessExpression(view.expression) || view.expression.name.text !== "subarray") return undefined;
    // Consts before the return are read where they are used (`const end = start + size`).
    const consts = new Map<ts.Symbol, ts.Expression>();
    for (const st of statements?.slice(0, -1) ?? []) {
      const decl = ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const && st.declarationList.declarations.length === 1 ? st.declarationList.declarations[0]! : undefined;
      const symbol = decl && ts.isIdentifier(decl.name) ? checker.getSymbolAtLocation(decl.name) : undefined;
      if (!decl?.initializer || !symbol) return undefined;
      consts.set(symbol, decl.initializer);
    }
    if (call.arguments.some(ts.isSpreadElement) || call.arguments.length > helper.parameters.length) return undefined;
    const given = new Map<ts.Symbol, ts.Expression>();
    for (const [k, p] of helper.parameters.entries()) {
      const symbol = ts.isIdentifier(p.name) ? checker.getSymbolAtLocation(p.name) : undefined;
      const arg = call.arguments[k] ?? p.initializer;
      if (!symbol || !arg || p.dotDotDotToken || !ts.isIdentifier(p.name)) return undefined;
      given.set(symbol, arg);
    }
    // The receiver must be one of what the helper is given (a view of the caller's array).
    const receiver = skipParens(view.expression.expression);
    const receiverSymbol = ts.isIdentifier(receiver) ? checker.getSymbolAtLocation(receiver) : undefined;
    if (!receiverSymbol || !given.has(receiverSymbol)) return undefined;
    const bound = new Map<ts.Symbol, ts.Expression>();
    for (const [k, p] of helper.parameters.entries()) {
      const symbol = checker.getSymbolAtLocation(p.name)!;
      const arg = skipParens(given.get(symbol)!);
      const simple = (ts.isIdentifier(arg) || literal(arg) !== undefined) && k < call.arguments.length;
      bound.set(symbol, simple ? arg : hoist(arg, (p.name as ts.Identifier).text, call.arguments[k] ?? call));
    }
    const substitute = (n: ts.Node): ts.Node => {
      if (ts.isIdentifier(n)) {
        const symbol = checker.getSymbolAtLocation(n);
        const by = symbol && (bound.get(symbol) ?? consts.get(symbol));
        if (by) return consts.has(symbol!) ? typed(ts.factory.createParenthesizedExpression(substitute(by) as ts.Expression), checker.getTypeAtLocation(n), n) : by;
      }
      return visitChildren(n, substitute);
    };
    return like(substitute(view) as ts.CallExpression, call);
  };

  /** A bound of subarray as JavaScript clamps it into [0, n], in a const named `name` (a literal in range is itself). */
  const clamp = (e: ts.Expression, n: ts.Expression, name: string, from: ts.Node, out: ts.Statement[]): ts.Expression => {
    const zero = build.number(0, from);
    const lessThan = (a: ts.Expression, b: ts.Expression): ts.Expression => build.test(a, ts.SyntaxKind.LessThanToken, b, from);
    const atMostN = (x: ts.Expression): ts.Expression => build.cond(lessThan(x, n), x, n, number, from);
    const value = literal(e);
    if (value === 0) return e;
    if (value !== undefined && value > 0) return declared(atMostN(e), name, from, out);
    const x = ts.isIdentifier(e) ? e : declared(e, `${name}Arg`, from, out);
    const fromEnd = plus(n, x, from);
    const negative = build.cond(lessThan(zero, fromEnd), fromEnd, zero, number, from);
    return declared(build.cond(lessThan(x, zero), negative, atMostN(x), number, from), name, from, out);
  };

  const declared = (e: ts.Expression, name: string, from: ts.Node, out: ts.Statement[]): ts.Expression => {
    const local = newLocal(name, number, from);
    out.push(build.declare(local, e, ts.NodeFlags.Const, from));
    return local;
  };

  return ts.visitEachChild(fn, visit, undefined);
}


/** Whether the function assigns into the list named by `symbol` (`nodes[i] = ...`, `nodes[i].x = ...`): a copy, not a view, then. */
function writesThrough(fn: FunctionLike, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  let found = false;
  const rootIs = (e: ts.Expression): boolean => {
    while (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol;
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && !ts.isIdentifier(n.left) && rootIs(n.left)) found = true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && rootIs(n.expression.expression) && ["push", "pop", "fill", "splice", "sort", "reverse", "shift", "unshift"].includes(n.expression.name.text)) found = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** Whether `e` is the receiver of a method call (`e.reduce(...)`). */
function isMethodReceiver(e: ts.Expression): boolean {
  let n: ts.Node = e;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return !!p && ts.isPropertyAccessExpression(p) && p.expression === n && !!p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p;
}

function isPlainRead(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  if (ts.isParenthesizedExpression(e)) return isPlainRead(e.expression);
  return false;
}


function literal(e: ts.Expression): number | undefined {
  e = skipParens(e);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return undefined;
}

function isZero(e: ts.Expression): boolean {
  return ts.isNumericLiteral(e) && e.text === "0";
}
