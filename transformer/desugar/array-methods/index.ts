// Desugaring: array methods with callbacks. Takes: a function that may call
// map, filter, flatMap, reduce, reduceRight, forEach, some, every, find, findIndex, flat,
// concat, at, indexOf and includes on arrays (number[], Float64Array, tuples,
// arrays of arrays or records), `Array.from(xs, f)`, `Array.from({ length: n }, f)`,
// and walk `xs.entries()`, `xs.keys()` or `xs.values()` with for...of.
// Guarantees: none of these calls remains. Each is the index loop a person writes
// in its place, before the statement that used its value, with the callback's
// body inlined into the loop (streams.ts, inline.ts): a chain
// `xs.map(f).filter(p).reduce(g, 0)` is one loop, and an array is allocated only
// where the value is an array — `zeros(n)` filled by index for numbers, an empty
// array grown with push otherwise. reduce folds left to right from its initial
// value (or the first element), as JavaScript does, so it gives the same number.
// A method on an array whose elements are neither numbers, arrays nor records is
// refused at the call, named as written.

import { ts } from "../../ts.js";
import { isFunctionArrayType, UNROLLED } from "../function-arrays.js";
import { Code, DiffError, fail } from "../../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../../lower.js";
import { arrayKind, every } from "../../types.js";
import { Build, lengthOnly, like, newLocal, skipParens, typed, userText, visitChildren } from "../synth.js";
import { type Callback, Inliner, type Role, assigns } from "./inline.js";
import * as s from "./statements.js";
import { someNode } from "../../walk.js";
import { isSliceCall, sliceStream } from "./slices.js";
import { fusible } from "./fusion.js";
import { type Stream, arrayStream, concatStream, filteredStream, flatMappedStream, flatStream, isPlain, mappedStream, materialize, rangeStream } from "./streams.js";

export function desugarArrayMethods(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const pass = new ArrayMethods(ctx);
  const out = pass.function(fn);
  // Every refused call is reported, not only the first (SPEC §5).
  const [first, ...more] = pass.errors;
  if (first) throw new DiffError(first.code, first.node, first.message, [...first.more, ...more]);
  return out;
}

/** Methods whose value is an array, made only when a chain ends in it. */
const PRODUCERS = new Set(["map", "filter", "flatMap", "flat", "concat", "from"]);
/** Methods that walk the array to a value (or, forEach, to effects). */
const CONSUMERS = new Set(["reduce", "reduceRight", "forEach", "some", "every", "find", "findIndex", "at", "indexOf", "includes"]);
/** Producers a for...of can walk without making their array (fusion.ts). */
const FUSED = new Set(["map", "filter", "from"]);
/** What the array a producer makes is called when it has no name of the user's. */
const MADE: Record<string, string> = { map: "mapped", filter: "kept", flatMap: "flat", flat: "flat", concat: "joined", from: "items" };

interface Method {
  readonly name: string;
  readonly call: ts.CallExpression;
  /** The array the method is called on (for Array.from, its first argument). */
  readonly receiver: ts.Expression;
  /** `xs.map` as written, for messages. */
  readonly text: string;
}

class ArrayMethods {
  private readonly checker: ts.TypeChecker;
  private readonly build: Build;
  private readonly inliner: Inliner;

  constructor(private readonly ctx: DesugarContext) {
    this.checker = ctx.checker;
    this.inliner = new Inliner(ctx);
    this.build = this.inliner.build;
  }

