// The nodes desugaring makes, and how lowering still asks about them.
// Takes: nothing (a helper of every desugaring pass). Guarantees: a node a pass
// builds answers the checker's questions as the user's code would — its type
// (recorded here or, for an updated node, its original's), its position (its
// original user node, for diagnostics and source maps) and, for a local the pass
// introduces, its identity (the declaring identifier, reused at every reference).

import { ts } from "../ts.js";

/** Types of nodes a pass built from scratch; updated nodes answer through their original. */
const types = new WeakMap<ts.Node, ts.Type>();
/** Identifiers of locals a pass introduced; the same node object is its every reference. */
const locals = new WeakSet<ts.Identifier>();

/** `node`, with the type the checker would give it and the user node it stands for. */
export function typed<T extends ts.Node>(node: T, type: ts.Type, from: ts.Node): T {
  types.set(node, type);
  return like(node, from);
}

/** The user's node `node` has the narrower type `type` here (`x!` without the `!`: not undefined). */
export function narrowed<T extends ts.Node>(node: T, type: ts.Type): T {
  types.set(node, type);
  return node;
}

/** A new local of `type` named after `name`; `from` is the user code it serves. */
export function newLocal(name: string, type: ts.Type, from: ts.Node): ts.Identifier {
  // A #private field's local (`s_#level`) is named without the mark, which no identifier may hold.
  const id = typed(ts.factory.createIdentifier(name.replace(/#/g, "")), type, from);
  locals.add(id);
  return id;
}

/** Locals a pass declared to hold an array literal the user wrote as a value (spread-operands.ts). */
const valueLocals = new WeakSet<ts.Identifier>();

/** `newLocal`, for an array literal the user wrote as a value: it keeps the literal's kind (a number[] stays one). */
export function newValueLocal(name: string, type: ts.Type, from: ts.Node): ts.Identifier {
  const id = newLocal(name, type, from);
  valueLocals.add(id);
  return id;
}

/** Whether `id` holds an array literal the user wrote as a value (newValueLocal). */
export function isValueLocal(id: ts.Identifier): boolean {
  return valueLocals.has(id);
}

/** Whether `id` is a local that desugaring introduced (it has no symbol: the node is its identity). */
export function isNewLocal(id: ts.Identifier): boolean {
  return locals.has(id);
}

/** Names a pass copied from another function's body (an inlined method reading a module constant). */
const copied = new WeakSet<ts.Identifier>();

/**
 * `id`, a name read in a body a pass copied into the differentiated function:
 * it means what it means where it was written, which may differ from what the
 * same text means in the function (a local of the same name). Lowering looks
 * its symbol up where it stands and keeps generated names clear of its text.
 */
export function copiedName(id: ts.Identifier): ts.Identifier {
  copied.add(id);
  return id;
}

export function isCopiedName(id: ts.Identifier): boolean {
  return copied.has(id);
}

/** Identifiers a pass wrote for a global of the default library (`RangeError`), with the global's symbol. */
const globals = new WeakMap<ts.Identifier, ts.Symbol>();

/** `name`, a global of the default library as seen from the user node `from` (`RangeError` for a throw a pass writes). */
export function globalName(name: string, checker: ts.TypeChecker, from: ts.Node): ts.Identifier {
  const id = like(ts.factory.createIdentifier(name), from);
  const symbol = checker.resolveName(name, ts.getParseTreeNode(from) ?? from, ts.SymbolFlags.Value, false);
  if (symbol) globals.set(id, symbol);
  return id;
}

/** `node` stands for the user node `from` (diagnostics, source maps and types go there). */
export function like<T extends ts.Node>(node: T, from: ts.Node): T {
  // An update that changed nothing returns its input: pointing it at itself would make a cycle.
  return node === from ? node : ts.setOriginalNode(node, from);
}

/**
 * The checker as lowering sees desugared code: nodes a pass built have their
 * recorded types, and its new locals resolve to no user symbol.
 */
export function desugaredChecker(checker: ts.TypeChecker): ts.TypeChecker {
  return {
    ...checker,
    getTypeAtLocation: (node) => recordedType(node) ?? checker.getTypeAtLocation(node),
    getSymbolAtLocation: (node) => (ts.isIdentifier(node) && locals.has(node) ? undefined : ts.isIdentifier(node) && globals.has(node) ? globals.get(node) : checker.getSymbolAtLocation(node)),
  };
}

/**
 * The type a pass recorded for `node`, or for the node a later pass updated it
 * from (an update keeps the kind, and `original` points to what it replaced): an
 * array literal rest.ts built, whose element spread.ts rewrote afterwards, is
 * still the number[] rest.ts recorded, not its first element's number.
 */
function recordedType(node: ts.Node): ts.Type | undefined {
  // `original` is the one step back that ts.getOriginalNode walks to its end.
  for (let n: ts.Node | undefined = node; n && n.kind === node.kind; n = (n as { readonly original?: ts.Node }).original) {
    const type = types.get(n);
    if (type) return type;
  }
  return undefined;
}

/** Calls a pass wrote to a function of tsgrad's runtime (there is no import for the checker to resolve). */
const runtimeCalls = new WeakMap<ts.CallExpression, string>();

/** `tsgrad.name(...args)`, a call of the runtime that the user did not write. */
export function runtimeCall(name: string, args: ts.Expression[], type: ts.Type, from: ts.Node): ts.CallExpression {
  const call = typed(ts.factory.createCallExpression(ts.factory.createIdentifier(name), undefined, args), type, from);
  runtimeCalls.set(call, name);
  return call;
}

/** The runtime function a pass's call names, if `call` is one. */
export function runtimeCallName(call: ts.CallExpression): string | undefined {
  return runtimeCalls.get(call);
}

/** Nodes a pass wrote whose comments show them as written, though they point at user code for diagnostics. */
const written = new WeakSet<ts.Node>();

/** `node` is shown as the pass wrote it (`if (kind === 1)` for `case 1:`), not as the user code it came from. */
export function shownAsWritten<T extends ts.Node>(node: T): T {
  written.add(node);
  return node;
}

/** Whether a pass marked `node` to be shown as it wrote it (shownAsWritten). */
export function isShownAsWritten(node: ts.Node): boolean {
  return written.has(node);
}

/** The user's text for a node of desugared code: the code it stands for, or, for code a pass wrote, that code printed. */
export function userText(node: ts.Node): string {
  const user = written.has(node) ? undefined : ts.getParseTreeNode(node);
  if (user && user.pos >= 0 && user.parent) return user.getText();
  return printer.printNode(ts.EmitHint.Unspecified, node, fileOf(node) ?? noFile);
}

/** The user file a desugared node's parts come from (literals print from its text). */
function fileOf(node: ts.Node): ts.SourceFile | undefined {
  const user = ts.getParseTreeNode(node);
  if (user?.parent) return user.getSourceFile();
  return ts.forEachChild(node, fileOf);
}

const printer = ts.createPrinter({ removeComments: true });
const noFile = ts.createSourceFile("desugared.ts", "", ts.ScriptTarget.Latest);

/** Typed factory for the expressions passes build: each result answers the checker like user code. */
export class Build {
  constructor(readonly checker: ts.TypeChecker) {}

  number(value: number, from: ts.Node): ts.Expression {
    const literal = typed(ts.factory.createNumericLiteral(Math.abs(value)), this.checker.getNumberType(), from);
    if (value >= 0) return literal;
    return typed(ts.factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal), this.checker.getNumberType(), from);
  }

  /** `array[index]`, of the element type `type`. */
  element(array: ts.Expression, index: number | ts.Expression, type: ts.Type, from: ts.Node): ts.Expression {
    const i = typeof index === "number" ? this.number(index, from) : index;
    return typed(ts.factory.createElementAccessExpression(array, i), type, from);
  }

  /** `object.name`, of the field type `type`. */
  property(object: ts.Expression, name: string, type: ts.Type, from: ts.Node): ts.Expression {
    return typed(ts.factory.createPropertyAccessExpression(object, name), type, from);
  }

  length(array: ts.Expression, from: ts.Node): ts.Expression {
    return this.property(array, "length", this.checker.getNumberType(), from);
  }

  /** `left op right` with a boolean result (a comparison, && or ||). */
  test(left: ts.Expression, op: ts.BinaryOperator, right: ts.Expression, from: ts.Node): ts.Expression {
    return typed(ts.factory.createBinaryExpression(left, op, right), this.checker.getBooleanType(), from);
  }

  cond(test: ts.Expression, then: ts.Expression, otherwise: ts.Expression, type: ts.Type, from: ts.Node): ts.Expression {
    const e = ts.factory.createConditionalExpression(test, undefined, then, undefined, otherwise);
    return typed(e, type, from);
  }

  /** `name = value` as an expression statement. */
  assign(name: ts.Identifier, value: ts.Expression, from: ts.Node): ts.Statement {
    const e = typed(ts.factory.createAssignment(name, value), this.checker.getTypeAtLocation(value), from);
    return like(ts.factory.createExpressionStatement(e), from);
  }

  /** `const name = init` (or `let`), standing for the user statement `from`. */
  declare(name: ts.BindingName, init: ts.Expression | undefined, flags: ts.NodeFlags, from: ts.Node): ts.VariableStatement {
    const decl = like(ts.factory.createVariableDeclaration(name, undefined, undefined, init), from);
    return like(ts.factory.createVariableStatement(undefined, ts.factory.createVariableDeclarationList([decl], flags)), from);
  }
}

/** Operators of a chain `t1 + t2 * t3 ...` that no desugaring pass rewrites itself. */
const CHAIN = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
]);

