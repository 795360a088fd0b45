// Pass 5, emission. Takes: a simplified IR function. Guarantees: a typed
// TypeScript function declaration built with ts.factory, with `x += e` sugar,
// `// adjoint of:` comments, and references to user names that keep their link
// to the user's identifiers (so CommonJS import rewriting still applies).

import { ts } from "./ts.js";
import { printedAsWritten } from "./passive.js";
import { type BinaryExpr, type Expr, type Fn, type FnRef, type Stmt, type Type, foldLeft, isArrayType, isOpaqueType, isRecordsType, isTreesType, walkStmts } from "./ir.js";
import { printExpr } from "./print.js";
import { type Float64Reach, float64Reach } from "./float64-reach.js";
import { block, isMark, isPop, isRewind, pushed, pushes, type TapeLayout, tapeLayout } from "./tape.js";

export interface EmitContext {
  /** How code in the target file refers to a (user or generated) function. */
  refer(fn: FnRef, userNode: ts.Identifier | undefined): ts.Expression;
  /** How it refers to a runtime function (`tsgrad.sumAdjoint`, or the user's own import). */
  runtime(name: string, userNode: ts.Identifier | undefined): ts.Expression;
  /** The file declares its own `Math`: derivative rules must reach the built-in as `globalThis.Math`. */
  readonly shadowsMath?: boolean;
  /** Set while emitting a function that keeps its tape in locals (tape.ts). */
  readonly tape?: TapeLayout;
  /** With `tape`: the check that the tape was long enough for what was pushed, and the run again if not. */
  readonly retry?: () => ts.Statement;
  /**
   * The program reads with `noUncheckedIndexedAccess`: an element read is typed
   * `number | undefined` there, so generated code asserts `x[i]!` as users write it
   * (the JavaScript is the same).
   */
  readonly nonNullElements?: boolean;
  /**
   * Locals that start as a value that may be `undefined` and are given a number
   * before any other read (the `let value = xs.find(p); if (value === undefined)
   * value = g(x)` of a lifted `??`). TypeScript does not narrow them through the
   * test's alias (`const _b0 = value === undefined; if (_b0)`), so their reads
   * are asserted, `value!` (the JavaScript is the same).
   */
  readonly filledLater?: ReadonlySet<string>;
  /**
   * Locals of a type that admits undefined (`Item | undefined`, a record `find` picked): the
   * backward sweep reads their fields where TypeScript no longer sees the forward sweep's
   * test (`if (!item) throw ...`), so each field read is asserted, `item!.slope`.
   */
  readonly maybeMissing?: ReadonlySet<string>;
  /** `number[]` locals that may also hold a Float64Array, and the stacks that keep them (see float64-reach.ts). */
  readonly mixed?: ReadonlySet<string>;
  /** Which values may be Float64Arrays where the user's types say `number[]` (float64-reach.ts). */
  readonly reach?: Float64Reach;
}

/** `e as unknown as number[]`: an array that may be a Float64Array, read where TypeScript expects a number[]. */
function asNumbers(e: ts.Expression): ts.Expression {
  const numbers = f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword));
  return f.createAsExpression(f.createAsExpression(e, f.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword)), numbers);
}

/** An element read, `a[i]`, or `a[i]!` when the program asks for it. */
function elementRead(array: ts.Expression, index: ts.Expression, ctx: EmitContext): ts.Expression {
  const read = f.createElementAccessExpression(array, index);
  return ctx.nonNullElements ? f.createNonNullExpression(read) : read;
}

// The node factory of the compiler in use (ts.ts), looked up on each call: a
// ts-patch build hands the transformer its own compiler after this module loaded.
const f: ts.NodeFactory = new Proxy({} as ts.NodeFactory, { get: (_target, key) => Reflect.get(ts.factory, key) });

