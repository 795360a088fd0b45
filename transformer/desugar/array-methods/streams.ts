// Element streams: what a chain of array methods walks, before any array is made.
// `xs.map(f).filter(p).reduce(g, 0)` is one loop over `xs` that computes f, tests p
// and folds g, as a person writes it; an array is allocated only where the chain's
// value is itself an array (materialize). Each stream writes the loop(s) that run a
// body once per element, in order, with the element's value and its index.

import { ts } from "../../ts.js";
import { Code, fail } from "../../diagnostics.js";
import { every } from "../../types.js";
import { Build, newLocal, runtimeCall, skipParens, typed } from "../synth.js";
import { type Callback, type Inliner } from "./inline.js";
import * as s from "./statements.js";

/** What runs once per element: statements, given the element's value and (when asked) its index. */
export type Body = (element: ts.Expression, index: () => ts.Expression) => ts.Statement[];

export interface Stream {
  /** The user's call (or array) the stream stands for: positions and diagnostics go there. */
  readonly from: ts.Node;
  readonly elementType: ts.Type;
  /** The array the stream walks, when it walks one that exists (a plain read): `xs`, not `xs.map(f)`. */
  readonly array?: ts.Expression;
  /** The number of elements, when it is known before the loop. */
  readonly length?: ts.Expression;
  /** Whether the stream is more than one loop deep, so that `break` in a body would not leave it. */
  readonly nested: boolean;
  /** Whether the index is one loop's counter, which `each` can give the caller's name. */
  readonly counted: boolean;
  /** Whether its array is best grown with push: counting its elements first would run its callbacks twice. */
  readonly grows?: boolean;
  /** The loop(s): `counter` is the name the caller would like the index to have (a callback's `i`). */
  each(body: Body, counter?: ts.Identifier): ts.Statement[];
}

/** `for (let i = start; i < xs.length; i++) body(xs[i], i)`. */
export function arrayStream(array: ts.Expression, elementType: ts.Type, from: ts.Node, build: Build, start = 0): Stream {
  const number = build.checker.getNumberType();
  return {
    from,
    elementType,
    array,
    length: build.length(array, from),
    nested: false,
    counted: true,
    each(body, counter) {
      const i = counter ?? newLocal("i", number, from);
      const element = build.element(array, i, elementType, from);
      return [s.forLoop(i, build.number(start, from), build.length(array, from), body(element, () => i), from, build)];
    },
  };
}

/** `Array.from({ length: n }, ...)`: the indices 0..n-1, with no element. */
export function rangeStream(length: ts.Expression, from: ts.Node, build: Build): Stream {
  const number = build.checker.getNumberType();
  const undef = build.checker.getUndefinedType();
  return {
    from,
    elementType: undef,
    length,
    nested: false,
    counted: true,
    each(body, counter) {
      const i = counter ?? newLocal("i", number, from);
      const none = typed(ts.factory.createIdentifier("undefined"), undef, from);
      return [s.forLoop(i, build.number(0, from), length, body(none, () => i), from, build)];
    },
  };
}

/** `source.map(f)`: each element is f's value for the source's element. */
export function mappedStream(source: Stream, callback: Callback, inliner: Inliner, from: ts.Node, withArray: boolean): Stream {
  const build = inliner.build;
  return {
    from,
    elementType: inliner.returnType(callback),
    length: source.length,
    nested: source.nested,
    counted: source.counted,
    each(body, counter) {
      const roles = withArray ? (["element", "index", "array"] as const) : (["element", "index"] as const);
      const mine = source.counted ? (counter ?? inliner.indexName(callback, roles)) : undefined;
      return source.each((element, index) => {
        const frame = { element, index, array: source.array, counter: mine };
        if (inliner.singleResult(callback)) {
          // One result at the end: it is the element itself (`const v = x * x`, not a temporary).
          let value: ts.Expression | undefined;
          const statements = inliner.inline(callback, roles, frame, (v) => ((value = v), []));
          return [...statements, ...body(value ?? nothing(from, build), index)];
        }
        const result = newLocal("mapped", inliner.returnType(callback), from);
        const statements = inliner.inline(callback, roles, frame, (v) => [build.assign(result, v ?? nothing(from, build), from)]);
        return [build.declare(result, undefined, ts.NodeFlags.Let, from), ...statements, ...body(result, index)];
      }, mine);
    },
  };
}

