// Desugaring: local matrices. Takes: a function whose locals may be `number[][]`
// built with one row length known where the matrix is made — a map of maps
// (`X.map((xi) => X.map((xj) => k(xi, xj)))`, `COST.map((row) => row.map(f))`),
// rows written as literals of one length (`[[1, 2], [3, 4]]`), arrays read by
// name or field as rows (`[a, b, w.bias]`, copied in, checked to have one length), or
// `Array.from({ length: n }, ...)` of rows of one length (`Array.from`,
// `new Array(m).fill(v)`). Guarantees (two passes, one before the array methods
// and one after them): no such local remains. Each is one flat array of
// `rows * cols` numbers, filled by two index loops where it is declared, and
// read and written as `K[i * KCols + j]`; `K.length` is `KRows`, `K[i].length`
// is `KCols`, and a named row (`const row = K[i]`, `for (const row of K)`) is
// read in place as `K[rowStart + j]`. A helper of the program given or
// returning a matrix (`const L = cholesky(K)`) is inlined where it is called,
// each call a copy with locals of its own (a `matmul` called five times makes
// five flat results), its matrix results named, passed on and returned, also
// in a tuple or record of results (`const [Sinv, det] = inverse2(S)`).
//
// Why flat and not an array of row buffers: the rest of tsgrad already knows a
// local array completely — an element overwritten in place is saved on the tape,
// an array made per iteration is kept alive, the adjoint is one buffer of the
// same length — so a flat matrix gets all of that with nothing new in the
// differentiator, and its loops run over one Float64Array as hand-written
// numeric code does (one allocation, no pointer chasing per row). The price is
// that every row must have one length; a matrix built from a ragged constant
// throws a RangeError saying so rather than computing something else.
//
// A matrix may be named again and reassigned: `const tmp = u; u = next; next =
// tmp` (a buffer swap) swaps the flat arrays, and `grid = grid.map(...)` fills a
// new flat array and then names it `grid`, so lowering's keep/restore of a
// reassigned local array saves what the backward sweep reads. Matrices made the
// same way share one row count and row length (`uRows`, `uCols`); a swap of two
// whose shapes may differ checks them and throws a RangeError if they do. A
// matrix used as a whole value otherwise (passed to a function that is not
// inlined, a row replaced) is refused, named, with what to write instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { every } from "../types.js";
import { isRecursive } from "../inline.js";
import { forLoop, ifThen } from "./array-methods/statements.js";
// A cycle (index.ts lists this pass), read only when a pass runs, once both modules are loaded.
import { desugarBefore } from "./index.js";
import { helperArgument, rowCopy } from "./row-arguments.js";
import { isPushedOnto, pushRow } from "./pushed-rows.js";
import { rowLength, widestRow } from "./ragged-rows.js";
import { type RowCallback, declaredIn, helperCallback, withHelperInlined } from "./row-helpers.js";
import { Build, globalName, isNewLocal, lengthOnly, like, newLocal, runtimeCall, runtimeCallName, skipParens, typed, userText, visitChildren } from "./synth.js";

const printer = ts.createPrinter({ removeComments: true });

/** A row copied whole into a matrix: the expression copied, the row it reads, `(v) => v`, and the statements naming the row. */
interface RowCopy {
  readonly node: ts.Expression;
  readonly row: ts.Expression;
  readonly fn: { params: ts.BindingName[]; body: ts.Expression; before?: readonly ts.Statement[] };
  readonly before?: readonly ts.Statement[];
}

/** A local `number[][]` kept as one flat array. */
export interface Matrix {
  /** The flat array's name (the user's, on a local typed as one row). */
  readonly flat: ts.Identifier;
  readonly rows: ts.Identifier;
  readonly cols: ts.Identifier;
  /** The user's name, for messages. */
  readonly name: string;
  /**
   * Made by mapping the rows of this array (a parameter's or a constant's,
   * `sections` of `sections.map((scores) => scores.map(...))`), whose rows may
   * differ in length: row `i` is `lengths[i].length` long, laid out at
   * `i * cols` with `cols` the longest row's length (ragged-rows.ts).
   */
  readonly lengths?: ts.Expression;
  /** Grown by rows with `push` (pushed-rows.ts): a `number[]` whose row count changes, so no other matrix takes its shape. */
  readonly grown?: boolean;
  /** Grown from `[]`: its row length is set by the first push. */
  readonly startsEmpty?: boolean;
}

/**
 * The matrices the first pass made in a function, by the user's symbol (the
 * function's own and those of the helpers it inlined): the second pass, on the
 * same function, rewrites their reads. Kept per function, so that a helper's
 * parameter bound to one caller's matrix means nothing elsewhere.
 */
const byFunction = new WeakMap<ts.Node, Map<Key, Matrix>>();

/** What identifies a local: its symbol, or, for a local a pass made, its node. */
type Key = ts.Symbol | ts.Identifier;

function keyOf(checker: ts.TypeChecker, id: ts.Identifier): Key | undefined {
  return isNewLocal(id) ? id : checker.getSymbolAtLocation(id);
}

/** How a matrix is made: its shape and the loops that fill `K[i][j]`. */
interface Made {
  readonly rows: ts.Expression;
  readonly cols: ts.Expression;
  /** The statements filling the matrix, given the names of its row count and row length. */
  readonly fill: (rows: ts.Identifier, cols: ts.Identifier, checkedBefore: boolean) => ts.Statement[];
  /** What the fill checks the row length against, when it checks (matrices sharing the length and the check check once). */
  readonly checks?: string;
  /** Rows of the lengths of this array's rows, `cols` then being the longest (ragged-rows.ts). */
  readonly lengths?: ts.Expression;
  /** With `lengths`: `cols` is found by a loop over its rows, not computed by an expression. */
  readonly widest?: boolean;
}