  /** `fn` with every array method in its body (and in the functions it declares) desugared. */
  function<T extends FunctionLike>(fn: T): T {
    const f = ts.factory;
    const body = fn.body;
    if (!body) return fn;
    let updated: ts.ConciseBody;
    if (ts.isBlock(body)) updated = this.block(body);
    else {
      const hoist: ts.Statement[] = [];
      const value = this.expr(body, hoist);
      updated = hoist.length > 0 ? like(f.createBlock([...hoist, like(f.createReturnStatement(value), body)], true), body) : value;
    }
    if (updated === body) return fn;
    if (ts.isArrowFunction(fn)) {
      return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, updated), fn) as T;
    }
    if (ts.isFunctionExpression(fn)) {
      return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, updated as ts.Block), fn) as T;
    }
    const decl = fn as ts.FunctionDeclaration;
    return like(f.updateFunctionDeclaration(decl, decl.modifiers, decl.asteriskToken, decl.name, decl.typeParameters, decl.parameters, decl.type, updated as ts.Block), fn) as T;
  }

  private block(b: ts.Block): ts.Block {
    const statements = this.statements(b.statements);
    const same = statements.length === b.statements.length && statements.every((x, i) => x === b.statements[i]);
    return same ? b : like(ts.factory.updateBlock(b, statements), b);
  }

  /** The calls refused so far; the statement that holds one is left as written. */
  readonly errors: DiffError[] = [];

  private statements(list: readonly ts.Statement[]): ts.Statement[] {
    return list.flatMap((x) => {
      try {
        return this.statement(x);
      } catch (e) {
        if (!(e instanceof DiffError)) throw e;
        this.errors.push(e);
        return [x];
      }
    });
  }

  /** A statement as one (a branch or loop body stays one statement). */
  private nested(x: ts.Statement): ts.Statement {
    const out = this.statement(x);
    return out.length === 1 ? out[0]! : like(ts.factory.createBlock(out, true), x);
  }

  /** `x`, preceded by the loops its array methods stand for. */
  private statement(x: ts.Statement): ts.Statement[] {
    const f = ts.factory;
    const hoist: ts.Statement[] = [];
    if (ts.isBlock(x)) return [this.block(x)];
    if (ts.isFunctionDeclaration(x)) return [this.function(x)];
    if (ts.isVariableStatement(x)) return this.variables(x);
    if (ts.isExpressionStatement(x)) {
      const e = this.expr(x.expression, hoist);
      if (e === x.expression) return [x];
      // forEach leaves nothing to evaluate once its loop is written.
      const rest = isPlain(e) ? [] : [like(f.updateExpressionStatement(x, e), x)];
      return [...hoist, ...rest];
    }
    if (ts.isReturnStatement(x)) {
      if (!x.expression) return [x];
      const e = this.expr(x.expression, hoist);
      return e === x.expression ? [x] : [...hoist, like(f.updateReturnStatement(x, e), x)];
    }
    if (ts.isThrowStatement(x)) {
      const e = this.expr(x.expression, hoist);
      return e === x.expression ? [x] : [...hoist, like(f.updateThrowStatement(x, e), x)];
    }
    if (ts.isIfStatement(x)) {
      const test = this.expr(x.expression, hoist);
      const then = this.nested(x.thenStatement);
      const otherwise = x.elseStatement && this.nested(x.elseStatement);
      if (test === x.expression && then === x.thenStatement && otherwise === x.elseStatement) return [x];
      return [...hoist, like(f.updateIfStatement(x, test, then, otherwise), x)];
    }
    if (ts.isForOfStatement(x)) return this.forOf(x);
    if (ts.isForInStatement(x)) {
      const e = this.expr(x.expression, hoist);
      const body = this.nested(x.statement);
      if (e === x.expression && body === x.statement) return [x];
      return [...hoist, like(f.updateForInStatement(x, x.initializer, e, body), x)];
    }
    if (ts.isForStatement(x)) {
      let init = x.initializer;
      if (init && ts.isVariableDeclarationList(init)) {
        const list = init;
        const decls = list.declarations.map((d) => (d.initializer ? like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, this.expr(d.initializer, hoist)), d) : d));
        if (hoist.length > 0) init = like(f.updateVariableDeclarationList(list, decls), list);
      } else if (init) init = this.expr(init, hoist);
      const step = x.incrementor && this.repeated(x.incrementor, "update");
      const body = this.nested(x.statement);
      const checked = x.condition && this.checkFirst(x.condition, body, x);
      if (checked) return [...hoist, like(f.updateForStatement(x, init, checked.test, step, checked.body), x)];
      if (init === x.initializer && step === x.incrementor && body === x.statement) return [x];
      return [...hoist, like(f.updateForStatement(x, init, x.condition, step, body), x)];
    }
    if (ts.isWhileStatement(x)) {
      const body = this.nested(x.statement);
      const checked = this.checkFirst(x.expression, body, x);
      if (checked) return [like(f.updateWhileStatement(x, checked.test, checked.body), x)];
      return body === x.statement ? [x] : [like(f.updateWhileStatement(x, x.expression, body), x)];
    }
    if (ts.isDoStatement(x)) {
      const body = this.nested(x.statement);
      const loops: ts.Statement[] = [];
      const test = this.expr(x.expression, loops);
      if (loops.length > 0) {
        // The first iteration runs untested: `while (true) { if (!first) { loops; if (!c) break; } first = false; body }`.
        const first = newLocal("first", this.checker.getBooleanType(), x);
        const check = s.ifThen(s.not(first, x, this.build), [...loops, s.ifThen(s.not(test, x, this.build), [s.breakOut(x)], x)], x);
        const entered = this.build.assign(first, s.bool(false, x, this.build), x);
        const loop = f.createWhileStatement(s.bool(true, x, this.build), like(f.createBlock([check, entered, ...list(body)], true), x.statement));
        return [this.build.declare(first, s.bool(true, x, this.build), ts.NodeFlags.Let, x), like(loop, x)];
      }
      return body === x.statement ? [x] : [like(f.updateDoStatement(x, body, x.expression), x)];
    }
    if (ts.isLabeledStatement(x)) {
      const out = this.statement(x.statement);
      const last = out.pop()!;
      return last === x.statement ? [x] : [...out, like(f.updateLabeledStatement(x, x.label, last), x)];
    }
    if (ts.isSwitchStatement(x)) {
      const e = this.expr(x.expression, hoist);
      const clauses = x.caseBlock.clauses.map((c) => {
        const body = this.statements(c.statements);
        if (body.length === c.statements.length && body.every((b, i) => b === c.statements[i])) return c;
        return ts.isCaseClause(c) ? like(f.updateCaseClause(c, c.expression, body), c) : like(f.updateDefaultClause(c, body), c);
      });
      if (e === x.expression && clauses.every((c, i) => c === x.caseBlock.clauses[i])) return [x];
      return [...hoist, like(f.updateSwitchStatement(x, e, like(f.updateCaseBlock(x.caseBlock, clauses), x.caseBlock)), x)];
    }
    return [x];
  }

  /**
   * A loop condition that needs loops of its own: they run at the top of each
   * iteration, `while (true) { loops; if (!c) break; body }`, so a `continue`
   * (which goes to the update, then the top) tests again as JavaScript does.
   */
  private checkFirst(condition: ts.Expression, body: ts.Statement, loop: ts.Node): { test: ts.Expression; body: ts.Statement } | undefined {
    const loops: ts.Statement[] = [];
    const test = this.expr(condition, loops);
    if (loops.length === 0) return undefined;
    const exit = s.ifThen(s.not(test, loop, this.build), [s.breakOut(loop)], loop);
    return { test: s.bool(true, loop, this.build), body: like(ts.factory.createBlock([...loops, exit, ...list(body)], true), body) };
  }

  /** A loop's update, evaluated again after every iteration: no loop can be placed before it. */
  private repeated(e: ts.Expression, part: string): ts.Expression {
    const hoist: ts.Statement[] = [];
    const out = this.expr(e, hoist);
    if (hoist.length > 0) {
      fail(Code.Unsupported, e, `the loop ${part} '${userText(e)}' calls an array method; make the update the last statement of the loop body instead.`);
    }
    return out;
  }

  /** `const ys = xs.map(...)`: the array is `ys` itself, allocated and filled where it is declared. */
  private variables(x: ts.VariableStatement): ts.Statement[] {
    const f = ts.factory;
    const list = x.declarationList;
    const flags = list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
    const out: ts.Statement[] = [];
    let pending: ts.VariableDeclaration[] = [];
    let changed = false;
    const flush = (): void => {
      if (pending.length === 0) return;
      out.push(like(f.createVariableStatement(x.modifiers, like(f.createVariableDeclarationList(pending, list.flags), list)), x));
      pending = [];
    };
    for (const d of list.declarations) {
      const init = d.initializer && skipParens(d.initializer);
      const method = init && ts.isCallExpression(init) ? this.method(init) : undefined;
      if (method && PRODUCERS.has(method.name) && ts.isIdentifier(d.name)) {
        flush();
        this.produce(method, out, d.name, flags);
        changed = true;
        continue;
      }
      const hoist: ts.Statement[] = [];
      const value = d.initializer && this.expr(d.initializer, hoist);
      const name = this.pattern(d.name, hoist);
      if (hoist.length > 0) flush();
      out.push(...hoist);
      changed ||= value !== d.initializer || name !== d.name;
      pending.push(value === d.initializer && name === d.name ? d : like(f.updateVariableDeclaration(d, name, d.exclamationToken, d.type, value), d));
    }
    flush();
    return changed ? out : [x];
  }

  /**
   * A pattern whose defaults call array methods (`const [a, b = xs.reduce(...)] = ys`):
   * the loops run before the declaration, whether or not the default is used —
   * they only read, so computing a default that is not taken changes nothing.
   */
  private pattern(name: ts.BindingName, hoist: ts.Statement[]): ts.BindingName {
    const f = ts.factory;
    if (ts.isIdentifier(name)) return name;
    const elements = name.elements.map((e) => {
      if (ts.isOmittedExpression(e)) return e;
      const inner = this.pattern(e.name, hoist);
      const init = e.initializer && this.expr(e.initializer, hoist);
      return inner === e.name && init === e.initializer ? e : like(f.updateBindingElement(e, e.dotDotDotToken, e.propertyName, inner, init), e);
    });
    if (elements.every((e, i) => e === name.elements[i])) return name;
    return ts.isArrayBindingPattern(name)
      ? like(f.updateArrayBindingPattern(name, elements as ts.ArrayBindingElement[]), name)
      : like(f.updateObjectBindingPattern(name, elements as ts.BindingElement[]), name);
  }

  /** `for (const [i, x] of xs.entries())`, `xs.keys()`, `xs.values()`: the index loop over xs. */
  private forOf(x: ts.ForOfStatement): ts.Statement[] {
    const f = ts.factory;
    const hoist: ts.Statement[] = [];
    const call = skipParens(x.expression);
    const walk = ts.isCallExpression(call) && call.arguments.length === 0 ? this.iteration(call) : undefined;
    const only = ts.isVariableDeclarationList(x.initializer) && x.initializer.declarations.length === 1 ? x.initializer.declarations[0]! : undefined;
    if (!walk && only && isSliceCall(call) && this.isArray(this.checker.getTypeAtLocation(call.expression.expression))) {
      // `for (const v of xs.slice(a, b))`: the loop walks xs from a to b in place, as a method does.
      const array = this.arrayOf(call.expression.expression, hoist);
      const [start, end] = call.arguments.map((a) => this.expr(a, hoist));
      const stream = sliceStream(array, this.elementType(array, call), start, end, call, this.build, hoist);
      const flags = (x.initializer as ts.VariableDeclarationList).flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
      const body = ts.isBlock(x.statement) ? [...x.statement.statements] : [x.statement];
      return [...hoist, ...this.statements(stream.each((value) => [s.bind(only.name, value, flags, x), ...body]))];
    }
    const chained = !walk && ts.isCallExpression(call) ? this.method(call) : undefined;
    if (chained && FUSED.has(chained.name)) return this.fusedForOf(x, chained, hoist);
    if (!walk) {
      const e = this.expr(x.expression, hoist);
      const body = this.nested(x.statement);
      if (e === x.expression && body === x.statement) return [x];
      return [...hoist, like(f.updateForOfStatement(x, x.awaitModifier, x.initializer, e, body), x)];
    }
    const array = this.arrayOf(walk.receiver, hoist);
    const head = x.initializer;
    const decl = ts.isVariableDeclarationList(head) && head.declarations.length === 1 ? head.declarations[0]! : undefined;
    if (!decl) fail(Code.Unsupported, head, `declare the loop variable of 'for (... of ${walk.text}())' in the loop head (for (const ... of ...)).`);
    if (walk.name === "values") return [...hoist, ...this.statement(like(f.updateForOfStatement(x, x.awaitModifier, head, array, x.statement), x))];
    const flags = (head as ts.VariableDeclarationList).flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
    const body = ts.isBlock(x.statement) ? [...x.statement.statements] : [x.statement];
    const stream = arrayStream(array, this.elementType(array, x), x, this.build);
    let index: ts.BindingName | undefined;
    let element: ts.BindingName | undefined;
    if (walk.name === "keys") index = decl.name;
    else {
      const pattern = decl.name;
      if (!ts.isArrayBindingPattern(pattern) || pattern.elements.length > 2 || pattern.elements.some((e) => !ts.isOmittedExpression(e) && (e.dotDotDotToken || e.initializer))) {
        fail(Code.Unsupported, decl.name, `destructure each entry of '${walk.text}()' into an index and a value: for (const [i, x] of ${userText(walk.receiver)}.entries()).`);
      }
      const [first, second] = pattern.elements;
      index = first && !ts.isOmittedExpression(first) ? first.name : undefined;
      element = second && !ts.isOmittedExpression(second) ? second.name : undefined;
    }
    // The user's index is the loop counter, unless the body assigns it.
    const counter = index && ts.isIdentifier(index) && !assigns(x.statement, index.text) ? index : undefined;
    const loops = stream.each((value, at) => {
      const binds: ts.Statement[] = [];
      if (index && index !== counter) binds.push(s.bind(index, at(), flags, x));
      if (element) binds.push(s.bind(element, value, flags, x));
      return [...binds, ...body];
    }, counter);
    return [...hoist, ...this.statements(loops)];
  }

  /**
   * `for (const p of xs.filter(f).map(g)) body`: one loop over xs that runs f, g
   * and body per element, no array made, where that gives what JavaScript gives
   * (fusion.ts); otherwise the chain's array is made first and walked.
   */
  private fusedForOf(x: ts.ForOfStatement, chain: Method, hoist: ts.Statement[]): ts.Statement[] {
    const f = ts.factory;
    const head = x.initializer;
    const decl = ts.isVariableDeclarationList(head) && head.declarations.length === 1 ? head.declarations[0]! : undefined;
    const before: ts.Statement[] = [];
    const stream = this.stream(chain.call, before, chain.call);
    if (decl && fusible(chain.call, decl.name, x.statement, stream.nested)) {
      const flags = (head as ts.VariableDeclarationList).flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
      const body = ts.isBlock(x.statement) ? [...x.statement.statements] : [x.statement];
      const loops = stream.each((value) => [s.bind(decl.name, value, flags, x), ...body]);
      return [...hoist, ...before, ...this.statements(loops)];
    }
    // As before fusion: the chain's array, made by the statements that make any other.
    const e = this.expr(x.expression, hoist);
    const rest = this.nested(x.statement);
    return [...hoist, like(f.updateForOfStatement(x, x.awaitModifier, x.initializer, e, rest), x)];
  }

  /** `xs.entries()` (keys, values) of an array, for for...of. */
  private iteration(call: ts.CallExpression): Method | undefined {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !["entries", "keys", "values"].includes(callee.name.text)) return undefined;
    if (!this.isArray(this.checker.getTypeAtLocation(callee.expression))) return undefined;
    return { name: callee.name.text, call, receiver: callee.expression, text: methodText(callee.expression, callee.name.text) };
  }

  /** `e` with its array methods replaced by the locals that hold their values; the loops go to `hoist`. */
  private expr(e: ts.Expression, hoist: ts.Statement[]): ts.Expression {
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return this.function(node);
      if (ts.isCallExpression(node)) {
        const method = this.method(node);
        if (method) return PRODUCERS.has(method.name) ? this.produce(method, hoist) : this.consume(method, hoist);
      }
      if (ts.isBinaryExpression(node)) {
        const op = node.operatorToken.kind;
        if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return this.shortCircuit(node, hoist);
        const left = skipParens(node.left);
        if (op === ts.SyntaxKind.QuestionQuestionToken && ts.isCallExpression(left)) {
          // `xs.find(p) ?? d`, `xs.at(-1) ?? d`: the default where the method finds nothing.
          const method = this.method(left);
          if (method && (method.name === "find" || method.name === "at")) return this.consume(method, hoist, this.expr(node.right, hoist));
        }
      }
      if (ts.isConditionalExpression(node)) return this.conditional(node, hoist);
      return visitChildren(node, visit);
    };
    return visit(e) as ts.Expression;
  }

  /** `a && b`, `a || b` whose right operand needs loops: they run only when JavaScript evaluates it. */
  private shortCircuit(node: ts.BinaryExpression, hoist: ts.Statement[]): ts.Expression {
    let left = this.expr(node.left, hoist);
    const inner: ts.Statement[] = [];
    const right = this.expr(node.right, inner);
    if (inner.length > 0) {
      left = this.once(left, hoist, node.left);
      const and = node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken;
      const test = and ? left : s.not(left, node, this.build);
      if (this.readsBranchArray(inner, right, node)) {
        const value = this.branchValue(node, hoist);
        this.guard(test, [...inner, this.build.assign(value, right, node.right)], [this.build.assign(value, left, node.left)], hoist, node);
        return value;
      }
      this.guard(test, inner, [], hoist, node);
    }
    return left === node.left && right === node.right ? node : like(ts.factory.updateBinaryExpression(node, left, node.operatorToken, right), node);
  }

  /** `c ? a : b` whose branches need loops: each branch's loops run only on its side. */
  private conditional(node: ts.ConditionalExpression, hoist: ts.Statement[]): ts.Expression {
    let test = this.expr(node.condition, hoist);
    const a: ts.Statement[] = [];
    const b: ts.Statement[] = [];
    const yes = this.expr(node.whenTrue, a);
    const no = this.expr(node.whenFalse, b);
    if (a.length > 0 || b.length > 0) {
      test = this.once(test, hoist, node.condition);
      if (this.readsBranchArray(a, yes, node) || this.readsBranchArray(b, no, node)) {
        const value = this.branchValue(node, hoist);
        this.guard(test, [...a, this.build.assign(value, yes, node.whenTrue)], [...b, this.build.assign(value, no, node.whenFalse)], hoist, node);
        return value;
      }
      this.guard(test, a, b, hoist, node);
    }
    if (test === node.condition && yes === node.whenTrue && no === node.whenFalse) return node;
    return like(ts.factory.updateConditionalExpression(node, test, node.questionToken, yes, node.colonToken, no), node);
  }

  /**
   * Whether a number (or boolean) expression reads an array that `list`, a branch's
   * statements, declares. guard leaves such arrays in the branch's block, where
   * lowering allocates them, so the expression cannot read them after the `if`
   * (forward mode keeps those blocks: `c ? s : f(...xs, ...ys)` of another file's
   * `f` reads the `joined` array of the else branch). Then the value is set
   * inside each branch instead (branchValue).
   */
  private readsBranchArray(list: readonly ts.Statement[], e: ts.Expression, from: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(from);
    if (!every(t, ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) return false;
    const names = new Set<string>();
    for (const x of list) {
      if (!ts.isVariableStatement(x)) continue;
      for (const d of x.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && this.isArrayLocal(d.name)) names.add(d.name.text);
    }
    return names.size > 0 && someNode(e, (n) => ts.isIdentifier(n) && names.has(n.text));
  }

  /** `let choice;` before the `if` whose branches each set it: the value of `from`. */
  private branchValue(from: ts.Expression, hoist: ts.Statement[]): ts.Identifier {
    const value = newLocal("choice", this.checker.getTypeAtLocation(from), from);
    hoist.push(this.build.declare(value, undefined, ts.NodeFlags.Let, from));
    return value;
  }

  private isArrayLocal(name: ts.Identifier): boolean {
    const t = this.checker.getTypeAtLocation(name);
    return arrayKind(this.checker, t) !== undefined || this.checker.isArrayType(t);
  }

  /**
   * `if (test) { yes } else { no }` for loops that only one side of `?:`, `&&` or
   * `||` needs. The expression keeps its shape and reads their results, so the
   * locals holding those are declared before the `if` (`let acc;`) and set inside.
   */
  private guard(test: ts.Expression, yes: ts.Statement[], no: ts.Statement[], hoist: ts.Statement[], from: ts.Node): void {
    const split = (list: ts.Statement[]): ts.Statement[] =>
      list.flatMap((x) => {
        if (!ts.isVariableStatement(x)) return [x];
        const [d, ...others] = x.declarationList.declarations;
        if (!d || others.length > 0 || !ts.isIdentifier(d.name)) return [x];
        if (!d.initializer) {
          // `let acc;` of a reduce with no initial value: the expression after the `if` reads it.
          if (!(x.declarationList.flags & ts.NodeFlags.Let)) return [x];
          hoist.push(x);
          return [];
        }
        // Arrays are declared where they are made (lowering allocates them there).
        if (this.isArrayLocal(d.name)) return [x];
        hoist.push(this.build.declare(d.name, undefined, ts.NodeFlags.Let, x));
        return [this.build.assign(d.name, d.initializer, x)];
      });
    const then = split(yes);
    const otherwise = split(no);
    if (then.length === 0) hoist.push(s.ifThen(s.not(test, from, this.build), otherwise, from));
    else hoist.push(s.ifThen(test, then, from, otherwise));
  }

  /**
   * A test that is read twice (by the guarding `if` and by the expression): itself
   * when reading it again computes the same value (no call, no assignment), else a local.
   */
  private once(test: ts.Expression, hoist: ts.Statement[], written: ts.Expression): ts.Expression {
    if (pure(test)) return test;
    // Typed by the user's expression: the checker knows nothing of a rewritten one (its loops hoisted),
    // nor of one an earlier pass rebuilt (a switch's case body), where a comparison is still a boolean.
    const type = this.checker.getTypeAtLocation(written);
    if (!(type.flags & ts.TypeFlags.Any) || !isBooleanTest(written)) return this.plain(test, "test", hoist, written);
    const local = newLocal("test", this.checker.getBooleanType(), test);
    hoist.push(this.build.declare(local, test, ts.NodeFlags.Const, test));
    return local;
  }

  /** The array method `call` calls, if it is one this pass desugars. */
  private method(call: ts.CallExpression): Method | undefined {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || call.questionDotToken) return undefined;
    const name = callee.name.text;
    if (name === "from" && this.isGlobal(callee.expression, "Array")) {
      if (call.arguments.length !== 2) return undefined; // Array.from(xs) is a copy, not a walk.
      return { name, call, receiver: call.arguments[0]!, text: "Array.from" };
    }
    if (!PRODUCERS.has(name) && !CONSUMERS.has(name)) return undefined;
    const receiverType = this.checker.getTypeAtLocation(callee.expression);
    if (!this.isArray(receiverType)) return undefined;
    // Walks over an array of functions are unrolled by the classes pass (function-arrays.ts).
    if (UNROLLED.has(name) && isFunctionArrayType(this.checker, receiverType)) return undefined;
    const method: Method = { name, call, receiver: callee.expression, text: methodText(callee.expression, name) };
    if (name !== "indexOf" && name !== "includes") this.checkElements(method, receiverType);
    return method;
  }

  /** Refuses an array whose elements are neither numbers, arrays nor records. */
  private checkElements(m: Method, arrayType: ts.Type): void {
    const element = this.checker.getIndexTypeOfType(arrayType, ts.IndexKind.Number);
    const handled = (t: ts.Type): boolean => {
      if (every(t, ts.TypeFlags.NumberLike)) return true;
      // `(number | null)[]`: the callback tests for the missing ones (`z !== null`).
      if (t.isUnion()) return t.types.every((x) => x.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined) || handled(x));
      // Strings and booleans (a `Channel` union, a flag) are passive: the callback reads each as a constant.
      if ((m.name !== "map" || ArrayMethods.makesRecordsOf(m.call)) && m.name !== "filter" && every(t, ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike)) return true;
      return !!(t.flags & ts.TypeFlags.Object) && t.getCallSignatures().length === 0;
    };
    if (element && handled(element)) return;
    const what = element ? this.checker.typeToString(element) : "unknown";
    // A pipeline of callbacks (`filters.reduce((p, f) => f(p), pixel)`): a loop would still call functions taken from an array.
    if (element && element.getCallSignatures().length > 0) {
      fail(Code.UnsupportedType, m.call, `'${m.text}(...)' walks an array of functions ('${what}'); tsgrad differentiates calls of functions it can see at compile time, not of functions taken from an array. Call them in order where you build the array (contrast(exposure(p, a), b)), passing each its parameters.`);
    }
    if (m.name === "map" && element && every(element, ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike) && ArrayMethods.makesRecordsOf(m.call)) {
      // `materials.map((material, i) => ({ material, thicknessNm: x[i] }))`: the loop it stands for is refused too (a local array of records with a string field).
      fail(
        Code.UnsupportedType,
        m.call,
        `'${m.text}(...)' walks an array of '${what}' to make records that carry its strings; tsgrad keeps local arrays of records whose fields are numbers, and does not carry a string field in them yet. ` +
          `Keep the strings in the array they come from and read both by index where the records are used (${userText(m.receiver)}[i] beside the numbers' [i]).`,
      );
    }
    fail(Code.UnsupportedType, m.call, `'${m.text}(...)' walks an array of '${what}'; tsgrad inlines array methods over numbers, arrays and records. Write the loop it stands for, or compute this outside the differentiated function.`);
  }

  /** Whether `call`'s callback returns an object literal (`(m, i) => ({ material: m, t: x[i] })`). */
  private static makesRecordsOf(call: ts.CallExpression): boolean {
    const callback = call.arguments[0] && skipParens(call.arguments[0]);
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return false;
    const returned = (n: ts.Node): boolean =>
      (ts.isReturnStatement(n) && !!n.expression && ts.isObjectLiteralExpression(skipParens(n.expression))) || (!ts.isFunctionLike(n) && (ts.forEachChild(n, returned) ?? false));
    return ts.isBlock(callback.body) ? returned(callback.body) : ts.isObjectLiteralExpression(skipParens(callback.body));
  }

  private isArray(t: ts.Type): boolean {
    return this.checker.isArrayType(t) || this.checker.isTupleType(t) || arrayKind(this.checker, t) === "f64";
  }

  private isGlobal(e: ts.Expression, name: string): boolean {
    if (!ts.isIdentifier(e) || e.text !== name) return false;
    const decl = this.checker.getSymbolAtLocation(e)?.declarations?.[0];
    return !!decl && this.ctx.isLibDeclaration(decl);
  }

  private elementType(array: ts.Expression, from: ts.Node): ts.Type {
    const t = this.checker.getTypeAtLocation(array);
    return this.checker.getIndexTypeOfType(t, ts.IndexKind.Number) ?? fail(Code.UnsupportedType, from, `'${userText(array)}' is not an array; pass an array (number[], Float64Array) here.`);
  }

  /** The elements a chain of producers ending in `e` walks, without making the arrays in between. */
  private stream(e: ts.Expression, hoist: ts.Statement[], at: ts.Node): Stream {
    e = skipParens(e);
    const method = ts.isCallExpression(e) ? this.method(e) : undefined;
    if (method && PRODUCERS.has(method.name)) {
      const { name, call } = method;
      const args = call.arguments;
      if (name === "map" || name === "filter" || name === "flatMap") {
        if (args.length !== 1) fail(Code.Unsupported, call, `pass '${method.text}(...)' only its callback (a this argument is not supported).`);
        const source = this.stream(method.receiver, hoist, call);
        const cb = this.callback(args[0], method);
        if (name === "flatMap") return flatMappedStream(source, cb, this.inliner, call);
        return name === "map" ? mappedStream(source, cb, this.inliner, call, true) : filteredStream(source, cb, this.inliner, call);
      }
      if (name === "from") {
        const cb = this.callback(args[1], method);
        const length = lengthOnly(args[0]!);
        if (length) return mappedStream(rangeStream(this.expr(length, hoist), call, this.build), cb, this.inliner, call, false);
        return mappedStream(this.stream(args[0]!, hoist, call), cb, this.inliner, call, false);
      }
      if (name === "flat") {
        if (args.length > 1 || (args[0] && !(ts.isNumericLiteral(args[0]) && args[0].text === "1"))) {
          fail(Code.Unsupported, call, `'${method.text}(...)' flattens one level here; call it without a depth.`);
        }
        const rows = this.arrayOf(method.receiver, hoist);
        const rowType = this.elementType(rows, call);
        const element = this.checker.getIndexTypeOfType(rowType, ts.IndexKind.Number);
        if (!element || !this.isArray(rowType)) return arrayStream(rows, rowType, call, this.build);
        return flatStream(rows, rowType, element, call, this.build);
      }
      // concat
      const first = this.arrayOf(method.receiver, hoist);
      const element = this.elementType(first, call);
      const parts = [{ value: first, array: true }, ...args.map((a) => {
        const array = this.isArray(this.checker.getTypeAtLocation(a));
        return { value: array ? this.arrayOf(a, hoist) : this.plain(a, "item", hoist), array };
      })];
      return concatStream(parts, element, call, this.build);
    }
    if (isSliceCall(e) && this.isArray(this.checker.getTypeAtLocation(e.expression.expression))) {
      // `xs.slice(a, b).forEach(...)`: the loop walks xs from a to b.
      const array = this.arrayOf(e.expression.expression, hoist);
      const [start, end] = e.arguments.map((a) => this.expr(a, hoist));
      return sliceStream(array, this.elementType(array, e), start, end, e, this.build, hoist);
    }
    // The loop over an array stands for the call that walks it.
    const array = this.arrayOf(e, hoist);
    return arrayStream(array, this.elementType(array, e), at, this.build);
  }

  private callback(arg: ts.Expression | undefined, m: Method): Callback {
    return this.inliner.callback(arg, m.call, `${m.text}(...)`);
  }

  /** An array value as a plain read: a name or a field, else a new local holding it. */
  private arrayOf(e: ts.Expression, hoist: ts.Statement[]): ts.Expression {
    const value = this.expr(e, hoist);
    const getter = this.getterRead(value);
    // A getter runs its body on each read, as JavaScript reads the receiver once: the loop reads a const holding it.
    if (getter) return this.plain(value, getter, hoist, e, true);
    if (isPlain(value)) return value;
    return this.plain(value, "array", hoist);
  }

  /** The name of a getter of the program that reading `e` runs (`room.treatable`), if any. */
  private getterRead(e: ts.Expression): string | undefined {
    e = skipParens(e);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      if (ts.isPropertyAccessExpression(e) && e.name.pos >= 0) {
        const decl = this.checker.getSymbolAtLocation(e.name)?.declarations?.find(ts.isGetAccessorDeclaration);
        if (decl?.body && !decl.getSourceFile().isDeclarationFile) return e.name.text;
      }
      return this.getterRead(e.expression);
    }
    return undefined;
  }

  /** `value` as something that can be read twice: itself, or a const holding it. */
  private plain(value: ts.Expression, name: string, hoist: ts.Statement[], typedAs: ts.Expression = value, always = false): ts.Expression {
    if (isPlain(value) && !always) return value;
    const local = newLocal(name, this.checker.getTypeAtLocation(typedAs), value);
    hoist.push(this.build.declare(local, value, ts.NodeFlags.Const, value));
    return local;
  }

  /** The array a producer's chain makes, in `into` (the user's declared name) or a new local. */
  private produce(m: Method, hoist: ts.Statement[], into?: ts.Identifier, flags = ts.NodeFlags.Const): ts.Expression {
    const type = this.checker.getTypeAtLocation(into ?? m.call);
    if (m.name === "map" && this.checker.isTupleType(type)) return this.tupleMap(m, type as ts.TypeReference, hoist, into, flags);
    const stream = this.stream(m.call, hoist, m.call);
    const name = into ?? newLocal(MADE[m.name]!, type, m.call);
    const loops: ts.Statement[] = [];
    materialize(stream, name, flags, type, this.build, loops);
    hoist.push(...this.statements(loops));
    return name;
  }

  /**
   * `v.map(f) as Vec3`, a map over a tuple whose result is a tuple of the same
   * length: the literal `[f(v[0], 0), f(v[1], 1), ...]`, each element computed
   * in a block of its own, since tsgrad keeps a tuple as one value per element
   * and an index loop could not write them. A receiver whose length the types
   * do not fix (an array cast to a tuple) is refused, named.
   */
  private tupleMap(m: Method, type: ts.TypeReference, hoist: ts.Statement[], into: ts.Identifier | undefined, flags: ts.NodeFlags): ts.Expression {
    const f = ts.factory;
    const size = (t: ts.Type): number | undefined => {
      if (!this.checker.isTupleType(t)) return undefined;
      const target = (t as ts.TypeReference).target as ts.TupleType;
      return target.hasRestElement || target.minLength !== target.fixedLength ? undefined : target.fixedLength;
    };
    const length = size(type);
    const receiverType = this.checker.getTypeAtLocation(m.receiver);
    if (length === undefined || size(receiverType) !== length) {
      fail(
        Code.Unsupported,
        m.call,
        `'${m.text}(...)' is given the type of a tuple${length === undefined ? "" : ` of ${length} numbers`}, but '${userText(m.receiver)}' is ${size(receiverType) === undefined ? "an array whose length its type does not fix" : `a tuple of ${size(receiverType)}`}, so tsgrad cannot tell which elements the result has; map over a tuple of the same length, or write the tuple's elements out ([f(v[0]), f(v[1]), ...]).`,
      );
    }
    const array = this.arrayOf(m.receiver, hoist);
    const cb = this.callback(m.call.arguments[0], m);
    if (m.call.arguments.length !== 1) fail(Code.Unsupported, m.call, `pass '${m.text}(...)' only its callback (a this argument is not supported).`);
    const elementType = this.checker.getTypeArguments(receiverType as ts.TypeReference)[0] ?? this.checker.getNumberType();
    const values: ts.Identifier[] = [];
    for (let k = 0; k < length; k++) {
      const value = newLocal("mapped", this.inliner.returnType(cb), m.call);
      const frame = { element: this.build.element(array, k, elementType, m.call), index: () => this.build.number(k, m.call), array };
      const statements = this.inliner.inline(cb, ["element", "index", "array"], frame, (v) => [this.build.assign(value, v ?? this.build.number(0, m.call), m.call)]);
      hoist.push(this.build.declare(value, undefined, ts.NodeFlags.Let, m.call), like(f.createBlock(this.statements(statements), true), m.call));
      values.push(value);
    }
    const literal = typed(f.createArrayLiteralExpression(values), type, m.call);
    if (!into) return literal;
    hoist.push(this.build.declare(into, literal, flags, m.call));
    return into;
  }

  /** The array a stream walks, made if the chain has none. */
  private materialized(stream: Stream, hoist: ts.Statement[]): ts.Expression {
    if (stream.array) return stream.array;
    const type = this.checker.getTypeAtLocation(stream.from);
    const name = newLocal("items", type, stream.from);
    const loops: ts.Statement[] = [];
    materialize(stream, name, ts.NodeFlags.Const, type, this.build, loops);
    hoist.push(...this.statements(loops));
    return name;
  }

  /** A method that walks its array to a value: the loop goes to `hoist`, the value is returned. */
  private consume(m: Method, hoist: ts.Statement[], fallback?: ts.Expression): ts.Expression {
    const { name, call } = m;
    const build = this.build;
    const f = ts.factory;
    const number = this.checker.getNumberType();
    const boolean = this.checker.getBooleanType();
    const args = call.arguments;
    const loops: ts.Statement[] = [];
    const done = <T extends ts.Expression>(value: T): T => {
      hoist.push(...this.statements(loops));
      return value;
    };
    const oneArgument = (): void => {
      if (args.length !== 1) fail(Code.Unsupported, call, `pass '${m.text}(...)' only its callback (a this argument is not supported).`);
    };
    const elementRoles: readonly Role[] = ["element", "index", "array"];
    if (name === "reduce" || name === "reduceRight") {
      if (args.length < 1 || args.length > 2) fail(Code.Unsupported, call, `'${m.text}(...)' takes a callback and an initial value; pass those two.`);
      const cb = this.callback(args[0], m);
      const type = this.checker.getTypeAtLocation(call);
      const acc = this.inliner.accumulator(cb, type, call);
      const roles: readonly Role[] = ["acc", ...elementRoles];
      let stream = this.stream(m.receiver, hoist, call);
      const initial = args[1];
      let init: ts.Expression | undefined;
      if (initial) init = this.expr(initial, hoist);
      else if (name === "reduce" && !stream.array) {
        // A chain's first element starts the fold: `if (i === 0) acc = v; else acc = g(acc, v)`, no array made.
        const counter = stream.counted ? this.inliner.indexName(cb, roles) : undefined;
        loops.push(build.declare(acc, undefined, ts.NodeFlags.Let, call));
        loops.push(...stream.each((element, index) => {
          const first = build.test(index(), ts.SyntaxKind.EqualsEqualsEqualsToken, build.number(0, call), call);
          const fold = this.inliner.inline(cb, roles, { element, index, counter, acc }, (v) => [build.assign(acc, v ?? undefinedValue(call, this.checker), call)]);
          return [s.ifThen(first, [build.assign(acc, element, call)], call, fold)];
        }, counter));
        return done(acc);
      } else {
        // Without an initial value the fold starts from the first element (the last, for reduceRight).
        const array = this.materialized(stream, hoist);
        const first = name === "reduce" ? build.number(0, call) : typed(f.createBinaryExpression(build.length(array, call), ts.SyntaxKind.MinusToken, build.number(1, call)), number, call);
        init = build.element(array, first, this.elementType(array, call), call);
        stream = arrayStream(array, this.elementType(array, call), call, build, name === "reduce" ? 1 : 0);
      }
      const counter = stream.counted || name === "reduceRight" ? this.inliner.indexName(cb, roles) : undefined;
      loops.push(build.declare(acc, init!, ts.NodeFlags.Let, call));
      const step = (element: ts.Expression, index: () => ts.Expression): ts.Statement[] =>
        this.inliner.inline(cb, roles, { element, index, array: stream.array, counter, acc }, (v) => [build.assign(acc, v ?? undefinedValue(call, this.checker), call)]);
      if (name === "reduce") loops.push(...stream.each(step, counter));
      else {
        const array = this.materialized(stream, hoist);
        const i = counter ?? newLocal("i", number, call);
        const bound = initial ? build.length(array, call) : typed(f.createBinaryExpression(build.length(array, call), ts.SyntaxKind.MinusToken, build.number(1, call)), number, call);
        const element = build.element(array, i, this.elementType(array, call), call);
        loops.push(s.backwardLoop(i, bound, this.inliner.inline(cb, roles, { element, index: () => i, array, counter, acc }, (v) => [build.assign(acc, v ?? undefinedValue(call, this.checker), call)]), call, build));
      }
      return done(acc);
    }
    if (name === "forEach") {
      oneArgument();
      const cb = this.callback(args[0], m);
      const stream = this.stream(m.receiver, hoist, call);
      const counter = stream.counted ? this.inliner.indexName(cb, elementRoles) : undefined;
      loops.push(...stream.each((element, index) =>
        this.inliner.inline(cb, elementRoles, { element, index, array: stream.array, counter }, (v) => (v && !pure(v) ? [like(f.createExpressionStatement(v), v)] : [])), counter));
      return done(undefinedValue(call, this.checker));
    }
    if (name === "some" || name === "every") {
      oneArgument();
      const cb = this.callback(args[0], m);
      let stream = this.stream(m.receiver, hoist, call);
      // A break must leave the whole walk: a walk of several loops is made into one array first.
      if (stream.nested) stream = arrayStream(this.materialized(stream, hoist), stream.elementType, stream.from, build);
      const some = name === "some";
      const flag = newLocal(some ? "found" : "all", boolean, call);
      const counter = stream.counted ? this.inliner.indexName(cb, elementRoles) : undefined;
      loops.push(build.declare(flag, s.bool(!some, call, build), ts.NodeFlags.Let, call));
      loops.push(...stream.each((element, index) =>
        this.inliner.inline(cb, elementRoles, { element, index, array: stream.array, counter }, (v) => [
          s.ifThen(some ? truth(v, call, this.checker) : s.not(truth(v, call, this.checker), call, build), [build.assign(flag, s.bool(some, call, build), call), s.breakOut(call)], call),
        ]), counter));
      return done(flag);
    }
    if (name === "find" || name === "findIndex" || name === "indexOf" || name === "includes") {
      const array = this.materialized(this.stream(m.receiver, hoist, call), hoist);
      let counter: ts.Identifier | undefined;
      let test: (element: ts.Expression, index: () => ts.Expression, sink: (v: ts.Expression) => ts.Statement[]) => ts.Statement[];
      if (name === "indexOf" || name === "includes") {
        if (args.length !== 1) fail(Code.Unsupported, call, `pass '${m.text}(...)' only the value to look for (a start index is not supported).`);
        const sought = this.plain(this.expr(args[0]!, hoist), "sought", hoist);
        test = (element, _index, sink) => sink(build.test(element, ts.SyntaxKind.EqualsEqualsEqualsToken, sought, call));
      } else {
        oneArgument();
        const cb = this.callback(args[0], m);
        counter = this.inliner.indexName(cb, elementRoles);
        test = (element, index, sink) => this.inliner.inline(cb, elementRoles, { element, index, array, counter }, (v) => sink(truth(v, call, this.checker)));
      }
      // The search stops by its loop condition (searchLoop): `for (...; index === -1 && i < n; i++)`.
      const i = counter ?? newLocal("i", number, call);
      const current = build.element(array, i, this.elementType(array, call), call);
      const search = (searching: ts.Expression, body: ts.Statement[]): ts.Statement =>
        s.searchLoop(i, build.number(0, call), searching, build.length(array, call), body, call, build);
      if (name === "includes") {
        const flag = newLocal("found", boolean, call);
        loops.push(build.declare(flag, s.bool(false, call, build), ts.NodeFlags.Let, call));
        loops.push(search(s.not(flag, call, build), test(current, () => i, (v) => [s.ifThen(v, [build.assign(flag, s.bool(true, call, build), call)], call)])));
        return done(flag);
      }
      const index = newLocal("index", number, call);
      loops.push(build.declare(index, build.number(-1, call), ts.NodeFlags.Let, call));
      const searching = build.test(index, ts.SyntaxKind.EqualsEqualsEqualsToken, build.number(-1, call), call);
      loops.push(search(searching, test(current, () => i, (v) => [s.ifThen(v, [build.assign(index, i, call)], call)])));
      if (name !== "find") return done(index);
      const element = build.element(array, index, this.elementType(array, call), call);
      const found = build.test(index, ts.SyntaxKind.ExclamationEqualsEqualsToken, build.number(-1, call), call);
      const type = this.checker.getTypeAtLocation(call);
      if (fallback) return done(build.cond(found, element, fallback, this.checker.getNonNullableType(type), call));
      // `xs.find(p)!` (or a type without undefined): the element, as JavaScript gives it.
      if (!mayBeUndefined(type)) return done(element);
      return done(build.cond(found, element, undefinedValue(call, this.checker), type, call));
    }
    // at
    if (args.length !== 1) fail(Code.Unsupported, call, `pass '${m.text}(...)' one index.`);
    const array = this.materialized(this.stream(m.receiver, hoist, call), hoist);
    const elementType = this.elementType(array, call);
    const k = literal(args[0]!);
    const length = build.length(array, call);
    let position: ts.Expression;
    let inRange: ts.Expression;
    if (k !== undefined && k >= 0) {
      position = build.number(k, call);
      inRange = build.test(length, ts.SyntaxKind.GreaterThanToken, position, call);
    } else if (k !== undefined) {
      // `xs.at(-1)` is `xs[xs.length - 1]`.
      position = typed(f.createBinaryExpression(length, ts.SyntaxKind.MinusToken, build.number(-k, call)), number, call);
      inRange = build.test(length, ts.SyntaxKind.GreaterThanEqualsToken, build.number(-k, call), call);
    } else {
      const i = this.plain(this.expr(args[0]!, hoist), "offset", hoist);
      const negative = build.test(i, ts.SyntaxKind.LessThanToken, build.number(0, call), call);
      position = this.plain(build.cond(negative, typed(f.createBinaryExpression(length, ts.SyntaxKind.PlusToken, i), number, call), i, number, call), "position", hoist);
      inRange = build.test(
        build.test(position, ts.SyntaxKind.GreaterThanEqualsToken, build.number(0, call), call),
        ts.SyntaxKind.AmpersandAmpersandToken,
        build.test(position, ts.SyntaxKind.LessThanToken, length, call),
        call,
      );
    }
    const element = build.element(array, position, elementType, call);
    if (fallback) return done(build.cond(inRange, element, fallback, elementType, call));
    return done(element);
  }
}

