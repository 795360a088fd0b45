// Desugaring: walks over a record whose type lists its keys. Takes: a function
// whose loops may walk `Object.entries(r)`, `Object.keys(r)` or
// `Object.values(r)` of a record of numbers that is not a parameter of its own
// (keyed.ts reads those by key): a field of a parameter (`{ stoich }:
// Reaction`, `stoich: Partial<Record<Species, number>>`), a local. Guarantees:
// no such loop remains. Each is its body once per key the type lists, in the
// type's order (JAX too walks a dict's keys in a fixed order, not the order
// they were inserted): the key is its string wherever the loop named it
// (`SPECIES.indexOf("H+")`, a constant), the value a const read by that key
// (`const nu = stoich["H+"]`), and for an optional key the copy runs only when
// the record has it (`if (stoich["H+"] !== undefined)`), as the walk would
// skip it. A `break` or `continue` of such a loop is refused, named.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { isNamedNumbers } from "./keyed.js";
import { leavingJump } from "./literal-loops.js";
import { Build, like, shownAsWritten, skipParens, typed, userText, visitChildren } from "./synth.js";

/** Records with more keys are left as written (an unrolled body would be long to read). */
const MOST = 16;

export function unrollRecordWalks(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const f = ts.factory;
  const build = new Build(checker);
  const parameters = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [checker.getSymbolAtLocation(p.name)] : [])));

  /** The record `e` walks (`Object.entries(stoich) as [Species, number][]`), with how, when it is one this pass unrolls. */
  const walkOf = (e: ts.Expression): { record: ts.Expression; method: string; keys: ts.Symbol[] } | undefined => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (!ts.isCallExpression(e) || e.arguments.length !== 1 || !ts.isPropertyAccessExpression(e.expression)) return undefined;
    const { expression: object, name } = e.expression;
    if (!ts.isIdentifier(object) || object.text !== "Object" || !["keys", "values", "entries"].includes(name.text)) return undefined;
    const record = skipParens(e.arguments[0]!);
    if (!isPlainRead(record)) return undefined;
    // A parameter of the function itself is keyed.ts's (its keys are data, fixed per call).
    if (ts.isIdentifier(record) && parameters.has(checker.getSymbolAtLocation(record))) return undefined;
    const t = checker.getNonNullableType(checker.getTypeAtLocation(record));
    if (!isNamedNumbers(checker, t)) return undefined;
    const keys = checker.getPropertiesOfType(t);
    return keys.length <= MOST ? { record, method: name.text, keys } : undefined;
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isForOfStatement(node) && !node.awaitModifier) {
      const walk = walkOf(node.expression);
      if (walk) return visitChildren(unroll(node, walk.record, walk.method, walk.keys), visit);
    }
    return visitChildren(node, visit);
  };

  /** `for (const [k, v] of Object.entries(r)) body` as `{ const v = r["a"]; body[k := "a"] } ...`, one block per key. */
  const unroll = (loop: ts.ForOfStatement, record: ts.Expression, method: string, keys: readonly ts.Symbol[]): ts.Block => {
    const head = loop.initializer;
    const d = ts.isVariableDeclarationList(head) && head.declarations.length === 1 ? head.declarations[0]! : undefined;
    if (!d) fail(Code.Unsupported, head, `declare the loop's names in the for...of head (for (const [key, value] of ${userText(loop.expression)})).`);
    const jump = leavingJump(loop.statement, loop.parent && ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined);
    if (jump) {
      fail(Code.Unsupported, jump, `'${ts.isBreakStatement(jump) ? "break" : "continue"}' in a walk over the keys of '${userText(record)}' is not supported (tsgrad writes the body once per key its type lists); write an if around the rest of the body instead.`);
    }
    let keyName: ts.Identifier | undefined;
    let valueName: ts.BindingName | undefined;
    if (method === "keys") keyName = ts.isIdentifier(d.name) ? d.name : undefined;
    else if (method === "values") valueName = d.name;
    else if (ts.isArrayBindingPattern(d.name) && d.name.elements.length <= 2 && d.name.elements.every((b) => ts.isOmittedExpression(b) || (!b.dotDotDotToken && !b.initializer))) {
      const [k, v] = d.name.elements.map((b) => (ts.isBindingElement(b) ? b.name : undefined));
      keyName = k && ts.isIdentifier(k) ? k : undefined;
      valueName = v;
      if (k && !keyName) fail(Code.Unsupported, k, "a key is a string; name it with one identifier.");
    } else fail(Code.Unsupported, d.name, `name the key and the value: for (const [key, value] of ${userText(loop.expression)}).`);
    if (method === "keys" && !keyName) fail(Code.Unsupported, d.name, "a key is a string; name it with one identifier.");
    const keySymbol = keyName && checker.getSymbolAtLocation(keyName);
    const number = checker.getNumberType();
    const copies = keys.map((key) => {
      const text = key.getName();
      const literal = typed(f.createStringLiteral(text), checker.getStringType(), loop);
      // `mix.gains.bass` where the key is a name (a field read, as of any record), `stoich["H+"]` otherwise.
      const named = /^[A-Za-z_$][\w$]*$/.test(text);
      const read = (): ts.Expression =>
        named ? build.property(record, text, number, loop.expression) : build.element(record, literal, number, loop.expression);
      // The key's string wherever the loop named it.
      const isKey = (n: ts.Node): boolean => ts.isIdentifier(n) && !!keySymbol && checker.getSymbolAtLocation(n) === keySymbol;
      const substitute = (n: ts.Node): ts.Node => {
        // `gains[band]` is the field read `gains.bass` (a record of fields is read by name).
        if (ts.isElementAccessExpression(n) && isKey(skipParens(n.argumentExpression)) && named) {
          return like(build.property(substitute(n.expression) as ts.Expression, text, checker.getTypeAtLocation(n), n), n);
        }
        return isKey(n) ? literal : visitChildren(n, substitute);
      };
      const body = (ts.isBlock(loop.statement) ? [...loop.statement.statements] : [loop.statement]).map((s) => substitute(s) as ts.Statement);
      const value = valueName ? [like(f.createVariableStatement(undefined, like(f.createVariableDeclarationList([like(f.createVariableDeclaration(valueName, undefined, undefined, read()), d)], head.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)), head)), loop)] : [];
      const block = like(f.createBlock([...value, ...body], true), loop.statement);
      if (!(key.flags & ts.SymbolFlags.Optional)) return block;
      // An optional key the record may lack: the walk skips it.
      const present = shownAsWritten(build.test(read(), ts.SyntaxKind.ExclamationEqualsEqualsToken, typed(f.createVoidZero(), checker.getUndefinedType(), loop), loop));
      return like(f.createIfStatement(present, block), loop);
    });
    return like(f.createBlock(copies, true), loop);
  };

  return ts.visitEachChild(fn, visit, undefined);
}

function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return true;
  return ts.isPropertyAccessExpression(e) && isPlainRead(e.expression);
}
