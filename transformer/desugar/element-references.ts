// Fields of instances in an array that name an element of an array tsgrad reads
// in place. Takes: from the classes pass (classes.ts, record-arrays.ts), an
// array of class instances kept as one array per field (`ducts`), whose class
// has a field holding a record tsgrad cannot keep as columns (`branch: Branch`,
// with a string `name` and an optional `fittingK`), each instance given an
// element of one parameter or module-constant array (`new Duct(d, b)` with
// `const b = branches[i]`, which map and for...of make). Guarantees: the field
// is never copied — its column holds the index of the element
// (`ducts_branch.push(i)`, passive data), and a read of it is the element
// itself (`branches[ducts_branch[k]].airflow`), which lowering reads and
// differentiates in place as it does `branches[i].airflow`; so the record the
// instance holds is the one object the array holds, as in JavaScript, and a
// derivative with respect to its numbers reaches that array. A value that is
// not such an element (a record made here, elements of two arrays) and a write
// to the field are refused, located, saying what to write.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { classOf, isPlainRead } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { isDataType } from "./data-columns.js";
import type { Key, Value } from "./inlined-values.js";
import { recordLeaves } from "./record-columns.js";
import { skipParens, userText } from "./synth.js";
import { someNode } from "../walk.js";

/** Where the elements a column of indices points into live: the array, fixed at the first element pushed. */
interface Reference {
  source?: ts.Expression;
}

/** The column of indices of each reference field, by its identifier (a column's aliases and copies share their source's). */
const references = new WeakMap<ts.Identifier, Reference>();

/** `const b = branches[i]` of a record a reference field may hold: the array and the index, fixed for as long as `b` is in scope. */
export interface ElementOf {
  readonly source: ts.Expression;
  readonly index: ts.Expression;
  /** A loop counter the index names, which must still be the loop's (unassigned) when the element is pushed. */
  readonly counter?: Key;
}

/**
 * Whether an instance field of type `t` is kept as an index into the array
 * its elements come from: a plain record (an interface, a type literal) that
 * is not all numbers (a string field, an optional one), and not a class,
 * array, union or function.
 */
export function isReferenceType(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion() || checker.isArrayType(t) || checker.isTupleType(t)) return false;
  if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0 || classOf(checker, t) || recordLeaves(checker, t)) return false;
  if (checker.getIndexInfosOfType(t).length > 0) return false;
  const decl = t.getSymbol()?.declarations?.[0];
  if (!decl || decl.getSourceFile().isDeclarationFile || !(ts.isInterfaceDeclaration(decl) || ts.isTypeLiteralNode(decl))) return false;
  const props = checker.getPropertiesOfType(t);
  return props.length > 0 && props.every((p) => !(p.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) && isPlainField(checker.getTypeOfSymbol(p)));
}

/** A number, a string or boolean, or either of these optional: what a record read in place may hold for a method to read. */
function isPlainField(t: ts.Type): boolean {
  const parts = t.isUnion() ? t.types : [t];
  return parts.every((x) => !!(x.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Undefined)) || isDataType(x));
}

/** Whether the column `key` of an array of `element` instances is a column of indices. */
export function isReferenceField(checker: ts.TypeChecker, element: ts.Type, key: string): boolean {
  if (!classOf(checker, element) || key.includes(".")) return false;
  const symbol = checker.getPropertyOfType(element, key);
  return !!symbol && isReferenceType(checker, checker.getTypeOfSymbol(symbol));
}

/** Registers `column` as a column of indices, with no source yet (or `like`'s, for an alias or a copy of it). */
export function referenceColumn(column: ts.Identifier, like?: ts.Identifier): void {
  references.set(column, (like && references.get(like)) ?? {});
}

/**
 * `const b = branches[i]` of a record type a reference field may hold: the
 * element, when the array is a parameter never assigned or a module constant
 * and the index a const, a literal or the counter of a loop around it.
 */
export function elementOfDeclaration(inliner: Inliner, init: ts.Expression, source: ts.Expression, index: ts.Expression): ElementOf | undefined {
  if (!ts.isElementAccessExpression(skipParens(init)) || !isFixedArray(inliner, source)) return undefined;
  if (inliner.isFixed(index)) return { source, index };
  const counter = ts.isIdentifier(index) ? inliner.key(index) : undefined;
  return counter && inliner.counters.has(counter) ? { source, index, counter } : undefined;
}

/** Methods that move or replace an array's elements, after which an index no longer finds the element it was taken for. */
const MOVES = new Set(["splice", "shift", "unshift", "reverse", "sort", "fill", "copyWithin", "pop"]);

