// Desugaring: helpers with statements called where an expression may not run.
// Takes: a function whose `?:` branches, right operands of `&&` / `||` / `??`
// or loop conditions call a function, method or inner function whose body has
// statements (`const predicted = dt > 0 ? predict(state, dt, q) : state`,
// `while (residual(x) > tol)`). Lowering and the classes pass place such a
// body's statements before the expression that calls it, which would run them
// where JavaScript skips the call.
// Guarantees: every such `?:`, `&&`, `||` and `??` is an if statement, each
// branch's calls inside its own block, so a helper's statements run exactly when
// JavaScript evaluates the call, in the same order: `const v = c ? f(a) : b` is
// `let v; if (c) { v = f(a); } else { v = b; }` (a `return` returns in each
// branch, `x = ...` assigns in each); one nested inside a larger expression
// goes to a local first (`choice`, `both`, `either`, `value`, as effects.ts names
// them), the left operand of `&&` / `||` / `??` evaluated once; a loop whose
// condition calls one tests it at the top of its body, every time JavaScript
// would (`while (true) { const more = ...; if (!more) break; ... }`, the loop's
// own update kept; a `do...while` tests at the end of its body). Which calls
// have statements is inline.ts's answer (inlinedWithStatements), the one
// lowering asks before it inlines a helper on such a path: calls of helpers
// that are one expression, and of helpers no pass inlines (another file's, a
// recursive one), are left as they are.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { someNode } from "../walk.js";
import { Build, like, newLocal, skipParens, typed, userText, visitChildren } from "./synth.js";
import { continuesHere } from "./effects.js";
import { inlinedBody, inlinedWithStatements } from "../inline.js";
import { desugar } from "./index.js";
import { isSpecialisedCall } from "./function-values.js";

export function liftBranches(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const lifter = new Lifter(ctx, (ts.getParseTreeNode(fn) as FunctionLike | undefined) ?? fn);
  // Inner functions included: a callback's `?:` is lifted in its own body.
  if (!fn.body || !someNode(fn.body, (n) => lifter.branchesRunStatements(n))) return fn;
  // An arrow whose body is one expression (this one, or one inside it) gets a block to place statements in.
  const withBlock = (arrow: ts.ArrowFunction): ts.ArrowFunction => {
    const body = like(ts.factory.createBlock([like(ts.factory.createReturnStatement(arrow.body as ts.Expression), arrow.body)], true), arrow.body);
    return like(ts.factory.updateArrowFunction(arrow, arrow.modifiers, arrow.typeParameters, arrow.parameters, arrow.type, arrow.equalsGreaterThanToken, body), arrow);
  };
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body) && lifter.risky(node.body)) return visitChildren(withBlock(node), visit);
    if (!ts.isStatement(node) || !lifter.risky(node)) return visitChildren(node, visit);
    const test = ts.isWhileStatement(node) || ts.isDoStatement(node) ? node.expression : ts.isForStatement(node) ? node.condition : undefined;
    if (test && lifter.calls(test)) return visitChildren(lifter.testInBody(node as ts.WhileStatement | ts.DoStatement | ts.ForStatement, test), visit);
    const out = lifter.statement(node);
    return out ? out.map((s) => visitChildren(s, visit)) : visitChildren(node, visit);
  };
  if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && lifter.risky(fn.body)) fn = withBlock(fn);
  return ts.visitEachChild(fn, visit, undefined);
}

class Lifter {
  private readonly build: Build;
  private readonly checker: ts.TypeChecker;
  /** Whether a call runs statements, by call. */
  private readonly known = new Map<ts.CallExpression, boolean>();
  /** Whether an expression calls one, by expression (nested `?:` ask again about their parts). */
  private readonly calling = new WeakMap<ts.Node, boolean>();

  constructor(
    private readonly ctx: DesugarContext,
    /** The function rewritten, as the user wrote it: the caller whose calls are inlined. */
    private readonly caller: FunctionLike,
  ) {
    this.checker = ctx.checker;
    this.build = new Build(ctx.checker);
  }