/**
 * `ts.visitEachChild(node, visit)` for the passes, without recursing down a long
 * chain `t1 + t2 + ... + tn` (generated code nests thousands deep, deeper than
 * the call stack): the chain's left operands are walked in a loop, each right
 * operand (and the innermost left one) visited, and the chain rebuilt.
 */
export function visitChildren<T extends ts.Node>(node: T, visit: (n: ts.Node) => ts.VisitResult<ts.Node>): T {
  if (!ts.isBinaryExpression(node) || !CHAIN.has(node.operatorToken.kind)) return ts.visitEachChild(node, visit, undefined);
  const chain: ts.BinaryExpression[] = [node];
  let left = node.left;
  while (ts.isBinaryExpression(left) && CHAIN.has(left.operatorToken.kind)) {
    chain.push(left);
    left = left.left;
  }
  let value = ts.visitNode(left, visit, ts.isExpression) as ts.Expression;
  for (let i = chain.length - 1; i >= 0; i--) {
    const x = chain[i]!;
    const right = ts.visitNode(x.right, visit, ts.isExpression) as ts.Expression;
    value = value === x.left && right === x.right ? x : ts.factory.updateBinaryExpression(x, value, x.operatorToken, right);
  }
  return value as ts.Node as T;
}

/** `n` of `{ length: n }` (the first argument of `Array.from` over a range), else undefined. */
export function lengthOnly(e: ts.Expression): ts.Expression | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isObjectLiteralExpression(e) || e.properties.length !== 1) return undefined;
  const p = e.properties[0]!;
  if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "length") return p.initializer;
  if (ts.isShorthandPropertyAssignment(p) && p.name.text === "length") return p.name;
  return undefined;
}

