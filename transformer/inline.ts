// Which calls of module-level helpers lowering inlines. Takes: a helper the
// differentiated function calls. Guarantees: a helper is inlined only when that
// is exactly the call's meaning — it is declared in the same file as the
// differentiated function (so the module names its body reads mean the same
// where the generated code goes), it cannot reach itself through calls
// (recursion keeps a callee adjoint), and its body has a form lowering inlines
// (number result, returns not inside loops, plain parameters).
//
// Why inline: a helper's generated adjoint is a separate function, which
// allocates its array gradients and its tuple of results on every call; a
// per-sample `forward(p, x)` made a gradient 10x slower than the same loss
// written flat. Inlined, the helper's body is differentiated as the caller's
// own code: no call, no allocation, and its gradient accumulates straight into
// the caller's.

import { codesOf } from "./desugar/union-results.js";
import { ts } from "./ts.js";
import type { FunctionLike } from "./lower.js";
import { forEachNode } from "./walk.js";

type Resolve = (callee: ts.Expression) => FunctionLike | undefined;

/** Helpers known to reach themselves through calls, by helper (computed once per node). */
const recursive = new WeakMap<FunctionLike, boolean>();

/** The helpers `fn`'s body calls by a name the compiler resolves (not counting nested function values). */
export function calledHelpers(fn: FunctionLike, resolve: Resolve): FunctionLike[] {
  const out: FunctionLike[] = [];
  if (!fn.body) return out;
  forEachNode(fn.body, (n) => {
    if (ts.isCallExpression(n)) {
      const decl = resolve(n.expression);
      if (decl && decl.body && !out.includes(decl)) out.push(decl);
    }
  });
  return out;
}

/** Whether `fn` can call itself, directly or through other helpers of the program. */
export function isRecursive(fn: FunctionLike, resolve: Resolve): boolean {
  let known = recursive.get(fn);
  if (known === undefined) {
    known = false;
    const seen = new Set<FunctionLike>();
    const stack = calledHelpers(fn, resolve);
    while (stack.length > 0 && !known) {
      const g = stack.pop()!;
      if (g === fn) known = true;
      else if (!seen.has(g)) {
        seen.add(g);
        stack.push(...calledHelpers(g, resolve));
      }
    }
    recursive.set(fn, known);
  }
  return known;
}

/**
 * Whether a call from `caller` (as the user wrote it) to the module-level
 * helper `helper` is inlined, by what the two declarations say; the call site
 * may still keep the call (lower.ts, `inlinedHere`).
 */
export function isInlinedHelper(helper: FunctionLike, caller: FunctionLike, checker: ts.TypeChecker, resolve: Resolve): boolean {
  if (!isInlinable(helper, caller, resolve)) return false;
  const signature = checker.getSignatureFromDeclaration(helper);
  const returns = signature && checker.getReturnTypeOfSignature(signature);
  // A helper returning a string union by literals returns their codes once desugared (desugar/union-results.ts).
  if (!returns || !(isNumber(returns) || codesOf(helper, checker))) return false;
  return !returnsInsideLoop(helper);
}

/**
 * Whether a call of `helper`, which returns an array, is inlined as the
 * declaration of the array it returns: its body returns once, at its end (or is
 * one expression), so the caller's name can stand for what it returns.
 */
export function isInlinedArrayHelper(helper: FunctionLike, caller: FunctionLike, resolve: Resolve): boolean {
  if (!isInlinable(helper, caller, resolve)) return false;
  const body = helper.body!;
  if (!ts.isBlock(body)) return true;
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return false;
  let returns = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) returns++;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return returns === 1;
}

/**
 * Whether inlining a call of `helper` (a function or method of the program, as
 * the user wrote it) from `caller` places statements before the statement that
 * makes the call. The one answer to that question: branches.ts lifts a `?:`,
 * `&&`, `||`, `??` or loop test around such a call into if statements, so its
 * statements run only where JavaScript makes the call, and lowering inlines a
 * helper on a path that may not run only when this says no (it calls the
 * helper's adjoint there otherwise). So what lowering inlines with statements
 * is lifted first, and a call no pass inlines is left where it stands.
 * `desugared` gives a function's body as lowering inlines it (a reduce there
 * is a loop, so statements); `specialised` says the classes pass
 * inlines this call wherever the helper is declared (it is given a function
 * or an instance: desugar/function-values.ts, isSpecialisedCall).
 */