  /** Whether `node` has a `?:`, `&&`, `||` or `??` (or is a loop) whose skipped part calls a helper with statements. */
  risky(node: ts.Node): boolean {
    return someNode(node, (n) => this.branchesRunStatements(n), (n) => !ts.isFunctionLike(n) || n === node);
  }

  branchesRunStatements(n: ts.Node): boolean {
    if (ts.isConditionalExpression(n)) return this.calls(n.whenTrue) || this.calls(n.whenFalse);
    // nullish.ts made a `?:` of each `??` on a name or field path; one on another value (`f(x) ?? g(y)`) is still here.
    if (ts.isBinaryExpression(n) && isShortCircuit(n.operatorToken.kind)) return this.calls(n.right);
    const test = ts.isWhileStatement(n) || ts.isDoStatement(n) ? n.expression : ts.isForStatement(n) ? n.condition : undefined;
    return !!test && this.calls(test);
  }

  /** Whether evaluating `e` calls a helper with statements (not counting functions written inside it). */
  calls(e: ts.Node): boolean {
    let known = this.calling.get(e);
    if (known === undefined) {
      known = someNode(e, (n) => ts.isCallExpression(n) && this.runsStatements(n), (n) => !ts.isFunctionLike(n));
      this.calling.set(e, known);
    }
    return known;
  }

  /** Whether the function or method `call` calls is inlined with statements placed before the call (inline.ts). */
  private runsStatements(call: ts.CallExpression): boolean {
    let known = this.known.get(call);
    if (known === undefined) {
      const decl = this.ctx.resolveFunction(call.expression) ?? this.method(call);
      const resolve = (c: ts.Expression): FunctionLike | undefined => this.ctx.resolveFunction(c);
      known = !!decl && inlinedWithStatements(decl, this.caller, this.checker, resolve, (helper) => desugaredBody(helper, this.ctx), isSpecialisedCall(call, this.ctx));
      this.known.set(call, known);
    }
    return known;
  }

  /** The method (with a body) a call of the user's code resolves to. */
  private method(call: ts.CallExpression): FunctionLike | ts.MethodDeclaration | undefined {
    const user = ts.getParseTreeNode(call);
    if (!user || !ts.isCallExpression(user) || !ts.isPropertyAccessExpression(user.expression)) return undefined;
    const decl = this.checker.getResolvedSignature(user)?.declaration;
    return decl && ts.isMethodDeclaration(decl) && decl.body ? decl : undefined;
  }