export function emitFunction(fn: Fn, ctx: EmitContext, exported: boolean): ts.FunctionDeclaration {
  // Only trailing parameters can be omitted by a caller (a vjp's seed comes after them);
  // one before them takes undefined (passed for a default the caller cannot name), as in JavaScript.
  let optional = fn.params.length;
  while (optional > 0 && (fn.params[optional - 1]!.default || fn.params[optional - 1]!.optional)) optional--;
  const params = fn.params.map((p, i) => {
    const omissible = p.optional && i >= optional;
    const written = typeof p.type === "object" && "struct" in p.type && p.type.node ? p.type.node : typeNode(p.type);
    const type = p.optional && !omissible ? f.createUnionTypeNode([written, f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)]) : written;
    const question = omissible ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined;
    const rest = p.rest && i === fn.params.length - 1 ? f.createToken(ts.SyntaxKind.DotDotDotToken) : undefined;
    return f.createParameterDeclaration(undefined, rest, p.name, question, type, p.default ? emitExpr(p.default, ctx) : undefined);
  });
  const reach = float64Reach(fn);
  ctx = { ...ctx, filledLater: filledLater(fn.body), mixed: reach.mixed, reach, maybeMissing: maybeMissing(fn.body) };
  const layout = tapeLayout(fn);
  const body = f.createBlock(layout ? emitWithTape(fn, layout, { ...ctx, tape: layout }) : emitStmts(fn.body, ctx), true);
  const modifiers = exported ? [f.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined;
  // A return type holds results and gradients, never a parameter's value: an array of instances is its gradient there.
  const decl = f.createFunctionDeclaration(modifiers, undefined, fn.name, undefined, params, typeNode(fn.returnType, true), body);
  // Its first and last lines map to the user function's; so does what belongs to
  // no one statement (the tape's bookkeeping), and blocks map to their statement.
  inheritRanges(mapTo(decl, fn.origin), ts.getSourceMapRange(decl));
  return decl;
}

/** The locals whose declared type admits undefined (see EmitContext.maybeMissing). */
function maybeMissing(body: readonly Stmt[]): ReadonlySet<string> {
  const names = new Set<string>();
  const admitsUndefined = (n: ts.TypeNode): boolean => ts.isUnionTypeNode(n) && n.types.some((x) => x.kind === ts.SyntaxKind.UndefinedKeyword);
  walkStmts(body, (s) => void (s.kind === "let" && isOpaqueType(s.type) && admitsUndefined(s.type.opaque) && names.add(s.name)));
  return names;
}

/** The `let`s of numbers and booleans whose first value may be `undefined` (see EmitContext.filledLater). */
function filledLater(body: readonly Stmt[]): ReadonlySet<string> {
  const maybeUndefined = (e: Expr): boolean =>
    (e.kind === "literal" && e.value === undefined) || (e.kind === "cond" && (maybeUndefined(e.then) || maybeUndefined(e.else)));
  const names = new Set<string>();
  walkStmts(body, (s) => {
    if (s.kind === "let" && s.mutable && (s.type === "number" || s.type === "boolean") && s.init && maybeUndefined(s.init)) names.add(s.name);
  });
  return names;
}


/**
 * Gives each statement (blocks too) under `node` without a source map range the
 * one of its nearest enclosing statement. Walks with its own stack: an
 * expression can nest thousands deep (a long chain `t1 + ... + tn`).
 */
function inheritRanges(node: ts.Node, range: ts.SourceMapRange): void {
  const stack: [ts.Node, ts.SourceMapRange][] = [[node, range]];
  while (stack.length > 0) {
    const [parent, inherited] = stack.pop()!;
    ts.forEachChild(parent, (child) => {
      if (!ts.isStatement(child) && !ts.isBlock(child)) {
        stack.push([child, inherited]);
        return;
      }
      const own = ts.getSourceMapRange(child);
      if (own.pos < 0) ts.setSourceMapRange(child, inherited);
      stack.push([child, own.pos < 0 ? inherited : own]);
    });
  }
}

/**
 * Points `node`'s source map at the user's `origin`, which may sit in another
 * file than the one the node is emitted into (an adjoint of a callee).
 * Synthesized origins (pos < 0, no file) are skipped: they have no position.
 */
function mapTo<T extends ts.Node>(node: T, origin: ts.Node | undefined): T {
  const user = origin && ts.getOriginalNode(origin);
  const source = user && user.pos >= 0 ? user.getSourceFile() : undefined;
  if (user && source) ts.setSourceMapRange(node, { pos: user.pos, end: user.end, source });
  return node;
}

/**
 * The body of a function that keeps its tape in locals: the locals first, the
 * forward sweep, the check that the tape was long enough, the backward sweep.
 */
