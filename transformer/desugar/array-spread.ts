// Desugaring: arrays built with spread. Takes: a function whose declarations
// may build an array from arrays and elements (`const all = [...xs, y]`,
// `const copy = [...signal]`), the arrays read by name or field.
// Guarantees: such a declaration is a new array of the combined length
// (`zeros(xs.length + 1)`) followed by the loops and stores that fill it, in
// order (`for (let i = 0; i < xs.length; i++) all[i] = xs[i]; all[xs.length] = y`),
// so each element's gradient flows back to where it came from. A spread of a
// tuple was already its elements (spread.ts); other spreads are left for
// lowering to refuse. Arrays of rows, records or tuples that reach this pass
// (matrices.ts took the ones it keeps as matrices) are refused here, at the
// literal, since the buffer is one of numbers; a copy of records (`[...bodies]`)
// is left to the classes pass, which copies each of its columns.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { recordLeaves } from "./record-columns.js";
import { Build, like, newLocal, runtimeCall, shownAsWritten, skipParens, typed, userText, visitChildren } from "./synth.js";

export function desugarArraySpread(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const d = node.declarationList.declarations[0]!;
      const init = d.initializer && skipParens(d.initializer);
      if (ts.isIdentifier(d.name) && init && ts.isArrayLiteralExpression(init) && spreadsArrays(init, checker) && !copiesRecords(init, checker)) {
        return fill(node, d.name, init, build);
      }
    }
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}


/** Whether `[...]` spreads an array read by a name or a field (read twice: for its length, then its elements). */
function spreadsArrays(e: ts.ArrayLiteralExpression, checker: ts.TypeChecker): boolean {
  const spreads = e.elements.filter(ts.isSpreadElement);
  return (
    spreads.length > 0 &&
    spreads.every((s) => {
      const x = skipParens(s.expression);
      const t = checker.getTypeAtLocation(x);
      return (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) && (checker.isArrayType(t) || t.getSymbol()?.name === "Float64Array");
    })
  );
}

/** `[...bodies]` of records of numbers: a copy the classes pass makes column by column (record-columns.ts). */
function copiesRecords(e: ts.ArrayLiteralExpression, checker: ts.TypeChecker): boolean {
  const only = e.elements.length === 1 ? e.elements[0]! : undefined;
  if (!only || !ts.isSpreadElement(only)) return false;
  const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(only.expression), ts.IndexKind.Number);
  return !!element && !!recordLeaves(checker, element, true);
}

/** `const name = [...xs, y]` as `const name = zeros(xs.length + 1)` and the statements that fill it. */
function fill(statement: ts.VariableStatement, name: ts.Identifier, literal: ts.ArrayLiteralExpression, build: Build): ts.Statement[] {
  const f = ts.factory;
  const checker = build.checker;
  const number = checker.getNumberType();
  const plus = (a: ts.Expression, b: ts.Expression): ts.Expression => typed(f.createBinaryExpression(a, ts.SyntaxKind.PlusToken, b), number, literal);
  const list = statement.declarationList;
  const declare = (init: ts.Expression): ts.Statement => {
    const decl = like(f.updateVariableDeclaration(list.declarations[0]!, name, undefined, list.declarations[0]!.type, init), list.declarations[0]!);
    return like(f.updateVariableStatement(statement, statement.modifiers, like(f.updateVariableDeclarationList(list, [decl]), list)), statement);
  };
  refuseOtherElements(literal, checker);
  const only = literal.elements.length === 1 ? literal.elements[0]! : undefined;
  // `[...xs]` is a copy: tensor(xs).
  if (only && ts.isSpreadElement(only)) return [declare(runtimeCall("tensor", [skipParens(only.expression)], checker.getTypeAtLocation(name), literal))];
  const stores: ts.Statement[] = [];
  // Where the next element goes: the lengths of the arrays before it, and how many elements.
  const lengths: ts.Expression[] = [];
  let count = 0;
  const at = (): ts.Expression => {
    const parts = count > 0 || lengths.length === 0 ? [...lengths, build.number(count, literal)] : lengths;
    return parts.reduce((a, b) => plus(a, b));
  };
  for (const element of literal.elements) {
    if (ts.isSpreadElement(element)) {
      const xs = skipParens(element.expression);
      const i = newLocal("i", number, element);
      const elementType = checker.getIndexTypeOfType(checker.getTypeAtLocation(xs), ts.IndexKind.Number) ?? number;
      const start = at();
      const index = isZero(start) ? i : plus(start, i);
      const store = typed(f.createAssignment(build.element(name, index, number, element), build.element(xs, i, elementType, element)), number, element);
      // The loop copies what `...xs` spreads: it, its counter and its store map there (a debugger
      // stops on the spread), and their comments show the code written (`all[i] = xs[i]`).
      const loop = f.createForStatement(
        shownAsWritten(like(f.createVariableDeclarationList([like(f.createVariableDeclaration(i, undefined, undefined, build.number(0, element)), element)], ts.NodeFlags.Let), element)),
        build.test(i, ts.SyntaxKind.LessThanToken, build.length(xs, element), element),
        shownAsWritten(typed(f.createPostfixIncrement(i), number, element)),
        shownAsWritten(like(f.createExpressionStatement(store), element)),
      );
      stores.push(shownAsWritten(like(loop, element)));
      lengths.push(build.length(xs, element));
      continue;
    }
    const store = typed(f.createAssignment(build.element(name, at(), number, element), element), number, element);
    stores.push(like(f.createExpressionStatement(store), statement));
    count++;
  }
  return [declare(runtimeCall("zeros", [at()], checker.getTypeAtLocation(name), literal)), ...stores];
}

/**
 * The buffer `fill` makes holds numbers: a spread of rows, records or tuples
 * (`[...a, ...b]` of `number[][]`) is refused at the literal as written, rather
 * than let lowering report the `zeros(...)` and the stores it would become.
 */
function refuseOtherElements(literal: ts.ArrayLiteralExpression, checker: ts.TypeChecker): void {
  for (const element of literal.elements) {
    if (!ts.isSpreadElement(element)) continue;
    const xs = skipParens(element.expression);
    const elementType = checker.getIndexTypeOfType(checker.getTypeAtLocation(xs), ts.IndexKind.Number);
    if (!elementType || elementType.flags & ts.TypeFlags.NumberLike) continue;
    const text = userText(literal).replace(/\s+/g, " ");
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    const part = userText(xs);
    const kind = checker.typeToString(elementType);
    const copy = literal.elements.length === 1;
    fail(
      Code.Unsupported,
      literal,
      copy
        ? `'${shown}' copies '${part}', whose elements are '${kind}'; tsgrad copies arrays of numbers with spread. Read ${part} itself where you read the copy, or make the copy outside the differentiated function and pass it in.`
        : `'${shown}' joins '${part}', whose elements are '${kind}', with spread; tsgrad joins arrays of numbers. Read each part where it is (a loop over ${part}, then one over the next part), or join them outside the differentiated function and pass the result in.`,
    );
  }
}

function isZero(e: ts.Expression): boolean {
  return ts.isNumericLiteral(e) && e.text === "0";
}