/** `source.filter(p)`: the elements for which p holds, indexed by a count of those kept. */
export function filteredStream(source: Stream, callback: Callback, inliner: Inliner, from: ts.Node): Stream {
  const build = inliner.build;
  const number = build.checker.getNumberType();
  return {
    from,
    elementType: source.elementType,
    nested: source.nested,
    counted: false,
    each(body) {
      let kept: ts.Identifier | undefined;
      const index = (): ts.Expression => (kept ??= newLocal("k", number, from));
      const roles = ["element", "index", "array"] as const;
      const counter = source.counted ? inliner.indexName(callback, roles) : undefined;
      const loops = source.each((element, sourceIndex) => {
        // The element is read once: the test and the body see the same value.
        const pre: ts.Statement[] = [];
        if (!isPlain(element)) {
          const value = newLocal("value", source.elementType, from);
          pre.push(build.declare(value, element, ts.NodeFlags.Const, from));
          element = value;
        }
        const frame = { element, index: sourceIndex, array: source.array, counter };
        const keep = (v: ts.Expression | undefined): ts.Statement[] => {
          const then = body(element, index);
          if (kept) then.push(s.increment(kept, from, build));
          return [s.ifThen(v ?? s.bool(false, from, build), then, from)];
        };
        return [...pre, ...inliner.inline(callback, roles, frame, keep)];
      }, counter);
      return kept ? [build.declare(kept, build.number(0, from), ts.NodeFlags.Let, from), ...loops] : loops;
    },
  };
}

/** `rows.flat()`: every element of every row, in order, indexed by a running count. */
export function flatStream(rows: ts.Expression, rowType: ts.Type, elementType: ts.Type, from: ts.Node, build: Build): Stream {
  const number = build.checker.getNumberType();
  return {
    from,
    elementType,
    nested: true,
    counted: false,
    each(body) {
      let count: ts.Identifier | undefined;
      const index = (): ts.Expression => (count ??= newLocal("k", number, from));
      const i = newLocal("i", number, from);
      const j = newLocal("j", number, from);
      const row = build.element(rows, i, rowType, from);
      const inner = body(build.element(row, j, elementType, from), index);
      if (count) inner.push(s.increment(count, from, build));
      const loop = s.forLoop(i, build.number(0, from), build.length(rows, from), [
        s.forLoop(j, build.number(0, from), build.length(row, from), inner, from, build),
      ], from, build);
      return count ? [build.declare(count, build.number(0, from), ts.NodeFlags.Let, from), loop] : [loop];
    },
  };
}

/**
 * `source.flatMap(f)`: the elements of each array f returns, in order, indexed
 * by a running count. An array literal returned (`[x, x * x]`) is its elements
 * in turn, no row made; any other array is held in a local and walked; a value
 * that is not an array is one element, as JavaScript's flatMap gives it.
 */
export function flatMappedStream(source: Stream, callback: Callback, inliner: Inliner, from: ts.Node): Stream {
  const build = inliner.build;
  const checker = build.checker;
  const number = checker.getNumberType();
  const rowType = inliner.returnType(callback);
  const rows = checker.isArrayType(rowType) || checker.isTupleType(rowType);
  const elementType = rows ? (checker.getIndexTypeOfType(rowType, ts.IndexKind.Number) ?? rowType) : rowType;
  if (!rows && rowType.isUnion() && rowType.types.some((t) => checker.isArrayType(t) || checker.isTupleType(t))) {
    // Whether a value is spread or kept would be decided at run time, by the value's kind.
    fail(Code.Unsupported, from, `the callback of '${callback.text}' returns '${checker.typeToString(rowType)}', an array on some paths and not on others; return an array on every path (wrap a single value as [x]).`);
  }
  return {
    from,
    elementType,
    nested: true,
    counted: false,
    grows: true,
    each(body) {
      let count: ts.Identifier | undefined;
      const index = (): ts.Expression => (count ??= newLocal("k", number, from));
      const one = (element: ts.Expression): ts.Statement[] => {
        const out = body(element, index);
        if (count) out.push(s.increment(count, from, build));
        return out;
      };
      const roles = ["element", "index", "array"] as const;
      const counter = source.counted ? inliner.indexName(callback, roles) : undefined;
      const row = (v: ts.Expression | undefined): ts.Statement[] => {
        if (!v) return one(nothing(from, build));
        const value = skipParens(v);
        if (!rows) return one(v);
        if (ts.isArrayLiteralExpression(value) && !value.elements.some(ts.isSpreadElement)) return value.elements.flatMap(one);
        // Any other array: held once, then walked by index.
        const held = isPlain(value) ? value : newLocal("row", rowType, from);
        const j = newLocal("j", number, from);
        const walk = s.forLoop(j, build.number(0, from), build.length(held, from), one(build.element(held, j, elementType, from)), from, build);
        return held === value ? [walk] : [build.declare(held as ts.Identifier, v, ts.NodeFlags.Const, from), walk];
      };
      const loops = source.each((element, sourceIndex) => inliner.inline(callback, roles, { element, index: sourceIndex, array: source.array, counter }, row), counter);
      return count ? [build.declare(count, build.number(0, from), ts.NodeFlags.Let, from), ...loops] : loops;
    },
  };
}