function emitWithTape(fn: Fn, layout: TapeLayout, ctx: EmitContext): ts.Statement[] {
  const shared = (): ts.Expression => ctx.runtime("tape", undefined);
  const top = (): ts.Identifier => f.createIdentifier(layout.top);
  const local = (name: string, init: ts.Expression, flags: ts.NodeFlags): ts.Statement =>
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], flags));
  const publish = (): ts.Statement => f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(shared(), "top"), top()));
  const retry = (): ts.Statement => f.createIfStatement(
    f.createBinaryExpression(top(), ts.SyntaxKind.GreaterThanToken, f.createPropertyAccessExpression(f.createIdentifier(layout.tape), "length")),
    f.createBlock([
      f.createExpressionStatement(f.createCallExpression(ctx.runtime("growTape", undefined), undefined, [top()])),
      f.createReturnStatement(f.createCallExpression(f.createIdentifier(fn.name), undefined, fn.params.map((p, i) => {
        const arg = f.createIdentifier(p.name);
        return p.rest && i === fn.params.length - 1 ? f.createSpreadElement(arg) : arg;
      }))),
    ], true),
  );
  const forward = emitStmts(fn.body.slice(0, layout.split), { ...ctx, retry });
  const backward = emitStmts(fn.body.slice(layout.split), ctx);
  const result = backward.pop()!;
  return [
    withNote(local(layout.tape, f.createPropertyAccessExpression(shared(), "values"), ts.NodeFlags.Const), "the values this function saves go on the runtime's tape"),
    local(layout.top, f.createPropertyAccessExpression(shared(), "top"), ts.NodeFlags.Let),
    ...forward,
    // Fused loops check their own pushes (they pop them again before the sweep ends).
    ...(layout.checked ? [] : [withNote(retry(), "the tape was too short for this forward sweep: lengthen it and run again")]),
    ...(layout.publish ? [withNote(publish(), "functions called below save above this function's values")] : []),
    ...backward,
    ...(layout.publish ? [publish()] : []),
    result,
  ];
}

/**
 * How `t` is written. `gradient`: `t` types a gradient, where an array of class
 * instances is an array of plain records of their fields (`{ x: number; v: number }[]`).
 */
export function typeNode(t: Type, gradient = false): ts.TypeNode {
  if (t === "number") return f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword);
  if (t === "boolean") return f.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword);
  if ("array" in t) {
    const kind = (k: "f64" | "js"): ts.TypeNode =>
      k === "f64" ? f.createTypeReferenceNode("Float64Array") : f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword));
    if (!t.rows) return kind(t.array);
    let node = kind(t.rows);
    for (let level = 0; level < (t.depth ?? 1); level++) node = f.createArrayTypeNode(node);
    return node;
  }
  if ("struct" in t) {
    if (t.isTuple) return f.createTupleTypeNode(t.struct.map(([, x]) => typeNode(x, gradient)));
    return f.createTypeLiteralNode(
      t.struct.map(([name, x]) => f.createPropertySignature(undefined, propertyName(name), t.optional?.includes(name) ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined, typeNode(x, gradient))),
    );
  }
  // A constant parameter keeps the type the user wrote.
  if ("opaque" in t) return t.opaque;
  // An array of records keeps the type the user wrote (`Body[]`).
  if ("records" in t) {
    if (!gradient || !t.plainGradient) return t.node;
    const element = typeNode({ struct: t.records.map((name) => [name, "number"] as const), isTuple: false });
    return f.createArrayTypeNode(ts.setEmitFlags(element, ts.EmitFlags.SingleLine));
  }
  if ("trees" in t) return t.node;
  return f.createTupleTypeNode(t.tuple.map((x) => typeNode(x, gradient)));
}

/** `number[] | Float64Array`, or an array of these for a stack of rows (float64-reach.ts). */
function mixedNode(t: Type): ts.TypeNode {
  const either = f.createUnionTypeNode([f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword)), f.createTypeReferenceNode("Float64Array")]);
  return isOpaqueType(t) ? f.createArrayTypeNode(f.createParenthesizedType(either)) : either;
}

function propertyName(name: string): ts.PropertyName {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? f.createIdentifier(name) : f.createStringLiteral(name);
}

function emitStmts(stmts: readonly Stmt[], ctx: EmitContext): ts.Statement[] {
  // Each statement points at the user statement it came from.
  return stmts.map((s) => withNote(mapTo(emitStmt(s, ctx), s.origin), s.note));
}