/** First pass (before the array methods): each local `number[][]` made in a known way becomes a flat array and its fill loops. */
export function flattenMatrices(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const { checker } = ctx;
  const matrices = new Map<Key, Matrix>();
  byFunction.set(ts.getOriginalNode(fn), matrices);
  const build = new Build(checker);
  const f = ts.factory;
  const number = checker.getNumberType();

  /**
   * Results a helper returned as a record literal holding a matrix (`const prior
   * = predict(...)` of `return { mean: ..., cov: ... }`): each field is a local of
   * its own (`priorCov`, a flat matrix), read where the user reads `prior.cov`.
   */
  const records = new Map<Key, Map<string, ts.Identifier>>();
  /** The caller's names for an array an inlined helper returned as its own local (`const [z, H] = measure(x)` of `return [z, H]`): read as that local, not copied. */
  const aliases = new Map<Key, ts.Identifier>();
  const fieldLocal = (e: ts.Expression): ts.Identifier | undefined => {
    e = skipParens(e);
    if (!ts.isPropertyAccessExpression(e) || !ts.isIdentifier(skipOuter(e.expression))) return undefined;
    const key = keyOf(checker, skipOuter(e.expression) as ts.Identifier);
    return key && records.get(key)?.get(e.name.text);
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (records.size > 0 && ts.isPropertyAccessExpression(node)) {
      const local = fieldLocal(node);
      if (local) return local;
    }
    if (aliases.size > 0 && ts.isIdentifier(node)) {
      const key = keyOf(checker, node);
      const alias = key && aliases.get(key);
      if (alias) return alias;
    }
    if (records.size > 0 && ts.isIdentifier(node)) {
      const key = keyOf(checker, node);
      const fields = key && records.get(key);
      if (fields) {
        const first = [...fields.keys()][0];
        fail(Code.Unsupported, node.parent ?? node, `'${node.text}' is the record { ${[...fields.keys()].join(", ")} } a helper of the program returned with a local number[][] in it, which tsgrad keeps as one local per field; read its fields (${node.text}.${first}), not the record whole as here.`);
      }
    }
    if (ts.isVariableStatement(node)) {
      if (aliasMatrix(node)) return node;
      const made = declareMatrix(node);
      if (made) return made;
    }
    if (ts.isExpressionStatement(node)) {
      const rebuilt = rebuildMatrix(node);
      if (rebuilt) return rebuilt;
      const pushed = pushedRows(node);
      if (pushed) return pushed;
    }
    if (ts.isExpressionStatement(node) || ts.isReturnStatement(node) || ts.isVariableStatement(node)) {
      const hoisted = hoistHelperCalls(node);
      if (hoisted) return hoisted;
    }
    return visitChildren(node, visit);
  };

  /**
   * `return energy + roughness(img)`: a helper of the program given a matrix,
   * called where the statement always evaluates it, is inlined before the
   * statement (`const roughnessValue = roughness(img)`, see inlineHelper) and its
   * value read there.
   */
  const hoistHelperCalls = (node: ts.Statement): ts.Statement[] | undefined => {
    if (matrices.size === 0) return undefined;
    const calls: ts.CallExpression[] = [];
    // The call's value as the whole initializer of a const is inlined by declareMatrix.
    const list = ts.isVariableStatement(node) ? node.declarationList : undefined;
    const whole = list && list.flags & ts.NodeFlags.Const && list.declarations.length === 1 ? list.declarations[0]!.initializer : undefined;
    // Walked with a stack, not recursion: a generated chain `t1 + t2 + ...` nests deeper than the call stack.
    const stack: ts.Node[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (ts.isFunctionLike(n) || ts.isConditionalExpression(n)) continue;
      if (ts.isBinaryExpression(n) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(n.operatorToken.kind)) {
        stack.push(n.left);
        continue;
      }
      if (ts.isCallExpression(n) && n.arguments.some((a) => matrixOf(a) !== undefined) && ctx.resolveFunction(n.expression)?.body) {
        if (n !== whole && n !== (whole && skipParens(whole))) calls.push(n);
        continue;
      }
      ts.forEachChild(n, (c) => void stack.push(c));
    }
    if (calls.length === 0) return undefined;
    calls.reverse();
    const out: ts.Statement[] = [];
    const values = new Map<ts.Node, ts.Identifier>();
    for (const call of calls) {
      const name = ts.isIdentifier(call.expression) ? call.expression.text : "helper";
      const value = newLocal(`${name}Value`, checker.getTypeAtLocation(call), call);
      const declared = declareMatrix(build.declare(value, call, ts.NodeFlags.Const, node));
      if (!declared) return undefined;
      out.push(...declared);
      values.set(call, value);
    }
    const replace = (n: ts.Node): ts.Node => values.get(n) ?? visitChildren(n, replace);
    const rest = visit(replace(node));
    out.push(...((Array.isArray(rest) ? rest : [rest]) as ts.Statement[]));
    return out;
  };

  /** `history.push(rho)` of a matrix grown by rows: the row's elements pushed onto its flat array (pushed-rows.ts). */
  const pushedRows = (node: ts.ExpressionStatement): ts.Statement[] | undefined => {
    const e = skipParens(node.expression);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== "push") return undefined;
    const m = matrixOf(e.expression.expression);
    if (!m?.grown) return undefined;
    return e.arguments.flatMap((row) => {
      if (ts.isSpreadElement(row)) fail(Code.Unsupported, row, `'${userText(row)}' spreads rows onto the local number[][] '${m.name}', which tsgrad grows one pushed row at a time; write one push per row (for (const row of rows) ${m.name}.push(row)).`);
      return pushRow(m, visit(row) as ts.Expression, e, "pushed", build, ctx);
    });
  };

  /**
   * `const history: number[][] = [initial.slice()]` grown with `history.push(rho)`:
   * an empty flat `number[]`, the literal's rows pushed onto it (pushed-rows.ts).
   */
  const grownMatrix = (node: ts.VariableStatement, d: ts.VariableDeclaration & { name: ts.Identifier }, key: Key, rowType: ts.Type): ts.Statement[] | undefined => {
    const init = d.initializer && skipParens(d.initializer);
    if (!init || !ts.isArrayLiteralExpression(init) || init.elements.some(ts.isSpreadElement)) return undefined;
    if (!(node.declarationList.flags & ts.NodeFlags.Const) || !isPushedOnto(d, checker)) return undefined;
    const name = d.name.text;
    const startsEmpty = init.elements.length === 0;
    const m: Matrix = { flat: newLocal(name, rowType, d.name), rows: newLocal(`${name}Rows`, number, d), cols: newLocal(`${name}Cols`, number, d), name, grown: true, startsEmpty };
    matrices.set(key, m);
    const list = node.declarationList;
    const empty = typed(f.createArrayLiteralExpression([]), rowType, d.initializer!);
    const declaration = like(f.updateVariableStatement(node, node.modifiers, f.updateVariableDeclarationList(list, [like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, undefined, empty), d)])), node);
    return [
      declaration,
      build.declare(m.rows, build.number(init.elements.length, d), ts.NodeFlags.Let, d),
      ...(startsEmpty ? [build.declare(m.cols, build.number(0, d), ts.NodeFlags.Let, d)] : []),
      ...init.elements.flatMap((row, k) => pushRow(m, visit(row) as ts.Expression, row, k === 0 ? "first" : "literal", build, ctx)),
    ];
  };

  /** `const tmp = u` of a matrix: another name for the same flat array, of the same shape. */
  const aliasMatrix = (node: ts.VariableStatement): boolean => {
    const d = node.declarationList.declarations.length === 1 ? node.declarationList.declarations[0]! : undefined;
    const m = d?.initializer && matrixOf(d.initializer);
    const key = d && ts.isIdentifier(d.name) ? keyOf(checker, d.name) : undefined;
    const rowType = d && matrixRowType(checker, checker.getTypeAtLocation(d.name));
    if (!m || !key || !rowType || !ts.isIdentifier(d.name)) return false;
    // Of the kind of the flat array it names (a Float64Array for a reassigned matrix).
    matrices.set(key, { ...m, flat: newLocal(d.name.text, checker.getTypeAtLocation(m.flat) ?? rowType, d.name), name: d.name.text });
    return true;
  };

  /**
   * `grid = grid.map((row, i) => row.map(...))`: the new matrix is filled into a
   * flat array of its own (it reads the old one), which `grid` then names.
   */
  const rebuildMatrix = (node: ts.ExpressionStatement): ts.Statement[] | undefined => {
    const e = skipParens(node.expression);
    const swapped = swapPattern(node);
    if (swapped) return swapped;
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(skipParens(e.left))) return undefined;
    const target = skipParens(e.left) as ts.Identifier;
    const m = matrixOf(target);
    if (!m || matrixOf(e.right)) return undefined;
    const type = checker.getTypeAtLocation(target);
    const fresh = newLocal(`next${m.name[0]!.toUpperCase()}${m.name.slice(1)}`, type, target);
    // A let, as the matrix it replaces: both are then arrays of one kind, swapped by lowering.
    const declared = declareMatrix(build.declare(fresh, e.right, ts.NodeFlags.Let, node), true);
    if (!declared) return undefined;
    return [...declared, like(f.createExpressionStatement(typed(f.createAssignment(target, fresh), type, e)), node)];
  };

  /**
   * `[a, b] = [b, a]` of two matrices: `const aOld = a; a = b; b = aOld;`, a
   * swap of the two flat arrays (what the pattern does to the two references).
   */
  const swapPattern = (node: ts.ExpressionStatement): ts.Statement[] | undefined => {
    const e = skipParens(node.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const [left, right] = [skipParens(e.left), skipParens(e.right)];
    if (!ts.isArrayLiteralExpression(left) || !ts.isArrayLiteralExpression(right) || left.elements.length !== 2 || right.elements.length !== 2) return undefined;
    const [a, b] = left.elements.map(skipParens) as [ts.Expression, ts.Expression];
    const [b2, a2] = right.elements.map(skipParens) as [ts.Expression, ts.Expression];
    if (!ts.isIdentifier(a) || !ts.isIdentifier(b) || !ts.isIdentifier(a2) || !ts.isIdentifier(b2)) return undefined;
    const [ma, mb] = [matrixOf(a), matrixOf(b)];
    if (!ma || !mb || matrixOf(a2) !== ma || matrixOf(b2) !== mb) return undefined;
    const type = checker.getTypeAtLocation(a);
    const old = newLocal(`${a.text}Old`, type, a);
    const rowType = matrixRowType(checker, type);
    if (!rowType) return undefined;
    matrices.set(old, { ...ma, flat: newLocal(old.text, checker.getTypeAtLocation(ma.flat) ?? rowType, a), name: old.text });
    const set = (to: ts.Identifier, from: ts.Identifier): ts.Statement => like(f.createExpressionStatement(typed(f.createAssignment(to, from), type, e)), node);
    return [build.declare(old, a, ts.NodeFlags.Const, node), set(a, b), set(b, old)];
  };

  /** Shapes declared so far, by the block they are declared in and the expression they were computed from. */
  const shapes = new Map<ts.Node, Map<string, ts.Identifier>>();
  /** Names the function assigns after their declaration (a shape computed from them may change). */
  let assigned: Set<ts.Symbol> | undefined;
  const reassigned = (symbol: ts.Symbol): boolean => {
    if (!assigned) {
      const found = new Set<ts.Symbol>();
      const note = (target: ts.Expression): void => {
        const s = ts.isIdentifier(target) ? checker.getSymbolAtLocation(target) : undefined;
        if (s) found.add(s);
      };
      // A stack, not recursion (a long generated chain nests deeper than the call stack).
      const stack: ts.Node[] = [ts.getOriginalNode(fn)];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) note(skipParens(n.left));
        if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) note(skipParens(n.operand));
        ts.forEachChild(n, (c) => void stack.push(c));
      }
      assigned = found;
    }
    return assigned.has(symbol);
  };
  /** Whether `e` gives the same value wherever it is computed: it reads only consts and parameters never assigned, and calls nothing. */
  const stable = (e: ts.Node): boolean => {
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return false;
    if (ts.isPropertyAccessExpression(e)) return stable(e.expression);
    if (ts.isIdentifier(e)) {
      const symbol = isNewLocal(e) ? undefined : checker.getSymbolAtLocation(e);
      const decl = symbol?.valueDeclaration;
      if (!symbol || !decl || reassigned(symbol)) return false;
      return ts.isParameter(decl) || (ts.isVariableDeclaration(decl) && !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const));
    }
    return !ts.forEachChild(e, (c) => (stable(c) ? undefined : true));
  };
  /**
   * The name of a shape a matrix already has, for `e` computing it: `M.length`
   * of a matrix, a matrix's own row count or length, or the same expression an
   * earlier matrix of the same block was shaped by.
   */
  const knownShape = (role: string, e: ts.Expression, at: ts.Node, make: () => ts.Identifier): { id: ts.Identifier; known: boolean } => {
    e = skipParens(e);
    for (const m of matrices.values()) if (e === m.cols || (e === m.rows && !m.grown)) return { id: e as ts.Identifier, known: true };
    if (ts.isPropertyAccessExpression(e) && e.name.text === "length") {
      const m = matrixOf(e.expression);
      // A grown matrix's row count changes after: the new matrix keeps the count it has now.
      if (m && !m.grown) return { id: m.rows, known: true };
    }
    const block = ts.getOriginalNode(at).parent;
    if (!block || !stable(e)) return { id: make(), known: false };
    // Printed as built (userText would give the user code the whole matrix stands for).
    const text = `${role} ${printer.printNode(ts.EmitHint.Expression, e, (ts.getParseTreeNode(fn) ?? fn).getSourceFile())}`;
    const inBlock = shapes.get(block) ?? new Map<string, ts.Identifier>();
    shapes.set(block, inBlock);
    const earlier = inBlock.get(text);
    if (earlier) return { id: earlier, known: true };
    const id = make();
    inBlock.set(text, id);
    return { id, known: false };
  };

  const declareMatrix = (node: ts.VariableStatement, rebuilt = false): ts.Statement[] | undefined => {
    const list = node.declarationList;
    if (list.declarations.length !== 1) return undefined;
    const d = list.declarations[0]!;
    const call = d.initializer && skipParens(d.initializer);
    if (!ts.isIdentifier(d.name) && call && ts.isCallExpression(call) && list.flags & ts.NodeFlags.Const) {
      // `const [Sinv, det] = inverse2(S)`, `const { z, H } = measure(x)`: the helper inlined, each name bound to what it returns.
      const given = call.arguments.some((a) => matrixOf(a) !== undefined);
      const returnsMatrix = holdsMatrix(checker.getTypeAtLocation(call)) && ctx.resolveFunction(call.expression)?.body !== undefined;
      return given || returnsMatrix ? inlineHelper(call, d.name) : undefined;
    }
    if (!ts.isIdentifier(d.name) || !d.initializer) return undefined;
    const type = checker.getTypeAtLocation(d.name);
    const joined = joinedTuples(d.initializer, type);
    const rowType = joined ? flatType(d) : matrixRowType(checker, type);
    const symbol = keyOf(checker, d.name);
    if (!symbol) return undefined;
    if (!rowType) {
      if (joined) return undefined;
      // `const q = quadratic(K, y)`: a helper given a matrix is inlined whatever it returns.
      const init = skipParens(d.initializer);
      const given = ts.isCallExpression(init) && init.arguments.some((a) => matrixOf(a) !== undefined);
      // `const prior = predict(mean, cov)` returning `{ mean, cov }` with a matrix it makes: inlined too, each field a local.
      const record = ts.isCallExpression(init) && holdsMatrix(type) && ctx.resolveFunction(init.expression)?.body !== undefined && onlyFieldsRead(d.name);
      return (given || record) && list.flags & ts.NodeFlags.Const ? inlineHelper(init as ts.CallExpression, d.name) : undefined;
    }
    const element = (array: ts.Expression, i: ts.Expression, j: ts.Expression, from: ts.Node): ts.Expression =>
      build.element(build.element(array, i, rowType, from), j, number, from);
    const grown = !joined && !rebuilt ? grownMatrix(node, d as ts.VariableDeclaration & { name: ts.Identifier }, symbol, rowType) : undefined;
    if (grown) return grown;
    const init = skipParens(d.initializer);
    if (ts.isCallExpression(init) && list.flags & ts.NodeFlags.Const && !rebuilt) {
      const inlined = inlineHelper(init, d.name);
      if (inlined) return inlined;
    }
    const made = joined ? joinedBy(joined, d.name, element) : madeBy(init, d.name, element);
    if (!made) {
      refusePushedRows(d, checker);
      return undefined;
    }
    const name = d.name.text;
    const rowCount = knownShape("rows", made.rows, node, () => newLocal(`${name}Rows`, number, d));
    // Ragged matrices mapped from the rows of one array in one block share its longest row (`u`, `next` of `start`), so swaps stay unchecked.
    const colCount = made.widest && made.lengths ? knownShape("widest", made.lengths, node, () => newLocal(`${name}Cols`, number, d)) : knownShape(`cols ${made.checks ?? ""}`, made.cols, node, () => newLocal(`${name}Cols`, number, d));
    const [rows, cols] = [rowCount.id, colCount.id];
    const size = typed(f.createBinaryExpression(rows, ts.SyntaxKind.AsteriskToken, cols), number, d);
    // A reassigned matrix is a Float64Array, as a const one is (lowering makes a let number[] a number[]): swaps then stay over one kind.
    const flat = newLocal(name, list.flags & ts.NodeFlags.Let ? (flatType(d) ?? rowType) : rowType, d.name);
    matrices.set(symbol, { flat, rows, cols, name, ...(made.lengths !== undefined ? { lengths: made.lengths } : {}) });
    // A ragged matrix's padding is NaN (ragged-rows.ts): a read past the end of a short row gives what JavaScript's undefined gives.
    const made0 = made.lengths !== undefined ? runtimeCall("full", [size, typed(f.createPropertyAccessExpression(globalName("Number", checker, d.initializer), "NaN"), number, d.initializer)], rowType, d.initializer) : runtimeCall("zeros", [size], rowType, d.initializer);
    // The flat array keeps the user's declaration (const or let) and position.
    const declaration = like(f.updateVariableStatement(node, node.modifiers, f.updateVariableDeclarationList(list, [like(f.updateVariableDeclaration(d, d.name, d.exclamationToken, undefined, made0), d)])), node);
    return [
      ...(rowCount.known ? [] : [build.declare(rows, made.rows, ts.NodeFlags.Const, d)]),
      ...(colCount.known ? [] : made.widest && made.lengths ? widestRow(cols, rows, made.lengths, d, build) : [build.declare(cols, made.cols, ts.NodeFlags.Const, d)]),
      declaration,
      // A row length shared with an earlier matrix of the same rows was checked there.
      ...made.fill(rows, cols, colCount.known),
    ];
  };

  /**
   * `[a, ...free, b]` of tuples of numbers (a chain's pinned ends around its free
   * nodes): the items and the tuple's width. A list of tuples is a matrix of
   * one row per tuple, so it is one flat array too (the items copied in, each
   * read of `nodes[i][k]` then a read of that array).
   */
  const joinedTuples = (init: ts.Expression, type: ts.Type): { items: readonly ts.Expression[]; width: number } | undefined => {
    init = skipParens(init);
    if (!ts.isArrayLiteralExpression(init) || !init.elements.some(ts.isSpreadElement) || !checker.isArrayType(type)) return undefined;
    const row = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
    if (!row || !checker.isTupleType(row)) return undefined;
    const width = checker.getTypeArguments(row as ts.TypeReference).length;
    const numbers = checker.getTypeArguments(row as ts.TypeReference).every((t) => every(t, ts.TypeFlags.NumberLike));
    const plain = init.elements.every((e) => isPlainRead(ts.isSpreadElement(e) ? e.expression : e));
    return numbers && plain && width > 0 ? { items: init.elements, width } : undefined;
  };

  /** A Float64Array, the flat array of a list of tuples (a tuple type is not one to lowering). */
  const flatType = (from: ts.Node): ts.Type | undefined => {
    const symbol = checker.resolveName("Float64Array", ts.getParseTreeNode(from) ?? from, ts.SymbolFlags.Type, false);
    return symbol && checker.getDeclaredTypeOfSymbol(symbol);
  };

  /** The rows of `[a, ...free, b]` in order: each item's numbers, then each spread array's rows. */
  const joinedBy = (joined: { items: readonly ts.Expression[]; width: number }, target: ts.Identifier, element: (a: ts.Expression, i: ts.Expression, j: ts.Expression, from: ts.Node) => ts.Expression): Made => {
    const from = joined.items[0]!.parent;
    const plusOf = (a: ts.Expression, b: ts.Expression): ts.Expression => (isZero(a) ? b : isZero(b) ? a : typed(f.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, from));
    let count: ts.Expression = build.number(0, from);
    let singles = 0;
    const starts: ts.Expression[] = [];
    for (const item of joined.items) {
      // Rows before this item: the singles so far, then the spread lengths.
      starts.push(plusOf(count, build.number(singles, item)));
      if (ts.isSpreadElement(item)) count = plusOf(count, build.length(item.expression, item));
      else singles++;
    }
    const rows = plusOf(count, build.number(singles, from));
    return {
      rows,
      cols: build.number(joined.width, from),
      fill: () =>
        joined.items.flatMap((item, k) => {
          const start = starts[k]!;
          const columns = Array.from({ length: joined.width }, (_, c) => c);
          if (!ts.isSpreadElement(item)) {
            return columns.map((c) => assign(element(target, start, build.number(c, item), item), build.element(item, c, number, item), item));
          }
          const r = newLocal("r", number, item);
          const tuple = build.element(item.expression, r, checker.getIndexTypeOfType(checker.getTypeAtLocation(item.expression), ts.IndexKind.Number) ?? number, item);
          const body = columns.map((c) => assign(element(target, plusOf(start, r), build.number(c, item), item), build.element(tuple, c, number, item), item));
          return [forLoop(r, build.number(0, item), build.length(item.expression, item), body, item, build)];
        }),
    };
  };

  /** Helpers being inlined: one that calls itself is left to lowering, which refuses the recursion. */
  const inlining = new Set<FunctionLike>();
  /**
   * `const L = cholesky(K)`, a helper of the program that takes or returns a
   * matrix: its body in place of the call (lowering would bind its number[][]
   * parameter to a nested array, which a flat matrix is not). A matrix argument
   * is the helper's parameter itself (the same flat array, as JavaScript passes
   * the same array), a nested array of the caller is read where it is, other
   * arguments are consts of the parameter's name (an array the helper never
   * reassigns is read where it is, as JavaScript passes it); the helper's last
   * statement returns what `L` then names (see bindResult). A matrix computed in
   * the call (`matmul(q, transpose(k))`) is made first, as the call evaluates it.
   */
  const inlineHelper = (call: ts.CallExpression, name: ts.BindingName): ts.Statement[] | undefined => {
    const resolved = ctx.resolveFunction(call.expression);
    if (!resolved || resolved === fn || ts.getOriginalNode(fn) === resolved || inlining.has(resolved)) return undefined;
    const given = call.arguments.find((a) => matrixOf(a) !== undefined);
    if (given && isRecursive(resolved, (c) => ctx.resolveFunction(c))) {
      fail(Code.Unsupported, call, `'${userText(call)}' gives the local number[][] '${matrixOf(given)!.name}' to '${userText(call.expression)}', which calls itself; tsgrad keeps a local matrix as one flat array and inlines the helpers given one, so write the recursion as a loop, or index the matrix here and pass the numbers.`);
    }
    // Each copy of the helper gets fresh names for its locals (new locals, of the same text): a helper called twice
    // declares its locals twice, and two copies under the helper's symbols would be one variable to the passes after.
    const fresh = new Map<ts.Symbol, ts.Identifier>();
    // The helper as far desugared as the function it goes into (casts gone, defaults bound).
    const decl = desugarBefore("matrices", resolved, ctx);
    if (!decl.body || call.arguments.length > decl.parameters.length) return undefined;
    // `(a, x) => a.map(...)` is the helper `{ return a.map(...) }`.
    const statements = ts.isBlock(decl.body) ? decl.body.statements.slice(0, -1) : [];
    const last = ts.isBlock(decl.body) ? decl.body.statements[decl.body.statements.length - 1] : undefined;
    const returned = ts.isBlock(decl.body) ? (last && ts.isReturnStatement(last) ? last.expression : undefined) : decl.body;
    if (!returned || statements.some(returns)) return undefined;
    for (const id of declaredIn(decl)) {
      const symbol = checker.getSymbolAtLocation(id);
      if (symbol && !fresh.has(symbol)) fresh.set(symbol, newLocal(id.text, checker.getTypeAtLocation(id), id));
    }
    const out: ts.Statement[] = [];
    const replaced = new Map<Key, ts.Expression>();
    const substitute = (n: ts.Node): ts.Node => {
      if (ts.isIdentifier(n)) {
        const s = keyOf(checker, n);
        const by = s && (replaced.get(s) ?? (isNewLocal(n) ? undefined : fresh.get(s as ts.Symbol)));
        if (by) return by;
      }
      if (ts.isShorthandPropertyAssignment(n)) {
        // `{ mean }` of a renamed local: the property keeps its name, its value is the copy's local.
        const s = checker.getShorthandAssignmentValueSymbol(n);
        const by = s && (replaced.get(s) ?? fresh.get(s));
        if (by) return like(f.createPropertyAssignment(n.name.text, by), n);
      }
      return visitChildren(n, substitute);
    };
    for (const [k, p] of decl.parameters.entries()) {
      // A parameter left out takes its default, read where the helper reads it (`causal = false`).
      const given = call.arguments[k];
      // A rest parameter is given one array here (rest.ts: `addAll(a, b)` passes `[a, b]`, made a local matrix by literal-arguments.ts).
      const restGiven = !!p.dotDotDotToken && k === decl.parameters.length - 1 && call.arguments.length === decl.parameters.length;
      if ((p.dotDotDotToken && !restGiven) || (!given && !p.initializer) || (given && ts.isSpreadElement(given))) return undefined;
      let arg = given ?? (substitute(p.initializer!) as ts.Expression);
      if (ts.isObjectBindingPattern(p.name)) {
        // `predict({ U, V }: Factors)` given a record the caller reads in place: each name reads its field there.
        if (!isPlainRead(arg)) return undefined;
        for (const b of p.name.elements) {
          const field = b.propertyName ?? b.name;
          if (b.dotDotDotToken || b.initializer || !ts.isIdentifier(b.name) || !ts.isIdentifier(field)) return undefined;
          const symbol = checker.getSymbolAtLocation(b.name);
          if (!symbol) return undefined;
          replaced.set(symbol, build.property(arg, field.text, checker.getTypeAtLocation(b.name), b));
        }
        continue;
      }
      if (!ts.isIdentifier(p.name)) return undefined;
      // A parameter the parameters pass made (`predict({ U, V })` is `predict(factors)` there) is its own key.
      const symbol = keyOf(checker, p.name);
      if (!symbol) return undefined;
      const isMatrix = matrixRowType(checker, checker.getTypeAtLocation(p.name)) !== undefined;
      if (isMatrix && !matrixOf(arg) && !isPlainRead(arg)) {
        // `matmul(q, transpose(k))`: a matrix computed in the call is made first, as the call evaluates it, under the parameter's name.
        const callee = ts.isCallExpression(skipParens(arg)) ? (skipParens(arg) as ts.CallExpression).expression : undefined;
        const value = newLocal(callee && ts.isIdentifier(callee) ? `${callee.text}Value` : p.name.text, checker.getTypeAtLocation(arg), arg);
        const made = declareMatrix(build.declare(value, arg, ts.NodeFlags.Const, arg));
        if (!made || !matrixOf(value)) return undefined;
        out.push(...made);
        arg = value;
      }
      const m = matrixOf(arg);
      const own = (!isNewLocal(p.name) && fresh.get(symbol as ts.Symbol)) || undefined;
      if (m) {
        // The parameter names the caller's flat array: read as the argument itself.
        if (own) replaced.set(symbol as ts.Symbol, own);
        matrices.set(own ?? symbol, m);
      } else if (isMatrix) {
        // A nested array of the caller (a parameter, a constant) is read where it is: the parameter names it.
        if (!isPlainRead(arg)) return undefined;
        if (isNewLocal(p.name) || !ts.isIdentifier(p.name)) return undefined;
        replaced.set(symbol as ts.Symbol, arg);
      } else if (isPlainRead(arg) && isArrayLike(checker.getTypeAtLocation(p.name)) && !assignsTo(decl, symbol)) {
        // `matVec(F, mean)`: an array the helper only reads or writes into is the caller's, read where it is (as JavaScript passes it).
        replaced.set(symbol, visit(arg) as ts.Expression);
      } else out.push(build.declare(own ?? p.name, visit(arg) as ts.Expression, ts.NodeFlags.Const, arg));
    }
    inlining.add(resolved);
    for (const x of statements) {
      const visited = visit(substitute(x));
      out.push(...((Array.isArray(visited) ? visited : [visited]) as ts.Statement[]));
    }
    inlining.delete(resolved);
    const bound = bindResult(name, substitute(returned) as ts.Expression, name.parent ?? call);
    return bound && [...out, ...bound];
  };

  /**
   * The caller's `name` given what the inlined helper returns: a matrix is named
   * (the same flat array), a matrix the helper's last expression makes is made
   * under the caller's name, another value is the caller's const; a pattern
   * (`const [Sinv, det] = inverse2(S)`, `const { z, H } = measure(x)`) binds
   * each name to its element of a returned literal, so a matrix in a tuple or
   * record of results stays one flat array.
   */
  const bindResult = (name: ts.BindingName, value: ts.Expression, from: ts.Node): ts.Statement[] | undefined => {
    value = skipParens(value);
    if (ts.isIdentifier(name)) {
      const key = keyOf(checker, name);
      const result = matrixOf(value);
      if (result && key) {
        matrices.set(key, result);
        return [];
      }
      const type = checker.getTypeAtLocation(name);
      if (key && ts.isIdentifier(value) && isArrayLike(type) && !matrixRowType(checker, type)) {
        // An array the helper made (or was given) is the caller's under another name: the same array, as JavaScript returns it.
        aliases.set(key, value);
        return [];
      }
      // `return logits.map(...)`: the caller's matrix, made by the helper's last expression.
      if (matrixRowType(checker, type)) return declareMatrix(build.declare(name, value, ts.NodeFlags.Const, from));
      if (key && ts.isObjectLiteralExpression(value) && holdsMatrix(type)) return bindRecord(name, key, value, type, from);
      // Visited as a statement of the caller: a helper it calls with a matrix is inlined before it.
      const declared = visit(build.declare(name, value, ts.NodeFlags.Const, from));
      return (Array.isArray(declared) ? declared : [declared]) as ts.Statement[];
    }
    const out: ts.Statement[] = [];
    for (const [k, b] of name.elements.entries()) {
      if (ts.isOmittedExpression(b)) continue;
      if (b.dotDotDotToken || b.initializer) return undefined;
      const part = ts.isArrayBindingPattern(name) ? elementOfLiteral(value, k) : fieldOfLiteral(value, b.propertyName ?? b.name);
      const bound = part && bindResult(b.name, part, from);
      if (!bound) return undefined;
      out.push(...bound);
    }
    return out;
  };

  /** `const prior = predict(...)` of `return { mean: m, cov: C }`: a local per field (`priorMean`, `priorCov`), read for `prior.mean`. */
  const bindRecord = (name: ts.Identifier, key: Key, value: ts.ObjectLiteralExpression, type: ts.Type, from: ts.Node): ts.Statement[] | undefined => {
    const out: ts.Statement[] = [];
    const fields = new Map<string, ts.Identifier>();
    for (const p of value.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
      const field = p.name.text;
      const fieldSymbol = type.getProperty(field);
      const local = newLocal(`${name.text}${field[0]!.toUpperCase()}${field.slice(1)}`, fieldSymbol ? checker.getTypeOfSymbolAtLocation(fieldSymbol, name) : checker.getTypeAtLocation(p.initializer), p);
      const bound = bindResult(local, p.initializer, from);
      if (!bound) return undefined;
      out.push(...bound);
      fields.set(field, aliases.get(local) ?? local);
    }
    records.set(key, fields);
    return out;
  };

  /** Whether the function reads the local `name` only by its fields (`prior.cov`): a record of results it can keep one local per field. */
  const onlyFieldsRead = (name: ts.Identifier): boolean => {
    const symbol = checker.getSymbolAtLocation(name);
    if (!symbol) return false;
    let whole = false;
    // The function declaring it: the caller's, or a helper's inlined into it.
    let scope: ts.Node | undefined = ts.getOriginalNode(name);
    while (scope && !ts.isFunctionLike(scope)) scope = scope.parent;
    const stack: ts.Node[] = [scope ?? ts.getOriginalNode(fn)];
    while (stack.length > 0 && !whole) {
      const n = stack.pop()!;
      if (ts.isIdentifier(n) && n !== ts.getOriginalNode(name) && checker.getSymbolAtLocation(n) === symbol) {
        let up = n.parent;
        let child: ts.Node = n;
        while (up && (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up))) [child, up] = [up, up.parent];
        if (!up || !ts.isPropertyAccessExpression(up) || up.expression !== child) whole = true;
      }
      ts.forEachChild(n, (c) => void stack.push(c));
    }
    return !whole;
  };

  const isArrayLike = (t: ts.Type): boolean => checker.isArrayType(t) || checker.isTupleType(t);

  /** Whether `fn` assigns its parameter `symbol` a new value (`x = ...`; a write into its elements is the caller's too). */
  const assignsTo = (helper: FunctionLike, symbol: Key): boolean => {
    let found = false;
    const look = (n: ts.Node): void => {
      if (found) return;
      const target = ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? skipParens(n.left) : undefined;
      if (target && (ts.isIdentifier(target) || ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target))) {
        const names: ts.Node[] = [target];
        while (names.length > 0 && !found) {
          const x = names.pop()!;
          if (ts.isIdentifier(x) && keyOf(checker, x) === symbol) found = true;
          ts.forEachChild(x, (c) => void names.push(c));
        }
      }
      ts.forEachChild(n, look);
    };
    if (helper.body) look(helper.body);
    return found;
  };

  /** Whether `t` is a record with a `number[][]` field (what a helper returning a matrix among other results gives). */
  const holdsMatrix = (t: ts.Type): boolean =>
    checker.isTupleType(t)
      ? checker.getTypeArguments(t as ts.TypeReference).some((e) => matrixRowType(checker, e) !== undefined)
      : !checker.isArrayType(t) && t.getProperties().some((p) => matrixRowType(checker, checker.getTypeOfSymbolAtLocation(p, fn)) !== undefined);

  const matrixOf = (e: ts.Expression): Matrix | undefined => {
    e = skipParens(e);
    const local = fieldLocal(e);
    if (local) e = local;
    const key = ts.isIdentifier(e) ? keyOf(checker, e) : undefined;
    return key && matrices.get(key);
  };

  /** The ways of making a matrix this pass knows, or undefined (the initializer is left to the passes after). */
  const madeBy = (init: ts.Expression, target: ts.Identifier, element: (a: ts.Expression, i: ts.Expression, j: ts.Expression, from: ts.Node) => ts.Expression): Made | undefined => {
    // `[[a, b], [c, d]]`: the literal's numbers, row by row.
    const literalRows = ts.isArrayLiteralExpression(init) ? init.elements.map(skipParens) : [];
    if (literalRows.length > 0 && literalRows.every((r): r is ts.ArrayLiteralExpression => ts.isArrayLiteralExpression(r) && !r.elements.some(ts.isSpreadElement))) {
      const rows = literalRows as ts.ArrayLiteralExpression[];
      const width = rows[0]!.elements.length;
      if (!rows.every((r) => r.elements.length === width)) return undefined;
      return {
        rows: build.number(rows.length, init),
        cols: build.number(width, init),
        fill: () => rows.flatMap((r, i) => r.elements.map((x, j) => assign(element(target, build.number(i, x), build.number(j, x), x), x, x))),
      };
    }
    // `[a, b, w.bias]` of arrays of numbers read by name or field (the rows a rest parameter of arrays is given): each copied in, checked to have the first's length.
    if (ts.isArrayLiteralExpression(init)) {
      const rows = init.elements.map(skipParens);
      if (rows.length === 0 || !rows.every((r) => isPlainRead(r) && isNumbers(checker.getTypeAtLocation(r)))) return undefined;
      return {
        rows: build.number(rows.length, init),
        cols: build.length(rows[0]!, init),
        fill: (_rowsName, colsName) =>
          rows.flatMap((r, k) => {
            const jj = newLocal("j", number, r);
            const message = typed(f.createStringLiteral(`${target.text}: '${userText(r)}' has a length other than '${userText(rows[0]!)}'; tsgrad keeps a local number[][] as one flat array, with rows of one length`), checker.getStringType(), r);
            const error = like(f.createThrowStatement(like(f.createNewExpression(globalName("RangeError", checker, r), undefined, [message]), r)), r);
            const check = k === 0 ? [] : [ifThen(build.test(build.length(r, r), ts.SyntaxKind.ExclamationEqualsEqualsToken, colsName, r), [error], r)];
            return [...check, forLoop(jj, build.number(0, r), colsName, [assign(element(target, build.number(k, r), jj, r), build.element(r, jj, number, r), r)], r, build)];
          }),
      };
    }
    if (!ts.isCallExpression(init) || init.arguments.length === 0) return undefined;
    const callee = init.expression;
    // `R.map((r, i) => C.map((c, j) => value))`.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "map" && init.arguments.length === 1 && isPlainOrRowRead(callee.expression)) {
      // A helper making each row (`scores.map(softmax)`, `(row) => softmax(row)`) is placed in the callback (row-helpers.ts).
      const written = arrow(init.arguments[0]!, 2);
      const outer = (written && withHelperInlined(written, ctx)) ?? written ?? helperCallback(init.arguments[0]!, ctx);
      const mapped = outer && outer.body && callOf(outer.body, "map");
      // A row copied whole (`[...row]`, `row.slice()`) is the row mapped by `(v) => v`; a row made otherwise (a helper's
      // local, a helper tsgrad leaves as a call) is named per row and copied in.
      const copied = outer && outer.body && !mapped ? (copiedRow(outer.body) ?? namedRow(outer)) : undefined;
      const inner = mapped ?? copied?.node;
      const innerFn = mapped ? (mapped.arguments.length === 1 ? arrow(mapped.arguments[0]!, 2) : undefined) : copied?.fn;
      const C = mapped ? mapped.expression.expression : copied?.row;
      if (!outer || !inner || !innerFn || !innerFn.body || !C || !isPlainOrRowRead(C)) return undefined;
      const R = callee.expression;
      const [r, i] = outer.params;
      const [c, j] = innerFn.params;
      // Statements of a block-bodied callback before its `return C.map(...)`: once per row, as written.
      const before = [...(outer.before ?? []), ...(copied?.before ?? [])];
      const ofRow = r !== undefined && ts.isIdentifier(C) && ts.isIdentifier(r) && sameSymbol(checker, C, r);
      // Rows of a flat matrix have its one length: nothing to check.
      const source = ofRow ? matrixOf(R) : undefined;
      // A row made per row (`exps.map(...)` of a local of the callback) has the length of R's rows, checked.
      const perRow = !ofRow && mentionsAny(checker, C, [...outer.params, ...before.flatMap(declaredNames)]);
      if (perRow && !matrixRowType(checker, checker.getTypeAtLocation(R))) return undefined;
      // A module constant written as literal rows of one length has that length: nothing to check either.
      const width = ofRow || perRow ? literalWidth(checker, R) : undefined;
      const checked = (ofRow || perRow) && !source && width === undefined;
      // Rows of a parameter or constant mapped one to one may differ in length: the matrix keeps each row's (ragged-rows.ts).
      const ragged = checked && ofRow;
      // A matrix mapped from the rows of a ragged one is as ragged.
      const lengths = ragged ? R : source?.lengths;
      const first = (rows: ts.Expression): ts.Expression => build.length(build.element(rows, build.number(0, init), elementOf(R), init), init);
      const rowCount = build.length(R, init);
      const cols = source ? source.cols : width !== undefined ? build.number(width, init) : ofRow || perRow ? build.cond(build.test(rowCount, ts.SyntaxKind.GreaterThanToken, build.number(0, init), init), first(R), build.number(0, init), number, init) : build.length(C, init);
      return {
        rows: rowCount,
        cols,
        checks: checked && !ragged ? "made rows" : undefined,
        ...(lengths ? { lengths } : {}),
        ...(ragged ? { widest: true } : {}),
        fill: (rowsName, colsName, checkedBefore) => {
          const ii = i && ts.isIdentifier(i) ? i : newLocal("i", number, init);
          const jj = j && ts.isIdentifier(j) ? j : newLocal("j", number, inner);
          const body: ts.Statement[] = [];
          if (c) body.push(build.declare(c, build.element(C, jj, elementOf(C), inner), ts.NodeFlags.Const, c));
          // Statements of a block-bodied element callback before its `return v`: once per element, as written.
          body.push(...(innerFn.before ?? []));
          body.push(assign(element(target, ii, jj, innerFn.body!), innerFn.body!, inner));
          const row: ts.Statement[] = [];
          if (r) row.push(build.declare(r, build.element(R, ii, elementOf(R), init), ts.NodeFlags.Const, r));
          row.push(...before);
          // Rows of R checked for an earlier matrix need no second check; rows made per row do.
          if (checked && !ragged && !(checkedBefore && ofRow)) {
            // A ragged constant would not fit one stride: say so rather than compute something else.
            const message = typed(f.createStringLiteral(`${target.text}: the rows made from '${userText(R)}' have different lengths; tsgrad keeps a local number[][] as one flat array, with rows of one length`), checker.getStringType(), init);
            const error = like(f.createThrowStatement(like(f.createNewExpression(globalName("RangeError", checker, init), undefined, [message]), init)), init);
            row.push(ifThen(build.test(build.length(C, init), ts.SyntaxKind.ExclamationEqualsEqualsToken, colsName, init), [error], init));
          }
          // A ragged row is as long as the row it is mapped from (the one `C` names).
          row.push(forLoop(jj, build.number(0, inner), lengths ? build.length(C, inner) : colsName, body, inner, build));
          return [forLoop(ii, build.number(0, init), rowsName, row, init, build)];
        },
      };
    }
    // `Array.from({ length: n }, (_, i) => rowOf(i))`, a row being `Array.from({ length: m }, (_, j) => v)` or `new Array(m).fill(v)`.
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Array" && callee.name.text === "from" && init.arguments.length === 2) {
      const n = lengthOnly(init.arguments[0]!);
      const outer = arrow(init.arguments[1]!, 2);
      if (!n || !outer || !outer.body || outer.before || (outer.params[0] && !isUnusedName(outer.params[0]))) return undefined;
      const i = outer.params[1];
      const row = rowMaker(outer.body);
      if (!row || mentionsAny(checker, row.cols, outer.params)) return undefined;
      return {
        rows: n,
        cols: row.cols,
        fill: (rowsName, colsName) => {
          const ii = i && ts.isIdentifier(i) ? i : newLocal("i", number, init);
          const jj = row.index && ts.isIdentifier(row.index) ? row.index : newLocal("j", number, row.from);
          const body = [assign(element(target, ii, jj, row.value), row.value, row.from)];
          return [forLoop(ii, build.number(0, init), rowsName, [forLoop(jj, build.number(0, row.from), colsName, body, row.from, build)], init, build)];
        },
      };
    }
    return undefined;
  };

  /** `[...row]` or `row.slice()`: the row copied, as `row.map((v) => v)` would. */
  const copiedRow = (e: ts.Expression): RowCopy | undefined => {
    e = skipParens(e);
    const spread = ts.isArrayLiteralExpression(e) && e.elements.length === 1 && ts.isSpreadElement(e.elements[0]!) ? e.elements[0].expression : undefined;
    const sliced = callOf(e, "slice");
    const row = spread ?? (sliced && sliced.arguments.length === 0 ? sliced.expression.expression : undefined);
    if (!row || !isNumberArray(checker, checker.getTypeAtLocation(row))) return undefined;
    const v = newLocal("v", number, e);
    return { node: e, row, fn: { params: [v], body: v } };
  };

  /**
   * The value of a row callback that is some other array of numbers (`return out`
   * of a helper placed in it, `softmax(row)` of one left a call): a const of
   * its own per row, copied in as `[...row]` would be.
   */
  const namedRow = (cb: RowCallback): RowCopy | undefined => {
    const value = cb.body && skipParens(cb.body);
    if (!value || !isNumbers(checker.getTypeAtLocation(value))) return undefined;
    const held = ts.isIdentifier(value) ? value : newLocal(ts.isCallExpression(value) && ts.isIdentifier(value.expression) ? `${value.expression.text}Row` : "row", checker.getTypeAtLocation(value), value);
    const v = newLocal("v", number, value);
    return { node: value, row: held, fn: { params: [v], body: v }, before: held === value ? [] : [build.declare(held, value, ts.NodeFlags.Const, value)] };
  };

  /** A row of `Array.from`: its length, its value at index `index` and the call it comes from. */
  const rowMaker = (e: ts.Expression): { cols: ts.Expression; value: ts.Expression; index?: ts.BindingName; from: ts.Node } | undefined => {
    e = skipParens(e);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
    const method = e.expression.name.text;
    const receiver = skipParens(e.expression.expression);
    // `new Array(m).fill(v)` / `Array(m).fill(v)`
    if (method === "fill" && e.arguments.length === 1 && (ts.isNewExpression(receiver) || ts.isCallExpression(receiver)) && ts.isIdentifier(receiver.expression) && receiver.expression.text === "Array" && receiver.arguments?.length === 1) {
      return { cols: receiver.arguments[0]!, value: e.arguments[0]!, from: e };
    }
    // `Array.from({ length: m }, (_, j) => v)`
    if (method === "from" && ts.isIdentifier(receiver) && receiver.text === "Array" && e.arguments.length === 2) {
      const m = lengthOnly(e.arguments[0]!);
      const fn = arrow(e.arguments[1]!, 2);
      if (!m || !fn || !fn.body || fn.before || (fn.params[0] && !isUnusedName(fn.params[0]))) return undefined;
      return { cols: m, value: fn.body, index: fn.params[1], from: e };
    }
    return undefined;
  };

  /** The element type of the array `e`. */
  const elementOf = (e: ts.Expression): ts.Type => checker.getIndexTypeOfType(checker.getTypeAtLocation(e), ts.IndexKind.Number) ?? number;

  /** `target = value;`, standing for the user's `from`. */
  const assign = (target: ts.Expression, value: ts.Expression, from: ts.Node): ts.Statement =>
    like(f.createExpressionStatement(typed(f.createAssignment(target, value), number, from)), from);

  const isUnusedName = (p: ts.BindingName): boolean => ts.isIdentifier(p) && p.text.startsWith("_");

  return ts.visitEachChild(fn, visit, undefined);
}

