// Desugaring: another name for a record. Takes: a function after instance
// loops, where `for (const b of bodies)`, `bodies.forEach((b) => ...)` and
// `const b = bodies.find(p)!` have all become `const b = bodies[i]` (an index
// loop's element, found.ts's `bodies[index]`), beside the user's own
// `const b = bodies[0]` and `const u = t`. In JavaScript such a `b` is the same
// object as its place, not a copy, but classes.ts keeps a record local as one
// local per field, copied where it is declared: a write through `b` (`b.x *= k`)
// would miss `bodies`, and a write to `bodies[0].x` would miss `b`.
// Guarantees: when a record or tuple named that way is written through either
// name while the alias lives, every use of the alias is its place
// (`bodies[i].x *= k`), so the rest of tsgrad sees one object written in place;
// where the place does not stay put (its array or index is reassigned, the
// array reordered, `let b` pointed elsewhere), or the alias comes from a helper
// that may return one of its arguments, the function is refused at the write,
// naming the alias and what to write instead. An alias nothing writes through
// keeps its copy (the values are the same), so such code is lowered as before.
// A record stored into another array (`others.push(bodies[0])`, `const rows =
// [r]`) while either is written through is refused likewise.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { Code, fail } from "../diagnostics.js";
import { forEachNode } from "../walk.js";
import { isNewLocal, like, runtimeCallName, skipParens, userText, visitChildren } from "./synth.js";
import { recordLeaves } from "./record-columns.js";

/** Calls that move an array's elements to other indices, or drop some: an index stops naming the same record. */
const REORDERS = new Set(["splice", "shift", "unshift", "sort", "reverse", "fill", "copyWithin", "pop"]);
/** Calls that store their arguments in the array. */
const STORES = new Set(["push", "unshift", "splice", "fill"]);

/** The runtime calls a pass writes that return a new array. */
const ALLOCATES = new Set(["zeros"]);

/** A name's identity: the user's symbol, or for a local a pass introduced, its identifier node. */
type Key = ts.Symbol | ts.Identifier;

