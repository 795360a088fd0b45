// Desugaring: records keyed by strings. Takes: a function whose parameters may
// be records of numbers keyed by strings (`Record<string, number>`,
// `{ [team: string]: number }`, `Partial<Record<Team, number>>`), read by key
// (`ratings[team]`, `ratings[team] ?? 1500`), tested (`team in ratings`) and
// walked (`for...of` over `Object.keys/values/entries(ratings)`,
// `for (const k in ratings)`). Guarantees: no such read remains. The keys are
// fixed per call: `const ratingsValues = keyedValues(ratings)` at the top holds
// the values, in the order of the record's own keys, in one Float64Array that
// the rest of tsgrad reads and differentiates like any array; `ratings[team]`
// is `ratingsValues[keyIndex(ratings, team)]`, `team in ratings` is
// `keyIndex(ratings, team) >= 0`, and a walk over the keys is an index loop in
// which `ratings[name]` is `ratingsValues[i]` and `name` itself, where it is
// used otherwise, `keyAt(ratings, i)`. The gradient of a differentiated record
// is built from that array's adjoint as a record of the same keys
// (reverse.ts gradientOf, runtime/keyed.ts). A use of the record as a whole
// value (passed to a helper, spread, written) is refused, named, with what to
// write instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { isRecursive } from "../inline.js";
import { passiveOf } from "../passive.js";
import { forLoop } from "./array-methods/statements.js";
import { filledByWalk } from "./keyed-maps.js";
// A cycle (index.ts lists this pass), read only when a pass runs, once both modules are loaded.
import { desugarBefore } from "./index.js";
import { Build, like, newLocal, runtimeCall, skipParens, StatementPlaces, typed, userText, visitChildren } from "./synth.js";

/** A keyed record: a parameter, or a local copy of one (`const next = { ...ratings }`), and the local holding its values. */
interface Keyed {
  /** The parameter (or a parameter's field, `model.users`) whose keys it has, in its order: key positions are looked up there. */
  readonly record: ts.Expression;
  readonly values: ts.Identifier;
  readonly name: string;
  /** A local copy, whose entries may be written (a parameter's may not). */
  readonly copy: boolean;
  /** A Map<string, number>, read with get and has. */
  readonly map?: boolean;
  /** A record of arrays (`Record<string, number[]>`): the type of its rows, which `values` holds (runtime keyedRows). */
  readonly rows?: ts.Type;
}

/** A key a walk over a record binds: the record and the loop's index. */
interface Key {
  readonly keyed: Keyed;
  readonly index: ts.Identifier;
}

const f = ts.factory;

/** Whether `t`, or every member of the union `t`, has one of `flags` (types.ts has the same; it imports this file). */
function every(t: ts.Type, flags: ts.TypeFlags): boolean {
  if (t.flags & flags) return true;
  return t.isUnion() && t.types.every((x) => (x.flags & flags) !== 0);
}

/** Whether `t` is a record of numbers keyed by strings (a string index signature of numbers, not an array), or a `Map<string, number>`. */
export function isKeyedRecordType(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (isNumberMap(checker, t)) return true;
  if (!(t.flags & ts.TypeFlags.Object) || checker.isArrayType(t) || checker.isTupleType(t) || t.getCallSignatures().length > 0) return false;
  const info = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (!info) return false;
  // Any named members must be numbers too (`{ [k: string]: number; base: number }`).
  const numbers = (x: ts.Type): boolean => every(x, ts.TypeFlags.NumberLike | ts.TypeFlags.Undefined) && !every(x, ts.TypeFlags.Undefined);
  return numbers(info.type) && checker.getPropertiesOfType(t).every((p) => numbers(checker.getTypeOfSymbol(p)));
}

/**
 * Parameters read by keys that are data although their type names the keys
 * (`Record<Dept, number>`, `Partial<Record<Dept, number>>` read as
 * `budget[dept]` or walked with Object.keys): records keyed by strings too, so
 * parameterType (types.ts) gives them a gradient of the keys the value has.
 */
const keyedByUse = new WeakSet<ts.Symbol>();

/** Whether the parameter `symbol` is read as a record keyed by strings though its type lists its keys. */
export function isKeyedByUse(symbol: ts.Symbol | undefined): boolean {
  return !!symbol && keyedByUse.has(symbol);
}

/**
 * Whether `t` is a record of arrays of numbers keyed by strings (`Record<string, number[]>`,
 * `{ [id: string]: Float64Array }`, a dictionary of embedding vectors): a string index
 * signature of number[] or Float64Array and no named members.
 */
export function isKeyedRowsType(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || checker.isArrayType(t) || checker.isTupleType(t) || t.getCallSignatures().length > 0 || isNumberMap(checker, t)) return false;
  const info = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (!info || checker.getPropertiesOfType(t).length > 0) return false;
  const row = checker.getNonNullableType(info.type);
  if (row.isUnion()) return false;
  if (checker.isArrayType(row)) {
    const element = checker.getIndexTypeOfType(row, ts.IndexKind.Number);
    return !!element && every(element, ts.TypeFlags.NumberLike);
  }
  return row.getSymbol()?.name === "Float64Array";
}

/** `Map<string, number>` (or a ReadonlyMap), the default library's. */
export function isNumberMap(checker: ts.TypeChecker, t: ts.Type): boolean {
  const symbol = t.getSymbol();
  if (!symbol || (symbol.name !== "Map" && symbol.name !== "ReadonlyMap")) return false;
  if (!symbol.declarations?.every((d) => /(^|[\\/])lib\.[\w.]+\.d\.ts$/.test(d.getSourceFile().fileName))) return false;
  const [key, value] = checker.getTypeArguments(t as ts.TypeReference);
  return !!key && !!value && every(key, ts.TypeFlags.StringLike) && every(value, ts.TypeFlags.NumberLike);
}