function withNote(node: ts.Statement, note: string | undefined): ts.Statement {
  if (note) ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, ` ${note}`, true);
  return node;
}

const COMPOUND: Record<string, ts.CompoundAssignmentOperator> = {
  "+": ts.SyntaxKind.PlusEqualsToken,
  "-": ts.SyntaxKind.MinusEqualsToken,
  "*": ts.SyntaxKind.AsteriskEqualsToken,
  "/": ts.SyntaxKind.SlashEqualsToken,
};

function emitStmt(s: Stmt, ctx: EmitContext): ts.Statement {
  switch (s.kind) {
    case "let": {
      const flags = s.mutable ? ts.NodeFlags.Let : ts.NodeFlags.Const;
      // A passive value or array of records hoisted out of a loop is kept before its first assignment (its
      // stack's first entry is the undefined it starts as): `let mine!: Item[]` says so to TypeScript.
      const held = isOpaqueType(s.type) || isTreesType(s.type) || isRecordsType(s.type);
      const definite = s.mutable && !s.init && held ? f.createToken(ts.SyntaxKind.ExclamationToken) : undefined;
      const decl = f.createVariableDeclaration(
        s.name,
        definite,
        s.init && typeof s.type === "string" ? undefined : ctx.mixed?.has(s.name) ? mixedNode(s.type) : typeNode(s.type),
        s.init && emitExpr(s.init, ctx),
      );
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([decl], flags));
    }
    case "assign": {
      const v = s.value;
      // `x = x + e` prints as `x += e`.
      if (v.kind === "binary" && v.left.kind === "var" && v.left.name === s.name && COMPOUND[v.op]) {
        return f.createExpressionStatement(
          f.createBinaryExpression(f.createIdentifier(s.name), COMPOUND[v.op]!, emitExpr(v.right, ctx)),
        );
      }
      return f.createExpressionStatement(f.createAssignment(f.createIdentifier(s.name), emitExpr(v, ctx)));
    }
    case "if": {
      const otherwise = s.else.length > 0 ? f.createBlock(emitStmts(s.else, ctx), true) : undefined;
      const then = f.createBlock(emitStmts(s.then, ctx), true);
      // A test kept only for its effect (popping a recorded decision) is a statement.
      if (s.then.length === 0 && !otherwise) {
        const test = s.test.kind === "binary" && s.test.op === "===" ? s.test.left : s.test;
        if (ctx.tape && isPop(test)) return f.createExpressionStatement(f.createPostfixDecrement(f.createIdentifier(ctx.tape.top)));
        return f.createExpressionStatement(emitExpr(test, ctx));
      }
      if (s.then.length === 0 && otherwise) {
        return f.createIfStatement(emitExpr(negated(s.test), ctx), otherwise);
      }
      return f.createIfStatement(emitExpr(s.test, ctx), then, otherwise);
    }
    case "return":
      return f.createReturnStatement(emitExpr(s.value, ctx));
    case "store": {
      // A record's field by name (`into.b = b_bar`, what `{ into: true }` writes) reads as a property.
      const named = s.index.kind === "literal" && typeof s.index.value === "string" && /^[A-Za-z_$][\w$]*$/.test(s.index.value) ? s.index.value : undefined;
      if (named) {
        const property = f.createPropertyAccessExpression(f.createIdentifier(s.array), named);
        const v = s.value;
        // `p.m = p.m + e` prints as `p.m += e`.
        if (v.kind === "binary" && COMPOUND[v.op] && v.left.kind === "field" && v.left.object.kind === "var" && v.left.object.name === s.array && v.left.name === named) {
          // (`p.m! += e` reads a field the type says may be missing: written only where it is there.)
          return f.createExpressionStatement(f.createBinaryExpression(s.optional ? f.createNonNullExpression(property) : property, COMPOUND[v.op]!, emitExpr(v.right, ctx)));
        }
        return f.createExpressionStatement(f.createAssignment(property, emitExpr(s.value, ctx)));
      }
      const target = f.createElementAccessExpression(f.createIdentifier(s.array), emitExpr(s.index, ctx));
      const v = s.value;
      // `a[i] = a[i] + e` prints as `a[i] += e`.
      if (v.kind === "binary" && COMPOUND[v.op] && v.left.kind === "index" && v.left.array.kind === "var" &&
          v.left.array.name === s.array && sameIndex(v.left.index, s.index)) {
        // `a[i] += e` reads a[i] too.
        const read = ctx.nonNullElements ? f.createNonNullExpression(target) : target;
        return f.createExpressionStatement(f.createBinaryExpression(read, COMPOUND[v.op]!, emitExpr(v.right, ctx)));
      }
      return f.createExpressionStatement(f.createAssignment(target, emitExpr(v, ctx)));
    }
    case "effect": {
      const copy = ctx.tape && block(s);
      if (ctx.tape && copy) {
        // top = tsgrad.saveBlock(tape, top, a, lo, hi)
        const top = f.createIdentifier(ctx.tape.top);
        const args = [f.createIdentifier(ctx.tape.tape), f.createIdentifier(ctx.tape.top), ...copy.args.map((a) => emitExpr(a, ctx))];
        return f.createExpressionStatement(f.createAssignment(top, f.createCallExpression(ctx.runtime(copy.helper, undefined), undefined, args)));
      }
      const saved = ctx.tape && pushed(s);
      if (ctx.tape && saved) {
        const slot = f.createElementAccessExpression(f.createIdentifier(ctx.tape.tape), f.createPostfixIncrement(f.createIdentifier(ctx.tape.top)));
        return f.createExpressionStatement(f.createAssignment(slot, emitExpr(saved, ctx)));
      }
      // A pop only to drop a value.
      if (ctx.tape && isPop(s.call)) return f.createExpressionStatement(f.createPostfixDecrement(f.createIdentifier(ctx.tape.top)));
      // A shared forward sweep's values read again by the next row (jacobian.ts): `top = mark`.
      if (ctx.tape && isRewind(s.call)) return f.createExpressionStatement(f.createAssignment(f.createIdentifier(ctx.tape.top), emitExpr(s.call.args[0]!, ctx)));
      return f.createExpressionStatement(emitExpr(s.call, ctx));
    }
    case "loop":
      return emitLoop(s, ctx);
    case "throw":
      return f.createThrowStatement(f.createNewExpression(f.createIdentifier(s.error), undefined, s.args.map((a) => emitExpr(a, ctx))));
    case "break":
      return f.createBreakStatement();
    case "continue":
      return f.createContinueStatement();
  }
}