export function resolveAliases(fn: FunctionLike, { checker, resolveFunction }: DesugarContext): FunctionLike {
  const keyOf = (id: ts.Identifier): Key | undefined => (isNewLocal(id) ? id : checker.getSymbolAtLocation(ts.getOriginalNode(id)));
  const isRecord = (node: ts.Node): boolean => {
    const t = checker.getTypeAtLocation(node);
    return !!(t.flags & ts.TypeFlags.Object) && t.getCallSignatures().length === 0 && !checker.isArrayType(t) && !!recordLeaves(checker, t, true);
  };

  /** The root name of a place `a.b[i].c` (`a`), or undefined when `e` is not such a chain of names. */
  const rootOf = (e: ts.Expression): ts.Identifier | undefined => {
    e = skipParens(e);
    while (ts.isNonNullExpression(e)) e = skipParens(e.expression);
    if (ts.isIdentifier(e)) return e;
    if (ts.isPropertyAccessExpression(e)) return rootOf(e.expression);
    if (ts.isElementAccessExpression(e)) return rootOf(e.expression);
    return undefined;
  };

  /** The names a place's value depends on besides its root (`i` of `xs[i]`), or undefined when an index is not made of names, numbers, lengths and arithmetic. */
  const indexNames = (e: ts.Expression, out: ts.Identifier[] = []): ts.Identifier[] | undefined => {
    e = skipParens(e);
    while (ts.isNonNullExpression(e)) e = skipParens(e.expression);
    if (ts.isIdentifier(e)) return out;
    if (ts.isPropertyAccessExpression(e)) return indexNames(e.expression, out);
    if (!ts.isElementAccessExpression(e)) return undefined;
    if (!indexTerm(e.argumentExpression, out)) return undefined;
    return indexNames(e.expression, out);
  };
  const indexTerm = (e: ts.Expression, out: ts.Identifier[]): boolean => {
    e = skipParens(e);
    if (ts.isNumericLiteral(e)) return true;
    if (ts.isIdentifier(e)) return void out.push(e), true;
    if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && ts.isIdentifier(e.expression)) return void out.push(e.expression), true;
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return indexTerm(e.operand, out);
    if (ts.isBinaryExpression(e) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken].includes(e.operatorToken.kind)) return indexTerm(e.left, out) && indexTerm(e.right, out);
    return false;
  };

  /** What the statements do to names, each in walk order: writes through them (`a.x = `, rooted at `a`), reassignments (`a = `, `a++`), reorderings (`a.sort()`), growth (`a.push(e)`, which moves `a[a.length - 1]`), stores of a record into them (`a.push(b)`). */
  interface Effect {
    readonly kind: "field" | "assign" | "reorder" | "grow" | "store";
    readonly key: Key;
    readonly node: ts.Node;
    readonly at: number;
    /** For a store, the root of the record stored. */
    readonly stored?: Key;
  }
  const effectsOf = (statements: readonly ts.Node[]): { effects: Effect[]; uses: Map<Key, number[]>; loops: [number, number][] } => {
    const effects: Effect[] = [];
    const uses = new Map<Key, number[]>();
    const loops: [number, number][] = [];
    let at = 0;
    const target = (t: ts.Expression, node: ts.Node): void => {
      const inner = skipParens(t);
      const root = rootOf(inner);
      const key = root && keyOf(root);
      if (!key) return;
      effects.push({ kind: ts.isIdentifier(inner) ? "assign" : "field", key, node, at });
    };
    for (const s of statements)
      forEachNode(s, (node) => {
        at++;
        if (ts.isIterationStatement(node, false)) loops.push([at, at + loopSize(node)]);
        if (ts.isIdentifier(node)) {
          const key = keyOf(node);
          if (key) uses.set(key, [...(uses.get(key) ?? []), at]);
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(node.left, node);
        if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) target(node.operand, node);
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
          const root = rootOf(node.expression.expression);
          const key = root && keyOf(root);
          const name = node.expression.name.text;
          if (key && REORDERS.has(name)) effects.push({ kind: "reorder", key, node, at });
          if (key && name === "push") effects.push({ kind: "grow", key, node, at });
          const stored = STORES.has(name) ? node.arguments.find((a) => isRecord(a) && rootOf(a)) : undefined;
          const storedKey = stored && keyOf(rootOf(stored)!);
          if (key && storedKey) effects.push({ kind: "store", key, node, at, stored: storedKey });
        }
        // `const rows = [r]` (or `rows = [r]`): the array's element is the record `r` names, not a copy.
        const literal = ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer ? { name: node.name, value: skipParens(node.initializer) }
          : ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipParens(node.left)) ? { name: skipParens(node.left) as ts.Identifier, value: skipParens(node.right) }
          : undefined;
        if (literal && ts.isArrayLiteralExpression(literal.value)) {
          const key = keyOf(literal.name);
          for (const element of literal.value.elements) {
            const stored = !ts.isSpreadElement(element) && isRecord(element) ? rootOf(element) : undefined;
            const storedKey = stored && keyOf(stored);
            if (key && storedKey) effects.push({ kind: "store", key, node, at, stored: storedKey });
          }
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isIdentifier(skipParens(node.left)) && isRecord(node.right) && rootOf(node.right)) {
          const root = rootOf(node.left);
          const key = root && keyOf(root);
          const stored = keyOf(rootOf(node.right)!);
          if (key && stored) effects.push({ kind: "store", key, node, at, stored });
        }
      });
    return { effects, uses, loops };
  };

  /** `node` with each reference to the alias `key` replaced by its place. */
  const substitute = (node: ts.Node, key: Key, place: ts.Expression): ts.Node => {
    const visit = (n: ts.Node): ts.Node => {
      if (ts.isIdentifier(n) && keyOf(n) === key) return copyPlace(place);
      if (ts.isPropertyAccessExpression(n)) return ts.factory.updatePropertyAccessExpression(n, visit(n.expression) as ts.Expression, n.name);
      if (ts.isShorthandPropertyAssignment(n) && keyOf(n.name) === key) return like(ts.factory.createPropertyAssignment(n.name.text, copyPlace(place)), n);
      return visitChildren(n, visit);
    };
    return visit(node);
  };
  /** A fresh copy of the place's accesses, standing for the place; its names are the same identifier nodes (a pass's new local is known by its node). */
  const copyPlace = (place: ts.Expression): ts.Expression => {
    const p = skipParens(place);
    if (ts.isPropertyAccessExpression(p)) return like(ts.factory.createPropertyAccessExpression(copyPlace(p.expression), p.name.text), p);
    if (ts.isElementAccessExpression(p)) return like(ts.factory.createElementAccessExpression(copyPlace(p.expression), p.argumentExpression), p);
    if (ts.isNonNullExpression(p)) return copyPlace(p.expression);
    return p;
  };

  const loopSize = (loop: ts.Node): number => {
    let n = 0;
    forEachNode(loop, () => void n++);
    return n;
  };

  const written = (e: Effect, keys: readonly Key[]): boolean => (e.kind === "field" || e.kind === "store") && keys.includes(e.key);

  /** A block's statements with its aliases resolved, in order: an alias's place goes into every statement after it. */
  const statements = (list: readonly ts.Statement[]): ts.Statement[] => {
    const out: ts.Statement[] = [];
    let rest = [...list];
    while (rest.length > 0) {
      const s = rest.shift()!;
      const alias = aliasOf(s);
      if (!alias) {
        out.push(visit(s) as ts.Statement);
        continue;
      }
      const { name, init, key } = alias;
      const { effects, uses, loops } = effectsOf(rest);
      const root = rootOf(init);
      const rootKey = root && keyOf(root);
      // Other aliases declared later take part: a write through one reaches this one.
      const others: Key[] = [];
      for (const r of rest)
        forEachNode(r, (n) => {
          const a = ts.isVariableStatement(n) ? aliasOf(n) : undefined;
          if (a) others.push(a.key);
        });
      const keys = [key, ...(rootKey ? [rootKey] : []), ...others];
      const write = effects.find((e) => written(e, keys));
      if (!write) {
        out.push(visit(s) as ts.Statement);
        continue;
      }
      const shown = userText(write.node);
      if (!rootKey) {
        fail(Code.Unsupported, write.node, `'${shown}' writes to the record '${name.text}' names, which '${userText(init)}' may return from its arguments (JavaScript shares objects, it does not copy them), and tsgrad cannot follow it there; write to the record where it is kept (the array element, \`xs[i].x = ...\`), or copy it first ('const ${name.text} = { ...${userText(init)} }') if a copy is meant.`);
      }
      const lastUse = Math.max(...(uses.get(key) ?? [0]));
      if (alias.reassigned) fail(Code.Unsupported, write.node, `'${shown}' writes to the record that '${name.text}' names, and '${name.text}' is pointed at another record later, which tsgrad cannot follow; declare one const per record, or write through the place itself ('${userText(init)}').`);
      const depends = indexNames(init)!.map(keyOf).filter((k): k is Key => !!k);
      const moves = effects.find((e) => {
        // An index that reads a length (`xs[xs.length - 1]`) moves when the array grows too.
        const place = ((e.kind === "assign" || e.kind === "reorder") && (e.key === rootKey || depends.includes(e.key))) || (e.kind === "grow" && depends.includes(e.key));
        if (!place) return false;
        if (e.at < lastUse) return true;
        // In a loop that also uses the alias, the next iteration's uses come after it.
        return loops.some(([start, end]) => start < e.at && e.at < end && (uses.get(key) ?? []).some((u) => start < u && u < end));
      });
      if (moves) {
        fail(Code.Unsupported, write.node, `'${shown}' writes to the record that '${name.text}' names, the one at '${userText(init)}' (JavaScript shares objects, it does not copy them), but '${userText(moves.node)}' changes which record that place holds while '${name.text}' is in use, which tsgrad cannot follow; write through '${userText(init)}' itself, or copy the record first ('const ${name.text} = { ...${userText(init)} }') if a copy is meant.`);
      }
      rest = rest.map((r) => substitute(r, key, init) as ts.Statement);
    }
    return out;
  };

  interface Alias {
    readonly name: ts.Identifier;
    readonly key: Key;
    readonly init: ts.Expression;
    readonly reassigned: boolean;
  }
  /** `const b = place` (or a `let` nothing reassigns) of a record or tuple, or `const b = helper(...)` of one that may not be fresh. */
  const aliasOf = (s: ts.Statement): Alias | undefined => {
    if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return undefined;
    const d = s.declarationList.declarations[0]!;
    if (!ts.isIdentifier(d.name) || !d.initializer || !isRecord(d.name)) return undefined;
    const key = keyOf(d.name);
    if (!key) return undefined;
    const init = skipParens(d.initializer);
    const reassigned = !(s.declarationList.flags & ts.NodeFlags.Const) && assignedIn(fn, key);
    if (rootOf(init) && indexNames(init)) return { name: d.name, key, init, reassigned };
    if (ts.isCallExpression(init) && !returnsFresh(init)) return { name: d.name, key, init, reassigned };
    return undefined;
  };
  const assignedIn = (node: ts.Node, key: Key): boolean => effectsOf([node]).effects.some((e) => e.kind === "assign" && e.key === key);

  /** Whether every record the called helper returns is one it made (an object literal, or a local holding one). */
  const returnsFresh = (call: ts.CallExpression): boolean => {
    // An array a pass allocates (`zeros(n)` that `xs.map(f)` fills, also over a tuple) shares nothing with its arguments.
    if (ALLOCATES.has(runtimeCallName(call) ?? "")) return true;
    if (!rootOf(call.expression) || ts.isPropertyAccessExpression(call.expression)) return !call.arguments.some((a) => isRecord(a) || !!rootOf(a));
    const helper = resolveFunction(call.expression);
    if (!helper?.body) return false;
    if (!ts.isBlock(helper.body)) return fresh(helper.body, helper);
    let ok = true;
    forEachNode(helper.body, (n) => {
      if (n !== helper.body && ts.isFunctionLike(n)) return false;
      if (ts.isReturnStatement(n) && n.expression && !fresh(n.expression, helper)) ok = false;
    });
    return ok;
  };
  const fresh = (e: ts.Expression, helper: FunctionLike): boolean => {
    e = skipParens(e);
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isNewExpression(e)) return true;
    if (!ts.isIdentifier(e)) return false;
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || ts.isParameter(decl)) return false;
    let inside = false;
    for (let n: ts.Node | undefined = decl; n && !inside; n = n.parent) inside = n === helper;
    return inside && (ts.isObjectLiteralExpression(skipParens(decl.initializer)) || ts.isArrayLiteralExpression(skipParens(decl.initializer)));
  };

  const visit = (node: ts.Node): ts.Node => {
    if (ts.isBlock(node)) return ts.factory.updateBlock(node, statements(node.statements));
    if (ts.isCaseClause(node)) return ts.factory.updateCaseClause(node, visit(node.expression) as ts.Expression, statements(node.statements));
    if (ts.isDefaultClause(node)) return ts.factory.updateDefaultClause(node, statements(node.statements));
    if (ts.isForOfStatement(node)) refuseWritesThrough(node);
    return visitChildren(node, visit);
  };

  /** A for...of left as it is (over an array instance loops does not index) whose variable is a record written through. */
  const refuseWritesThrough = (loop: ts.ForOfStatement): void => {
    const head = loop.initializer;
    if (!ts.isVariableDeclarationList(head) || head.declarations.length !== 1) return;
    const name = head.declarations[0]!.name;
    if (!ts.isIdentifier(name) || !isRecord(name)) return;
    const key = keyOf(name);
    const write = key && effectsOf([loop.statement]).effects.find((e) => written(e, [key]));
    if (write) {
      const arr = userText(loop.expression);
      fail(Code.Unsupported, write.node, `'${userText(write.node)}' writes to the record '${name.text}' names, an element of '${arr}' (JavaScript shares objects, it does not copy them), which tsgrad cannot follow in a for...of over this array; write an index loop and write through the element itself ('${arr}[i]'), or copy the record first if a copy is meant.`);
    }
  };

  refuseSharedStores();
  return visitChildren(fn, visit);

  /** A record put into another array or record (`others.push(bodies[0])`, not a copy) while either is written through: two places for one object. */
  function refuseSharedStores(): void {
    if (!fn.body) return;
    const { effects } = effectsOf([fn.body]);
    for (const store of effects) {
      if (store.kind !== "store") continue;
      const write = effects.find((e) => e.kind === "field" && (e.key === store.key || e.key === store.stored));
      if (!write) continue;
      fail(Code.Unsupported, store.node, `'${userText(store.node)}' puts a record into a second place (JavaScript shares objects, it does not copy them), and '${userText(write.node)}' writes to it through one of them, which tsgrad cannot follow; store a copy ('{ ...record }') if a copy is meant, or keep one place for each record and write there.`);
    }
  }
}
