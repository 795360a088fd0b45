// Desugaring: helpers that return a string union. Takes: a function that may
// be such a helper (`function phaseAt(t, env): "attack" | "decay" | ...`, each
// `return` a literal of the union or a `?:` choosing between literals), or
// that calls one and only compares what it returns with literals of the union
// (`switch (phaseAt(t, env)) { case "attack": ... }`, `phaseAt(t, env) ===
// "release"`). Guarantees: the string is a number code, the position of the
// literal among the union's literals in alphabetical order, on both sides: the
// helper returns `2` where it returned `"release"` and the caller compares the
// call with `2`, so the choice is a number that only selects branches (its
// derivative is zero almost everywhere, as a comparison's is) and the string
// is never kept. A call whose string is used otherwise (stored, printed,
// concatenated) is left as it is, for lowering to refuse, named as written.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { passiveOf } from "../passive.js";
import { Build, skipParens, typed, visitChildren } from "./synth.js";

export function desugarUnionResults(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  if (!fn.body) return fn;
  const build = new Build(checker);
  const number = checker.getNumberType();
  const own = ts.isBlock(fn.body) ? codesOf(fn, checker) : undefined;
  /** The codes of the helper `call` calls, when it is one that returns a string union by literals. */
  const calledCodes = (e: ts.Expression): string[] | undefined => {
    e = skipParens(e);
    // A call over passive data only (desugar/passive.ts) runs as written and gives the string itself.
    if (!ts.isCallExpression(e) || passiveOf(e)) return undefined;
    const decl = ctx.resolveFunction(e.expression);
    return decl && decl !== fn && !ctx.isLibDeclaration(decl) ? codesOf(decl, checker) : undefined;
  };
  const coded = (e: ts.Expression): ts.Expression => {
    const call = skipParens(e) as ts.CallExpression;
    const out = typed(ts.factory.createCallExpression(call.expression, call.typeArguments, call.arguments), number, call);
    codedCalls.add(out);
    return out;
  };
  const code = (codes: readonly string[], e: ts.Expression): ts.Expression | undefined => {
    const inner = skipParens(e);
    if (!ts.isStringLiteralLike(inner)) return undefined;
    const at = codes.indexOf(inner.text);
    return at < 0 ? undefined : build.number(at, inner);
  };
  let depth = 0;
  const visit = (node: ts.Node): ts.Node => {
    const nested = node !== fn && ts.isFunctionLike(node);
    if (nested) depth++;
    const inner = visitChildren(node, visit);
    if (nested) depth--;
    if (own && depth === 0 && ts.isReturnStatement(inner) && inner.expression) {
      const value = returned(own, inner.expression, build, number);
      if (value) return ts.factory.updateReturnStatement(inner, value);
    }
    if (ts.isSwitchStatement(inner)) {
      const codes = calledCodes(inner.expression);
      if (!codes) return inner;
      const labels = inner.caseBlock.clauses.map((c) => (ts.isCaseClause(c) ? code(codes, c.expression) : c));
      if (labels.some((l) => !l)) return inner;
      const clauses = inner.caseBlock.clauses.map((c, i) => (ts.isCaseClause(c) ? ts.factory.updateCaseClause(c, labels[i] as ts.Expression, c.statements) : c));
      return ts.factory.updateSwitchStatement(inner, coded(inner.expression), ts.factory.updateCaseBlock(inner.caseBlock, clauses));
    }
    if (ts.isBinaryExpression(inner) && COMPARISONS.has(inner.operatorToken.kind)) {
      for (const [call, literal, callLeft] of [[inner.left, inner.right, true], [inner.right, inner.left, false]] as const) {
        const codes = calledCodes(call);
        const at = codes && code(codes, literal);
        if (!at) continue;
        const [left, right] = callLeft ? [coded(call), at] : [at, coded(call)];
        return typed(ts.factory.updateBinaryExpression(inner, left, inner.operatorToken, right), checker.getBooleanType(), inner);
      }
    }
    return inner;
  };
  return visit(fn) as FunctionLike;
}

/**
 * Calls given a number code here: the helper must be inlined (inline.ts
 * isInlinedHelper takes it), whose desugared body returns the codes; where it
 * is not, lowering refuses the call (the user's function returns the string).
 */
const codedCalls = new WeakSet<ts.Node>();

/** Whether `call` compares a helper's string by its code (desugarUnionResults). */
export function isCodedCall(call: ts.Node): boolean {
  return codedCalls.has(call);
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The returned value `e` with each literal its code, when it is a literal of the union or a `?:` between such values. */
function returned(codes: readonly string[], e: ts.Expression, build: Build, number: ts.Type): ts.Expression | undefined {
  const inner = skipParens(e);
  if (ts.isStringLiteralLike(inner)) {
    const at = codes.indexOf(inner.text);
    return at < 0 ? undefined : build.number(at, inner);
  }
  if (ts.isConditionalExpression(inner)) {
    const yes = returned(codes, inner.whenTrue, build, number);
    const no = returned(codes, inner.whenFalse, build, number);
    return yes && no ? build.cond(inner.condition, yes, no, number, inner) : undefined;
  }
  return undefined;
}

/**
 * The literals of the string union `decl` returns, sorted (a literal's code is
 * its position), when every `return` of its own returns one of them, as a
 * literal or a `?:` between literals; else undefined.
 */
export function codesOf(decl: FunctionLike, checker: ts.TypeChecker): string[] | undefined {
  const body = decl.body;
  if (!body || !ts.isBlock(body) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) return undefined;
  const signature = checker.getSignatureFromDeclaration(ts.getOriginalNode(decl) as ts.SignatureDeclaration);
  if (!signature) return undefined;
  const type = signature.getReturnType();
  const members = type.isUnion() ? type.types : [type];
  if (members.length < 2 || !members.every((m) => m.isStringLiteral())) return undefined;
  const codes = members.map((m) => (m as ts.StringLiteralType).value).sort();
  let literal = true;
  let any = false;
  const isLiteral = (e: ts.Expression): boolean => {
    const inner = skipParens(e);
    if (ts.isStringLiteralLike(inner)) return codes.includes(inner.text);
    return ts.isConditionalExpression(inner) && isLiteral(inner.whenTrue) && isLiteral(inner.whenFalse);
  };
  const visit = (n: ts.Node): void => {
    if (!literal || (n !== body && ts.isFunctionLike(n))) return;
    if (ts.isReturnStatement(n)) {
      any = true;
      if (!n.expression || !isLiteral(n.expression)) literal = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return literal && any ? codes : undefined;
}
