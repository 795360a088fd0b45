// Questions the classes pass (classes.ts) asks of types and syntax, with no
// state of its own. Takes: a checker, a node, and for some the function
// rewritten and its DesugarContext. Guarantees: answers only, nothing is
// rewritten — whether a type is a user class, whether an expression is a plain
// read, whether a helper's record or tuple result (or its destructured
// parameter of data) is inlined as its fields.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { tsgradFunction } from "../recognise.js";
import { someNode } from "../walk.js";
import { isRecursive } from "../inline.js";
import { isNewLocal, skipParens } from "./synth.js";
import { isDataType } from "./data-columns.js";
import { isRecordType } from "./value-types.js";

/**
 * Whether `call` calls a helper that destructures a record holding constants
 * (`limitPenalty({ angle, limit }: Joint)` of a `Joint` with a `name: string`,
 * an element of an array of such records): lowering inlines helpers whose
 * parameters are plain names, and such a record is no parameter a helper's own
 * adjoint takes, so this pass inlines it, its fields read from the argument.
 */
export function isDataPatternHelper(call: ts.CallExpression, ctx: DesugarContext, fromParameter: (arg: ts.Expression) => boolean): boolean {
  const decl = ctx.resolveFunction(call.expression);
  if (!decl?.body) return false;
  return decl.parameters.some((p, i) => ts.isObjectBindingPattern(p.name) && holdsData(ctx.checker, ctx.checker.getTypeAtLocation(p)) && !!call.arguments[i] && fromParameter(call.arguments[i]!));
}

/**
 * Whether `e` reads a parameter of `fn` or an element or field of one
 * (`chain[i]`), directly or through the local it is bound to (`const j =
 * chain[i]` of a callback made a loop), not a constant from outside.
 */
export function readsParameter(e: ts.Expression, fn: FunctionLike, checker: ts.TypeChecker, depth = 0): boolean {
  let root = skipParens(e);
  while (ts.isElementAccessExpression(root) || ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root)) root = skipParens(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const symbol = isNewLocal(root) ? undefined : checker.getSymbolAtLocation(root);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isParameter(decl) && decl.parent === ts.getOriginalNode(fn)) return true;
  if (depth > 4) return false;
  const name = root;
  return someNode(fn, (n) => ts.isVariableDeclaration(n) && !!n.initializer && ts.isIdentifier(n.name) &&
    (n.name === name || (!!symbol && !isNewLocal(n.name) && checker.getSymbolAtLocation(n.name) === symbol)) && readsParameter(n.initializer, fn, checker, depth + 1));
}

/** A plain record (no class) with a string or boolean field next to its others. */
function holdsData(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion() || checker.isArrayType(t) || checker.isTupleType(t) || classOf(checker, t)) return false;
  return checker.getPropertiesOfType(t).some((p) => isDataType(checker.getTypeOfSymbol(p)));
}

/** A tuple or record literal of data (`[x * 2, y]`, `{ x, y: 1 }`), without spread. */
export function isLiteralRecord(a: ts.Expression, checker: ts.TypeChecker): boolean {
  a = skipParens(a);
  const literal = (ts.isArrayLiteralExpression(a) && !a.elements.some(ts.isSpreadElement)) || (ts.isObjectLiteralExpression(a) && !a.properties.some(ts.isSpreadAssignment));
  return literal && isRecordType(checker, checker.getTypeAtLocation(a));
}

/**
 * Whether `call` calls a helper returning an array that destructures its
 * parameters (`layerNorm(x, { gain, bias }: Params): number[]`): lowering
 * inlines array helpers with plain parameters itself; this pass inlines these.
 */
export function isPatternArrayHelper(call: ts.CallExpression, ctx: DesugarContext): boolean {
  const decl = ctx.resolveFunction(call.expression);
  if (!decl || !decl.parameters.some((p) => !ts.isIdentifier(p.name))) return false;
  const t = ctx.checker.getTypeAtLocation(call);
  const name = t.getSymbol()?.name;
  return ctx.checker.isArrayType(t) || name === "Float64Array";
}

/** Whether `call` calls a helper of `fn`'s file, not recursive, whose record or tuple result is inlined as its fields. */
export function isRecordHelper(call: ts.CallExpression, fn: FunctionLike, ctx: DesugarContext): boolean {
  // tsgradFunction last of the cheap tests: it resolves the call's signature, which checks every argument.
  const decl = ctx.resolveFunction(call.expression);
  const file = (ts.getParseTreeNode(fn) ?? fn).getSourceFile();
  return !!decl?.body && decl.getSourceFile() === file && !tsgradFunction(call, ctx.checker) && !isRecursive(decl, (c) => ctx.resolveFunction(c));
}

/** A read with no effect and no call: a name, a field or an element of one (`vertices[(i + 1) % n]`). */
export function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return !e.questionDotToken && isPlainRead(e.expression);
  if (ts.isElementAccessExpression(e)) return !e.questionDotToken && isPlainRead(e.expression) && !someNode(e.argumentExpression, (x) => ts.isCallExpression(x) || ts.isNewExpression(x) || (ts.isBinaryExpression(x) && isAssignment(x.operatorToken.kind)) || ts.isPrefixUnaryExpression(x) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken) || ts.isPostfixUnaryExpression(x));
  return false;
}

