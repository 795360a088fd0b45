// Desugaring: sorting and reversing numbers. Takes: a function after casts,
// which may sort a copy of numbers (`[...xs].sort((a, b) => a - b)`,
// `xs.slice().sort(...)`, `Array.from(xs).sort(...)`, a sorted `map`/`filter`
// result, `xs.toSorted(...)`, a Float64Array copy sorted without a comparator)
// or reverse one (`[...xs].reverse()`, `xs.slice().reverse()`,
// `xs.toReversed()`). Guarantees: each such sort is
// `tsgrad.sortedOf(source, order)` (order 1 ascending, -1 descending), each
// such reversal `tsgrad.reversedOf(source)`; both are permutations whose
// adjoint sends each element's adjoint back to where it came from, as JAX's
// and PyTorch's sorts and flips do (rules/runtime.ts, runtime/sorting.ts). A
// sort or reversal tsgrad cannot read this way is refused, named as written:
// an array sorted or reversed in place (its other readers would see it
// change), a number[] sorted without a comparator (JavaScript orders it as
// strings), a comparator other than `a - b` or `b - a` (unless the array
// sorted is data, an argsort: data-sorts.ts). Sorts and reversals of anything
// but numbers are left as they are.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { forEachNode } from "../walk.js";
import { dataSort } from "./data-sorts.js";
import { Build, newLocal, runtimeCall, skipParens, StatementPlaces, userText, visitChildren } from "./synth.js";

export function desugarSorts(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  const build = new Build(checker);
  /** Where a sorted array that is not a name (`xs.map(f)`), or a sort read in place, is declared first. */
  const places = new StatementPlaces();
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    const statement = places.statement(node, visit);
    if (statement) return statement;
    const out = visitChildren(node, visit);
    if (!ts.isCallExpression(out) || !ts.isPropertyAccessExpression(out.expression) || out.expression.questionDotToken) return out;
    const method = out.expression.name.text;
    const reversal = (method === "reverse" || method === "toReversed") && out.arguments.length === 0;
    if (!reversal && ((method !== "sort" && method !== "toSorted") || out.arguments.length > 1)) return out;
    const receiver = skipParens(out.expression.expression);
    const type = checker.getTypeAtLocation(ts.getOriginalNode(out.expression.expression));
    const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
    const typed = type.getSymbol()?.name === "Float64Array";
    if (!element || !every(element, ts.TypeFlags.NumberLike) || !(typed || checker.isArrayType(type))) return out;
    const written = userText(node);
    if (reversal) return reversed(node, receiver, method, written, typed);
    const source = method === "toSorted" ? receiver : copied(receiver, checker);
    if (!source) {
      fail(Code.Unsupported, node, `'${written}' sorts '${userText(receiver)}' in place, and tsgrad differentiates sorted copies; write const sorted = [...${userText(receiver)}].sort(${out.arguments[0] ? userText(out.arguments[0]) : "(a, b) => a - b"}) and read sorted.`);
    }
    const order = out.arguments[0] ? comparatorOrder(out.arguments[0]) : typed ? 1 : undefined;
    // An argsort (`xs.map((_, i) => i).sort((a, b) => cost[a]! - cost[b]!)`): a permutation, data (data-sorts.ts).
    // It runs as the user wrote it: read from the user's call, before the passes that rewrote its parts.
    const user = ts.getParseTreeNode(out);
    const permutation = order === undefined && user && ts.isCallExpression(user) ? dataSort(user, fn, ctx) : undefined;
    if (permutation) return permutation;
    if (order === undefined) {
      const why = out.arguments[0]
        ? `tsgrad differentiates sorts by (a, b) => a - b (ascending) or (a, b) => b - a (descending)`
        : `sort() without a comparator orders numbers as strings (10 before 9)`;
      // Another comparator orders values by a key: sorting their indices by it is what tsgrad differentiates (data-sorts.ts).
      const name = isPlainRead(source!) ? userText(source!) : "values";
      const byKey = out.arguments[0] ? `, or sort their indices by any comparator and read the values through them (const order = ${name}.map((_, i) => i).sort((i, j) => key(${name}[i]!) - key(${name}[j]!)); order.map((i) => ${name}[i]!))` : "";
      fail(Code.Unsupported, node, `'${written}': ${why}; pass (a, b) => a - b or (a, b) => b - a${byKey}.`);
    }
    // sortedOf gives a copy of its source's kind; `[...f64].sort()` would be a number[] of a Float64Array.
    const sourceType = checker.getTypeAtLocation(ts.getOriginalNode(source!));
    if ((sourceType.getSymbol()?.name === "Float64Array") !== typed) {
      fail(Code.Unsupported, node, `'${written}' sorts a copy of another kind than '${userText(source!)}'; write ${typed ? "Float64Array.from" : "Array.from"}(${userText(source!)}).sort(...) to sort a copy of the same kind.`);
    }
    const array = plainSource(source!, node, written, "sorts", "sort");
    return declared(runtimeCall("sortedOf", [array, build.number(order, node)], checker.getTypeAtLocation(ts.getOriginalNode(node)), node), node, written, "sorted");
  };
  /** `copy.reverse()` or `xs.toReversed()` of numbers: `reversedOf(xs)`. */
  const reversed = (node: ts.Node, receiver: ts.Expression, method: string, written: string, typed: boolean): ts.Node => {
    const source = method === "toReversed" ? receiver : copied(receiver, checker);
    if (!source) {
      fail(Code.Unsupported, node, `'${written}' reverses '${userText(receiver)}' in place, and tsgrad differentiates reversed copies; write const reversed = [...${userText(receiver)}].reverse() (or ${userText(receiver)}.toReversed()) and read reversed.`);
    }
    const sourceType = checker.getTypeAtLocation(ts.getOriginalNode(source!));
    if ((sourceType.getSymbol()?.name === "Float64Array") !== typed) {
      fail(Code.Unsupported, node, `'${written}' reverses a copy of another kind than '${userText(source!)}'; write ${typed ? "Float64Array.from" : "Array.from"}(${userText(source!)}).reverse() to reverse a copy of the same kind.`);
    }
    const array = plainSource(source!, node, written, "reverses", "reverse");
    return declared(runtimeCall("reversedOf", [array], checker.getTypeAtLocation(ts.getOriginalNode(node)), node), node, written, "reversed");
  };
  /** The source array as a name or field path, declared first when it is not one. */
  const plainSource = (source: ts.Expression, node: ts.Node, written: string, verb: string, action: string): ts.Expression => {
    if (isPlainRead(source)) return source;
    if (!places.place) fail(Code.Unsupported, node, `name the array '${written}' ${verb} first (const values = ${userText(source)}), then ${action} a copy of it.`);
    const local = newLocal("unsorted", checker.getTypeAtLocation(ts.getOriginalNode(source)), source);
    places.place!.push(build.declare(local, source, ts.NodeFlags.Const, source));
    return local;
  };
  /** Lowering makes arrays in declarations of their own: a sorted or reversed copy read in place (`[...xs].sort(...)[0]`) gets one. */
  const declared = (call: ts.Expression, node: ts.Node, written: string, stem: string): ts.Node => {
    if (declaredAs.has(node)) return call;
    if (!places.place) fail(Code.Unsupported, node, `name the ${stem} array first (const ${stem} = ${written}) and read ${stem} here.`);
    const local = newLocal(stem, checker.getTypeAtLocation(ts.getOriginalNode(node)), node);
    places.place!.push(build.declare(local, call, ts.NodeFlags.Const, node));
    return local;
  };
  /** Sorts that are the whole initializer of a const, as the user wrote them. */
  const declaredAs = new Set<ts.Node>();
  forEachNode(fn, (n) => {
    if (ts.isVariableDeclarationList(n) && n.flags & ts.NodeFlags.Const) for (const d of n.declarations) if (d.initializer) declaredAs.add(skipParens(d.initializer));
  });
  return ts.visitEachChild(fn, visit, undefined);
}