/** A record whose keys its type lists, each a number (optional or not): `Record<"a" | "b", number>`. */
export function isNamedNumbers(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || checker.isArrayType(t) || checker.isTupleType(t) || t.getCallSignatures().length > 0) return false;
  if (t.getSymbol()?.declarations?.some(ts.isClassLike)) return false;
  // `ArrayLike<number>` lists `length` and is indexed by numbers: an array, not a record.
  if (checker.getIndexInfoOfType(t, ts.IndexKind.Number)) return false;
  const props = checker.getPropertiesOfType(t);
  return props.length > 0 && props.every((p) => !(p.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) && every(checker.getTypeOfSymbol(p), ts.TypeFlags.NumberLike | ts.TypeFlags.Undefined));
}

/** Whether `body` reads the parameter `symbol` by a key that is not a literal, tests a key with `in`, or walks its keys. */
function readByKeys(body: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker, resolve?: DesugarContext["resolveFunction"], seen = new Set<ts.Node>()): boolean {
  const isIt = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol;
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isElementAccessExpression(n) && isIt(n.expression) && !ts.isStringLiteralLike(n.argumentExpression) && !ts.isNumericLiteral(n.argumentExpression)) found = true;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InKeyword && isIt(n.right)) found = true;
    else if (ts.isForInStatement(n) && isIt(n.expression)) found = true;
    else if (resolve && ts.isCallExpression(n) && !ts.isPropertyAccessExpression(n.expression) && n.arguments.some(isIt)) {
      // Given whole to a helper of the program that reads its parameter by keys (which inlines it here, keyed).
      const helper = resolve(n.expression);
      const k = n.arguments.findIndex(isIt);
      const p = helper?.parameters[k];
      const inner = p && ts.isIdentifier(p.name) ? checker.getSymbolAtLocation(p.name) : undefined;
      if (helper?.body && inner && !seen.has(helper)) {
        seen.add(helper);
        if (readByKeys(helper.body, inner, checker, resolve, seen)) found = true;
      }
    }
    else if (ts.isCallExpression(n) && n.arguments.length === 1 && isIt(n.arguments[0]!) && ts.isPropertyAccessExpression(n.expression)) {
      const { expression: object, name } = n.expression;
      if (ts.isIdentifier(object) && object.text === "Object" && ["keys", "values", "entries"].includes(name.text)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

export function desugarKeyedRecords(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  if (!fn.body) return fn;
  const build = new Build(checker);
  const number = checker.getNumberType();
  const string = checker.getStringType();
  const records = new Map<ts.Symbol, Keyed>();
  /** Fields of parameters that are records of arrays keyed by strings (`model.users`), by parameter and field. */
  const fields = new Map<ts.Symbol, Map<string, Keyed>>();
  /** A record of arrays: its rows in one array (`const usersValues = keyedRows(model.users)`). */
  const rowsOf = (record: ts.Expression, t: ts.Type, name: string, from: ts.Node): Keyed | undefined => {
    const row = checker.getNonNullableType(checker.getIndexInfoOfType(t, ts.IndexKind.String)!.type);
    const rows = arrayOf(checker, row);
    return rows && { record, values: newLocal(`${name}Values`, rows, from), name, copy: false, rows: row };
  };
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name)) continue;
    const t = checker.getNonNullableType(checker.getTypeAtLocation(p));
    const symbol = checker.getSymbolAtLocation(p.name);
    if (!symbol) continue;
    if (isKeyedRowsType(checker, t)) {
      const keyed = rowsOf(p.name, t, p.name.text, p);
      if (keyed) records.set(symbol, keyed);
      continue;
    }
    if (t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && !checker.isTupleType(t) && !isKeyedRecordType(checker, t)) {
      // `model.users` of `Record<string, number[]>` (types.ts makes it a field with a gradient of its keys).
      for (const field of checker.getPropertiesOfType(t)) {
        const ft = checker.getNonNullableType(checker.getTypeOfSymbol(field));
        if (!isKeyedRowsType(checker, ft)) continue;
        const record = build.property(p.name, field.name, ft, p);
        const keyed = rowsOf(record, ft, field.name, p);
        if (keyed) fields.set(symbol, (fields.get(symbol) ?? new Map<string, Keyed>()).set(field.name, { ...keyed, name: `${p.name.text}.${field.name}` }));
      }
    }
    if (!isKeyedRecordType(checker, t)) {
      if (!isNamedNumbers(checker, t) || !readByKeys(fn.body, symbol, checker, ctx.resolveFunction)) continue;
      keyedByUse.add(symbol);
    }
    const map = isNumberMap(checker, t);
    records.set(symbol, { record: p.name, values: newLocal(`${p.name.text}Values`, float64Array(checker, p) ?? t, p), name: p.name.text, copy: false, ...(map ? { map } : {}) });
  }
  if (records.size === 0 && fields.size === 0) return fn;
  const keys = new Map<ts.Symbol, Key>();
  /** Local Maps filled by a walk (keyed-maps.ts), by the user's loop that fills them: the Map's name and declaration. */
  const fills = new Map<ts.Node, { symbol: ts.Symbol; name: ts.Identifier }>();
  /**
   * `const weights = new Map<string, number>()` filled by a walk over a keyed record: its
   * declaration is gone; the loop that fills it declares its values (fillFor).
   */
  const declareFilled = (node: ts.VariableStatement): boolean => {
    const d = node.declarationList.declarations.length === 1 ? node.declarationList.declarations[0]! : undefined;
    if (!d || !ts.isIdentifier(d.name) || !isNumberMap(checker, checker.getTypeAtLocation(d.name))) return false;
    const fill = filledByWalk(d, checker);
    const symbol = checker.getSymbolAtLocation(d.name);
    if (!fill || !symbol) return false;
    fills.set(fill.loop, { symbol, name: d.name });
    return true;
  };
  /** The walk `node` over `source` fills a Map (declareFilled): it is a copy of source's keys, its values `zeros(n)` declared before the loop. */
  const fillFor = (node: ts.ForOfStatement, source: Keyed): ts.Statement | undefined => {
    const fill = fills.get(ts.getParseTreeNode(node) ?? node);
    if (!fill || source.rows) return undefined;
    const type = float64Array(checker, node) ?? checker.getTypeAtLocation(source.values);
    const values = newLocal(`${fill.name.text}Values`, type, fill.name);
    records.set(fill.symbol, { record: source.record, values, name: fill.name.text, copy: true, map: true });
    return build.declare(values, runtimeCall("zeros", [build.length(source.values, node)], type, fill.name), ts.NodeFlags.Const, fill.name);
  };

  const keyedOf = (e: ts.Expression): Keyed | undefined => {
    e = skipParens(e);
    if (ts.isPropertyAccessExpression(e) && !e.questionDotToken && ts.isIdentifier(e.expression) && fields.size > 0) {
      const object = checker.getSymbolAtLocation(e.expression);
      return object && fields.get(object)?.get(e.name.text);
    }
    const symbol = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    return symbol && records.get(symbol);
  };
  /** The type of one entry: a number, or a row of a record of arrays. */
  const entryType = (keyed: Keyed): ts.Type => keyed.rows ?? number;
  const keyOf = (e: ts.Expression): Key | undefined => {
    e = skipParens(e);
    const symbol = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    return symbol && keys.get(symbol);
  };
  /** `keyIndex(ratings, team)`. */
  const indexOf = (keyed: Keyed, key: ts.Expression, from: ts.Node): ts.Expression =>
    runtimeCall("keyIndex", [keyed.record, visit(key) as ts.Expression], number, from);
  /** `ratingsValues[i]` for a key a walk bound, else `ratingsValues[keyIndex(ratings, key)]`. */
  const read = (keyed: Keyed, key: ts.Expression, from: ts.Node): ts.Expression => {
    const walked = keyOf(key);
    // A row is read element by element where it is used (`u[k]` in a loop): its key is looked up once, before the statement.
    const at = walked && walked.keyed.record === keyed.record ? walked.index : ((keyed.rows && keyPlace(keyed, key, from)) || indexOf(keyed, key, from));
    return build.element(keyed.values, at, entryType(keyed), from);
  };
  /** `keyIndex(...) >= 0`: whether the record has the key. */
  const has = (keyed: Keyed, key: ts.Expression, from: ts.Node): ts.Expression => {
    const walked = keyOf(key);
    if (walked && walked.keyed.record === keyed.record) return typed(f.createTrue(), checker.getBooleanType(), from);
    return build.test(indexOf(keyed, key, from), ts.SyntaxKind.GreaterThanEqualsToken, build.number(0, from), from);
  };

  /** `r[k]` of a keyed record or `m.get(k)` of a Map: the record and the key. */
  const entryOf = (e: ts.Expression): { keyed: Keyed; key: ts.Expression } | undefined => {
    e = skipParens(e);
    if (ts.isElementAccessExpression(e)) {
      const keyed = keyedOf(e.expression);
      return keyed && !keyed.map ? { keyed, key: e.argumentExpression } : undefined;
    }
    const method = ts.isCallExpression(e) && e.arguments.length === 1 && ts.isPropertyAccessExpression(e.expression) ? e.expression : undefined;
    const keyed = method && method.name.text === "get" ? keyedOf(method.expression) : undefined;
    return keyed?.map ? { keyed, key: (e as ts.CallExpression).arguments[0]! } : undefined;
  };

  /** The record walked by `Object.keys(r)` (and values, entries), with which. */
  const walkOf = (e: ts.Expression): { keyed: Keyed; method: "keys" | "values" | "entries" } | undefined => {
    e = skipParens(e);
    // A Map walked as it is (`for (const [k, v] of m)`), or by its own keys(), values(), entries().
    const map = keyedOf(e);
    if (map?.map) return { keyed: map, method: "entries" };
    const own = ts.isCallExpression(e) && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) ? e.expression : undefined;
    const ownMap = own && keyedOf(own.expression);
    if (own && ownMap?.map && (own.name.text === "keys" || own.name.text === "values" || own.name.text === "entries")) return { keyed: ownMap, method: own.name.text };
    if (!ts.isCallExpression(e) || e.arguments.length !== 1 || !ts.isPropertyAccessExpression(e.expression)) return undefined;
    const object = e.expression.expression;
    const method = e.expression.name.text;
    if (!ts.isIdentifier(object) || object.text !== "Object" || (method !== "keys" && method !== "values" && method !== "entries")) return undefined;
    const keyed = keyedOf(e.arguments[0]!);
    return keyed && { keyed, method };
  };

  /** `for (const name of Object.keys(r))`, `for (const name in r)`, `for (const [name, v] of Object.entries(r))`, values: an index loop. */
  const walk = (node: ts.ForOfStatement | ts.ForInStatement, keyed: Keyed, method: "keys" | "values" | "entries"): ts.Statement => {
    const list = node.initializer;
    const d = ts.isVariableDeclarationList(list) && list.declarations.length === 1 ? list.declarations[0]! : undefined;
    if (!d) fail(Code.Unsupported, list, `declare the loop's variable in the loop (for (const k of Object.${method}(${keyed.name}))).`);
    const index = newLocal("i", number, node);
    const prefix: ts.Statement[] = [];
    const bindKey = (name: ts.BindingName | undefined): void => {
      if (!name) return;
      if (!ts.isIdentifier(name)) fail(Code.Unsupported, name, "a key is a string; name it with one identifier.");
      const symbol = checker.getSymbolAtLocation(name);
      if (symbol) keys.set(symbol, { keyed, index });
    };
    const bindValue = (name: ts.BindingName | undefined): void => {
      if (!name) return;
      const value = build.element(keyed.values, index, entryType(keyed), name);
      prefix.push(build.declare(name, value, list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let), d));
    };
    if (method === "keys") bindKey(d.name);
    else if (method === "values") bindValue(d.name);
    else {
      if (!ts.isArrayBindingPattern(d.name) || d.name.elements.length > 2 || d.name.elements.some((e) => ts.isBindingElement(e) && (e.dotDotDotToken || e.initializer))) {
        fail(Code.Unsupported, d.name, `name the key and the value: for (const [key, value] of Object.entries(${keyed.name})).`);
      }
      const [k, v] = d.name.elements.map((e) => (ts.isBindingElement(e) ? e.name : undefined));
      bindKey(k);
      bindValue(v);
    }
    const body = visit(node.statement);
    const statements = Array.isArray(body) ? (body as ts.Statement[]) : ts.isBlock(body as ts.Node) ? [...(body as ts.Block).statements] : [body as ts.Statement];
    return forLoop(index, build.number(0, node), build.length(keyed.values, node), [...prefix, ...statements], node, build);
  };

  /** `const next = { ...ratings }`: a copy with the same keys, its values a copy of the values (`ratingsValues.slice()`). */
  const declareCopy = (node: ts.VariableStatement): ts.Statement | undefined => {
    const list = node.declarationList;
    const d = list.declarations.length === 1 ? list.declarations[0]! : undefined;
    const init = d?.initializer && skipParens(d.initializer);
    if (!d || !ts.isIdentifier(d.name) || !init || !ts.isObjectLiteralExpression(init) || init.properties.length !== 1) return undefined;
    const spread = init.properties[0]!;
    const source = ts.isSpreadAssignment(spread) ? keyedOf(spread.expression) : undefined;
    const symbol = checker.getSymbolAtLocation(d.name);
    // A copy of a record of arrays would share its rows: it stays a whole use, refused below.
    if (!source || !symbol || source.rows) return undefined;
    const type = checker.getTypeAtLocation(source.values);
    const values = newLocal(`${d.name.text}Values`, type, d.name);
    records.set(symbol, { record: source.record, values, name: d.name.text, copy: true });
    const method = typed(f.createPropertyAccessExpression(source.values, "slice"), checker.getAnyType(), init);
    const copy = typed(f.createCallExpression(method, undefined, []), type, init);
    return build.declare(values, copy, list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let), node);
  };

  /**
   * `const winnerAt = keyIndex(ratings, winner)` before the statement, for a
   * read with a default (`ratings[winner] ?? 1500`) that tests the key and then
   * reads at it, and `const winnerAt = keySlot(r, winner)` for a write into a
   * copy (`r[winner] += d`, read, written and differentiated at one slot): the
   * key is looked up once. Only where the statement always
   * evaluates the read (not in a branch of `?:` or the right of `&&`/`||`/`??`,
   * whose place is undefined) and the key is a name or a field of one that the
   * statement does not assign; elsewhere undefined (the key is looked up twice).
   */
  const places = new StatementPlaces();
  let statement: ts.Node | undefined;
  const keyPlace = (keyed: Keyed, key: ts.Expression, from: ts.Node, lookup: "keyIndex" | "keySlot" = "keyIndex"): ts.Identifier | undefined => {
    key = skipParens(key);
    const root = rootName(key);
    if (!places.place || !statement || !root || assigns(statement, root, checker)) return undefined;
    const name = ts.isIdentifier(key) ? key.text : ts.isPropertyAccessExpression(key) ? key.name.text : keyed.name;
    const local = newLocal(`${name}At`, number, from);
    const at = lookup === "keyIndex" ? indexOf(keyed, key, from) : runtimeCall("keySlot", [keyed.record, visit(key) as ts.Expression], number, from);
    places.place.push(build.declare(local, at, ts.NodeFlags.Const, from));
    return local;
  };

  /**
   * `[...weights].reduce((sum, [ticker, w]) => ..., 0)` over a keyed Map's entries (also
   * `[...weights.entries()]`, `Array.from(weights)`, with map, some, every, forEach, find...):
   * the same method over its values, `weightsValues.reduce((sum, w, i) => ..., 0)`, with the
   * entry's key the key at the callback's index. Undefined for any other call.
   */
  const entriesMethod = (call: ts.CallExpression): ts.Expression | undefined => {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !READING.has(callee.name.text)) return undefined;
    const receiver = skipParens(callee.expression);
    let source: ts.Expression | undefined;
    if (ts.isArrayLiteralExpression(receiver) && receiver.elements.length === 1 && ts.isSpreadElement(receiver.elements[0]!)) source = receiver.elements[0].expression;
    else if (ts.isCallExpression(receiver) && receiver.arguments.length === 1 && ts.isPropertyAccessExpression(receiver.expression) && ts.isIdentifier(receiver.expression.expression) && receiver.expression.expression.text === "Array" && receiver.expression.name.text === "from") source = receiver.arguments[0];
    const walked = source && walkOf(source);
    const callback = call.arguments[0] && skipParens(call.arguments[0]);
    if (!walked || walked.method !== "entries" || !walked.keyed.map || walked.keyed.rows || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
    const keyed = walked.keyed;
    const at = callee.name.text === "reduce" || callee.name.text === "reduceRight" ? 1 : 0;
    const pattern = callback.parameters[at]?.name;
    if (!pattern || !ts.isArrayBindingPattern(pattern) || pattern.elements.length > 2 || pattern.elements.some((e) => ts.isBindingElement(e) && (e.dotDotDotToken || e.initializer || !ts.isIdentifier(e.name)))) {
      fail(Code.Unsupported, call, `'${userText(call)}' walks the entries of the Map '${keyed.name}' as pairs; name the key and the value in the callback's parameter ((${at === 1 ? "acc, " : ""}[key, value]) => ...), or walk it with for (const [key, value] of ${keyed.name}).`);
    }
    const [k, v] = pattern.elements.map((e) => (ts.isBindingElement(e) ? (e.name as ts.Identifier) : undefined));
    const given = callback.parameters[at + 1]?.name;
    if (given && !ts.isIdentifier(given)) return undefined;
    const index = given ?? newLocal("i", number, call);
    const value = v ?? newLocal("value", number, call);
    const keySymbol = k && checker.getSymbolAtLocation(k);
    if (keySymbol) keys.set(keySymbol, { keyed, index });
    const parameter = (name: ts.Identifier, from: ts.Node): ts.ParameterDeclaration => like(f.createParameterDeclaration(undefined, undefined, name), from);
    const parameters = [...callback.parameters.slice(0, at), parameter(value, pattern), given ? callback.parameters[at + 1]! : parameter(index, pattern), ...callback.parameters.slice(at + 2)];
    // The callback runs once per entry: what it reads by key is looked up there, not hoisted before the statement.
    const body = places.within(undefined, () => visit(callback.body) as ts.ConciseBody);
    const rebuilt = ts.isArrowFunction(callback)
      ? like(f.updateArrowFunction(callback, callback.modifiers, callback.typeParameters, parameters, callback.type, callback.equalsGreaterThanToken, body), callback)
      : like(f.updateFunctionExpression(callback, callback.modifiers, callback.asteriskToken, callback.name, callback.typeParameters, parameters, callback.type, body as ts.Block), callback);
    const method = like(f.updatePropertyAccessExpression(callee, keyed.values, callee.name), callee);
    const rest = call.arguments.slice(1).map((a) => visit(a) as ts.Expression);
    return like(f.updateCallExpression(call, method, call.typeArguments, [rebuilt, ...rest]), call);
  };

  /** Parameters of inlined helpers, by the arguments they stand for. */
  const passed = new Map<ts.Symbol, ts.Expression>();
  /** Helpers inlined into this function: a second call would declare their locals twice. */
  const inlined = new Set<FunctionLike>();
  /**
   * `portfolioReturns(weights)`, a helper of the program given a keyed record
   * whole: its statements, and the value it returns, in place of the call. Its
   * parameter is the caller's record (read through the caller's values, so the
   * helper's reads get their adjoint there and nothing is copied per call, as
   * JavaScript passes the same object); its other parameters are consts of
   * their arguments, in order. Undefined when no argument is a keyed record.
   */
  const inlineHelper = (call: ts.CallExpression): { statements: ts.Statement[]; value: ts.Expression; keyed?: Keyed } | undefined => {
    const given = call.arguments.find((a) => keyedOf(a) !== undefined);
    if (!given) return undefined;
    const record = keyedOf(given)!;
    const helper = ctx.resolveFunction(call.expression);
    const refuse = (why: string): never =>
      fail(Code.Unsupported, call, `'${userText(call)}' gives the record '${record.name}' whole to ${why}. tsgrad reads a record keyed by strings by key, and inlines a helper of the program given one: pass the entries the helper needs as numbers, or read them here.`);
    if (passiveOf(call)) {
      // Code that runs as written (desugar/passive.ts) stands here as a marker: name what the user wrote.
      fail(Code.Unsupported, call, `'${userText(call)}' takes the record '${record.name}' whole, as a value of its own; tsgrad reads a record keyed by strings by key: walk it where you need it (for (const [key, value] of ${record.map ? record.name : `Object.entries(${record.name})`})) and read each entry there.`);
    }
    if (!helper?.body || helper === fn || ts.getOriginalNode(helper) === ts.getOriginalNode(fn)) return refuse(`'${userText(call.expression)}', a function tsgrad cannot see into`);
    if (isRecursive(helper, (c) => ctx.resolveFunction(c))) return refuse(`'${userText(call.expression)}', which calls itself`);
    if (inlined.has(helper) && declaresLocals(helper)) return refuse(`'${userText(call.expression)}' a second time in this function (a helper with statements or callbacks of its own is inlined once per function); compute both results in one call`);
    if (call.arguments.length > helper.parameters.length || call.arguments.some(ts.isSpreadElement) || helper.parameters.some((p) => p.dotDotDotToken || !ts.isIdentifier(p.name))) {
      return refuse(`'${userText(call.expression)}', whose parameters are not one plain name per argument`);
    }
    const decl = desugarBefore("keyed records", helper, ctx);
    const body = decl.body!;
    const statements = ts.isBlock(body) ? body.statements : [];
    const last = statements[statements.length - 1];
    const result = ts.isBlock(body) ? (last && ts.isReturnStatement(last) ? last.expression : undefined) : body;
    if (!result || statements.slice(0, -1).some(returns)) return refuse(`'${userText(call.expression)}', which does not end in its only return`);
    inlined.add(helper);
    const out: ts.Statement[] = [];
    for (const [k, p] of helper.parameters.entries()) {
      const arg = call.arguments[k] ?? p.initializer;
      const symbol = checker.getSymbolAtLocation(p.name);
      if (!arg || !symbol) return refuse(`'${userText(call.expression)}' without its argument '${p.name.getText()}'`);
      const keyed = keyedOf(arg);
      if (keyed) records.set(symbol, keyed);
      // A name or a literal the helper does not assign is read where the parameter is (a key stays the string it is).
      else if ((ts.isIdentifier(skipParens(arg)) || ts.isLiteralExpression(skipParens(arg))) && !assigns(body, p.name as ts.Identifier, checker)) passed.set(symbol, skipParens(arg));
      else out.push(build.declare(p.name, visit(arg) as ts.Expression, ts.NodeFlags.Const, arg));
    }
    for (const st of statements.slice(0, -1)) {
      const visited = visit(st);
      out.push(...((Array.isArray(visited) ? visited : [visited]) as ts.Statement[]));
    }
    // A helper returning a keyed record it made (a Map it filled): the caller's name is another name for it.
    const returned = skipParens(result);
    const keyedResult = ts.isIdentifier(returned) ? keyedOf(returned) : undefined;
    if (keyedResult) return { statements: out, value: returned, keyed: keyedResult };
    return { statements: out, value: visit(result) as ts.Expression };
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node)) {
      const copy = declareCopy(node);
      if (copy) return copy;
      if (declareFilled(node)) return [];
      // `const returns = portfolioReturns(weights)`: the helper's statements, then `returns` named as its value.
      const d = node.declarationList.declarations.length === 1 ? node.declarationList.declarations[0]! : undefined;
      const init = d?.initializer && skipParens(d.initializer);
      const helper = init && ts.isCallExpression(init) && !ts.isPropertyAccessExpression(init.expression) ? inlineHelper(init) : undefined;
      if (helper?.keyed && d && ts.isIdentifier(d.name) && node.declarationList.flags & ts.NodeFlags.Const) {
        // `const weights = softmaxWeights(scores)` returning a Map it filled: `weights` names that Map.
        const symbol = checker.getSymbolAtLocation(d.name);
        if (symbol) records.set(symbol, { ...helper.keyed, name: d.name.text });
        return helper.statements;
      }
      if (helper && d) {
        const declared = like(f.updateVariableStatement(node, node.modifiers, f.updateVariableDeclarationList(node.declarationList, [like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, helper.value), d)])), node);
        return [...helper.statements, declared];
      }
    }
    if (ts.isForOfStatement(node)) {
      const walked = walkOf(node.expression);
      if (walked) {
        const filled = fillFor(node, walked.keyed);
        const loop = walk(node, walked.keyed, walked.method);
        return filled ? [filled, loop] : loop;
      }
    }
    if (ts.isForInStatement(node)) {
      const keyed = keyedOf(node.expression);
      if (keyed) return walk(node, keyed, "keys");
    }
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node)) {
      const saved = statement;
      statement = node;
      try {
        return places.statement(node, visit)!;
      } finally {
        statement = saved;
      }
    }
    const inStatement = places.statement(node, visit);
    if (inStatement) return inStatement;
    if (ts.isCallExpression(node) && !ts.isPropertyAccessExpression(node.expression) && node.arguments.some((a) => keyedOf(a) !== undefined)) {
      // A helper given the record inside a statement: inlined before the statement, its value read in place.
      if (!places.place) {
        fail(Code.Unsupported, node, `'${userText(node)}' gives a record keyed by strings to a helper where the call may not run; call it on its own first (const value = ${userText(node)}).`);
      }
      const place = places.place;
      const helper = inlineHelper(node);
      if (helper) {
        place.push(...helper.statements);
        return typed(f.createParenthesizedExpression(helper.value), checker.getTypeAtLocation(node), node);
      }
    }
    if (ts.isConditionalExpression(node)) {
      // A branch runs only when taken: what it needs is computed in it.
      const condition = visit(node.condition) as ts.Expression;
      const [yes, no] = places.within(undefined, () => [visit(node.whenTrue) as ts.Expression, visit(node.whenFalse) as ts.Expression]);
      return like(f.updateConditionalExpression(node, condition, node.questionToken, yes, node.colonToken, no), node);
    }
    if (ts.isBinaryExpression(node) && isShortCircuit(node.operatorToken.kind) && !(node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && entryOf(node.left))) {
      const left = visit(node.left) as ts.Expression;
      const right = places.within(undefined, () => visit(node.right) as ts.Expression);
      return like(f.updateBinaryExpression(node, left, node.operatorToken, right), node);
    }
    const target = writtenTarget(node);
    if (target && ts.isElementAccessExpression(target)) {
      // `model.users[id][0] = x`: a row of a record of arrays is the caller's array (a pass before may have rebuilt the target, without its parent).
      const row = entryOf(target.expression);
      if (row?.keyed.rows) {
        fail(Code.ParamMutation, target, `'${userText(target)}' writes into a row of '${row.keyed.name}', the caller's array, which differentiated code does not change; copy the row first (const row = [...${userText(target.expression)}]) and write the copy.`);
      }
    }
    if (ts.isElementAccessExpression(node)) {
      const keyed = keyedOf(node.expression);
      if (keyed) {
        if (isWritten(node)) {
          if (!keyed.copy) {
            fail(Code.Unsupported, node, `'${keyed.name}' is a parameter, which differentiated code does not change; write into a copy (const next = { ...${keyed.name} }).`);
          }
          // A copy keeps its record's keys: writing a key it lacks throws, naming the key.
          const walked = keyOf(node.argumentExpression);
          // `r[winner] += ...` reads and writes the entry, and its adjoint does again: the slot is looked up once, before the statement.
          const at = walked && walked.keyed.record === keyed.record
            ? walked.index
            : (keyPlace(keyed, node.argumentExpression, node, "keySlot") ?? runtimeCall("keySlot", [keyed.record, visit(node.argumentExpression) as ts.Expression], number, node));
          return like(build.element(keyed.values, at, number, node), node);
        }
        return like(read(keyed, node.argumentExpression, node), node);
      }
    }
    if (ts.isCallExpression(node)) {
      const entries = entriesMethod(node);
      if (entries) return entries;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length === 2 && node.expression.name.text === "set") {
      // `weights.set(ticker, v)` of a Map a walk fills (keyed-maps.ts): the value at the walk's index.
      const keyed = keyedOf(node.expression.expression);
      if (keyed?.map && keyed.copy) {
        const walked = keyOf(node.arguments[0]!);
        if (!walked || walked.keyed.record !== keyed.record) {
          fail(Code.Unsupported, node, `'${userText(node)}' sets an entry of '${keyed.name}' by a key that is not the one its loop walks; call ${keyed.name}.set(key, ...) with the key the loop that fills it binds (for (const [key, value] of ...) ${keyed.name}.set(key, ...)).`);
        }
        const target = build.element(keyed.values, walked.index, number, node);
        return like(typed(f.createAssignment(target, visit(node.arguments[1]!) as ts.Expression), number, node), node);
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length === 1) {
      // `m.get(k)` (undefined for a key the Map lacks, as the values array gives) and `m.has(k)`.
      const keyed = keyedOf(node.expression.expression);
      if (keyed?.map && node.expression.name.text === "get") return like(read(keyed, node.arguments[0]!, node), node);
      if (keyed?.map && node.expression.name.text === "has") return like(has(keyed, node.arguments[0]!, node), node);
    }
    if (ts.isPropertyAccessExpression(node) && !isWritten(node)) {
      // `budget.training`: a read by that key, as `budget["training"]`.
      const keyed = keyedOf(node.expression);
      if (keyed && !keyed.map) return like(read(keyed, typed(f.createStringLiteral(node.name.text), string, node.name), node), node);
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "size") {
      const keyed = keyedOf(node.expression);
      if (keyed?.map) return like(build.length(keyed.values, node), node);
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const entry = op === ts.SyntaxKind.QuestionQuestionToken ? entryOf(node.left) : undefined;
      if (entry) {
        // `ratings[team] ?? 1500`, `m.get(team) ?? 1500`: the entry when the record has the key, else the default.
        const { keyed, key } = entry;
        if (keyed.rows) {
          fail(
            Code.Unsupported,
            node,
            `'${userText(node)}' gives a row of '${keyed.name}' a default, and tsgrad keeps no array that is one of two chosen when the code runs; ` +
              `read the row and test it (const row = ${userText(node.left)}; if (!row) ...), or test the key (${userText(key)} in ${keyed.name}).`,
          );
        }
        const fallback = places.within(undefined, () => visit(node.right) as ts.Expression);
        const walked = keyOf(key);
        if (walked && walked.keyed.record === keyed.record) return like(read(keyed, key, node.left), node);
        const at = keyPlace(keyed, key, node.left);
        if (at) {
          const present = build.test(at, ts.SyntaxKind.GreaterThanEqualsToken, build.number(0, node.left), node.left);
          return build.cond(present, build.element(keyed.values, at, number, node.left), fallback, checker.getTypeAtLocation(node), node);
        }
        return build.cond(has(keyed, key, node.left), read(keyed, key, node.left), fallback, checker.getTypeAtLocation(node), node);
      }
      if (op === ts.SyntaxKind.InKeyword) {
        const keyed = keyedOf(node.right);
        if (keyed) return like(has(keyed, node.left, node), node);
      }
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "length") {
      // `Object.keys(r).length`: how many keys.
      const walked = walkOf(node.expression);
      if (walked) return like(build.length(walked.keyed.values, node), node);
    }
    if (ts.isCallExpression(node) && readsValuesOnly(node)) {
      // `Object.values(r).reduce(...)`, `Math.max(...Object.values(r))`: the values array itself, which they only read.
      const walked = walkOf(node);
      if (walked?.method === "values") return walked.keyed.values;
    }
    if (ts.isIdentifier(node) && !isDeclarationName(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      const arg = symbol && passed.get(symbol);
      if (arg) return visit(arg);
    }
    if (ts.isPropertyAccessExpression(node) && !isWritten(node) && keyedOf(node)) {
      // `model.users` used whole, other than by key or given to a helper of the program.
      const keyed = keyedOf(node)!;
      fail(
        Code.Unsupported,
        node,
        `'${userText(node)}' is a record keyed by strings, which tsgrad reads by key: ${keyed.name}[k], k in ${keyed.name}, ` +
          `and for...of over Object.keys, Object.values or Object.entries(${keyed.name}) (or for...in); read its entries here that way, or pass the entries a helper needs.`,
      );
    }
    if (ts.isIdentifier(node)) {
      const key = keyOf(node);
      // A walked key used as a string (compared, a key of another record): the key at its index.
      if (key && !isDeclarationName(node)) return runtimeCall("keyAt", [key.keyed.record, key.index], string, node);
      const keyed = keyedOf(node);
      if (keyed && !isDeclarationName(node)) {
        const copy = mapCopyOf(node);
        if (copy) {
          // `new Map(w)`, `new Map(Object.entries(w))`: a Map filled whole, which keyed-maps.ts does not follow; a walk it does.
          const name = ts.isVariableDeclaration(copy.parent) && ts.isIdentifier(copy.parent.name) ? copy.parent.name.text : "copy";
          const walk = keyed.map ? `for (const [key, value] of ${keyed.name}) ${name}.set(key, value)` : `for (const key of Object.keys(${keyed.name})) ${name}.set(key, ${keyed.name}[key]!)`;
          fail(
            Code.Unsupported,
            copy,
            `'${userText(copy)}' fills a Map with the entries of '${keyed.name}' all at once, which tsgrad cannot follow (it keeps a Map of numbers as the keys of the record it was filled from, filled by a walk over them); ` +
              `fill it by that walk instead: const ${name} = new Map<string, number>(); ${walk};`,
          );
        }
        if (keyed.map) {
          fail(
            Code.Unsupported,
            node,
            `'${userText(node)}' is a Map, which tsgrad reads by key: ${keyed.name}.get(k), ${keyed.name}.get(k) ?? d, ${keyed.name}.has(k), ${keyed.name}.size, ` +
              `and for...of over ${keyed.name} or its keys(), values() or entries(); read its entries here that way, or pass the entries a helper needs as numbers.`,
          );
        }
        fail(
          Code.Unsupported,
          node,
          `'${userText(node)}' is a record keyed by strings, which tsgrad reads by key: ${keyed.name}[k], ${keyed.name}[k] ?? d, k in ${keyed.name}, ` +
            `and for...of over Object.keys, Object.values or Object.entries(${keyed.name}) (or for...in); read its entries here that way, or pass the entries a helper needs as numbers.`,
        );
      }
    }
    return visitChildren(node, visit);
  };

  /** `new Map(w)` or `new Map(Object.entries(w))` as the user wrote it, where `node` is that `w`. */
  const mapCopyOf = (node: ts.Node): ts.NewExpression | undefined => {
    let user = ts.getParseTreeNode(node);
    if (!user?.parent) return undefined;
    const call = user.parent;
    if (ts.isCallExpression(call) && call.arguments[0] === user && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "entries" && ts.isIdentifier(call.expression.expression) && call.expression.expression.text === "Object") user = call;
    const made = user.parent;
    return made && ts.isNewExpression(made) && ts.isIdentifier(made.expression) && made.expression.text === "Map" && made.arguments?.[0] === user ? made : undefined;
  };

  const body = fn.body;
  const taken = [...records.values(), ...[...fields.values()].flatMap((byName) => [...byName.values()])];
  const prologue = taken.map((k) => build.declare(k.values, runtimeCall(k.rows ? "keyedRows" : "keyedValues", [k.record], checker.getTypeAtLocation(k.values), k.record), ts.NodeFlags.Const, k.record));
  const visited = visit(body) as ts.ConciseBody;
  const block = ts.isBlock(visited)
    ? like(f.updateBlock(visited, [...prologue, ...visited.statements]), body)
    : like(f.createBlock([...prologue, like(f.createReturnStatement(visited as ts.Expression), body)], true), body);
  if (ts.isFunctionDeclaration(fn)) return like(f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, block), fn);
  if (ts.isArrowFunction(fn)) return like(f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, block), fn);
  return like(f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, block), fn);
}