/** Structural equality of index expressions (pure, so equal text means equal value). */
function sameIndex(a: Expr, b: Expr): boolean {
  while (a.kind === "binary" && b.kind === "binary") {
    if (a.op !== b.op || !sameIndex(a.right, b.right)) return false;
    a = a.left;
    b = b.left;
  }
  if (a.kind === "var" && b.kind === "var") return a.name === b.name;
  if (a.kind === "num" && b.kind === "num") return a.value === b.value;
  return false;
}

/** A loop prints as `for` when it has an init or update, else as `while` / `do ... while`. */
function emitLoop(s: Extract<Stmt, { kind: "loop" }>, ctx: EmitContext): ts.Statement {
  const test = emitExpr(s.test, ctx);
  const init = s.init;
  const updatesAreAssignments = s.update.every((u) => u.kind === "assign");
  if (s.doWhile || !updatesAreAssignments) {
    const body = f.createBlock([...emitStmts(s.body, ctx), ...emitStmts(s.update, ctx)], true);
    const loop = s.doWhile ? f.createDoStatement(body, test) : f.createWhileStatement(test, body);
    return init ? f.createBlock([emitStmt(init, ctx), loop], true) : loop;
  }
  const body = f.createBlock(s.fused && ctx.retry ? emitFused(s.body, ctx, ctx.retry) : emitStmts(s.body, ctx), true);
  let initializer: ts.ForInitializer | undefined;
  if (init?.kind === "let") {
    initializer = f.createVariableDeclarationList(
      [f.createVariableDeclaration(init.name, undefined, undefined, init.init && emitExpr(init.init, ctx))],
      ts.NodeFlags.Let,
    );
  } else if (init) {
    initializer = (emitStmt(init, ctx) as ts.ExpressionStatement).expression;
  }
  const updates = s.update.map((u) => updateExpression(u, ctx));
  const update = updates.length === 0 ? undefined : updates.reduce((a, b) => f.createComma(a, b));
  if (!initializer && !update) return f.createWhileStatement(test, body);
  return f.createForStatement(initializer, test, update, body);
}

