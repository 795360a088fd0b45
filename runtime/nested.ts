// Gradient buffers for nested data: arrays of arrays and arrays of records.
// Generated backward sweeps accumulate into a zeroed copy of an array of rows
// in place, and into one Float64Array per field of an array of records (flat
// columns, as fast as hand-written flat code); the columns become records of
// the user's shape once, when the gradient is returned, by a loop the
// transformer emits with the fields written out (reverse.ts gradientOf).

/**
 * Zeroed rows of the same ragged shape and kind: `number[][]` gives `number[][]`,
 * `Float64Array[]` gives `Float64Array[]` (a readonly input gives a mutable copy).
 */
export function zerosRows<T extends readonly Nested[]>(rows: T): ZerosOf<T>;
export function zerosRows(rows: readonly Nested[]): unknown {
  const out = new Array<Nested>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row instanceof Float64Array) out[i] = new Float64Array(row.length);
    else if (row.length > 0 && typeof row[0] !== "number") out[i] = zerosRows(row as readonly Nested[]) as Nested[];
    else out[i] = new Array<number>(row.length).fill(0);
  }
  return out;
}

/** Arrays of numbers, nested any number of levels deep. */
type Nested = Float64Array | readonly number[] | readonly Nested[];

/** The mutable type of zeros shaped like `T`. */
type ZerosOf<T> = T extends Float64Array ? Float64Array : T extends readonly number[] ? number[] : T extends readonly (infer R)[] ? ZerosOf<R>[] : never;

/** `rowsBar[i][j] += add[i][j]`: a callee's gradient of an array of arrays, added into the caller's. */
export function addRows(rowsBar: readonly Nested[], add: readonly Nested[]): void {
  for (let i = 0; i < rowsBar.length; i++) {
    const row = rowsBar[i]!;
    const other = add[i]!;
    if (!(row instanceof Float64Array) && row.length > 0 && typeof row[0] !== "number") {
      addRows(row as readonly Nested[], other as readonly Nested[]);
      continue;
    }
    const leaf = row as Float64Array | number[];
    const from = other as Float64Array | readonly number[];
    for (let j = 0; j < leaf.length; j++) leaf[j]! += from[j]!;
  }
}

/** `columns.x[i] += add[i].x` for each field: a callee's gradient of an array of records, added into the caller's columns. */
export function addRecords<K extends string>(columns: { readonly [F in K]: Float64Array }, add: readonly { readonly [F in K]: number }[]): void {
  for (const field of Object.keys(columns) as K[]) {
    const column = columns[field];
    for (let i = 0; i < column.length; i++) column[i]! += add[i]![field];
  }
}

/** `columns[k][i] += add[i][k]`: the same for an array of tuples. */
export function addTuples(columns: readonly Float64Array[], add: readonly (readonly number[])[]): void {
  for (let k = 0; k < columns.length; k++) {
    const column = columns[k]!;
    for (let i = 0; i < column.length; i++) column[i]! += add[i]![k]!;
  }
}
