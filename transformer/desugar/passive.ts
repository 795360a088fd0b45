// Desugaring: passive expressions. Takes: a function as the user wrote it (this
// pass runs first). Guarantees: every expression that walks or builds an array
// of data that is not numeric (records with string fields, a string union) and
// reads nothing a derivative can flow through — parameters that cannot be
// differentiated (their type is not made of numbers), module constants, and
// locals computed from these alone — is a marker (passive.ts) that lowering
// keeps as written: `log.filter((row) => row.clicked)`, `products.map((p) =>
// p.category).indexOf("frozen")`. It runs once, in the forward sweep; what it
// gives is a constant for the derivative. An expression that also reads an
// active value, calls a function of the user's, or changes anything stays
// where it is, for the passes after this one (which refuse it, named as written).

import { ts } from "../ts.js";
import { forEachNode } from "../walk.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { passiveMarker } from "../passive.js";
import { isOpaqueType, isStructType, isTreesType } from "../ir.js";
import { parameterType } from "../types.js";
import { like, typed } from "./synth.js";

/** Methods that change the array they are called on: never run as passive code. */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"]);
/** Methods that only walk an array for the code around them (a loop's body, for...of): the array-methods pass writes the loop. */
const WALKS = new Set(["forEach", "entries", "keys", "values"]);
/** Globals whose methods give a different value on each call. */
const IMPURE = new Set(["Math", "Date", "performance", "console", "crypto"]);

export function markPassive(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  if (!fn.body || !ts.isBlock(fn.body)) return fn;
  const finder = new PassiveFinder(fn, ctx);
  const targets = finder.targets();
  if (targets.size === 0) return fn;
  const visit = (n: ts.Node): ts.Node => {
    if (ts.isExpression(n) && targets.has(n)) return finder.marker(n);
    return ts.visitEachChild(n, visit, undefined);
  };
  return visit(fn) as FunctionLike;
}

class PassiveFinder {
  private readonly checker: ts.TypeChecker;
  /** Locals and parameters of the function that hold passive values. */
  private readonly passive = new Set<ts.Symbol>();
  /** Parameters that hold numbers next to constants (records with string fields): data unless differentiated. */
  private readonly mixed = new Set<ts.Symbol>();

  constructor(
    private readonly fn: FunctionLike,
    private readonly ctx: DesugarContext,
  ) {
    this.checker = ctx.checker;
  }