/** Second pass (after the array methods): reads and writes of each flat matrix, and refusals of any other use. */
export function readMatrices(fn: FunctionLike, { checker, resolveFunction }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const f = ts.factory;
  const number = checker.getNumberType();
  const matrices = byFunction.get(ts.getOriginalNode(fn)) ?? new Map<Key, Matrix>();
  /** Named rows: `const row = K[i]`, read at `KStart + j`, of the length `length` (the matrix's, or its own in a ragged matrix). */
  const rowsNamed = new Map<Key, NamedRow>();

  const matrixOf = (e: ts.Expression): Matrix | undefined => {
    e = skipParens(e);
    if (!ts.isIdentifier(e)) return undefined;
    const key = keyOf(checker, e);
    return key && matrices.get(key);
  };
  const namedRowOf = (e: ts.Expression): NamedRow | undefined => {
    e = skipParens(e);
    if (!ts.isIdentifier(e)) return undefined;
    const key = keyOf(checker, e);
    return key && rowsNamed.get(key);
  };
  const times = (a: ts.Expression, b: ts.Expression, from: ts.Node): ts.Expression => typed(f.createBinaryExpression(a, ts.SyntaxKind.AsteriskToken, b), number, from);
  const plus = (a: ts.Expression, b: ts.Expression, from: ts.Node): ts.Expression => (isZero(a) ? b : typed(f.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, from));
  /** Where row `i` starts in the flat array. */
  const rowStart = (m: Matrix, i: ts.Expression, from: ts.Node): ts.Expression => (isZero(i) ? i : times(i, m.cols, from));

  /** The parent of each node this pass walks (a helper's inlined body is a copy whose nodes have none). */
  const parents = new WeakMap<ts.Node, ts.Node>();
  const parentOf = (n: ts.Node): ts.Node | undefined => parents.get(n) ?? n.parent;
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    ts.forEachChild(node, (child) => void parents.set(child, node));
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      const m = matrixOf(node.name);
      // `const tmp = u`: the same flat array.
      const same = node.initializer && matrixOf(node.initializer);
      if (m) return like(f.updateVariableDeclaration(node, m.flat, node.exclamationToken, undefined, same ? same.flat : node.initializer && (visit(node.initializer) as ts.Expression)), node);
    }
    if (ts.isExpressionStatement(node)) {
      const swapped = reassign(node);
      if (swapped) return swapped;
    }
    if (ts.isCallExpression(node)) {
      // `zeros(K.length)` an earlier pass wrote stays a call of the runtime with its new arguments.
      const runtime = runtimeCallName(node);
      if (runtime) {
        const args = node.arguments.map((a) => visit(a) as ts.Expression);
        return args.every((a, k) => a === node.arguments[k]) ? node : runtimeCall(runtime, args, checker.getTypeAtLocation(node), node);
      }
    }
    if (ts.isVariableStatement(node)) {
      const row = namedRow(node);
      if (row) return row;
    }
    if (ts.isForOfStatement(node)) {
      const m = matrixOf(node.expression);
      if (m) return rowLoop(node, m);
      const named = namedRowOf(node.expression);
      if (named) return elementLoop(node, named);
    }
    if (ts.isElementAccessExpression(node)) {
      const inner = skipParens(node.expression);
      // `K[i][j]`
      if (ts.isElementAccessExpression(inner)) {
        const m = matrixOf(inner.expression);
        if (m) {
          const i = visit(inner.argumentExpression) as ts.Expression;
          const j = visit(node.argumentExpression) as ts.Expression;
          const read = build.element(m.flat, isZero(j) ? rowStart(m, i, inner) : plus(rowStart(m, i, inner), j, node), number, node);
          // `K[i]?.[j]`: undefined outside the matrix, as JavaScript reads a missing row (and a row's missing element).
          if (!node.questionDotToken && !inner.questionDotToken) return read;
          const within = (k: ts.Expression, n: ts.Expression, from: ts.Node): ts.Expression => {
            const below = build.test(k, ts.SyntaxKind.LessThanToken, n, from);
            return ts.isNumericLiteral(k) ? below : build.test(build.test(k, ts.SyntaxKind.GreaterThanEqualsToken, build.number(0, from), from), ts.SyntaxKind.AmpersandAmpersandToken, below, from);
          };
          const test = build.test(within(i, m.rows, inner), ts.SyntaxKind.AmpersandAmpersandToken, within(j, rowLength(m, i, node, build), node), node);
          // `number | undefined` whatever the compiler options say of an index read (the `?? d` after it must stay).
          return build.cond(test, read, typed(f.createIdentifier("undefined"), checker.getUndefinedType(), node), checker.getNullableType(number, ts.TypeFlags.Undefined), node);
        }
      }
      // `meanOf(K[i])`: the helper is given a copy of the row (row-arguments.ts).
      const whole = matrixOf(node.expression);
      const given = whole && helperArgument(node, { resolveFunction }, parentOf);
      if (whole && given) {
        const i = visit(node.argumentExpression) as ts.Expression;
        const start = rowStart(whole, i, node);
        const end = plus(start, rowLength(whole, i, node, build), node);
        return rowCopy(node, given, whole, start, end, checker.getTypeAtLocation(node), userText(node), { resolveFunction, checker });
      }
      // `row[j]` of a named row
      const named = namedRowOf(node.expression);
      if (named) {
        const j = visit(node.argumentExpression) as ts.Expression;
        return build.element(named.matrix.flat, isZero(j) ? named.start : plus(named.start, j, node), number, node);
      }
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "length") {
      const m = matrixOf(node.expression);
      if (m) return m.rows;
      const inner = skipParens(node.expression);
      const ofRow = ts.isElementAccessExpression(inner) ? matrixOf(inner.expression) : undefined;
      if (ofRow) return rowLength(ofRow, visit((inner as ts.ElementAccessExpression).argumentExpression) as ts.Expression, node, build);
      const named = namedRowOf(node.expression);
      if (named) return named.length;
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      // `{ K, scale }`: the property's value is the local matrix.
      const value = checker.getShorthandAssignmentValueSymbol(node);
      const m = value && matrices.get(value);
      if (m) {
        fail(Code.Unsupported, node, `'${m.name}' is a local number[][], which tsgrad keeps as one flat array with a row stride, and cannot be stored in an object as in '${userText(node.parent)}'; keep it in its own local and index it (${m.name}[i][j]), or pass it to a helper of this file.`);
      }
    }
    if (ts.isIdentifier(node)) {
      const m = matrixOf(node);
      if (m) wholeUse(node, m.name);
      const named = namedRowOf(node);
      // `meanOf(c)` of a named row: the helper is given a copy of the row (row-arguments.ts).
      const given = named && helperArgument(node, { resolveFunction }, parentOf);
      if (named && given) {
        const end = plus(named.start, named.length, node);
        return rowCopy(node, given, named.matrix, named.start, end, checker.getTypeAtLocation(node), node.text, { resolveFunction, checker });
      }
      if (named) {
        fail(Code.Unsupported, node, `'${node.text}' names a row of the local number[][] '${named.matrix.name}', read in place in its flat array: index it (${node.text}[j]), measure it or walk it (for (const x of ${node.text})), but not use it whole as here; write the loop over its elements.`);
      }
    }
    return visitChildren(node, visit);
  };

  /**
   * `u = next` of two matrices: the flat array reassigned. Shapes tsgrad cannot
   * see are equal are checked: a flat array keeps one row length.
   */
  const reassign = (node: ts.ExpressionStatement): ts.Statement[] | undefined => {
    const e = skipParens(node.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const [to, from] = [matrixOf(e.left), matrixOf(e.right)];
    if (!to || !from) return undefined;
    const out: ts.Statement[] = [];
    const differ = [
      ...(to.rows === from.rows ? [] : [build.test(from.rows, ts.SyntaxKind.ExclamationEqualsEqualsToken, to.rows, e)]),
      ...(to.cols === from.cols ? [] : [build.test(from.cols, ts.SyntaxKind.ExclamationEqualsEqualsToken, to.cols, e)]),
    ];
    const message = typed(f.createStringLiteral(`${userText(node.expression)}: the two matrices have different shapes; tsgrad keeps a local number[][] as one flat array, and a reassigned one keeps its shape`), checker.getStringType(), e);
    const error = (): ts.Statement => like(f.createThrowStatement(like(f.createNewExpression(globalName("RangeError", checker, e), undefined, [message]), e)), e);
    if (differ.length > 0) {
      const test = differ.reduce((a, b) => build.test(a, ts.SyntaxKind.BarBarToken, b, e));
      out.push(ifThen(test, [error()], e));
    }
    if (!sameRows(to.lengths, from.lengths)) {
      // Rows whose lengths come from two arrays (ragged-rows.ts): each row's length checked, as the strides are above.
      const i = newLocal("r", number, e);
      out.push(forLoop(i, build.number(0, e), to.rows, [ifThen(build.test(rowLength(from, i, e, build), ts.SyntaxKind.ExclamationEqualsEqualsToken, rowLength(to, i, e, build), e), [error()], e)], e, build));
    }
    out.push(like(f.createExpressionStatement(typed(f.createAssignment(to.flat, from.flat), checker.getTypeAtLocation(from.flat), e)), node));
    return out;
  };

  /** Whether two ragged matrices take their row lengths from one array (`start` read in two places), or neither is ragged. */
  const sameRows = (a: ts.Expression | undefined, b: ts.Expression | undefined): boolean => {
    if (a === b) return true;
    if (!a || !b) return false;
    if (ts.isIdentifier(a) && ts.isIdentifier(b)) return keyOf(checker, a) !== undefined && keyOf(checker, a) === keyOf(checker, b);
    return ts.isPropertyAccessExpression(a) && ts.isPropertyAccessExpression(b) && a.name.text === b.name.text && sameRows(a.expression, b.expression);
  };

  const wholeUse = (node: ts.Identifier, what: string): never => {
    const up = (n: ts.Node): ts.Node => {
      let p = n.parent;
      while (p && (ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p))) p = p.parent;
      return p ?? n;
    };
    const text = (n: ts.Node): string => (n.pos >= 0 ? userText(n) : node.text);
    const parent = up(node);
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuter(parent.left) === node) {
      return fail(Code.Unsupported, parent, `'${text(parent)}' gives the local number[][] '${what}' a value tsgrad cannot see made as a matrix; assign another local matrix (a buffer swap), or a copy made here (${what} = ${text(parent.right)}.map((row) => [...row])).`);
    }
    if (ts.isElementAccessExpression(parent) && skipOuter(parent.expression) === node) {
      return fail(Code.Unsupported, parent, `'${text(parent)}' is a row of the local number[][] '${what}', which tsgrad keeps as one flat array with a row stride: a row can be indexed (${what}[i][j]), measured and walked (${what}[i].reduce(...), const row = ${what}[i]), but not passed on whole as in '${text(up(parent))}'; write the loop over its elements here.`);
    }
    if (ts.isCallExpression(parent) && resolveFunction(parent.expression)?.body && inBranch(parent)) {
      // The first pass inlines such a call before its statement only where the statement always makes it.
      return fail(Code.Unsupported, parent, `'${text(parent)}' gives the local number[][] '${what}' to a helper where the statement may not call it (a branch of ?:, the right of && or ||); tsgrad inlines a helper given a local matrix before the statement that calls it, so call it in a statement of its own (const value = ${text(parent)}), inside an if when it must run only on that branch.`);
    }
    return fail(Code.Unsupported, node, `'${what}' is a local number[][], which tsgrad keeps as one flat array with a row stride: it can be indexed (${what}[i][j]), measured, walked by row and given to a helper of the program that is then inlined (const L = cholesky(${what})), but not used whole as in '${text(parent)}'; index it where it is used.`);
  };

  /** `const row = K[i]`: a name for the row's start; `row[j]` reads `K[rowStart + j]`. */
  const namedRow = (node: ts.VariableStatement): ts.Statement[] | undefined => {
    const list = node.declarationList;
    if (list.declarations.length !== 1) return undefined;
    const d = list.declarations[0]!;
    const init = d.initializer && skipParens(d.initializer);
    if (!init || !ts.isElementAccessExpression(init)) return undefined;
    const m = matrixOf(init.expression);
    if (!m) return undefined;
    if (ts.isArrayBindingPattern(d.name)) {
      // `const [x, y] = nodes[i]`: each name reads its element where it lives.
      const names = d.name.elements;
      if (names.every((b) => ts.isOmittedExpression(b) || (ts.isIdentifier(b.name) && !b.initializer && !b.dotDotDotToken))) {
        const i = visit(init.argumentExpression) as ts.Expression;
        const flags = list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let);
        return names.flatMap((b, k) => {
          if (ts.isOmittedExpression(b)) return [];
          const at = k === 0 ? rowStart(m, i, init) : plus(rowStart(m, i, init), build.number(k, b), b);
          return [build.declare(b.name, build.element(m.flat, at, number, b), flags, b)];
        });
      }
    }
    if (!ts.isIdentifier(d.name) || !(list.flags & ts.NodeFlags.Const)) {
      fail(Code.Unsupported, d, `a row of the local number[][] '${m.name}' can be named with const (const row = ${m.name}[i]); write the elements out by index (${m.name}[i][j]) here.`);
    }
    const symbol = keyOf(checker, d.name);
    if (!symbol) return undefined;
    const start = newLocal(`${d.name.text}Start`, number, d.name);
    let i = visit(init.argumentExpression) as ts.Expression;
    const out: ts.Statement[] = [];
    if (m.lengths && !ts.isIdentifier(i) && !ts.isNumericLiteral(i)) {
      // A ragged row's length is read where its index is: the index computed once.
      const index = newLocal(`${d.name.text}Index`, number, init);
      out.push(build.declare(index, i, ts.NodeFlags.Const, node));
      i = index;
    }
    rowsNamed.set(symbol, { matrix: m, start, length: rowLength(m, i, d, build) });
    return [...out, build.declare(start, rowStart(m, i, init), ts.NodeFlags.Const, node)];
  };

  /** `for (const row of K) body`: a loop over the row indices, each row named by its start. */
  const rowLoop = (node: ts.ForOfStatement, m: Matrix): ts.Statement => {
    const init = node.initializer;
    const d = ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0]! : undefined;
    if (!d || !ts.isIdentifier(d.name)) fail(Code.Unsupported, node.initializer, `write the loop over the local number[][] '${m.name}' with one name per row (for (const row of ${m.name})), or index it (${m.name}[i][j]).`);
    const symbol = keyOf(checker, d.name);
    if (!symbol) fail(Code.Unsupported, node.initializer, `index the local number[][] '${m.name}' in the loop (${m.name}[i][j]).`);
    const i = newLocal("r", number, node);
    const start = newLocal(`${d.name.text}Start`, number, d.name);
    rowsNamed.set(symbol, { matrix: m, start, length: rowLength(m, i, d, build) });
    const body = visit(node.statement) as ts.Statement;
    return forLoop(i, build.number(0, node), m.rows, [build.declare(start, times(i, m.cols, node), ts.NodeFlags.Const, node), body], node, build);
  };

  /** `for (const x of row)` of a named row: a loop over its elements, each read where it lives. */
  const elementLoop = (node: ts.ForOfStatement, { matrix: m, start, length }: NamedRow): ts.Statement => {
    const init = node.initializer;
    const d = ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0]! : undefined;
    if (!d) fail(Code.Unsupported, node.initializer, `write the loop over a row of the local number[][] '${m.name}' with a declared name (for (const x of row)), or index it (row[j]).`);
    const j = newLocal("c", number, node);
    const element = build.element(m.flat, plus(start, j, node), number, node);
    const body = visit(node.statement) as ts.Statement;
    return forLoop(j, build.number(0, node), length, [build.declare(d.name, element, init.flags & ts.NodeFlags.Let ? ts.NodeFlags.Let : ts.NodeFlags.Const, d), body], node, build);
  };

  return ts.visitEachChild(fn, visit, undefined);
}

