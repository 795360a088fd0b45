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
export function setColumn(rows: readonly GradBuffer[], j: number, column: GradBuffer): void {
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
export function emptyRows<Row = number[]>(m: number): Row[] {
  return new Array<Row>(m);
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
 * The order of a parameter's numbers, from its type (SPEC §2: record fields in
 * the type's order), as jacfwd passes it: an object of the type's fields in
 * that order (a tuple's as "0", "1", ...), each field's own layout; `[element]`
 * for an array of records, each element laid out so; `0` for a number, an
 * array of numbers (element by element, rows in turn) or a constant.
 */
export type Layout = 0 | readonly [Layout] | { readonly [field: string]: Layout };

/**
 * Each number of a tree (a record, tuple, array of records, number[][]), in one
 * fixed order: arrays element by element, objects field by field in `layout`'s
 * order (without one, the object's own key order), depth first. `visit` gets
 * the container and key that hold it. Strings and other constants are skipped.
 */
function eachNumber(tree: unknown, visit: (holder: Record<string | number, unknown>, key: string | number) => void, layout: Layout = 0): void {
  if (tree instanceof Float64Array || Array.isArray(tree)) {
    const items = tree as ArrayLike<unknown>;
    const element = Array.isArray(layout) ? (layout as readonly [Layout])[0] : undefined;
    // A tuple laid out by its positions is walked as a record of them.
    if (element === undefined && layout !== 0) return eachField(tree as unknown as Record<string, unknown>, layout as { readonly [field: string]: Layout }, visit);
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] === "number") visit(tree as unknown as Record<number, unknown>, i);
      else eachNumber(items[i], visit, element ?? 0);
    }
    return;
  }
  if (tree !== null && typeof tree === "object") {
    const record = tree as Record<string, unknown>;
    if (layout !== 0 && !Array.isArray(layout)) return eachField(record, layout as { readonly [field: string]: Layout }, visit);
    for (const key of Object.keys(record)) {
      if (typeof record[key] === "number") visit(record, key);
      else eachNumber(record[key], visit);
    }
  }
}

/** The fields `layout` lists, in its order. */
function eachField(record: Record<string, unknown>, layout: { readonly [field: string]: Layout }, visit: (holder: Record<string | number, unknown>, key: string | number) => void): void {
  for (const key of Object.keys(layout)) {
    if (typeof record[key] === "number") visit(record, key);
    else eachNumber(record[key], visit, layout[key]);
  }
}

/** A copy of `tree` with its numbers zeroed, its records' fields those `layout` lists, in its order (zerosTree without one). */
function zerosLaidOut(tree: unknown, layout: Layout): unknown {
  if (layout === 0 || tree === null || typeof tree !== "object") return zerosTree(tree);
  if (Array.isArray(layout)) return (tree as readonly unknown[]).map((x) => zerosLaidOut(x, (layout as readonly [Layout])[0]));
  const fields = layout as { readonly [field: string]: Layout };
  const out: Record<string, unknown> = Array.isArray(tree) ? (new Array<unknown>(tree.length) as unknown as Record<string, unknown>) : {};
  for (const key of Object.keys(fields)) out[key] = zerosLaidOut((tree as Record<string, unknown>)[key], fields[key]!);
  return out;
}

/** How many numbers a parameter holds: the columns of its Jacobian by forward mode. */
export function leafCount(tree: unknown, layout?: Layout): number {
  let n = 0;
  eachNumber(tree, () => n++, layout);
  return n;
}

/** The unit tangent along number j of `tree` (in eachNumber's order): its shape, zeros, and a 1 there. */
export function unitLike<T>(tree: T, j: number, layout: Layout = 0): T {
  const unit = zerosLaidOut(tree, layout);
  let k = 0;
  eachNumber(unit, (holder, key) => {
    if (k++ === j) holder[key] = 1;
  }, layout);
  return unit as T;
}

/** A row of numbers given `tree`'s shape: number k of the row at number k of the tree. */
export function unflattenLike<T>(tree: T, row: ArrayLike<number>, layout: Layout = 0): T {
  const shaped = zerosLaidOut(tree, layout);
  let k = 0;
  eachNumber(shaped, (holder, key) => {
    holder[key] = row[k++]!;
  }, layout);
  return shaped as T;
}