/**
 * Whether `e` names the same array, holding the same elements at the same
 * indices, wherever the function reads it: a parameter it never assigns, or a
 * module const, whose elements the function never assigns nor moves.
 */
function isFixedArray(inliner: Inliner, e: ts.Expression): boolean {
  const user = ts.getParseTreeNode(inliner.fn) ?? inliner.fn;
  const name = userText(e);
  const changes = someNode(user, (n) =>
    (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isElementAccessExpression(skipParens(n.left)) && userText((skipParens(n.left) as ts.ElementAccessExpression).expression) === name) ||
    (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MOVES.has(n.expression.name.text) && userText(n.expression.expression) === name));
  return !changes && isUnchanged(inliner, e);
}

function isUnchanged(inliner: Inliner, e: ts.Expression): boolean {
  e = skipParens(e);
  if (!ts.isIdentifier(e)) return ts.isPropertyAccessExpression(e) && isPlainRead(e) && isUnchanged(inliner, e.expression);
  if (inliner.isFixed(e)) return true;
  const key = inliner.key(e);
  const decl = key && !isNode(key) ? key.valueDeclaration : undefined;
  return !!decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && !!(decl.parent.flags & ts.NodeFlags.Const) && !inliner.declaredInside(key as ts.Symbol);
}

function isNode(key: Key): key is ts.Identifier {
  return "kind" in key;
}

/**
 * The index to push onto `column` for the field `field` of an instance of
 * `element` going into an array kept as columns: the element `value` is
 * (`branches[i]`, or a const naming one), which must come from the array the
 * column's earlier elements came from; refused, located at `at`, otherwise.
 */
export function referenceIndex(inliner: Inliner, column: ts.Identifier, value: Value, element: ts.Type, field: string, type: ts.Type, at: ts.Node): ts.Expression {
  const found = value.kind === "expr" ? elementOfValue(inliner, value.node, inliner.elements) : undefined;
  const instances = `an array of ${inliner.checker.typeToString(element)} instances`;
  if (!found) {
    return fail(Code.UnsupportedType, at, `'${userText(at)}' goes into ${instances}, whose field '${field}' holds a '${inliner.checker.typeToString(type)}' (not all numbers), which tsgrad keeps as the index of the element of the parameter or constant array it comes from, and '${field}' is given no such element here (or the function moves that array's elements: an element assigned, sort, reverse, splice); give '${field}' an element of a parameter or constant array the function leaves as it is (items[i], or the element that map or for...of gives), or give the class the numbers it reads from '${field}' as fields of their own.`);
  }
  const reference = references.get(column) ?? fail(Code.Unsupported, at, `tsgrad lost the index column of '${field}' of ${instances}; keep each instance in a local of its own.`);
  if (!reference.source) reference.source = found.source;
  else if (userText(reference.source) !== userText(found.source)) {
    fail(Code.UnsupportedType, at, `'${userText(at)}' gives '${field}' an element of '${userText(found.source)}', and an earlier instance in that array one of '${userText(reference.source)}'; tsgrad keeps '${field}' as the index of the element in one array, so give every instance of the array an element of the same array (join the two into one first).`);
  }
  return found.index;
}

/** `branches[i]`, or a const naming it whose loop counter is still the loop's: the element and its index. */
function elementOfValue(inliner: Inliner, node: ts.Expression, elements: ReadonlyMap<Key, ElementOf>): ElementOf | undefined {
  const e = skipParens(node);
  if (ts.isElementAccessExpression(e)) return elementOfDeclaration(inliner, e, e.expression, skipParens(e.argumentExpression));
  if (!ts.isIdentifier(e)) return undefined;
  const key = inliner.key(e);
  const element = key && elements.get(key);
  if (!element || (element.counter && !inliner.counters.has(element.counter))) return undefined;
  return element;
}

/** The element the reference column `column` points at row `index`: `source[column[index]]`, or undefined when no element was pushed yet. */
export function referencedElement(inliner: Inliner, column: ts.Identifier, index: ts.Expression, type: ts.Type, at: ts.Node): ts.Expression | undefined {
  const source = references.get(column)?.source;
  if (!source) return undefined;
  const number = inliner.checker.getNumberType();
  return inliner.build.element(source, inliner.build.element(column, index, number, at), type, at);
}

/** The source of the reference column `column`, for a message. */
export function referenceSource(column: ts.Identifier): ts.Expression | undefined {
  return references.get(column)?.source;
}