/** A named row of a flat matrix: where it starts in the flat array, and its length. */
interface NamedRow {
  readonly matrix: Matrix;
  readonly start: ts.Identifier;
  readonly length: ts.Expression;
}

/** Whether `e` runs only on one branch of its statement: under a `?:` branch, or the right of `&&`, `||`, `??`. */
function inBranch(e: ts.Node): boolean {
  for (let n = e; n.parent && !ts.isStatement(n) && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (ts.isConditionalExpression(p) && p.condition !== n) return true;
    if (ts.isBinaryExpression(p) && p.right === n && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind)) return true;
  }
  return false;
}

/** Whether `t` is `number[]`. */
function isNumberArray(checker: ts.TypeChecker, t: ts.Type): boolean {
  const element = checker.isArrayType(t) ? checker.getIndexTypeOfType(t, ts.IndexKind.Number) : undefined;
  return !!element && every(element, ts.TypeFlags.NumberLike);
}

/** The row type of `number[][]` (a `number[]`), or undefined for any other type. */
function matrixRowType(checker: ts.TypeChecker, t: ts.Type): ts.Type | undefined {
  if (!checker.isArrayType(t)) return undefined;
  const row = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
  if (!row || !checker.isArrayType(row)) return undefined;
  const element = checker.getIndexTypeOfType(row, ts.IndexKind.Number);
  return element && every(element, ts.TypeFlags.NumberLike) ? row : undefined;
}

