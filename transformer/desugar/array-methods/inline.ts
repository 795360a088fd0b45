// Callbacks of array methods, inlined into the loop that stands for the call.
// An arrow or function expression written in place has its body copied into the
// loop: its parameters become locals bound to the element, the index (the loop
// counter itself when the callback names one) and the accumulator, its array
// parameter reads the array, and each `return v` hands v to what the method does
// with it (the sink). A callback named by a function the compiler sees is called
// in the loop instead, and lowering inlines or differentiates that call as any other.

import { ts } from "../../ts.js";
import { Code, fail } from "../../diagnostics.js";
import type { DesugarContext } from "../../lower.js";
import { Build, like, newLocal, typed, userText } from "../synth.js";
import { bind } from "./statements.js";
import { mathRule } from "../../rules/math.js";

export type Callback =
  | { readonly kind: "inline"; readonly fn: ts.ArrowFunction | ts.FunctionExpression; readonly type: ts.Type; readonly text: string }
  | { readonly kind: "named"; readonly callee: ts.Expression; readonly arity: number; readonly type: ts.Type; readonly text: string };

/** What a callback's parameters receive, in the order the method passes them. */
export type Role = "acc" | "element" | "index" | "array";

/** The values of one call of the callback. */
export interface Frame {
  readonly element?: ts.Expression;
  readonly index: () => ts.Expression;
  /** The array walked, when it exists as a plain read (not on a chained call's intermediate result). */
  readonly array?: ts.Expression;
  /** The loop counter, when it is the callback's own index parameter. */
  readonly counter?: ts.Identifier;
  /** The accumulator of reduce. */
  readonly acc?: ts.Identifier;
}

/** What the method does with each value the callback returns (undefined: it returned nothing). */
export type Sink = (value: ts.Expression | undefined) => ts.Statement[];

export class Inliner {
  readonly build: Build;

  constructor(private readonly ctx: DesugarContext) {
    this.build = new Build(ctx.checker);
  }

  private get checker(): ts.TypeChecker {
    return this.ctx.checker;
  }