/** Each row of a Jacobian made by forward mode given the parameter's shape. */
export function rowsLike<T>(tree: T, rows: readonly (readonly number[])[], layout: Layout = 0): T[] {
  return rows.map((row) => unflattenLike(tree, row, layout));
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

// `jacobian(f, k, { into: true })` and `jacfwd`: the caller's Jacobian, checked
// once per call, and the unit seed each call walks along the outputs (or the
// parameter), lent from a small pool so that a call allocates neither.

/**
 * The caller's rows `into` for an m × n Jacobian, n the length of the
 * parameter: checked to have m rows of length n, none of them the same array as
 * another or sharing memory with an array argument of the function (`args`).
 * The generated rows share one forward sweep, and a row written over an
 * argument, or over another row, would change what the next row reads.
 * @throws RangeError naming `into` and the row when the shape is wrong or a row overlaps.
 */
export function intoRows<T extends GradBuffer>(into: readonly T[], m: number, n: number, ...args: readonly GradBuffer[]): readonly T[] {
  // The same rows and arguments as the call checked last (a Jacobian block per item of a loop):
  // nothing can have made them overlap since. Reading a typed array's buffer and offset costs
  // more than a small block's backward sweeps, so they are compared only for arrays not seen;
  // this test is kept short, so that V8 inlines it into the generated Jacobian.
  if (into.length === m && sameAsChecked(into, n, args)) return into;
  return checkRows(into, m, n, args);
}

/** intoRows's full check, remembered when it passes. */
function checkRows<T extends GradBuffer>(into: readonly T[], m: number, n: number, args: readonly GradBuffer[]): readonly T[] {
  if (into.length !== m) {
    throw new RangeError(`tsgrad: the Jacobian passed as 'into' has ${into.length} row(s), but the function has ${m} output(s); pass one row per output, each as long as the parameter (${n}).`);
  }
  for (let i = 0; i < m; i++) {
    const row = into[i]!;
    if (row.length !== n) {
      throw new RangeError(`tsgrad: row ${i} of the Jacobian passed as 'into' has length ${row.length}, but the parameter has length ${n}; pass rows of the parameter's length.`);
    }
  }
  for (let i = 0; i < m; i++) {
    const row = into[i]!;
    for (const a of args) {
      if (a === row || overlapping(a, row)) {
        throw new RangeError(`tsgrad: row ${i} of the Jacobian passed as 'into' shares memory with an argument of the function; pass rows of their own (new Float64Array(n)).`);
      }
    }
    // Rows that are one array would hold only the last of their gradients. Compared pairwise
    // for a small Jacobian (a per-item block, where the check costs little against the sweeps);
    // a taller one's rows are each checked against the row before only.
    for (let k = m <= 16 ? 0 : i - 1; k >= 0 && k < i; k++) {
      if (into[k] === row || overlapping(into[k]!, row)) {
        throw new RangeError(`tsgrad: rows ${k} and ${i} of the Jacobian passed as 'into' share memory; pass rows of their own (new Float64Array(n)).`);
      }
    }
  }
  checked.rows = into;
  checked.arrays = [...into, ...args];
  return into;
}

/** The rows and arguments intoRows checked last, all found apart (held until the next check). */
const checked: { rows: readonly GradBuffer[] | undefined; arrays: readonly GradBuffer[] } = { rows: undefined, arrays: [] };

/** Whether `into` and `args` are the arrays checked last, each row still n long (a number[] row can change length). */
function sameAsChecked(into: readonly GradBuffer[], n: number, args: readonly GradBuffer[]): boolean {
  const arrays = checked.arrays;
  if (into !== checked.rows || arrays.length !== into.length + args.length) return false;
  for (let i = 0; i < into.length; i++) if (into[i] !== arrays[i] || into[i]!.length !== n) return false;
  for (let j = 0; j < args.length; j++) if (args[j] !== arrays[into.length + j]) return false;
  return true;
}

/**
 * The caller's array `into` for a Jacobian that is one number per output (a
 * number parameter): checked to have one entry per output, m.
 * @throws RangeError naming `into` when its length is not m.
 */
export function intoColumn<T extends GradBuffer>(into: T, m: number): T {
  if (into.length !== m) {
    throw new RangeError(`tsgrad: the Jacobian passed as 'into' has length ${into.length}, but the function has ${m} output(s); pass one entry per output.`);
  }
  return into;
}

/** `into[i] = column[i]` for every output, into checked first: a number parameter's Jacobian by forward mode. */
export function copyColumn<T extends GradBuffer>(into: T, column: GradBuffer): T {
  intoColumn(into, column.length);
  for (let i = 0; i < column.length; i++) into[i] = column[i]!;
  return into;
}

function overlapping(a: GradBuffer, b: GradBuffer): boolean {
  return ArrayBuffer.isView(a) && ArrayBuffer.isView(b) && overlap(a, b);
}

/**
 * Seeds given back, all zero, by kind: the last one in a slot of its own (the
 * common case, one Jacobian called again and again, takes it and gives it back
 * in a few steps), a few more in a list, so that a call nested in another (or
 * two Jacobians taking turns) finds its own.
 */
const free: { f64: Float64Array | undefined; js: number[] | undefined; moreF64: Float64Array[]; moreJs: number[][] } = { f64: undefined, js: undefined, moreF64: [], moreJs: [] };
const KEPT = 8;

/**
 * A zeroed array of `like`'s kind and length, the unit seed of one Jacobian
 * call: taken from the seeds given back (`giveSeed`), else made. The caller
 * sets one element to 1 at a time and back to 0, and gives it back zero; a
 * call that throws midway never gives its seed back, and the pool makes another.
 */
export function lendSeed<T extends GradBuffer>(like: T): T {
  const f64 = !Array.isArray(like);
  const last = f64 ? free.f64 : free.js;
  if (last !== undefined && last.length === like.length) {
    if (f64) free.f64 = undefined;
    else free.js = undefined;
    return last as T;
  }
  const more: GradBuffer[] = f64 ? free.moreF64 : free.moreJs;
  for (let i = more.length - 1; i >= 0; i--) {
    const seed = more[i]!;
    if (seed.length !== like.length) continue;
    more[i] = more[more.length - 1]!;
    more.pop();
    return seed as T;
  }
  return (f64 ? new Float64Array(like.length) : new Array<number>(like.length).fill(0)) as T;
}

/** Gives back a seed `lendSeed` lent, every element 0 again (the oldest kept one is dropped when there are many). */
export function giveSeed(seed: GradBuffer): void {
  if (!Array.isArray(seed)) {
    if (free.f64 === undefined) free.f64 = seed;
    else keep(free.moreF64, seed);
  } else if (free.js === undefined) free.js = seed;
  else keep(free.moreJs, seed);
}

function keep<T extends GradBuffer>(more: T[], seed: T): void {
  if (more.length >= KEPT) more.shift();
  more.push(seed);
}