/** The row length of `e` when it names a `const` written as literal rows of one length (`const COST = [[0, 1], [1, 0]]`). */
function literalWidth(checker: ts.TypeChecker, e: ts.Expression): number | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const init = skipOuter(decl.initializer);
  if (!ts.isArrayLiteralExpression(init) || init.elements.length === 0) return undefined;
  const widths = init.elements.map((r) => {
    const row = ts.isSpreadElement(r) ? undefined : skipOuter(r);
    return row && ts.isArrayLiteralExpression(row) && !row.elements.some(ts.isSpreadElement) ? row.elements.length : -1;
  });
  return widths.every((w) => w >= 0 && w === widths[0]) ? widths[0] : undefined;
}

/** Element `k` of an array literal without spreads, or undefined. */
function elementOfLiteral(e: ts.Expression, k: number): ts.Expression | undefined {
  return ts.isArrayLiteralExpression(e) && !e.elements.some(ts.isSpreadElement) ? e.elements[k] : undefined;
}

/** The value of the field `field` of an object literal of plain fields, or undefined. */
function fieldOfLiteral(e: ts.Expression, field: ts.PropertyName | ts.BindingName): ts.Expression | undefined {
  if (!ts.isObjectLiteralExpression(e) || !(ts.isIdentifier(field) || ts.isStringLiteral(field))) return undefined;
  // A shorthand `{ v }` left is not the helper's own (those are `v: copy` by now): its name would mean the field.
  if (!e.properties.every(ts.isPropertyAssignment)) return undefined;
  for (const p of e.properties) {
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
    if (key === field.text) return p.initializer;
  }
  return undefined;
}