/** A fused loop's body (fuse.ts) on a tape in locals: the iteration's pushes checked after the last, before its adjoint pops them. */
function emitFused(body: readonly Stmt[], ctx: EmitContext, retry: () => ts.Statement): ts.Statement[] {
  let at = 0;
  body.forEach((s, i) => pushes(s) && (at = i + 1));
  if (at === 0) return emitStmts(body, ctx);
  const check = withNote(retry(), "the tape was too short for this iteration: lengthen it and run again");
  return [...emitStmts(body.slice(0, at), ctx), check, ...emitStmts(body.slice(at), ctx)];
}

/** `i = i + 1` as `i++`, `i = i - 1` as `i--`, else the assignment expression. */
function updateExpression(s: Stmt, ctx: EmitContext): ts.Expression {
  const statement = emitStmt(s, ctx) as ts.ExpressionStatement;
  if (s.kind === "assign" && s.value.kind === "binary" && s.value.left.kind === "var" && s.value.left.name === s.name &&
      s.value.right.kind === "num" && s.value.right.value === 1) {
    if (s.value.op === "+") return f.createPostfixIncrement(f.createIdentifier(s.name));
    if (s.value.op === "-") return f.createPostfixDecrement(f.createIdentifier(s.name));
  }
  return statement.expression;
}

/** The negation of a test as a person writes it: `kind !== 1` for `!(kind === 1)`, `x > 0` for `!!(x > 0)`. Orderings stay `!(x < m)`: with NaN that is not `x >= m`. */
function negated(test: Expr): Expr {
  if (test.kind === "not") return test.arg;
  if (test.kind === "binary" && test.op === "===") return { ...test, op: "!==" };
  if (test.kind === "binary" && test.op === "!==") return { ...test, op: "===" };
  return { kind: "not", arg: test };
}

function paren(e: ts.Expression): ts.Expression {
  return ts.isIdentifier(e) || ts.isCallExpression(e) ? e : f.createParenthesizedExpression(e);
}

const BINARY: Record<string, ts.BinaryOperator> = {
  "+": ts.SyntaxKind.PlusToken,
  "-": ts.SyntaxKind.MinusToken,
  "*": ts.SyntaxKind.AsteriskToken,
  "/": ts.SyntaxKind.SlashToken,
  "**": ts.SyntaxKind.AsteriskAsteriskToken,
  "<": ts.SyntaxKind.LessThanToken,
  "<=": ts.SyntaxKind.LessThanEqualsToken,
  ">": ts.SyntaxKind.GreaterThanToken,
  ">=": ts.SyntaxKind.GreaterThanEqualsToken,
  "===": ts.SyntaxKind.EqualsEqualsEqualsToken,
  "!==": ts.SyntaxKind.ExclamationEqualsEqualsToken,
  "&&": ts.SyntaxKind.AmpersandAmpersandToken,
  "||": ts.SyntaxKind.BarBarToken,
};

/** The Math pseudo-functions that are operators (rules/math.ts OPERATORS). */
const OPERATOR_TOKENS: Record<string, ts.BinaryOperator | ts.SyntaxKind.TildeToken> = {
  "%": ts.SyntaxKind.PercentToken,
  ">>": ts.SyntaxKind.GreaterThanGreaterThanToken,
  ">>>": ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  "<<": ts.SyntaxKind.LessThanLessThanToken,
  "|": ts.SyntaxKind.BarToken,
  "&": ts.SyntaxKind.AmpersandToken,
  "^": ts.SyntaxKind.CaretToken,
  "~": ts.SyntaxKind.TildeToken,
};

/** Operators of equal precedence that associate to the left. */
const GROUP: Record<string, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

function numberLiteral(value: number): ts.Expression {
  if (Number.isNaN(value)) return f.createIdentifier("NaN");
  if (value === Infinity) return f.createIdentifier("Infinity");
  if (value === -Infinity) return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createIdentifier("Infinity"));
  if (value < 0 || Object.is(value, -0)) {
    return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value));
  }
  return f.createNumericLiteral(value);
}

