// Desugaring: local matrices whose rows differ in length. Takes: a local
// `number[][]` mapped row by row from the rows of a parameter or constant
// (`const curved = sections.map((scores) => scores.map((s) => curveAt(s, h)))`,
// sections of 8, 7 and 9 scores), and matrices mapped from the rows of such a
// one, as matrices.ts meets them. Guarantees: the matrix is one flat array of
// `rows * cols` numbers, `cols` being its longest row's length (found by a
// loop over the source's rows where the matrix is made), row `i` laid out
// from `i * cols` and `sections[i].length` long; the rest of the row is
// padding, NaN from the start (matrices.ts makes the flat array with
// `full(rows * cols, Number.NaN)`), so a read past the end of a short row
// (`curved[1][3]` of a row of 3) gives NaN, as the `undefined` JavaScript reads
// there gives in arithmetic, at no cost to the reads within a row. The loops
// that walk a row reach no padding: the fill loops, `curved[i].length`, a named row's
// length (`const c = curved[i]`, `for (const c of curved)`, which `.map`,
// `.reduce` and `.flat()` over the matrix come to), `curved[i]?.[j]` and the
// copy of a row given whole to a helper (row-arguments.ts) all take the row's
// own length. So a helper given each row (`curved.map((c) => meanOf(c))`)
// sees exactly the numbers JavaScript gives it, and the padding's adjoint
// stays zero. Before this, such a matrix threw a RangeError on rows of two
// lengths (one stride, one row length).

import { ts } from "../ts.js";
import { forLoop, ifThen } from "./array-methods/statements.js";
import type { Matrix } from "./matrices.js";
import { type Build, newLocal } from "./synth.js";

/** `let cols = 0; for (i < rows) if (lengths[i].length > cols) cols = lengths[i].length;`: the longest row's length. */
export function widestRow(cols: ts.Identifier, rows: ts.Identifier, lengths: ts.Expression, from: ts.Node, build: Build): ts.Statement[] {
  const i = newLocal("i", build.checker.getNumberType(), from);
  const length = rowOf(lengths, i, from, build);
  const longer = ifThen(build.test(length, ts.SyntaxKind.GreaterThanToken, cols, from), [build.assign(cols, rowOf(lengths, i, from, build), from)], from);
  return [build.declare(cols, build.number(0, from), ts.NodeFlags.Let, from), forLoop(i, build.number(0, from), rows, [longer], from, build)];
}

/** The length of row `i` of the matrix `m`: its source row's for a ragged matrix, else its one row length. */
export function rowLength(m: Matrix, i: ts.Expression, from: ts.Node, build: Build): ts.Expression {
  return m.lengths ? rowOf(m.lengths, i, from, build) : m.cols;
}

/** `lengths[i].length`. */
function rowOf(lengths: ts.Expression, i: ts.Expression, from: ts.Node, build: Build): ts.Expression {
  const { checker } = build;
  const row = checker.getIndexTypeOfType(checker.getTypeAtLocation(lengths), ts.IndexKind.Number) ?? checker.getAnyType();
  return build.length(build.element(lengths, i, row, from), from);
}