  /** `s` with its branching expressions as if statements, or undefined when it has none to lift. */
  statement(s: ts.Statement): ts.Statement[] | undefined {
    const f = ts.factory;
    if (ts.isReturnStatement(s) && s.expression) {
      return this.into(s.expression, (v) => [like(f.updateReturnStatement(s, v), s)]);
    }
    if (ts.isExpressionStatement(s)) {
      const e = skipParens(s.expression);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left)) {
        const target = e.left;
        return this.into(e.right, (v) => [this.build.assign(target, v, s)]);
      }
      return this.before(e, (v) => [like(f.updateExpressionStatement(s, v), s)]);
    }
    if (ts.isVariableStatement(s)) {
      const list = s.declarationList;
      const scoped = list.flags & ts.NodeFlags.BlockScoped;
      if (scoped !== ts.NodeFlags.Const && scoped !== ts.NodeFlags.Let) return undefined;
      return list.declarations.flatMap((d) => this.declaration(d, s));
    }
    if (ts.isIfStatement(s)) return this.before(s.expression, (v) => [like(f.updateIfStatement(s, v, s.thenStatement, s.elseStatement), s)]);
    if (ts.isThrowStatement(s)) return this.before(s.expression, (v) => [like(f.updateThrowStatement(s, v), s)]);
    if (ts.isForOfStatement(s)) return this.before(s.expression, (v) => [like(f.updateForOfStatement(s, s.awaitModifier, s.initializer, v, s.statement), s)]);
    if (ts.isSwitchStatement(s)) return this.before(s.expression, (v) => [like(f.updateSwitchStatement(s, v, s.caseBlock), s)]);
    return undefined;
  }

  /** `const v = e` (or let): `let v;` then `e` assigned to it branch by branch. */
  private declaration(d: ts.VariableDeclaration, s: ts.VariableStatement): ts.Statement[] {
    const f = ts.factory;
    const keep = (init: ts.Expression | undefined): ts.Statement => {
      const decl = like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, init), d);
      return like(f.updateVariableStatement(s, s.modifiers, like(f.updateVariableDeclarationList(s.declarationList, [decl]), s.declarationList)), s);
    };
    if (!d.initializer || !this.risky(d.initializer)) return [keep(d.initializer)];
    if (!ts.isIdentifier(d.name)) return this.before(d.initializer, (v) => [keep(v)]);
    const name = d.name;
    const top = skipParens(d.initializer);
    if (!ts.isConditionalExpression(top) || !this.branchesRunStatements(top)) return this.before(d.initializer, (v) => [keep(v)]);
    const decl = like(f.updateVariableDeclaration(d, name, undefined, d.type, undefined), d);
    const declare = like(f.createVariableStatement(s.modifiers, like(f.createVariableDeclarationList([decl], ts.NodeFlags.Let), s.declarationList)), s);
    return [declare, ...this.into(top, (v) => [this.build.assign(name, v, d)])];
  }

  /**
   * The statements that compute `e` and hand its value to `use` (a return, an
   * assignment): a lifted `?:` at the top hands each branch's value over in
   * that branch, so no local is needed for it.
   */
  private into(e: ts.Expression, use: (value: ts.Expression) => ts.Statement[]): ts.Statement[] {
    const top = skipParens(e);
    if (ts.isConditionalExpression(top) && this.branchesRunStatements(top)) {
      const f = ts.factory;
      const arm = (value: ts.Expression): ts.Statement => like(f.createBlock(this.into(value, use), true), value);
      return this.before(top.condition, (test) => [like(f.createIfStatement(test, arm(top.whenTrue), arm(top.whenFalse)), top)]);
    }
    return this.before(e, use);
  }

  /** The statements that compute `e` with its lifted parts first, then `use` of what is left of it. */
  private before(e: ts.Expression, use: (value: ts.Expression) => ts.Statement[]): ts.Statement[] {
    const out: ts.Statement[] = [];
    const value = this.rewrite(e, out);
    return [...out, ...use(value)];
  }

  /** `e` with every lifted `?:`, `&&`, `||`, `??` replaced by a local computed by statements in `out`. */
  private rewrite(e: ts.Expression, out: ts.Statement[]): ts.Expression {
    const f = ts.factory;
    const visit = (n: ts.Node): ts.Node => {
      if (ts.isFunctionLike(n)) return n;
      if (ts.isConditionalExpression(n) && this.branchesRunStatements(n)) {
        // `g(c ? f(a) : b)` as `let choice; if (c) { choice = f(a); } else { choice = b; } g(choice)`.
        const choice = newLocal("choice", this.checker.getTypeAtLocation(n), n);
        out.push(this.build.declare(choice, undefined, ts.NodeFlags.Let, n), ...this.into(n, (v) => [this.build.assign(choice, v, v)]));
        return choice;
      }
      if (ts.isBinaryExpression(n) && isShortCircuit(n.operatorToken.kind) && this.calls(n.right)) {
        // `a && f(x)` as `let both = a; if (both) { both = f(x); }`: the left once, the right only when JavaScript evaluates it.
        const kind = n.operatorToken.kind;
        const type = this.checker.getTypeAtLocation(n);
        const result = newLocal(kind === ts.SyntaxKind.AmpersandAmpersandToken ? "both" : kind === ts.SyntaxKind.BarBarToken ? "either" : "value", type, n);
        const left = visit(n.left) as ts.Expression;
        out.push(this.build.declare(result, left, ts.NodeFlags.Let, n));
        const test =
          kind === ts.SyntaxKind.AmpersandAmpersandToken ? result
          : kind === ts.SyntaxKind.BarBarToken ? typed(f.createLogicalNot(result), this.checker.getBooleanType(), n)
          : this.missing(result, this.checker.getTypeAtLocation(n.left), n);
        const then = like(f.createBlock(this.into(n.right, (v) => [this.build.assign(result, v, v)]), true), n.right);
        out.push(like(f.createIfStatement(test, then), n));
        return result;
      }
      return visitChildren(n, visit);
    };
    return visit(e) as ts.Expression;
  }

  /** `value === undefined || value === null`, for the cases the left of a `??` admits. */
  private missing(value: ts.Identifier, type: ts.Type, from: ts.Node): ts.Expression {
    const f = ts.factory;
    const parts = type.isUnion() ? type.types : [type];
    const tests: ts.Expression[] = [];
    const admits = (flags: ts.TypeFlags): boolean => parts.some((t) => t.flags & (flags | ts.TypeFlags.Any | ts.TypeFlags.Unknown));
    if (admits(ts.TypeFlags.Undefined | ts.TypeFlags.Void)) tests.push(this.build.test(value, ts.SyntaxKind.EqualsEqualsEqualsToken, typed(f.createVoidZero(), this.checker.getUndefinedType(), from), from));
    if (admits(ts.TypeFlags.Null)) tests.push(this.build.test(value, ts.SyntaxKind.EqualsEqualsEqualsToken, typed(f.createNull(), this.checker.getNullType(), from), from));
    if (tests.length === 0) return like(f.createFalse(), from);
    return tests.reduce((all, t) => this.build.test(all, ts.SyntaxKind.BarBarToken, t, from));
  }

  /** A loop whose condition calls a helper with statements, with the condition tested in its body: `const more = test; if (!more) break;`. */
  testInBody(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement, test: ts.Expression): ts.Statement {
    const f = ts.factory;
    const more = newLocal("more", this.checker.getBooleanType(), test);
    const stop = like(f.createIfStatement(typed(f.createLogicalNot(more), this.checker.getBooleanType(), test), like(f.createBreakStatement(), test)), test);
    const check = [...this.into(test, (v) => [this.build.declare(more, v, ts.NodeFlags.Const, test)]), stop];
    const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
    const always = like(f.createTrue(), test);
    if (ts.isDoStatement(loop)) {
      if (continuesHere(loop.statement)) fail(Code.Unsupported, test, `the do...while condition '${userText(test)}' calls a function with statements, which tsgrad runs at the end of the loop's body, and the body uses continue, which would skip them; write the loop as while (true) { ... if (!(${userText(test)})) break; }, or move the call into the body.`);
      return like(f.updateDoStatement(loop, like(f.createBlock([...body, ...check], true), loop.statement), always), loop);
    }
    const block = like(f.createBlock([...check, ...body], true), loop.statement);
    if (ts.isWhileStatement(loop)) return like(f.updateWhileStatement(loop, always, block), loop);
    return like(f.updateForStatement(loop, loop.initializer, undefined, loop.incrementor, block), loop);
  }
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** Helpers' bodies as lowering inlines them, by program (its checker) and helper: desugared once, not per call. */
const desugaredBodies = new WeakMap<ts.TypeChecker, WeakMap<FunctionLike, ts.ConciseBody>>();

function desugaredBody(helper: FunctionLike, ctx: DesugarContext): ts.ConciseBody | undefined {
  let bodies = desugaredBodies.get(ctx.checker);
  if (!bodies) desugaredBodies.set(ctx.checker, (bodies = new WeakMap()));
  let body = bodies.get(helper);
  if (!body) bodies.set(helper, (body = inlinedBody(helper, desugar(helper, ctx))));
  return body;
}