/** The names a statement declares at its own level (`const exps = ...`). */
function declaredNames(s: ts.Statement): ts.BindingName[] {
  return ts.isVariableStatement(s) ? s.declarationList.declarations.map((d) => d.name) : [];
}

/** Whether `s` has a return statement of its own (not of a function inside it). */
function returns(s: ts.Node): boolean {
  if (ts.isReturnStatement(s)) return true;
  if (ts.isFunctionLike(s)) return false;
  return ts.forEachChild(s, returns) ?? false;
}

/** An arrow or function expression written in place with at most `max` plain parameters, and its value when its body is one expression. */
function arrow(e: ts.Expression, max: number): { params: ts.BindingName[]; body?: ts.Expression; before?: readonly ts.Statement[] } | undefined {
  e = skipParens(e);
  if (!ts.isArrowFunction(e) && !ts.isFunctionExpression(e)) return undefined;
  if (e.parameters.length > max || e.parameters.some((p) => p.dotDotDotToken || p.initializer)) return undefined;
  const params = e.parameters.map((p) => p.name);
  if (ts.isBlock(e.body)) {
    const statements = e.body.statements;
    const last = statements[statements.length - 1];
    const before = statements.slice(0, -1);
    if (!last || !ts.isReturnStatement(last) || !last.expression || before.some(returns)) return { params };
    return { params, body: last.expression, before };
  }
  return { params, body: e.body };
}