/** `T[]`, built by the checker (an internal it has long had, not in its declared API; classes.ts uses it too). */
function arrayOf(checker: ts.TypeChecker, element: ts.Type): ts.Type | undefined {
  const make = (checker as ts.TypeChecker & { createArrayType?: (t: ts.Type) => ts.Type }).createArrayType;
  return make?.call(checker, element);
}

/** The Float64Array type, as seen from `from`. */
function float64Array(checker: ts.TypeChecker, from: ts.Node): ts.Type | undefined {
  const symbol = checker.resolveName("Float64Array", ts.getParseTreeNode(from) ?? from, ts.SymbolFlags.Type, false);
  return symbol && checker.getDeclaredTypeOfSymbol(symbol);
}

/** Array methods that read an array and make no change to it. */
const READING = new Set(["reduce", "reduceRight", "map", "filter", "some", "every", "forEach", "find", "findIndex", "indexOf", "includes", "at"]);

/** Whether the array `e` makes is only read where it stands: the receiver of a reading method, or spread into a call's arguments. */
function readsValuesOnly(e: ts.Expression): boolean {
  let n: ts.Node = e;
  // (A node an earlier pass built has no parent: it is not one of these.)
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.expression === n) return READING.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p;
  return ts.isSpreadElement(p) && ts.isCallExpression(p.parent);
}