/**
 * The stream's elements as an array `into` (declared with `flags`): `zeros(n)`
 * filled by index when they are numbers, else an empty array grown with push.
 * An unknown length is counted first, by a walk that only counts.
 */
export function materialize(stream: Stream, into: ts.Identifier, flags: ts.NodeFlags, type: ts.Type, build: Build, out: ts.Statement[]): void {
  const from = stream.from;
  const f = ts.factory;
  const number = build.checker.getNumberType();
  if (!every(stream.elementType, ts.TypeFlags.NumberLike)) {
    // Arrays of arrays and records grow as JavaScript's do (out.push(v)).
    out.push(build.declare(into, typed(f.createArrayLiteralExpression([]), type, from), flags, from));
    out.push(...stream.each((element) => [s.push(into, element, from, build)]));
    return;
  }
  let length = stream.length;
  if (!length && stream.grows) {
    // `const out: number[] = []` grown with push: a walk that only counts would run the callbacks twice.
    out.push(build.declare(into, typed(f.createArrayLiteralExpression([]), type, from), flags, from));
    out.push(...stream.each((element) => [s.push(into, element, from, build)]));
    return;
  }
  if (!length) {
    const count = newLocal("count", number, from);
    out.push(build.declare(count, build.number(0, from), ts.NodeFlags.Let, from));
    out.push(...stream.each(() => [s.increment(count, from, build)]));
    length = count;
  }
  out.push(build.declare(into, runtimeCall("zeros", [length], type, from), flags, from));
  out.push(...stream.each((element, index) => [s.store(into, index(), element, number, from, build)]));
}

/** Names, literals, and reads of fields and elements by such: reading them twice is reading them once. */
export function isPlain(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isStringLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand);
  if (ts.isPropertyAccessExpression(e)) return isPlain(e.expression);
  if (ts.isElementAccessExpression(e)) return isPlain(e.expression) && isPlain(e.argumentExpression);
  if (ts.isParenthesizedExpression(e)) return isPlain(e.expression);
  return false;
}

/** `a.concat(b, c)`: the elements of each part in turn (a part that is not an array is one element). */
export function concatStream(parts: readonly { value: ts.Expression; array: boolean }[], elementType: ts.Type, from: ts.Node, build: Build): Stream {
  const number = build.checker.getNumberType();
  const sizes = parts.map((p) => (p.array ? build.length(p.value, from) : build.number(1, from)));
  const plus = (a: ts.Expression, b: ts.Expression): ts.Expression => typed(ts.factory.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, from);
  const offsets = sizes.map((_, k) => (k === 0 ? undefined : sizes.slice(0, k).reduce(plus)));
  return {
    from,
    elementType,
    length: sizes.reduce(plus),
    // One loop per part: a `break` would leave only the current part's.
    nested: parts.length > 1,
    counted: false,
    each(body) {
      return parts.flatMap((part, k) => {
        const offset = offsets[k];
        const at = (i: ts.Expression): ts.Expression => (offset ? plus(offset, i) : i);
        if (!part.array) return body(part.value, () => at(build.number(0, from)));
        return arrayStream(part.value, elementType, from, build).each((element, index) => body(element, () => at(index())));
      });
    },
  };
}

/** `undefined`: what a callback that returns nothing gives. */
function nothing(from: ts.Node, build: Build): ts.Expression {
  return typed(ts.factory.createIdentifier("undefined"), build.checker.getUndefinedType(), from);
}
