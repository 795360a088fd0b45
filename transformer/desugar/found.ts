// Desugaring: what `find` found. Takes: a function after array methods, where
// `const hit = xs.find(p)` has become the search loop and `const hit = index
// !== -1 ? xs[index] : undefined` (a value that may be missing). Guarantees:
// such a `hit` is gone; the test that it is there (`hit !== undefined`, what
// `if (hit)` and `hit ?? d` became in nullish.ts) is `index !== -1`, and every
// read of it where it is there (narrowed by the checker, under that test, after
// `if (!hit) throw`, `hit!`) is `xs[index]`, the element itself — the same
// object JavaScript would give, so a field read is the element's field and the
// rest of tsgrad sees an array read at a data-dependent index (issue 13: find
// as an index). `xs` must keep its elements after the search (it is not
// reassigned or written by index in the function). A `hit` read where it may
// be missing (passed on as it is) stays as written, for lowering to refuse.
// A search used in place is finished the same way: `xs.find(p)?.y` is
// `index !== -1 ? xs[index].y : undefined`, and `?? d` on it takes d there.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { forEachNode } from "../walk.js";
import { Build, isNewLocal, like, typed, visitChildren } from "./synth.js";

/** A local holding what a search found: present when `test` holds, then `array[index]`. */
interface Found {
  readonly test: ts.BinaryExpression;
  readonly array: ts.Identifier;
  readonly index: ts.Identifier;
  /** The element is an object: being there is being truthy. */
  readonly object: boolean;
}

export function desugarFound(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const candidates = new Map<ts.Symbol, Found>();
  const symbolOf = (id: ts.Identifier): ts.Symbol | undefined => (isNewLocal(id) ? undefined : checker.getSymbolAtLocation(ts.getOriginalNode(id)));
  const writes = arrayWrites(fn, symbolOf);
  // Walked without recursing: generated code nests expressions deeper than the call stack (walk.ts).
  forEachNode(fn, (node) => {
    if (!ts.isBlock(node) && !ts.isCaseClause(node) && !ts.isDefaultClause(node)) return;
    node.statements.forEach((statement, at) => {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) return;
      // Writes in the statements before the search are done by the time it runs (an array
      // filled by `map` or a loop, then searched): `hit`, scoped to this block, sees them all.
      const before = new Set<ts.Node>();
      for (const earlier of node.statements.slice(0, at)) forEachNode(earlier, (n) => void before.add(n));
      const written = (array: ts.Identifier): boolean => (writes.get(isNewLocal(array) ? array : (symbolOf(array) ?? array)) ?? []).some((w) => !before.has(w));
      for (const d of statement.declarationList.declarations) {
        const found = ts.isIdentifier(d.name) && d.initializer ? foundValue(d.initializer, checker, written) : undefined;
        const symbol = found && symbolOf(d.name as ts.Identifier);
        if (found && symbol) candidates.set(symbol, found);
      }
    });
  });
  // A candidate read where it may be missing keeps its declaration: the pass is run again without it.
  for (;;) {
    const failed = new Set<ts.Symbol>();
    const out = new Rewrite(candidates, build, symbolOf, failed).function(fn);
    if (failed.size === 0) return out;
    for (const s of failed) candidates.delete(s);
  }
}

/** `const hit = index !== -1 ? xs[index] : undefined`, as array-methods writes a find. */
function foundValue(
  init: ts.Expression,
  checker: ts.TypeChecker,
  written: (array: ts.Identifier) => boolean,
): Found | undefined {
  if (!ts.isConditionalExpression(init) || !isUndefined(init.whenFalse)) return undefined;
  const test = init.condition;
  const element = init.whenTrue;
  if (!ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return undefined;
  if (!ts.isElementAccessExpression(element) || !ts.isIdentifier(element.expression) || !ts.isIdentifier(element.argumentExpression)) return undefined;
  const [array, index] = [element.expression, element.argumentExpression];
  // The index is the search's own local, which nothing assigns after the search.
  if (!isNewLocal(index) || test.left !== index) return undefined;
  if (written(array)) return undefined;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(element));
  return { test, array, index, object: !!(type.flags & ts.TypeFlags.Object) };
}

/**
 * Where the function reassigns or writes each array by index (`xs = ...`, `xs[i] = ...`):
 * a found element may not stay the array's after such a write.
 */
function arrayWrites(fn: FunctionLike, symbolOf: (id: ts.Identifier) => ts.Symbol | undefined): Map<ts.Symbol | ts.Identifier, ts.Node[]> {
  const out = new Map<ts.Symbol | ts.Identifier, ts.Node[]>();
  const target = (write: ts.Node, e: ts.Expression): void => {
    while (ts.isParenthesizedExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
    if (!ts.isIdentifier(e)) return;
    const key = isNewLocal(e) ? e : (symbolOf(e) ?? e);
    out.set(key, [...(out.get(key) ?? []), write]);
  };
  forEachNode(fn, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(n, n.left);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n, n.operand);
  });
  return out;
}

/** `undefined` or `void 0`. */
function isUndefined(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === "undefined") || ts.isVoidExpression(e);
}

class Rewrite {
  /** Candidates a test of the enclosing `if` or `?:` says are there. */
  private readonly present: ts.Symbol[] = [];

  constructor(
    private readonly candidates: ReadonlyMap<ts.Symbol, Found>,
    private readonly build: Build,
    private readonly symbolOf: (id: ts.Identifier) => ts.Symbol | undefined,
    private readonly failed: Set<ts.Symbol>,
  ) {}

  function(fn: FunctionLike): FunctionLike {
    return ts.visitEachChild(fn, (n) => this.visit(n), undefined);
  }

