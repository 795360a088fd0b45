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
// Passive collections kept for bookkeeping — `const seen = new Set<string>()`,
// `new Map<string, number>()`, `const keys: string[] = []` — are passive too when
// every use reads only passive values (`seen.add(id)`, `counts.set(k, n + 1)`,
// `keys.includes(k)`, `for (const id of seen)`): their changes are markers run as
// statements, each naming the collection it changes (`mutates`), so the backward
// sweep records what it decided from them rather than asking them again.

import { ts } from "../ts.js";
import { forEachNode } from "../walk.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { type ActiveUse, noteActiveUse, passiveMarker } from "../passive.js";
import { isOpaqueType, isStructType, isTreesType } from "../ir.js";
import { every, parameterType } from "../types.js";
import { like, typed } from "./synth.js";

/** Methods that change the array they are called on: never run as passive code. */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"]);
/** Methods that only walk an array for the code around them (a loop's body, for...of): the array-methods pass writes the loop. */
const WALKS = new Set(["forEach", "entries", "keys", "values"]);
/** Array methods whose callback is given the element's index, by the index parameter's position. */
const INDEXED = new Map([["forEach", 1], ["map", 1], ["filter", 1], ["some", 1], ["every", 1], ["find", 1], ["findIndex", 1], ["flatMap", 1], ["reduce", 2]]);
/** Globals whose methods give a different value on each call. */
const IMPURE = new Set(["Math", "Date", "performance", "console", "crypto"]);
/** Methods that change a Set, a Map or an array of strings kept for bookkeeping (collections). */
const CHANGES = new Set([...MUTATORS, "add", "set", "delete", "clear"]);
/** The built-in collections a function may make for bookkeeping. */
const COLLECTIONS = new Set(["Set", "Map"]);

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
  /** Passive collections (`const seen = new Set<string>()`), each with its declaration. */
  private readonly collections = new Map<ts.Symbol, ts.VariableDeclaration>();
  /** Collections found to be given an active value somewhere: not passive, left to the passes after this one. */
  private readonly rejected = new Set<ts.Symbol>();
  /** Collections some statement changes (`seen.add(id)`): what is read from them depends on when. */
  private readonly changed = new Set<ts.Symbol>();

  constructor(
    private readonly fn: FunctionLike,
    private readonly ctx: DesugarContext,
  ) {
    this.checker = ctx.checker;
  }

  /**
   * The outermost passive expressions over non-numeric arrays and passive
   * collections, in the order they stand. A collection is taken to be passive
   * until a use of it reads an active value (a name declared after it, so only
   * the whole walk can tell): then it is left out and the walk made again.
   */
  targets(): Set<ts.Expression> {
    for (;;) {
      const found = this.walk();
      const bad = [...this.collections].filter(([c, d]) => {
        const use = this.activeUse(c);
        if (use) noteActiveUse(skipParens(d.initializer!), use);
        return use !== undefined;
      }).map(([c]) => c);
      if (bad.length === 0) return found;
      for (const c of bad) this.rejected.add(c);
      this.passive.clear();
      this.mixed.clear();
      this.collections.clear();
      this.changed.clear();
    }
  }

  private walk(): Set<ts.Expression> {
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
      // `const flows = pipes.map(() => 0)` filled in later (`flows[k] += demand`): an array of numbers the function writes, left to the array passes.
      if (ts.isVariableDeclaration(n) && this.isFilledLater(n)) return false;
      if (ts.isVariableDeclaration(n) && n.initializer && n.parent && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const && !this.isRejected(n.name) && this.isPassive(n.initializer)) this.addNames(n.name);
      if (ts.isVariableDeclaration(n) && n.initializer && n.parent && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Let && ts.isIdentifier(n.name)) this.addCounter(n.name, n.initializer);
      if (ts.isVariableDeclaration(n) && this.addCollection(n)) {
        found.add(n.initializer!);
        return false;
      }
      // `for (const id of seen)` walks what the collection holds now: a copy, `[...seen]`.
      if (ts.isForOfStatement(n) && ts.isIdentifier(n.expression) && this.collectionOf(n.expression) && this.isPassive(n.expression)) found.add(n.expression);
      if ((ts.isCallExpression(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isArrayLiteralExpression(n)) && this.readsCollection(n) && this.isPassive(n)) {
        found.add(this.outermost(n));
        return false;
      }
      if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) && this.isPassive(n.expression)) for (const d of n.initializer.declarations) this.addNames(d.name);
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && this.isPassive(n.expression.expression)) {
        // The callback of a method over passive data is given its elements and indices.
        for (const a of n.arguments) if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) for (const p of a.parameters) this.addNames(p.name);
      }
      // The index a method gives its callback (`ks.forEach((k, r) => ...)`) is a position, data whatever the array holds.
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && INDEXED.has(n.expression.name.text) && this.checker.isArrayType(this.checker.getTypeAtLocation(n.expression.expression))) {
        const callback = n.arguments[0] && skipParens(n.arguments[0]);
        const index = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback.parameters[INDEXED.get(n.expression.name.text)!] : undefined;
        if (index && ts.isIdentifier(index.name) && !index.initializer && !isReassignedIn(index.name, callback as ts.ArrowFunction | ts.FunctionExpression, this.checker)) this.addNames(index.name);
      }
      if (ts.isPropertyAccessExpression(n) && this.isPassiveGetterRead(n)) {
        found.add(n);
        return false;
      }
      if (ts.isCallExpression(n) && this.selectsUncolumnedRecords(n) && this.isPassive(n)) {
        found.add(this.outermost(n));
        return false;
      }
      if (ts.isCallExpression(n) && this.overNonNumericData(n) && this.isPassive(n) && !this.readsMixedNumbers(n)) {
        found.add(this.outermost(n));
        return false;
      }
      return true;
    });
    return found;
  }

  /**
   * `const flows = pipes.map(() => 0)`: a local array of numbers made from
   * data, whose elements the function then writes (`flows[k] += demand`). It
   * is no constant: it is made as a number array lowering tracks (the array
   * passes write the map as a loop), so what is written into it may be
   * differentiated, and nothing passive reads it.
   */
  private isFilledLater(d: ts.VariableDeclaration): boolean {
    if (!d.initializer || !ts.isIdentifier(d.name) || !d.parent || !ts.isVariableDeclarationList(d.parent) || !(d.parent.flags & ts.NodeFlags.Const)) return false;
    // Asked of every const: the checker is consulted only for a name some element write starts from.
    if (!this.elementWriteRoots().has(d.name.text)) return false;
    const type = this.checker.getTypeAtLocation(d.name);
    const symbol = this.checker.getSymbolAtLocation(d.name);
    if (!symbol) return false;
    // `const totals: Record<Nutrient, number> = { N: 0, P: 0 }` updated by field or key (`totals[n] += dose`):
    // a record of numbers the function writes, as such an array is.
    if (!this.checker.isArrayType(type)) return !!(type.flags & ts.TypeFlags.Object) && this.writesNumberField(symbol);
    if (!((this.checker.getIndexTypeOfType(type, ts.IndexKind.Number)?.flags ?? 0) & ts.TypeFlags.NumberLike)) return false;
    let written = false;
    forEachNode(this.fn.body!, (n) => {
      if (written) return false;
      if (ts.isElementAccessExpression(n) && isWrittenTo(asWritten(n))) {
        const root = skipParens(n.expression);
        if (ts.isIdentifier(root) && this.checker.getSymbolAtLocation(root) === symbol) written = true;
      }
      return !written;
    });
    return written;
  }

  /** Whether the function writes a number into a field of the record `symbol` names (`totals.N = x`, `totals[n] += x`). */
  private writesNumberField(symbol: ts.Symbol): boolean {
    let written = false;
    forEachNode(this.fn.body!, (n) => {
      if (written) return false;
      if ((ts.isElementAccessExpression(n) || ts.isPropertyAccessExpression(n)) && isWrittenTo(asWritten(n))) {
        const root = skipParens(n.expression);
        const target = this.checker.getTypeAtLocation(n);
        if (ts.isIdentifier(root) && this.checker.getSymbolAtLocation(root) === symbol && every(target, ts.TypeFlags.NumberLike)) written = true;
      }
      return !written;
    });
    return written;
  }

  private writtenRoots: Set<string> | undefined;

  /** The names the function's element and field writes (`flows[k] += demand`, `totals.N += x`) start from, found once. */
  private elementWriteRoots(): Set<string> {
    if (this.writtenRoots) return this.writtenRoots;
    const roots = new Set<string>();
    forEachNode(this.fn.body!, (n) => {
      if ((ts.isElementAccessExpression(n) || ts.isPropertyAccessExpression(n)) && isWrittenTo(asWritten(n))) {
        const root = skipParens(n.expression);
        if (ts.isIdentifier(root)) roots.add(root.text);
      }
      return true;
    });
    this.writtenRoots = roots;
    return roots;
  }

  /** `node` replaced by a marker whose arguments are the names it reads from outside itself. */
  marker(node: ts.Expression): ts.Expression {
    if (ts.isPropertyAccessExpression(node) && this.isPassiveGetterRead(node)) return this.getterMarker(node);
    // A collection walked by for...of: a copy of what it holds, an array of its elements.
    if (ts.isIdentifier(node) && ts.isForOfStatement(node.parent) && node.parent.expression === node) return this.copyMarker(node, node.parent);
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
    const changed = this.changedCollection(node);
    const mutates = changed && holes.get(changed);
    // A value read from a collection that changes (`counts.get(k)` between `counts.set`s) is kept where it is read (lower.ts).
    const changing = !changed && [...bySymbol.keys()].some((symbol) => this.changed.has(symbol));
    return typed(passiveMarker(node, holes, args, { numeric: this.holdsNumbers(type, 0) && !this.readsCollection(node), mutates, changing }), type, node);
  }

  /** `for (const id of seen)`: the loop walks `[...seen]`, a string[] made once before it. */
  private copyMarker(id: ts.Identifier, loop: ts.ForOfStatement): ts.Expression {
    const copy = ts.factory.createArrayLiteralExpression([ts.factory.createSpreadElement(id)]);
    const head = loop.initializer;
    const element = ts.isVariableDeclarationList(head) && head.declarations[0] ? this.checker.getTypeAtLocation(head.declarations[0].name) : this.checker.getAnyType();
    // createArrayType is the checker's own (not in its public declarations); `unknown[]` prints where it is missing.
    const arrays = this.checker as unknown as { createArrayType?: (t: ts.Type) => ts.Type };
    const type = arrays.createArrayType ? arrays.createArrayType(element) : this.checker.getAnyType();
    return typed(passiveMarker(copy, new Map([[id, 0]]), [like(ts.factory.createIdentifier(id.text), id)]), type, id);
  }

  /**
   * `const seen = new Set<string>()`, `new Map<string, number>()`, or an array
   * literal of strings or booleans (`const keys: string[] = []`) with passive
   * elements: a passive collection, unless a use of it was found active.
   */
  private addCollection(d: ts.VariableDeclaration): boolean {
    if (!d.initializer || !ts.isIdentifier(d.name) || !d.parent || !ts.isVariableDeclarationList(d.parent) || !(d.parent.flags & ts.NodeFlags.Const)) return false;
    const symbol = this.checker.getSymbolAtLocation(d.name);
    if (!symbol || this.rejected.has(symbol)) return false;
    const init = skipParens(d.initializer);
    const made = ts.isNewExpression(init) && ts.isIdentifier(init.expression) && COLLECTIONS.has(init.expression.text) && this.isLibrary(init.expression);
    const type = this.checker.getTypeAtLocation(d.name);
    const strings = ts.isArrayLiteralExpression(init) && this.checker.isArrayType(type) && this.nonNumeric(this.checker.getIndexTypeOfType(type, ts.IndexKind.Number), 0) && !this.holdsNumbers(type, 0);
    if (!made && !strings) return false;
    const parts = ts.isNewExpression(init) ? (init.arguments ?? []) : ts.isArrayLiteralExpression(init) ? init.elements : [];
    if (!parts.every((a) => this.isPassive(a))) return false;
    this.collections.set(symbol, d);
    this.passive.add(symbol);
    return true;
  }

  /** The collection `e` names, if it is one. */
  private collectionOf(e: ts.Expression): ts.Symbol | undefined {
    e = skipParens(e);
    if (!ts.isIdentifier(e)) return undefined;
    const symbol = this.checker.getSymbolAtLocation(e);
    return symbol && this.collections.has(symbol) ? symbol : undefined;
  }

  /** Whether `e` is a method call, field or element read on a collection (`seen.has(id)`, `seen.size`, `keys[0]`), or a copy of one (`[...seen]`, `Array.from(seen)`). */
  private readsCollection(e: ts.Expression): boolean {
    if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => ts.isSpreadElement(x) && !!this.collectionOf(x.expression));
    if (ts.isCallExpression(e) && e.arguments.some((a) => !!this.collectionOf(a))) return true;
    const target = ts.isCallExpression(e) ? e.expression : e;
    return (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && !!this.collectionOf(target.expression);
  }

  /** Whether `call` is a statement of the function itself (a change of a collection is one; never part of a value, never in a callback). */
  private changesAsStatement(call: ts.CallExpression): boolean {
    if (!ts.isExpressionStatement(call.parent)) return false;
    for (let n: ts.Node | undefined = call.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n === this.fn;
    return false;
  }

  /** The receiver of `seen.add(id)` written as a statement: the collection it changes. */
  private changedCollection(e: ts.Expression): ts.Identifier | undefined {
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || !CHANGES.has(e.expression.name.text)) return undefined;
    const receiver = skipParens(e.expression.expression);
    return ts.isIdentifier(receiver) && this.collectionOf(receiver) ? receiver : undefined;
  }

  /**
   * The first use of collection `c` that is not passive, if any. Passive uses:
   * a method called on it with passive arguments (one that changes it only as
   * a statement of its own), a field read (`seen.size`), a for...of over it.
   */
  private activeUse(c: ts.Symbol): ActiveUse | undefined {
    const decl = this.collections.get(c)!;
    let bad: ActiveUse | undefined;
    /** A use that is not passive: because it reads a collection refused already, or a value tsgrad may differentiate. */
    const notPassive = (node: ts.Node): ActiveUse => ({ node, why: this.readsRejected(node) ? "follows" : "active" });
    forEachNode(this.fn.body!, (n) => {
      if (bad) return false;
      if (!ts.isIdentifier(n) || n === decl.name || this.checker.getSymbolAtLocation(n) !== c) return true;
      const up = n.parent;
      if (ts.isForOfStatement(up) && up.expression === n) return true;
      if ((ts.isPropertyAccessExpression(up) || ts.isElementAccessExpression(up)) && up.expression === n) {
        const call = up.parent;
        if (ts.isCallExpression(call) && call.expression === up) {
          const changes = ts.isPropertyAccessExpression(up) && CHANGES.has(up.name.text);
          if (changes && !this.changesAsStatement(call)) bad = { node: call, why: "nested" };
          else if (!this.isPassive(call)) bad = notPassive(call);
          if (changes) this.changed.add(c);
        } else if (!this.isPassive(up) || isWrittenTo(up)) bad = notPassive(up);
        return !bad;
      }
      // Copied whole by a passive expression: `[...seen]`, `Array.from(seen)`.
      const copy = ts.isSpreadElement(up) && ts.isArrayLiteralExpression(up.parent) ? up.parent : ts.isCallExpression(up) && up.arguments.includes(n) ? up : undefined;
      if (copy && this.isPassive(copy)) return true;
      bad = { node: n, why: "escapes" };
      return false;
    });
    return bad;
  }

  /** Whether `node` reads a collection found not passive before. */
  private readsRejected(node: ts.Node): boolean {
    let found = false;
    forEachNode(node, (n) => {
      const symbol = ts.isIdentifier(n) ? this.checker.getSymbolAtLocation(n) : undefined;
      if (symbol && this.rejected.has(symbol)) found = true;
      return !found;
    });
    return found;
  }

  private isRejected(name: ts.BindingName): boolean {
    const symbol = ts.isIdentifier(name) ? this.checker.getSymbolAtLocation(name) : undefined;
    return !!symbol && this.rejected.has(symbol);
  }

  private isLibrary(id: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    return !!decl && this.ctx.isLibDeclaration(decl);
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
   * `tributaries.filter((t) => t.reach === r)` over records of numbers that the
   * array passes cannot keep as one column per field (one has an optional field,
   * `lagHours?: number`): the selection runs as written, as over records with
   * strings. Its value holds numbers, so should the records be differentiated,
   * the marker (`numeric`) is refused there (refusePassiveReads) rather than
   * drop their derivative.
   */
  private selectsUncolumnedRecords(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "filter") return false;
    const receiver = this.checker.getTypeAtLocation(callee.expression);
    if (!this.checker.isArrayType(receiver)) return false;
    const element = this.checker.getIndexTypeOfType(receiver, ts.IndexKind.Number);
    if (!element || !(element.flags & ts.TypeFlags.Object) || element.getCallSignatures().length > 0 || this.checker.isArrayType(element) || this.checker.isTupleType(element)) return false;
    const props = element.getProperties();
    return props.length > 0 && props.some((p) => !!(p.flags & ts.SymbolFlags.Optional)) && props.every((p) => this.holdsNumbers(this.checker.getTypeOfSymbol(p), 1) || this.nonNumeric(this.checker.getTypeOfSymbol(p), 1));
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
      // A record or Map of numbers keyed by strings is differentiated by key (keyed.ts): what reads it is not data.
      if (isOpaqueType(type) && type.keyedNumbers) return false;
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
  private isPassive(e: ts.Expression, thisPassive = false): boolean {
    let ok = true;
    forEachNode(e, (n) => {
      if (!ok || ts.isTypeNode(n)) return false;
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && COLLECTIONS.has(n.expression.text) && this.isLibrary(n.expression)) return true;
      if ((n.kind === ts.SyntaxKind.ThisKeyword && !thisPassive) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isDeleteExpression(n) || ts.isTaggedTemplateExpression(n)) {
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

  /**
   * `room.treatable` of a passive `room`, where `treatable` is a getter of the
   * program whose body is one `return` of passive code over `this` and
   * constants, giving an array of non-numeric data (`return
   * this.surfaces.filter((s) => s.treatable)`): the read runs as written, once,
   * as JavaScript runs it. A getter that returns numbers is left to the passes
   * that inline it; should `room` be differentiated, the marker's numbers are
   * refused there (refusePassiveReads), never taken as constants.
   */
  private isPassiveGetterRead(n: ts.PropertyAccessExpression): boolean {
    const getter = this.checker.getSymbolAtLocation(n.name)?.declarations?.find(ts.isGetAccessorDeclaration);
    const only = getter?.body?.statements.length === 1 ? getter.body.statements[0] : undefined;
    if (!getter || getter.getSourceFile().isDeclarationFile || !only || !ts.isReturnStatement(only) || !only.expression) return false;
    const type = this.checker.getTypeAtLocation(n);
    if (!this.checker.isArrayType(type) || !this.nonNumeric(this.checker.getIndexTypeOfType(type, ts.IndexKind.Number), 0)) return false;
    return this.isPassive(n.expression) && this.isPassive(only.expression, true);
  }

  /**
   * The marker for a passive getter read (`room.treatable`): the getter's
   * return expression, each `this.field` in it a hole given `room.field`, so
   * the instance itself is never passed whole (tsgrad keeps it as its fields).
   */
  private getterMarker(n: ts.PropertyAccessExpression): ts.Expression {
    const f = ts.factory;
    const getter = this.checker.getSymbolAtLocation(n.name)!.declarations!.find(ts.isGetAccessorDeclaration)!;
    const body = (getter.body!.statements[0] as ts.ReturnStatement).expression!;
    const holes = new Map<ts.Identifier, number>();
    const args: ts.Expression[] = [];
    const fields = new Map<string, number>();
    const receiver = n.expression;
    const visit = (x: ts.Node): ts.Node => {
      if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const name = x.name.text;
        let at = fields.get(name);
        if (at === undefined) {
          at = args.length;
          fields.set(name, at);
          args.push(typed(like(f.createPropertyAccessExpression(receiver, name), n), this.checker.getTypeAtLocation(x), n));
        }
        const hole = f.createIdentifier(name);
        holes.set(hole, at);
        return hole;
      }
      return ts.visitEachChild(x, visit, undefined);
    };
    const node = visit(body) as ts.Expression;
    const type = this.checker.getTypeAtLocation(n);
    return typed(passiveMarker(node, holes, args, { numeric: this.holdsNumbers(type, 0) }), type, n);
  }

  /** A call of a method or global of the default library that changes nothing. */
  private isLibraryCall(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      // A change of a passive collection, as a statement of the function itself (`seen.add(id);`, not in a callback).
      if (CHANGES.has(callee.name.text) && this.changesAsStatement(call) && this.collectionOf(callee.expression)) return true;
      // (A fresh copy may be sorted: `[...seen].sort()`.)
      if (MUTATORS.has(callee.name.text) && !ts.isArrayLiteralExpression(skipParens(callee.expression))) return false;
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

/** `flows[k]!` of `flows[k]! += q`, as the assignment sees it (through `!` and parentheses). */
function asWritten(e: ts.Expression): ts.Expression {
  while (ts.isNonNullExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
  return e;
}

/** `keys[0] = k`, `seen.size++`: a field or element read that is written to. */
function isWrittenTo(e: ts.Expression): boolean {
  const up = e.parent;
  if (ts.isBinaryExpression(up) && up.left === e && isAssignment(up.operatorToken.kind)) return true;
  return (ts.isPrefixUnaryExpression(up) || ts.isPostfixUnaryExpression(up)) && (up.operator === ts.SyntaxKind.PlusPlusToken || up.operator === ts.SyntaxKind.MinusMinusToken);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
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

/** Whether the body of `fn` assigns the name `id` declares. */
function isReassignedIn(id: ts.Identifier, fn: ts.SignatureDeclaration, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(id);
  let found = false;
  forEachNode(fn, (n) => {
    if (found) return false;
    const target = ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) ? n.left : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) ? n.operand : undefined;
    const t = target && skipParens(target);
    if (t && ts.isIdentifier(t) && checker.getSymbolAtLocation(t) === symbol) found = true;
    return !found;
  });
  return found;
}