  /** The callback `arg` of the user's call `call` (`what` names the call as written). */
  callback(arg: ts.Expression | undefined, call: ts.CallExpression, what: string): Callback {
    if (!arg) fail(Code.Unsupported, call, `'${what}' needs a callback; pass one ((x) => ...).`);
    let e = arg;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    const type = this.checker.getTypeAtLocation(e);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      if (e.asteriskToken || e.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
        fail(Code.Async, e, `the callback of '${what}' is a generator or async function, which cannot be differentiated; pass a plain function.`);
      }
      return { kind: "inline", fn: e, type, text: what };
    }
    const math = this.mathFunction(e);
    if (math) {
      // `xs.map(Math.exp)`: JavaScript passes (x, i, xs), which Math.exp ignores past its arity.
      if (math.arity === "n") {
        fail(Code.Unsupported, e, `'${userText(e)}' as the callback of '${what}' would also be given the index and the array (JavaScript passes all three); write the arrow you mean ((x) => ${userText(e)}(x, ...)).`);
      }
      return { kind: "named", callee: e, arity: math.arity, type, text: what };
    }
    const decl = this.ctx.resolveFunction(e);
    if (!decl) {
      fail(Code.UnknownFunction, e, `tsgrad cannot see which function '${userText(e)}' is, so it cannot inline it into the loop '${what}' stands for; pass an arrow written in place ((x) => ...) or the name of a function declared in your program.`);
    }
    const params = decl.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
    const arity = params.some((p) => p.dotDotDotToken) ? Infinity : params.length;
    return { kind: "named", callee: e, arity, type, text: what };
  }

  /** The Math function `e` names (`Math.exp`), with its rule. */
  private mathFunction(e: ts.Expression): ReturnType<typeof mathRule> {
    if (!ts.isPropertyAccessExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "Math") return undefined;
    const decl = this.checker.getSymbolAtLocation(e.expression)?.declarations?.[0];
    if (!decl || !this.ctx.isLibDeclaration(decl)) return undefined;
    return mathRule(e.name.text);
  }

  /** What the callback returns. */
  returnType(cb: Callback): ts.Type {
    const signature = cb.type.getCallSignatures()[0];
    return signature ? this.checker.getReturnTypeOfSignature(signature) : this.checker.getAnyType();
  }

  /** The callback's own index parameter, when it can be the loop counter (a name it never assigns). */
  indexName(cb: Callback, roles: readonly Role[]): ts.Identifier | undefined {
    if (cb.kind !== "inline") return undefined;
    const p = cb.fn.parameters[roles.indexOf("index")];
    if (!p || !ts.isIdentifier(p.name) || !cb.fn.body || assigns(cb.fn.body, p.name.text)) return undefined;
    return p.name;
  }

  /** The callback's accumulator parameter when it can be the accumulator itself, else a new local. */
  accumulator(cb: Callback, type: ts.Type, from: ts.Node): ts.Identifier {
    const p = cb.kind === "inline" ? cb.fn.parameters[0] : undefined;
    return p && ts.isIdentifier(p.name) ? p.name : newLocal("acc", type, from);
  }

  /** Whether the callback gives its value once, at its end (an expression body, or one final return). */
  singleResult(cb: Callback): boolean {
    if (cb.kind === "named") return true;
    const body = cb.fn.body;
    if (!ts.isBlock(body)) return true;
    const last = body.statements[body.statements.length - 1];
    return !!last && ts.isReturnStatement(last) && body.statements.slice(0, -1).every((s) => !containsReturn(s));
  }

  /** The statements of one call of the callback with `frame`'s values, each result given to `sink`. */
  inline(cb: Callback, roles: readonly Role[], frame: Frame, sink: Sink): ts.Statement[] {
    if (cb.kind === "named") {
      const count = Math.min(cb.arity, roles.length);
      const args = roles.slice(0, count).map((role) => this.value(role, frame, cb.callee, cb.text));
      const call = typed(ts.factory.createCallExpression(cb.callee, undefined, args), this.returnType(cb), cb.callee);
      return sink(call);
    }
    const fn = cb.fn;
    const params = fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
    if (params.length > roles.length) {
      fail(Code.Unsupported, params[roles.length]!, `'${cb.text}' passes its callback ${roles.length} argument(s) (${roles.join(", ")}), so this parameter would always be undefined; remove it.`);
    }
    let body: ts.ConciseBody = fn.body;
    const binds: ts.Statement[] = [];
    params.forEach((p, k) => {
      if (p.dotDotDotToken) fail(Code.Unsupported, p, `a rest parameter in the callback of '${cb.text}' is not supported; name the parameters it takes.`);
      const role = roles[k]!;
      const name = p.name;
      // A parameter the body never reads needs no local (`(_, i) => ...`).
      if (ts.isIdentifier(name) && !mentions(body, name.text)) return;
      if ((role === "index" && name === frame.counter) || (role === "acc" && name === frame.acc)) return;
      if (role === "array" && ts.isIdentifier(name) && frame.array) {
        // The array itself, not a copy: `arr[i + 1]` reads `xs[i + 1]`.
        body = substitute(body, name.text, frame.array, this.checker);
        return;
      }
      const flags = ts.isIdentifier(name) && assigns(fn.body, name.text) ? ts.NodeFlags.Let : ts.NodeFlags.Const;
      binds.push(bind(name, this.value(role, frame, p, cb.text), flags, p));
    });
    if (!ts.isBlock(body)) return [...binds, ...sink(body)];
    return [...binds, ...tailify(body.statements, sink, cb.text)];
  }

  private value(role: Role, frame: Frame, from: ts.Node, what: string): ts.Expression {
    switch (role) {
      case "element":
        return frame.element ?? fail(Code.Internal, from, `no element for the callback of '${what}'; please report this with the function.`);
      case "index":
        return frame.index();
      case "acc":
        return frame.acc ?? fail(Code.Internal, from, `no accumulator for the callback of '${what}'; please report this with the function.`);
      case "array":
        return frame.array ?? fail(Code.Unsupported, from, `the callback of '${what}' reads the array it walks, which a chained call does not have; name the intermediate array first (const ys = ...).`);
    }
  }
}