/** A dotted name (`Math.PI`) as a property access chain. */
function dotted(name: string): ts.Expression {
  const [head, ...rest] = name.split(".");
  return rest.reduce<ts.Expression>((acc, part) => f.createPropertyAccessExpression(acc, part), f.createIdentifier(head!));
}

/** For `x !== undefined` (or null): x, present when the test is true; for `x === undefined`, when it is false. */
function presentWhen(test: Expr): { value: Expr; when: boolean } | undefined {
  if (test.kind !== "binary" || (test.op !== "===" && test.op !== "!==") || test.right.kind !== "literal" || (test.right.value !== undefined && test.right.value !== null)) return undefined;
  return { value: test.left, when: test.op === "!==" };
}

/** A name, or a path of field names and literal indices from one: TypeScript narrows these itself. */
function narrowsByPath(e: Expr): boolean {
  if (e.kind === "var") return true;
  if (e.kind === "field") return narrowsByPath(e.object);
  return e.kind === "index" && e.index.kind === "num" && narrowsByPath(e.array);
}

/** `x === undefined` or `x !== undefined` of a local. */
function isUndefinedTest(e: BinaryExpr): boolean {
  return (e.op === "===" || e.op === "!==") && e.left.kind === "var" && e.right.kind === "literal" && e.right.value === undefined;
}

