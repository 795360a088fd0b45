// What generated vjp, Jacobian and `{ into: true }` code calls: small helpers
// around the generated sweeps, so the emitted loops stay short. No closures:
// each helper takes the arrays it works on.

import type { GradBuffer } from "./adjoints.js";
import { zerosTree } from "./trees.js";

/**
 * A copy of an array a vjp returns as its value, when the backward sweep
 * would otherwise restore the array's earlier elements into it.
 */
export function copyOf<T extends GradBuffer>(a: T): T {
  return a.slice() as T;
}

/**
 * The caller's gradient buffer `into`, zeroed, for a gradient of `x`'s shape
 * (`grad(f, wrt, { into: true })`).
 * @throws RangeError when `into` and `x` differ in length.
 */
export function zeroed<T extends GradBuffer>(into: T, x: GradBuffer): T {
  if (into.length !== x.length) {
    throw new RangeError(`tsgrad: the gradient buffer passed as 'into' has length ${into.length}, but its parameter has length ${x.length}; pass a buffer of the parameter's shape.`);
  }
  // A loop, not fill(0), for the short buffers of a per-item gradient (a Jacobian block
  // per observation): the builtin's call costs more than zeroing a dozen entries.
  if (into.length <= 16) for (let i = 0; i < into.length; i++) into[i] = 0;
  else into.fill(0);
  return into;
}

/**
 * The caller's gradient buffer `into`, for a gradient of `x`'s shape, not
 * zeroed: the generated backward sweep stores into every element before it
 * reads any (a gradient written whole by one loop, as a softmax's).
 * @throws RangeError when `into` and `x` differ in length.
 */
export function checkedInto<T extends GradBuffer>(into: T, x: GradBuffer): T {
  if (into.length !== x.length) {
    throw new RangeError(`tsgrad: the gradient buffer passed as 'into' has length ${into.length}, but its parameter has length ${x.length}; pass a buffer of the parameter's shape.`);
  }
  return into;
}

/**
 * The caller's gradient buffer `into`, checked to share no storage with any of
 * `args` (the differentiated function's array arguments): generated code that
 * keeps forward values in the buffer (slots.ts) writes it while it still reads
 * the arguments, so a buffer that is an argument, or a view of the same memory,
 * would change what it reads.
 * @throws RangeError when `into` overlaps an argument.
 */
export function apartInto<T extends GradBuffer>(into: T, ...args: readonly GradBuffer[]): T {
  for (const a of args) {
    if (a === into || (ArrayBuffer.isView(a) && ArrayBuffer.isView(into) && overlap(a, into))) {
      throw new RangeError("tsgrad: the gradient buffer passed as 'into' shares memory with an argument of the function; pass a buffer of its own (new Float64Array(n)).");
    }
  }
  return into;
}

function overlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** An m × n Jacobian of zeros, as rows. */
export function jacobianRows(m: number, n: number): number[][] {
  const rows: number[][] = new Array<number[]>(m);
  for (let i = 0; i < m; i++) rows[i] = new Array<number>(n).fill(0);
  return rows;
}

/** `rows[i][j] = column[i]` for every row: column j of a Jacobian made by forward mode. */
export function setColumn(rows: number[][], j: number, column: GradBuffer): void {
  for (let i = 0; i < rows.length; i++) rows[i]![j] = column[i]!;
}

/** A row of a Jacobian (a gradient of the parameter's array kind) as a number[]. */
export function toRow(g: GradBuffer): number[] {
  return Array.isArray(g) ? g : Array.from(g);
}

/** A row of n zeros. */
export function zeroRow(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** m rows, each set by the generated loop. */
export function emptyRows(m: number): number[][] {
  return new Array<number[]>(m);
}

/** `record[field] = value`: a field of a record in the tuple of gradients `{ into: true }` writes. */
export function setField<T extends object, K extends keyof T>(record: T, field: K, value: T[K]): void {
  record[field] = value;
}

/** A tuple or record result's outputs in a row: numbers as they are, arrays element by element, in the order given. */
export function outputs(...parts: readonly (number | GradBuffer)[]): number[] {
  const row: number[] = [];
  for (const part of parts) {
    if (typeof part === "number") row.push(part);
    else for (let i = 0; i < part.length; i++) row.push(part[i]!);
  }
  return row;
}

/**
 * Each number of a tree (a record, tuple, array of records, number[][]), in one
 * fixed order: arrays element by element, objects field by field, depth first.
 * `visit` gets the container and key that hold it. Strings and other constants are skipped.
 */
function eachNumber(tree: unknown, visit: (holder: Record<string | number, unknown>, key: string | number) => void): void {
  if (tree instanceof Float64Array || Array.isArray(tree)) {
    const items = tree as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] === "number") visit(tree as unknown as Record<number, unknown>, i);
      else eachNumber(items[i], visit);
    }
    return;
  }
  if (tree !== null && typeof tree === "object") {
    const record = tree as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (typeof record[key] === "number") visit(record, key);
      else eachNumber(record[key], visit);
    }
  }
}

/** How many numbers a parameter holds: the columns of its Jacobian by forward mode. */
export function leafCount(tree: unknown): number {
  let n = 0;
  eachNumber(tree, () => n++);
  return n;
}

/** The unit tangent along number j of `tree` (in eachNumber's order): its shape, zeros, and a 1 there. */
export function unitLike<T>(tree: T, j: number): T {
  const unit = zerosTree(tree);
  let k = 0;
  eachNumber(unit, (holder, key) => {
    if (k++ === j) holder[key] = 1;
  });
  return unit;
}

/** A row of numbers given `tree`'s shape: number k of the row at number k of the tree. */
export function unflattenLike<T>(tree: T, row: ArrayLike<number>): T {
  const shaped = zerosTree(tree);
  let k = 0;
  eachNumber(shaped, (holder, key) => {
    holder[key] = row[k++]!;
  });
  return shaped;
}

/** Each row of a Jacobian made by forward mode given the parameter's shape. */
export function rowsLike<T>(tree: T, rows: readonly (readonly number[])[]): T[] {
  return rows.map((row) => unflattenLike(tree, row));
}

/**
 * The Jacobians of a wrt array from rows that each hold the tuple of the
 * selected parameters' gradients: one Jacobian per parameter, its rows those
 * gradients (a Float64Array's as a number[], as toRow gives them).
 */
export function jacobiansOf<T>(rows: readonly (readonly unknown[])[], count: number): T {
  const out: unknown[][] = [];
  for (let j = 0; j < count; j++) out.push(rows.map((r) => (r[j] instanceof Float64Array ? Array.from(r[j] as Float64Array) : r[j])));
  return out as T;
}