export function inlinedWithStatements(
  helper: FunctionLike | ts.MethodDeclaration,
  caller: FunctionLike,
  checker: ts.TypeChecker,
  resolve: Resolve,
  desugared: (helper: FunctionLike) => ts.ConciseBody | undefined,
  specialised = false,
): boolean {
  if (!helper.body) return false;
  if (!ts.isMethodDeclaration(helper)) {
    // A helper of another file is called through its adjoint where it stands (the classes pass inlines methods, and calls it specialises, wherever declared).
    if (!specialised && helper.getSourceFile() !== caller.getSourceFile()) return false;
    // A helper that reaches itself is inlined by no pass: lowering calls its adjoint, the classes pass refuses it.
    if (helper === caller || isRecursive(helper, resolve)) return false;
  }
  // A destructured parameter becomes statements (desugar/parameters.ts); the classes pass inlines such helpers.
  if (helper.parameters.some((p) => !ts.isIdentifier(p.name)) || !isOneExpression(helper.body)) return true;
  if (ts.isMethodDeclaration(helper)) return false;
  // Lowering inlines a function declared in the caller wherever it is called, a module-level helper when this file says so;
  // the classes pass, a call it specialises.
  if (isModuleLevel(helper) && !specialised && !isInlinedHelper(helper, caller, checker, resolve) && !isInlinedArrayHelper(helper, caller, resolve)) return false;
  const body = desugared(helper);
  return !!body && !isOneExpression(body);
}

/** The body lowering inlines for `helper`: its desugared one, when desugaring left the parameters alone (they are bound from the user's declaration). */
export function inlinedBody(helper: FunctionLike | ts.GetAccessorDeclaration, desugared: FunctionLike | undefined): ts.ConciseBody {
  const same = !!desugared?.body && desugared.parameters.length === helper.parameters.length && desugared.parameters.every((p, i) => p.name === helper.parameters[i]!.name);
  return same ? desugared!.body! : helper.body!;
}

/** Whether a body is one returned expression (an arrow's expression, or a block of one `return`). */
function isOneExpression(body: ts.ConciseBody): boolean {
  return !ts.isBlock(body) || (body.statements.length === 1 && ts.isReturnStatement(body.statements[0]!));
}

/** What inlining any helper needs: its body in this file, plain parameters, no recursion. */
function isInlinable(helper: FunctionLike, caller: FunctionLike, resolve: Resolve): boolean {
  if (!helper.body || helper === caller) return false;
  if (helper.getSourceFile() !== caller.getSourceFile()) return false;
  if (helper.asteriskToken || helper.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  if (helper.parameters.some((p) => !ts.isIdentifier(p.name) || p.dotDotDotToken || p.name.text === "this")) return false;
  return !isRecursive(helper, resolve);
}

/** The helpers inlined into `fn` (as written), transitively: whose free names the generated locals must avoid. */
export function inlinedHelpers(fn: FunctionLike, checker: ts.TypeChecker, resolve: Resolve): FunctionLike[] {
  const out: FunctionLike[] = [];
  const stack = calledHelpers(fn, resolve);
  while (stack.length > 0) {
    const g = stack.pop()!;
    // A function nested in another (the caller, or a helper) has its names walked with that function's.
    if (out.includes(g) || !isModuleLevel(g)) continue;
    if (!isInlinedHelper(g, fn, checker, resolve) && !isInlinedArrayHelper(g, fn, resolve)) continue;
    out.push(g);
    stack.push(...calledHelpers(g, resolve));
  }
  return out;
}

function isModuleLevel(fn: FunctionLike): boolean {
  for (let n = fn.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return false;
  return true;
}

function isNumber(t: ts.Type): boolean {
  return t.isUnion() ? t.types.every(isNumber) : !!(t.flags & ts.TypeFlags.NumberLike);
}

/** Whether some `return` of the helper (not of a function nested in it) sits inside a loop. */
function returnsInsideLoop(helper: FunctionLike): boolean {
  let found = false;
  const visit = (n: ts.Node, inLoop: boolean): void => {
    if (found) return;
    if (ts.isFunctionLike(n) && n !== helper) return;
    if (ts.isReturnStatement(n) && inLoop) {
      found = true;
      return;
    }
    const loop = ts.isIterationStatement(n, false);
    ts.forEachChild(n, (c) => visit(c, inLoop || loop));
  };
  visit(helper, false);
  return found;
}