/** What `node` assigns, increments or decrements, when it is such an expression. */
function writtenTarget(node: ts.Node): ts.Expression | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return skipParens(node.left);
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) return skipParens(node.operand);
  return undefined;
}

/** Whether `e` is assigned to, incremented or decremented. */
function isWritten(e: ts.Expression): boolean {
  let n: ts.Node = e;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.left === n) return p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(p);
}

/** Whether `helper` declares names of its own beside its parameters (statements before its return, or callbacks): inlined twice, they would be declared twice. */
function declaresLocals(helper: FunctionLike): boolean {
  const body = helper.body;
  if (!body) return false;
  if (ts.isBlock(body) && body.statements.length > 1) return true;
  const callback = (n: ts.Node): boolean => ts.isFunctionLike(n) || (ts.forEachChild(n, callback) ?? false);
  return ts.isBlock(body) ? body.statements.some(callback) : callback(body);
}

/** Whether `s` has a return statement of its own (not of a function inside it). */
function returns(s: ts.Node): boolean {
  if (ts.isReturnStatement(s)) return true;
  if (ts.isFunctionLike(s)) return false;
  return ts.forEachChild(s, returns) ?? false;
}

/** `&&`, `||` and `??`, whose right side runs only sometimes. */
function isShortCircuit(op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken;
}

/** The name a key is read from: `winner`, or `game` of `game.winner` (undefined for a key computed otherwise). */
function rootName(e: ts.Expression): ts.Identifier | undefined {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return e;
  return ts.isPropertyAccessExpression(e) && !e.questionDotToken ? rootName(e.expression) : undefined;
}

/** Whether `statement` assigns (or increments) the variable `name` names: a key computed before it would then be stale. */
function assigns(statement: ts.Node, name: ts.Identifier, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return true;
  const written = (e: ts.Expression): boolean => {
    e = skipParens(e);
    return (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === symbol) || ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e);
  };
  let found = false;
  const look = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && written(n.left)) found = true;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && written(n.operand)) found = true;
    else ts.forEachChild(n, look);
  };
  look(ts.getOriginalNode(statement));
  return found;
}

/** Whether `id` is the name a declaration declares (not a use of it). */
function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return !!p && (ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p)) && p.name === id;
}