  /** The outermost passive expressions over non-numeric arrays, in the order they stand. */
  targets(): Set<ts.Expression> {
    for (const p of this.fn.parameters) {
      if (!this.cannotBeDifferentiated(p)) continue;
      this.addNames(p.name);
      const symbol = ts.isIdentifier(p.name) ? this.checker.getSymbolAtLocation(p.name) : undefined;
      if (symbol && !this.isOpaqueParameter(p)) this.mixed.add(symbol);
    }
    const found = new Set<ts.Expression>();
    // Walked without recursing: generated code nests expressions deeper than the call stack (walk.ts).
    forEachNode(this.fn.body!, (n) => {
      // Names are marked in source order: a const is passive when its value is.
      if (ts.isVariableDeclaration(n) && n.initializer && n.parent && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const && this.isPassive(n.initializer)) this.addNames(n.name);
      if (ts.isVariableDeclaration(n) && n.initializer && n.parent && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Let && ts.isIdentifier(n.name)) this.addCounter(n.name, n.initializer);
      if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) && this.isPassive(n.expression)) for (const d of n.initializer.declarations) this.addNames(d.name);
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && this.isPassive(n.expression.expression)) {
        // The callback of a method over passive data is given its elements and indices.
        for (const a of n.arguments) if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) for (const p of a.parameters) this.addNames(p.name);
      }
      if (ts.isCallExpression(n) && this.overNonNumericData(n) && this.isPassive(n) && !this.readsMixedNumbers(n)) {
        found.add(this.outermost(n));
        return false;
      }
      return true;
    });
    return found;
  }

  /** `node` replaced by a marker whose arguments are the names it reads from outside itself. */
  marker(node: ts.Expression): ts.Expression {
    const holes = new Map<ts.Identifier, number>();
    const args: ts.Expression[] = [];
    const bySymbol = new Map<ts.Symbol, number>();
    this.forEachRead(node, (id, symbol) => {
      // Module constants stay as written: the generated function is declared where they are in scope.
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (!symbol || !decl || !isWithin(decl, this.fn)) return;
      let at = bySymbol.get(symbol);
      if (at === undefined) {
        at = args.length;
        bySymbol.set(symbol, at);
        args.push(like(ts.factory.createIdentifier(id.text), id));
      }
      holes.set(id, at);
    });
    const type = this.checker.getTypeAtLocation(node);
    return typed(passiveMarker(node, holes, args, this.holdsNumbers(type, 0)), type, node);
  }

  /** A call walking or building an array whose elements hold strings or booleans. */
  private overNonNumericData(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || WALKS.has(callee.name.text)) return false;
    const receiver = this.checker.getTypeAtLocation(callee.expression);
    const result = this.checker.getTypeAtLocation(call);
    return [receiver, result].some((t) => (this.checker.isArrayType(t) || this.checker.isTupleType(t)) && this.nonNumeric(this.checker.getIndexTypeOfType(t, ts.IndexKind.Number), 0));
  }

  /**
   * Whether `e` reads a parameter that holds numbers next to constants and
   * reads numbers out of it (`users.reduce((s, u) => s + u.factors[0], 0)`):
   * that parameter may be differentiated, so such code is left to the array
   * passes, which differentiate it. (`tokens.filter((t) => t.text !== PAD)`
   * reads only constants: it stays passive, and is refused should `tokens` be
   * differentiated, refusePassiveReads.)
   */
  private readsMixedNumbers(e: ts.Expression): boolean {
    let mixed = false;
    let numbers = false;
    forEachNode(e, (n) => {
      if (ts.isIdentifier(n) && !mixed) {
        const symbol = this.checker.getSymbolAtLocation(n);
        if (symbol && this.mixed.has(symbol)) mixed = true;
      }
      if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && this.holdsNumbers(this.checker.getTypeAtLocation(n), 0)) numbers = true;
      return !(mixed && numbers);
    });
    return mixed && numbers;
  }

  /** Whether values of `t` hold numbers somewhere (fields of records included). */
  private holdsNumbers(t: ts.Type | undefined, depth: number): boolean {
    if (!t || depth > 3) return false;
    if (t.flags & ts.TypeFlags.NumberLike) return true;
    if (t.isUnion()) return t.types.some((x) => this.holdsNumbers(x, depth));
    if (this.checker.isArrayType(t) || this.checker.isTupleType(t)) return this.holdsNumbers(this.checker.getIndexTypeOfType(t, ts.IndexKind.Number), depth + 1);
    if (t.flags & ts.TypeFlags.Object && t.getCallSignatures().length === 0) return t.getProperties().some((p) => this.holdsNumbers(this.checker.getTypeOfSymbol(p), depth + 1));
    return false;
  }

  /** Whether values of `t` hold strings or booleans somewhere (fields of records included). */
  private nonNumeric(t: ts.Type | undefined, depth: number): boolean {
    if (!t || depth > 3) return false;
    if (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike)) return !(t.flags & ts.TypeFlags.NumberLike);
    if (t.isUnion()) return t.types.some((x) => this.nonNumeric(x, depth));
    if (this.checker.isArrayType(t) || this.checker.isTupleType(t)) return (this.checker.getIndexTypeOfType(t, ts.IndexKind.Number) ? this.nonNumeric(this.checker.getIndexTypeOfType(t, ts.IndexKind.Number), depth + 1) : false);
    if (t.flags & ts.TypeFlags.Object && t.getCallSignatures().length === 0) {
      return t.getProperties().some((p) => this.nonNumeric(this.checker.getTypeOfSymbol(p), depth + 1));
    }
    return false;
  }

  /** The largest passive expression around `call` (`xs.map(f).indexOf(k)`, `xs.find(p)?.fee ?? 0`), inside the callback it stands in, if any. */
  private outermost(call: ts.Expression): ts.Expression {
    let at: ts.Expression = call;
    for (;;) {
      const up = at.parent;
      if (!up || !ts.isExpression(up) || ts.isFunctionLike(up) || ts.isSpreadElement(up) || !this.isPassive(up)) break;
      at = up;
    }
    // A method read only to be called with active arguments (`xs.filter(p).reduce(g, 0)`): its receiver is the passive part.
    while ((ts.isPropertyAccessExpression(at) && ts.isCallExpression(at.parent) && at.parent.expression === at) || ts.isParenthesizedExpression(at)) at = at.expression;
    return at;
  }

  /**
   * Whether `p` is data here: it can never be differentiated (a string, a union
   * of names), or it holds constants next to its numbers (records with string
   * fields), whose numbers a passive expression may read only while `p` is not
   * differentiated (marker `numeric`, refused by reverse and forward mode).
   */
  private isOpaqueParameter(p: ts.ParameterDeclaration): boolean {
    try {
      return isOpaqueType(parameterType(this.checker, p.name, "this parameter"));
    } catch {
      return false;
    }
  }

  private cannotBeDifferentiated(p: ts.ParameterDeclaration): boolean {
    try {
      const type = parameterType(this.checker, p.name, "this parameter");
      return isOpaqueType(type) || isTreesType(type) || (isStructType(type) && type.struct.some(([, t]) => isOpaqueType(t) || isTreesType(t)));
    } catch {
      return false;
    }
  }

  /**
   * `let k = 0` (a loop counter, a position in a passive list) is passive when
   * its value and every value the function assigns it read only passive values:
   * `k++`, `k += 2`, `k = KINDS.indexOf(kind)`, never a differentiated value.
   */
  private addCounter(name: ts.Identifier, init: ts.Expression): void {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (!symbol || !this.isPassive(init)) return;
    // Its own earlier value is passive if the rest is: `k = k + 1` reads it.
    this.passive.add(symbol);
    const writes = (target: ts.Expression): boolean => {
      while (ts.isParenthesizedExpression(target)) target = target.expression;
      return ts.isIdentifier(target) && this.checker.getSymbolAtLocation(target) === symbol;
    };
    let ok = true;
    forEachNode(this.fn.body!, (n) => {
      if (!ok) return false;
      if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && writes(n.left) && !this.isPassive(n.right)) ok = false;
      // Written through a pattern (`[k, j] = [j, k]`): left as it is.
      if ((ts.isArrayLiteralExpression(n) || ts.isObjectLiteralExpression(n)) && n.parent && ts.isBinaryExpression(n.parent) && n.parent.left === n && someName(n, writes)) ok = false;
      return ok;
    });
    if (!ok) this.passive.delete(symbol);
  }

  private addNames(name: ts.BindingName): void {
    if (ts.isIdentifier(name)) {
      const symbol = this.checker.getSymbolAtLocation(name);
      if (symbol) this.passive.add(symbol);
      return;
    }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) this.addNames(element.name);
  }

  /**
   * Whether `e` reads only passive values and constants from outside the
   * function, calls only methods of the default library that change nothing,
   * and assigns nothing declared outside it.
   */
  private isPassive(e: ts.Expression): boolean {
    let ok = true;
    forEachNode(e, (n) => {
      if (!ok || ts.isTypeNode(n)) return false;
      if (n.kind === ts.SyntaxKind.ThisKeyword || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isDeleteExpression(n) || ts.isTaggedTemplateExpression(n)) {
        ok = false;
        return false;
      }
      if (ts.isCallExpression(n) && !this.isLibraryCall(n)) {
        ok = false;
        return false;
      }
      if ((ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) || ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken))) {
        const target = ts.isBinaryExpression(n) ? n.left : n.operand;
        if (!ts.isIdentifier(target) || !this.declaredWithin(target, e)) {
          ok = false;
          return false;
        }
      }
      return true;
    });
    if (!ok) return false;
    this.forEachRead(e, (_, symbol) => {
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (!symbol || !decl) ok = false;
      else if (isWithin(decl, this.fn)) {
        if (!this.passive.has(symbol)) ok = false;
      } else if (ts.isVariableDeclaration(decl) && !(decl.parent.flags & ts.NodeFlags.Const)) ok = false; // a mutable module variable
      else if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) ok = false;
    });
    return ok;
  }

  /** A call of a method or global of the default library that changes nothing. */
  private isLibraryCall(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      if (MUTATORS.has(callee.name.text)) return false;
      if (ts.isIdentifier(callee.expression) && IMPURE.has(callee.expression.text)) return false;
    } else if (!ts.isIdentifier(callee)) return false;
    const symbol = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    return !!decl && this.ctx.isLibDeclaration(decl);
  }

  private declaredWithin(id: ts.Identifier, scope: ts.Node): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    return !!decl && isWithin(decl, scope);
  }

  /** Calls `visit` for each name `e` reads that is declared outside `e` and not by the default library. */
  private forEachRead(e: ts.Expression, visit: (id: ts.Identifier, symbol: ts.Symbol | undefined) => void): void {
    forEachNode(e, (n) => {
      if (ts.isTypeNode(n)) return false;
      if (ts.isIdentifier(n) && isValueReference(n)) {
        const symbol = this.checker.getSymbolAtLocation(n);
        const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
        if (!symbol || !decl) {
          if (n.text !== "undefined") visit(n, undefined);
          return false;
        }
        if (!isWithin(decl, e) && !this.ctx.isLibDeclaration(decl)) visit(n, symbol);
        return false;
      }
      return true;
    });
  }
}

/** Whether an assignment pattern names a target `writes` accepts. */
function someName(pattern: ts.Node, writes: (e: ts.Expression) => boolean): boolean {
  let found = false;
  forEachNode(pattern, (n) => {
    if (ts.isIdentifier(n) && writes(n)) found = true;
    return !found;
  });
  return found;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Whether `id` reads a value (not a property name, a declaration's name or a label). */
function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