/**
 * `statements` with every `return v` replaced by `sink(v)` and the code after
 * an `if` that may return moved into its branches, so that the result is given
 * once on every path and nothing runs after it: `if (c) return a; return b;`
 * becomes `if (c) { sink(a) } else { sink(b) }`. Falling off the end gives nothing.
 */
export function tailify(statements: readonly ts.Statement[], sink: Sink, what: string): ts.Statement[] {
  const f = ts.factory;
  const out: ts.Statement[] = [];
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k]!;
    if (ts.isReturnStatement(s)) return [...out, ...sink(s.expression)];
    if (!containsReturn(s)) {
      out.push(s);
      continue;
    }
    const rest = statements.slice(k + 1);
    if (ts.isIfStatement(s)) {
      const then = tailify([...list(s.thenStatement), ...rest], sink, what);
      const otherwise = tailify([...(s.elseStatement ? list(s.elseStatement) : []), ...rest], sink, what);
      const block = (b: ts.Statement[], from: ts.Node): ts.Block => like(f.createBlock(b, true), from);
      const elseBlock = otherwise.length > 0 ? block(otherwise, s.elseStatement ?? s) : undefined;
      return [...out, like(f.updateIfStatement(s, s.expression, block(then, s.thenStatement), elseBlock), s)];
    }
    if (ts.isBlock(s)) return [...out, ...tailify([...s.statements, ...rest], sink, what)];
    fail(Code.Unsupported, s, `the callback of '${what}' returns from inside a loop or switch, which tsgrad cannot inline yet; set a variable, break, and return it after the loop.`);
  }
  return [...out, ...sink(undefined)];
}

function list(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** Whether `node` returns from the function it is in (a nested function's returns are its own). */
export function containsReturn(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return !!ts.forEachChild(node, (n) => containsReturn(n) || undefined);
}

/** Whether `node` mentions the name `text` anywhere (a conservative "is it read"). */
export function mentions(node: ts.Node, text: string): boolean {
  if (ts.isIdentifier(node)) return node.text === text;
  return !!ts.forEachChild(node, (n) => mentions(n, text) || undefined);
}

/** Whether `node` assigns the name `text` (=, op=, ++, --). */
export function assigns(node: ts.Node, text: string): boolean {
  const target = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isIdentifier(e) && e.text === text;
  };
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && target(node.left)) return true;
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && target(node.operand)) return true;
  return !!ts.forEachChild(node, (n) => assigns(n, text) || undefined);
}

/** `body` with each read of the parameter named `text` replaced by `value` (fields named so are left alone). */
function substitute(body: ts.ConciseBody, text: string, value: ts.Expression, checker: ts.TypeChecker): ts.ConciseBody {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isIdentifier(node)) return node.text === text ? value : node;
    let out: ts.Node;
    if (ts.isPropertyAccessExpression(node)) out = ts.factory.updatePropertyAccessExpression(node, ts.visitNode(node.expression, visit, ts.isExpression) as ts.Expression, node.name);
    else if (ts.isPropertyAssignment(node)) out = ts.factory.updatePropertyAssignment(node, node.name, ts.visitNode(node.initializer, visit, ts.isExpression) as ts.Expression);
    else out = ts.visitEachChild(node, visit, undefined);
    // A rebuilt expression keeps the type an earlier pass gave it (`all[i - 1]!` is a number).
    return out !== node && ts.isExpression(node) ? typed(out, checker.getTypeAtLocation(node), node) : out;
  };
  return ts.visitNode(body, visit) as ts.ConciseBody;
}