/**
 * Where statements an expression needs go while a pass visits a function:
 * before the expression, variable or return statement it stands in; nowhere in
 * a loop's or branch's own expressions (`place` is undefined there), whose
 * statements inside have places of their own.
 */
export class StatementPlaces {
  place: ts.Statement[] | undefined;

  /** `node`'s children visited with the place its kind gives, the hoisted statements first; undefined for an expression. */
  statement(node: ts.Node, visit: (n: ts.Node) => ts.VisitResult<ts.Node>): ts.Node | ts.Node[] | undefined {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node)) {
      const hoisted: ts.Statement[] = [];
      const out = this.within(hoisted, () => visitChildren(node, visit));
      return hoisted.length > 0 ? [...hoisted, out] : out;
    }
    // `for (const x of [...xs].reverse())`: the array expression runs once, before the loop, so what it
    // hoists goes before the statement (not under a label, which must stay on the loop `continue` names).
    if (ts.isForOfStatement(node) && !ts.isLabeledStatement(ts.getOriginalNode(node).parent ?? node)) {
      const hoisted: ts.Statement[] = [];
      const expression = this.within(hoisted, () => ts.visitNode(node.expression, visit, ts.isExpression) as ts.Expression);
      const loop = this.within(undefined, () => visitChildren(node, (n) => (n === node.expression ? expression : visit(n))));
      return hoisted.length > 0 ? [...hoisted, loop] : loop;
    }
    if (ts.isStatement(node) || ts.isFunctionLike(node)) return this.within(undefined, () => visitChildren(node, visit));
    return undefined;
  }

  /** `run` with `place` as where hoisted statements go. */
  within<T>(place: ts.Statement[] | undefined, run: () => T): T {
    const saved = this.place;
    this.place = place;
    try {
      return run();
    } finally {
      this.place = saved;
    }
  }
}

/** `e` without the parentheses around it. */
export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}