/** `x.method(...)` as `e` itself. */
function callOf(e: ts.Expression, method: string): (ts.CallExpression & { expression: ts.PropertyAccessExpression }) | undefined {
  e = skipParens(e);
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === method ? (e as ts.CallExpression & { expression: ts.PropertyAccessExpression }) : undefined;
}

/** Whether `a` and `b` name one local (a new local, as in a helper inlined again, by its node). */
function sameSymbol(checker: ts.TypeChecker, a: ts.Identifier, b: ts.Identifier): boolean {
  const s = keyOf(checker, a);
  return s !== undefined && s === keyOf(checker, b);
}

/** Whether `e` reads any of the names the patterns `names` declare. */
function mentionsAny(checker: ts.TypeChecker, e: ts.Node, names: readonly ts.BindingName[]): boolean {
  const symbols = new Set<Key>();
  const collect = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const s = keyOf(checker, n);
      if (s) symbols.add(s);
    }
    ts.forEachChild(n, collect);
  };
  names.forEach(collect);
  let found = false;
  const look = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const s = keyOf(checker, n);
      if (s && symbols.has(s)) found = true;
    }
    ts.forEachChild(n, look);
  };
  look(e);
  return found;
}

function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  return false;
}

/** A plain read or a row of one at a literal index (`b[0]`, as `b[0].map((_, j) => ...)` walks the columns): the same wherever it is read. */
function isPlainOrRowRead(e: ts.Expression): boolean {
  e = skipOuter(e);
  return isPlainRead(e) || (ts.isElementAccessExpression(e) && ts.isNumericLiteral(skipParens(e.argumentExpression)) && isPlainRead(skipOuter(e.expression)));
}

