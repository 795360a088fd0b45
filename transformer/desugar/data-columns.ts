// Columns of data: the boolean and string fields of an array of class
// instances the classes pass keeps as one array per field (`particles_pinned`
// beside `particles_x`). Takes: what that pass builds for such a column (its
// literal, a push onto it, another name for it). Guarantees: each is passive
// code (passive.ts), which lowering keeps as written in the forward sweep and
// never differentiates, so a column of booleans stays a `boolean[]`, read by
// index where the instance's field was read.

import { ts } from "../ts.js";
import { passiveMarker } from "../passive.js";
import { like, typed } from "./synth.js";

/** A boolean or string type (a literal or a union of them): data an instance carries, never differentiated. */
export function isDataType(t: ts.Type): boolean {
  const data = ts.TypeFlags.BooleanLike | ts.TypeFlags.StringLike;
  return !!(t.flags & data) || (t.isUnion() && t.types.every((x) => !!(x.flags & data)));
}

/** `node` as passive code whose holes are `values`, each in place of the identifier made for it. */
function asWritten(build: (holes: readonly ts.Identifier[]) => ts.Expression, values: readonly ts.Expression[], type: ts.Type, from: ts.Node): ts.Expression {
  const ids = values.map(() => ts.factory.createIdentifier("_"));
  const holes = new Map(ids.map((id, i) => [id, i]));
  return typed(passiveMarker(build(ids), holes, values), type, from);
}

/** `[a, b, ...]`: a column of `type` (`boolean[]`) holding the field of each element. */
export function dataColumn(items: readonly ts.Expression[], type: ts.Type, from: ts.Node): ts.Expression {
  return asWritten((holes) => ts.factory.createArrayLiteralExpression([...holes]), items, type, from);
}

/** `column` under another name (`let xs_pinned = particles_pinned`): the same array, passed on as written. */
export function dataAlias(column: ts.Expression, type: ts.Type, from: ts.Node): ts.Expression {
  return asWritten(([h]) => h!, [column], type, from);
}

/** `[...column]`: a copy of the column, as written. */
export function dataCopy(column: ts.Expression, type: ts.Type, from: ts.Node): ts.Expression {
  return asWritten(([h]) => ts.factory.createArrayLiteralExpression([ts.factory.createSpreadElement(h!)]), [column], type, from);
}

/** `column.push(value);`, run in the forward sweep as written. */
export function dataPush(column: ts.Expression, value: ts.Expression, type: ts.Type, from: ts.Node): ts.Statement {
  const f = ts.factory;
  const call = asWritten(([c, v]) => f.createCallExpression(f.createPropertyAccessExpression(c!, "push"), undefined, [v!]), [column, value], type, from);
  return like(f.createExpressionStatement(call), from);
}