/** A name or a field path from a name or `this` (`xs`, `this.points`, `model.trail`): what an array kept as columns is read by. */
export function isNamePath(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(e) && !e.questionDotToken && !ts.isPrivateIdentifier(e.name) && isNamePath(e.expression);
}

/** The user class declaration of an instance type, if `t` is one. */
export function classOf(checker: ts.TypeChecker, t: ts.Type): ts.ClassLikeDeclaration | undefined {
  if (!(t.flags & ts.TypeFlags.Object)) return undefined;
  const decl = t.getSymbol()?.declarations?.find(ts.isClassLike);
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  // The instance type, not the class's constructor (`typeof Vec3`).
  if (t.getConstructSignatures().length > 0) return undefined;
  return decl;
}

/** Whether the class has #private fields, which code outside it cannot read: lowering reports such a parameter. */
export function hasPrivateFields(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.getPropertiesOfType(t).some((p) => {
    const name = p.valueDeclaration && ts.getNameOfDeclaration(p.valueDeclaration);
    return !!name && ts.isPrivateIdentifier(name);
  });
}

/** A field's name as the class writes it: `#level` for a #private field (whose symbol's name is the checker's own). */
export function fieldName(prop: ts.Symbol): string {
  const name = prop.valueDeclaration && ts.getNameOfDeclaration(prop.valueDeclaration);
  return name && ts.isPrivateIdentifier(name) ? name.text : prop.name;
}

/** The stored fields of a class instance type (not its methods and getters). */
export function instanceFields(checker: ts.TypeChecker, t: ts.Type): [string, ts.Type][] {
  const out: [string, ts.Type][] = [];
  for (const prop of checker.getPropertiesOfType(t)) {
    const decl = prop.valueDeclaration;
    if (prop.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor) || !decl || ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) continue;
    out.push([fieldName(prop), checker.getTypeOfSymbol(prop)]);
  }
  return out;
}

export function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

export function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** Whether `e` names one of `ids` (the same identifier node: locals a pass made are their every reference). */
export function reads(e: ts.Node, ids: ReadonlySet<ts.Identifier>): boolean {
  if (ts.isIdentifier(e)) return ids.has(e);
  return !!ts.forEachChild(e, (c) => reads(c, ids));
}

export function isTypeNodeLike(n: ts.Node): boolean {
  return ts.isTypeNode(n);
}

/** `xs[k]`: an element of a named array at a name or a literal, as a view of an array of instances reads its fields. */
export function isElementRead(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isElementAccessExpression(e) && ts.isIdentifier(skipParens(e.expression)) && (ts.isIdentifier(skipParens(e.argumentExpression)) || ts.isNumericLiteral(skipParens(e.argumentExpression)));
}

/** Whether `e` is written as an element of an array: in a literal (`[new Bag(...)]`), pushed, or stored at an index. */
export function isArrayElement(e: ts.Node): boolean {
  const parent = e.parent;
  if (!parent) return false;
  if (ts.isArrayLiteralExpression(parent) || ts.isParenthesizedExpression(parent)) return ts.isArrayLiteralExpression(parent) || isArrayElement(parent);
  if (ts.isCallExpression(parent)) return parent.arguments.includes(e as ts.Expression) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === "push";
  // `xs.map((x) => new Bag(...))`, `Array.from({ length }, () => new Bag(...))`.
  const call = ts.isArrowFunction(parent) && parent.body === e ? parent.parent : undefined;
  if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) return ["map", "from"].includes(call.expression.name.text);
  return ts.isBinaryExpression(parent) && parent.right === e && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(skipParens(parent.left));
}

/** A node read as it is wherever it is copied: a name, a literal, a field of a name. */
export function isConstantRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isStringLiteralLike(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(e.operand);
  if (ts.isPropertyAccessExpression(e)) return isConstantRead(e.expression);
  return false;
}

/** Arithmetic, comparisons, reads and calls of the default library's Math: computing it twice, or elsewhere, is the same. */
export function isPure(e: ts.Expression, ctx: DesugarContext): boolean {
  return !someNode(e, (n) => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) return true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if (ts.isNewExpression(n) || ts.isFunctionLike(n)) return true;
    if (!ts.isCallExpression(n)) return false;
    const callee = skipParens(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== "Math") return true;
    return ctx.checker.getSymbolAtLocation(callee.expression)?.declarations?.every((d) => ctx.isLibDeclaration(d)) !== true;
  });
}

export function isNumberOrBoolean(t: ts.Type): boolean {
  const kinds = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike;
  return !!(t.flags & kinds) || (t.isUnion() && t.types.every((x) => !!(x.flags & kinds)));
}

/** Whether the class type `t` extends the class `base`, directly or not. */
export function derivesFrom(checker: ts.TypeChecker, t: ts.Type, base: ts.Node): boolean {
  const seen = new Set<ts.Type>();
  const queue = [t];
  for (let x = queue.pop(); x; x = queue.pop()) {
    if (seen.has(x)) continue;
    seen.add(x);
    if (x !== t && x.symbol?.declarations?.includes(base as ts.Declaration)) return true;
    if (x.isClassOrInterface()) queue.push(...checker.getBaseTypes(x));
  }
  return false;
}