/** `xs.map` as the user wrote it, for messages (a long receiver is shortened). */
function methodText(receiver: ts.Expression, name: string): string {
  const text = userText(receiver).replace(/\s+/g, " ");
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text}.${name}`;
}

/** The value of a number literal argument (`-1` included). */
function literal(e: ts.Expression): number | undefined {
  e = skipParens(e);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return undefined;
}

/** A callback's result used as a test (a callback that returns nothing is false). */
function truth(v: ts.Expression | undefined, from: ts.Node, checker: ts.TypeChecker): ts.Expression {
  return v ?? typed(ts.factory.createFalse(), checker.getBooleanType(), from);
}

function undefinedValue(from: ts.Node, checker: ts.TypeChecker): ts.Expression {
  return typed(ts.factory.createIdentifier("undefined"), checker.getUndefinedType(), from);
}

function mayBeUndefined(t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return true;
  return t.isUnion() && t.types.some(mayBeUndefined);
}

/** Whether evaluating `n` does nothing but compute a value (no call, no assignment): forEach drops such a result. */
function pure(n: ts.Node): boolean {
  if (ts.isCallExpression(n) || ts.isFunctionLike(n)) return false;
  if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) return false;
  return !ts.forEachChild(n, (c) => !pure(c) || undefined);
}

function list(x: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(x) ? x.statements : [x];
}


/** Whether `e` is a comparison, a negation, or `&&`/`||` of these: a boolean whatever the checker knows of it. */
function isBooleanTest(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.ExclamationToken;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return isBooleanTest(e.left) && isBooleanTest(e.right);
  return op >= ts.SyntaxKind.LessThanToken && op <= ts.SyntaxKind.ExclamationEqualsEqualsToken;
}