/** `number[]` or `Float64Array`: what a row read whole holds. */
function isNumbers(t: ts.Type): boolean {
  if (t.getSymbol()?.name === "Float64Array") return true;
  const element = t.getNumberIndexType();
  return !!element && !!(element.flags & ts.TypeFlags.NumberLike) && !(t.flags & ts.TypeFlags.NumberLike);
}

/** `e` without parentheses and non-null assertions around it. */
function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}


function isZero(e: ts.Expression): boolean {
  return ts.isNumericLiteral(e) && e.text === "0";
}

/**
 * `let history: number[][] = [initial.slice()]` grown with `history.push(rho)`:
 * rows pushed onto a local matrix that is not a const literal of rows (those
 * are grown, pushed-rows.ts), which one flat array of a shape known where it
 * is made cannot hold. Refused at the push, named, with what to write instead.
 */
function refusePushedRows(d: ts.VariableDeclaration, checker: ts.TypeChecker): void {
  const user = ts.getOriginalNode(d);
  if (!ts.isVariableDeclaration(user) || !ts.isIdentifier(user.name) || !user.initializer || !ts.isArrayLiteralExpression(skipParens(user.initializer))) return;
  const symbol = checker.getSymbolAtLocation(user.name);
  let scope: ts.Node | undefined = user.parent;
  while (scope && !ts.isFunctionLike(scope)) scope = scope.parent;
  if (!symbol || !scope) return;
  const name = user.name.text;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "push") {
      const target = skipParens(n.expression.expression);
      if (ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol) {
        fail(
          Code.Unsupported,
          n,
          `'${userText(n)}' adds a row to the local number[][] '${name}', which tsgrad keeps as one flat array, grown by rows only when it is declared with const as a literal of whole rows (const ${name}: number[][] = [first.slice()], or = []). ` +
            `Declare '${name}' that way, or make it with its final shape (const ${name} = Array.from({ length: steps + 1 }, () => new Array(n).fill(0))) and write each row's elements by index (${name}[t + 1][i] = ...).`,
        );
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
}