  private candidate(e: ts.Expression): ts.Symbol | undefined {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (!ts.isIdentifier(e)) return undefined;
    const symbol = this.symbolOf(e);
    return symbol && this.candidates.has(symbol) ? symbol : undefined;
  }

  /** `index !== -1` (or its negation) for a test that `hit` is there, built anew for each use. */
  private presence(symbol: ts.Symbol, there: boolean, from: ts.Node): ts.Expression {
    const { test } = this.candidates.get(symbol)!;
    const op = there ? ts.SyntaxKind.ExclamationEqualsEqualsToken : ts.SyntaxKind.EqualsEqualsEqualsToken;
    return this.build.test(test.left, op, test.right, from);
  }

  /**
   * The candidate `e` tests for, and whether the test holds when it is there:
   * `hit !== undefined`, `hit == null`, `!hit`; with `bare`, `hit` itself as a
   * condition (an object is truthy exactly when it is there).
   */
  private tested(e: ts.Expression, bare: boolean): { symbol: ts.Symbol; there: boolean } | undefined {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (!negated && op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
      const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      const missing = (x: ts.Expression): boolean => isUndefined(x) || (loose && x.kind === ts.SyntaxKind.NullKeyword);
      const symbol = missing(e.right) ? this.candidate(e.left) : missing(e.left) ? this.candidate(e.right) : undefined;
      return symbol && { symbol, there: negated };
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = this.tested(e.operand, true);
      if (inner) return { symbol: inner.symbol, there: !inner.there };
    }
    const symbol = bare ? this.candidate(e) : undefined;
    return symbol && this.candidates.get(symbol)!.object ? { symbol, there: true } : undefined;
  }

  /** `then` visited with `symbol` known to be there. */
  private under<T>(symbol: ts.Symbol | undefined, then: () => T): T {
    if (!symbol) return then();
    this.present.push(symbol);
    try {
      return then();
    } finally {
      this.present.pop();
    }
  }

  /** A condition: `hit` alone is a test there. */
  private condition(e: ts.Expression): ts.Expression {
    const t = this.tested(e, true);
    return t ? this.presence(t.symbol, t.there, e) : (ts.visitNode(e, (n) => this.visit(n), ts.isExpression) as ts.Expression);
  }

  private visit(node: ts.Node): ts.VisitResult<ts.Node> {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const d = node.declarationList.declarations[0]!;
      // The declaration itself: every read of it is rewritten below.
      if (ts.isIdentifier(d.name) && this.candidate(d.name)) return [];
    }
    if (ts.isExpression(node)) {
      const t = this.tested(node, false);
      if (t) return this.presence(t.symbol, t.there, node);
    }
    if (ts.isIfStatement(node)) {
      const t = this.tested(node.expression, true);
      const test = this.condition(node.expression);
      const then = this.under(t?.there ? t.symbol : undefined, () => ts.visitNode(node.thenStatement, (n) => this.visit(n), ts.isStatement) as ts.Statement);
      const otherwise = node.elseStatement && this.under(t && !t.there ? t.symbol : undefined, () => ts.visitNode(node.elseStatement, (n) => this.visit(n), ts.isStatement) as ts.Statement);
      return like(ts.factory.updateIfStatement(node, test, then, otherwise), node);
    }
    if (ts.isConditionalExpression(node)) {
      const t = this.tested(node.condition, true);
      const test = this.condition(node.condition);
      const then = this.under(t?.there ? t.symbol : undefined, () => ts.visitNode(node.whenTrue, (n) => this.visit(n), ts.isExpression) as ts.Expression);
      const otherwise = this.under(t && !t.there ? t.symbol : undefined, () => ts.visitNode(node.whenFalse, (n) => this.visit(n), ts.isExpression) as ts.Expression);
      return like(ts.factory.updateConditionalExpression(node, test, node.questionToken, then, node.colonToken, otherwise), node);
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      const symbol = this.candidate(node.name);
      if (symbol) this.failed.add(symbol);
      return node;
    }
    if (ts.isIdentifier(node)) {
      const symbol = this.candidate(node);
      if (!symbol) return node;
      const { array, index } = this.candidates.get(symbol)!;
      const type = this.build.checker.getTypeAtLocation(node);
      const there = this.present.includes(symbol) || !mayBeMissing(type);
      if (!there) {
        this.failed.add(symbol);
        return node;
      }
      return typed(ts.factory.createElementAccessExpression(array, index), this.build.checker.getNonNullableType(type), node);
    }
    return this.chained(visitChildren(node, (n) => this.visit(n)));
  }

  /** `(c ? x : undefined)?.y` is `c ? x.y : undefined`; `(c ? x : undefined) ?? d` is `c ? x : d` (a find used in place). */
  private chained(node: ts.Node): ts.Node {
    const maybe = (e: ts.Expression): ts.ConditionalExpression | undefined => {
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      return ts.isConditionalExpression(e) && isUndefined(e.whenFalse) ? e : undefined;
    };
    const checker = this.build.checker;
    if (ts.isPropertyAccessExpression(node) && node.questionDotToken && !ts.isPrivateIdentifier(node.name)) {
      const c = maybe(node.expression);
      if (!c) return node;
      const field = this.build.property(c.whenTrue, node.name.text, checker.getNonNullableType(checker.getTypeAtLocation(node)), node);
      return this.build.cond(c.condition, field, c.whenFalse, checker.getTypeAtLocation(node), node);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const c = maybe(node.left);
      if (!c || mayBeMissing(checker.getTypeAtLocation(c.whenTrue))) return node;
      return this.build.cond(c.condition, c.whenTrue, node.right, checker.getTypeAtLocation(node), node);
    }
    return node;
  }
}

function mayBeMissing(t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Null)) return true;
  return t.isUnion() && t.types.some(mayBeMissing);
}
