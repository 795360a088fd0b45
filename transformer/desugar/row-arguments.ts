// Desugaring: a row of a local matrix given whole to a helper. Takes: a call of
// a helper of the program with an argument that is a row of a local `number[][]`
// kept as one flat array (matrices.ts): a named row (`meanOf(c)` of
// `curved.map((c) => meanOf(c))`, `const row = K[i]`) or `K[i]` itself.
// Guarantees: the argument becomes a copy of the row's slice of the flat array
// (`curved.slice(cStart, cStart + curvedCols)`), a number[] as the helper's
// parameter is (lowered as runtime sliceToArray), which lowering passes as any
// copied array (made first, in a local; its adjoint flows back into the
// matrix's). A copy gives the helper what JavaScript gives it as long as the
// helper only reads its parameter; a helper that writes into it (directly, or
// through a helper it hands it to) would write the matrix in JavaScript, so it
// is refused, named, with what to write instead.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { parameterWrite } from "./parameter-writes.js";
import type { Matrix } from "./matrices.js";
import { typed, userText } from "./synth.js";

/**
 * The call of a helper of the program that `arg` is an argument of (through
 * parentheses and `!`), with the argument's position; else undefined.
 */
export function helperArgument(
  arg: ts.Node,
  { resolveFunction }: Pick<DesugarContext, "resolveFunction">,
  // A helper's body inlined by a pass is a copy whose nodes have no parents: the visitor knows them.
  parentOf: (n: ts.Node) => ts.Node | undefined = (n) => n.parent,
): { call: ts.CallExpression; index: number; helper: FunctionLike } | undefined {
  let n = arg;
  for (let up = parentOf(n); up && (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up)); up = parentOf(n)) n = up;
  const call = parentOf(n);
  if (!call || !ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(n as ts.Expression);
  if (index < 0) return undefined;
  const helper = resolveFunction(call.expression);
  return helper?.body ? { call, index, helper } : undefined;
}

/**
 * `flat.slice(start, start + cols)`: row `start / cols` of a flat matrix, copied
 * for the helper that `arg` is given to. `row` is how the user wrote the row (for
 * the message), `rowType` the type of a row (`number[]`).
 */
export function rowCopy(
  arg: ts.Node,
  given: { call: ts.CallExpression; index: number; helper: FunctionLike },
  matrix: Matrix,
  start: ts.Expression,
  end: ts.Expression,
  rowType: ts.Type,
  row: string,
  ctx: Pick<DesugarContext, "resolveFunction" | "checker">,
): ts.Expression {
  const name = userText(given.call.expression);
  const written = parameterWrite(given.helper, given.index, ctx);
  if (written) {
    fail(
      Code.Unsupported,
      arg,
      `'${row}' is a row of the local number[][] '${matrix.name}', given whole to '${name}', which writes into it (${written}); tsgrad keeps the matrix as one flat array and can give a helper only a copy of a row, so the write would not reach '${matrix.name}'. Write the row's elements by index here (${matrix.name}[i][j] = ...), or have '${name}' return a new array.`,
    );
  }
  const slice = typed(ts.factory.createPropertyAccessExpression(matrix.flat, "slice"), ctx.checker.getAnyType(), arg);
  const copy = typed(ts.factory.createCallExpression(slice, undefined, [start, end]), rowType, arg);
  rowCopies.add(copy);
  return copy;
}

/** The copies rowCopy made. */
const rowCopies = new WeakSet<ts.Node>();

/**
 * Whether `e` is a row's copy that rowCopy made: lowering makes it a number[]
 * (runtime sliceToArray), the type of the helper's parameter, though the flat
 * matrix it is copied from is a Float64Array.
 */
export function isRowCopy(e: ts.Node): boolean {
  return rowCopies.has(e);
}