export function emitExpr(e: Expr, ctx: EmitContext): ts.Expression {
  switch (e.kind) {
    case "num":
      return numberLiteral(e.value);
    case "bool":
      return e.value ? f.createTrue() : f.createFalse();
    case "literal":
      if (e.value === null) return f.createNull();
      return e.value === undefined ? f.createIdentifier("undefined") : f.createStringLiteral(e.value);
    case "var":
      return ctx.filledLater?.has(e.name) ? f.createNonNullExpression(f.createIdentifier(e.name)) : f.createIdentifier(e.name);
    case "free": {
      if (!e.node) return dotted(ctx.shadowsMath && e.name.startsWith("Math.") ? `globalThis.${e.name}` : e.name);
      const id = f.createIdentifier(e.name);
      return ts.setOriginalNode(id, e.node);
    }
    case "neg": {
      const arg = emitExpr(e.arg, ctx);
      // `- -x` must not print as `--x`.
      const safe = ts.isPrefixUnaryExpression(arg) ? f.createParenthesizedExpression(arg) : arg;
      return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, safe);
    }
    case "not": {
      const flipped = negated(e.arg);
      if (flipped.kind !== "not") return emitExpr(flipped, ctx);
      return f.createLogicalNot(paren(emitExpr(e.arg, ctx)));
    }
    case "binary":
      // A chain `t1 + ... + tn` is built from the inside out in a loop (it may nest thousands deep).
      // `value === undefined` tests what a read elsewhere asserts (filledLater).
      if (isUndefinedTest(e)) return f.createBinaryExpression(f.createIdentifier((e.left as { name: string }).name), BINARY[e.op]!, emitExpr(e.right, ctx));
      return foldLeft(e, (leaf) => emitExpr(leaf, ctx), (node, left) => {
        let right = emitExpr(node.right, ctx);
        // The printer would drop the parentheses of `a * (b * c)`, which changes rounding.
        if (node.right.kind === "binary" && GROUP[node.right.op] !== undefined && GROUP[node.right.op] === GROUP[node.op]) {
          right = f.createParenthesizedExpression(right);
        }
        // `-x ** 2` is a syntax error: parenthesise a unary base.
        const base = node.op === "**" && ts.isPrefixUnaryExpression(left) ? f.createParenthesizedExpression(left) : left;
        return f.createBinaryExpression(base, BINARY[node.op]!, right);
      });
    case "cond": {
      // `m[key] !== undefined ? m[key] : d` (a `??` on an element or a field of one): TypeScript narrows
      // a name there, not an element read, so the value tested is asserted where it is taken.
      const present = presentWhen(e.test);
      const read = (x: Expr, taken: boolean): ts.Expression =>
        taken && present && !narrowsByPath(x) && printExpr(x) === printExpr(present.value) ? f.createNonNullExpression(emitExpr(x, ctx)) : emitExpr(x, ctx);
      return f.createConditionalExpression(emitExpr(e.test, ctx), undefined, read(e.then, present?.when === true), undefined, read(e.else, present?.when === false));
    }
    case "call": {
      const args = e.args.map((a) => emitExpr(a, ctx));
      if (e.callee.kind === "math") {
        const operator = OPERATOR_TOKENS[e.callee.name];
        if (operator === ts.SyntaxKind.TildeToken) return f.createPrefixUnaryExpression(operator, args[0]!);
        if (operator !== undefined) return f.createBinaryExpression(args[0]!, operator, args[1]!);
        return f.createCallExpression(dotted(`${ctx.shadowsMath ? "globalThis." : ""}Math.${e.callee.name}`), undefined, args);
      }
      if (ctx.tape && isMark(e)) return f.createIdentifier(ctx.tape.top);
      if (ctx.tape && isPop(e)) {
        return elementRead(f.createIdentifier(ctx.tape.tape), f.createPrefixDecrement(f.createIdentifier(ctx.tape.top)), ctx);
      }
      if (e.callee.kind === "runtime") return f.createCallExpression(ctx.runtime(e.callee.name, e.callee.node), undefined, args);
      if (e.callee.kind === "global") return f.createCallExpression(dotted(e.callee.name), undefined, args);
      if (e.callee.kind === "passive") {
        // Code as written that reads a number[] tsgrad keeps as a Float64Array (`residuals.map((_, i) => i)` of an
        // argsort, desugar/data-sorts.ts) runs the same on either; the cast says so to TypeScript.
        const arrays = e.callee.arrays;
        const cast = args.map((a, i) => (arrays?.has(i) && ctx.reach?.mayBeFloat64(e.args[i]!) ? asNumbers(a) : a));
        return printedAsWritten(e.callee.node, e.callee.holes, cast);
      }
      if (e.callee.kind === "rule") {
        return f.createCallExpression(f.createPropertyAccessExpression(ctx.refer(e.callee.fn, e.callee.node), "rule"), undefined, args);
      }
      // A local that may hold a Float64Array (float64-reach.ts) passed to a function declared to take a
      // number[]: the cast says to TypeScript that the function only reads it. A row of a flat matrix given
      // to a helper no longer comes here (it is a number[] copy, runtime sliceToArray); this is a fallback
      // for a reassigned number[] local given a map's Float64Array and then passed to a helper not inlined.
      if (e.callee.kind === "fn" && ctx.mixed) {
        e.args.forEach((a, i) => {
          if (a.kind === "var" && ctx.mixed!.has(a.name)) args[i] = asNumbers(args[i]!);
        });
      }
      // A user function whose last parameter is a rest parameter takes that array spread.
      if (e.callee.kind === "fn" && e.callee.fn.restParameter && args.length > 0) args.push(f.createSpreadElement(args.pop()!));
      return f.createCallExpression(ctx.refer(e.callee.fn, e.callee.node), undefined, args);
    }
    case "index":
      return elementRead(emitExpr(e.array, ctx), emitExpr(e.index, ctx), ctx);
    case "length":
      return f.createPropertyAccessExpression(emitExpr(e.array, ctx), "length");
    case "alloc":
      return f.createNewExpression(f.createIdentifier(e.records ? "Array" : "Float64Array"), undefined, [emitExpr(e.size, ctx)]);
    case "tuple":
      return f.createArrayLiteralExpression(e.items.map((x) => emitExpr(x, ctx)));
    case "function":
      return ctx.refer(e.fn, undefined);
    case "field": {
      const object = e.object.kind === "var" && ctx.maybeMissing?.has(e.object.name) ? f.createNonNullExpression(emitExpr(e.object, ctx)) : emitExpr(e.object, ctx);
      if (/^\d+$/.test(e.name)) return f.createElementAccessExpression(object, Number(e.name));
      // A key that is not a name (`CONFIG["max-iter"]`) is read as the user wrote it.
      return /^[A-Za-z_$][\w$]*$/.test(e.name)
        ? f.createPropertyAccessExpression(object, e.name)
        : f.createElementAccessExpression(object, f.createStringLiteral(e.name));
    }
    case "object":
      if (e.isTuple) return f.createArrayLiteralExpression(e.fields.map(([, x]) => emitExpr(x, ctx)));
      return f.createObjectLiteralExpression(
        e.fields.map(([name, x]) => f.createPropertyAssignment(propertyName(name), emitExpr(x, ctx))),
        false,
      );
  }
}