/** The array a fresh copy copies (`[...xs]`, `xs.slice()`, `Array.from(xs)`), or the fresh array a method made (`xs.map(f)`). */
function copied(e: ts.Expression, checker: ts.TypeChecker): ts.Expression | undefined {
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 1 && ts.isSpreadElement(e.elements[0]!)) return e.elements[0].expression;
  if (!ts.isCallExpression(e) || e.arguments.some(ts.isSpreadElement)) return undefined;
  const callee = e.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if (name === "slice" && e.arguments.length === 0) return callee.expression;
  // A copy of the same kind: Array.from of a number[], Float64Array.from of a Float64Array.
  if (name === "from" && e.arguments.length === 1 && ts.isIdentifier(callee.expression)) {
    const kind = callee.expression.text;
    const from = checker.getTypeAtLocation(ts.getOriginalNode(e.arguments[0]!));
    const isTyped = from.getSymbol()?.name === "Float64Array";
    if ((kind === "Array" && checker.isArrayType(from)) || (kind === "Float64Array" && isTyped)) return e.arguments[0]!;
    return undefined;
  }
  // `Array.from({ length: n }, (_, i) => i)`: a new array made by a callback.
  if (name === "from" && e.arguments.length === 2 && ts.isIdentifier(callee.expression) && callee.expression.text === "Array") return e;
  // Methods that return a new array: sorting it in place changes nothing else.
  return ["map", "filter", "slice", "concat", "flat", "toReversed"].includes(name) ? e : undefined;
}

/** 1 for `(a, b) => a - b`, -1 for `(a, b) => b - a` (an arrow or function expression, body or one return). */
function comparatorOrder(e: ts.Expression): number | undefined {
  e = skipParens(e);
  if (!ts.isArrowFunction(e) && !ts.isFunctionExpression(e)) return undefined;
  const [a, b] = e.parameters;
  if (e.parameters.length !== 2 || !a || !b || !ts.isIdentifier(a.name) || !ts.isIdentifier(b.name)) return undefined;
  let body: ts.Node = e.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isReturnStatement(only) || !only.expression) return undefined;
    body = only.expression;
  }
  const diff = skipParens(body as ts.Expression);
  if (!ts.isBinaryExpression(diff) || diff.operatorToken.kind !== ts.SyntaxKind.MinusToken) return undefined;
  const [left, right] = [skipParens(diff.left), skipParens(diff.right)];
  if (!ts.isIdentifier(left) || !ts.isIdentifier(right)) return undefined;
  if (left.text === a.name.text && right.text === b.name.text) return 1;
  if (left.text === b.name.text && right.text === a.name.text) return -1;
  return undefined;
}

/** A name or a field path: what lowering reads as an array operand. */
function isPlainRead(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return isPlainRead(e.expression);
  return false;
}
