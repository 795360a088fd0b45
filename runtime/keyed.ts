// Records keyed by strings (`Record<string, number>`), as generated code reads
// them. The keys of such a record are known only when the function is called,
// so the transformer fixes them per call: `keyedValues(r)` copies the values,
// in the order of the record's own enumerable keys (Object.keys), into one
// Float64Array the rest of the generated code reads and differentiates like any
// array, and remembers each key's position; `keyIndex(r, k)` is that position
// (-1 for a key the record lacks); `keyedRecord(r, values)` turns the adjoint
// buffer back into a record with the same keys in the same order, as JAX gives
// a dict the gradient of a dict. A `Map<string, number>` is read the same way,
// in its own order, and its gradient is a Map.

/** The keys of each record whose values were taken, with their positions: refreshed by every keyedValues. */
const positions = new WeakMap<object, KeyPositions>();

interface KeyPositions {
  readonly keys: readonly string[];
  readonly index: Map<string, number>;
}

/** The record's values in the order of its own keys (a Map's, in its order); its key positions are kept for keyIndex and keyAt. */
export function keyedValues(record: Readonly<Record<string, number | undefined>> | ReadonlyMap<string, number>): Float64Array {
  if (typeof record !== "object" || record === null) {
    throw new TypeError(`tsgrad: expected a record of numbers keyed by strings, got ${record === null ? "null" : typeof record}`);
  }
  const entries: [string, unknown][] = record instanceof Map ? [...(record as ReadonlyMap<string, number>)] : Object.entries(record);
  const keys = entries.map(([key]) => key);
  const values = new Float64Array(keys.length);
  const index = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    if (typeof value !== "number") {
      throw new TypeError(`tsgrad: the record's entry '${key}' is ${value === undefined ? "undefined" : `a ${typeof value}`}; every key of a differentiated record must hold a number (leave out a key that has none)`);
    }
    values[i] = value;
    index.set(key, i);
  }
  positions.set(record, { keys, index });
  return values;
}

function positionsOf(record: object): KeyPositions {
  const p = positions.get(record);
  if (!p) throw new Error("tsgrad: keyIndex before keyedValues of the same record (a bug in the generated code; please report it)");
  return p;
}

/** The position of `key` among the record's keys when keyedValues took them; -1 when it has no such key. */
export function keyIndex(record: object, key: string): number {
  return positionsOf(record).index.get(key) ?? -1;
}

/** A tangent (or cotangent) record's values in the order of `record`'s keys; it must have exactly the record's keys. */
export function keyedTangent(record: object, tangent: Readonly<Record<string, number>> | ReadonlyMap<string, number>): Float64Array {
  const keys = keysOf(record);
  const get = tangent instanceof Map ? (k: string) => (tangent as ReadonlyMap<string, number>).get(k) : (k: string) => (tangent as Readonly<Record<string, number>>)[k];
  const size = tangent instanceof Map ? (tangent as ReadonlyMap<string, number>).size : Object.keys(tangent).length;
  const out = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const value = get(keys[i]!);
    if (typeof value !== "number") throw new RangeError(`tsgrad: the tangent has no number for the key '${keys[i]}'; give it the keys of the record it goes with`);
    out[i] = value;
  }
  if (size !== keys.length) throw new RangeError(`tsgrad: the tangent has ${size} keys and the record ${keys.length}; give it the keys of the record it goes with`);
  return out;
}

/** The position of `key`, which the record must have: a copy of a record keeps its keys, so writing a new one throws. */
export function keySlot(record: object, key: string): number {
  const i = positionsOf(record).index.get(key);
  if (i === undefined) {
    throw new RangeError(`tsgrad: '${key}' is not a key of the record this copy was made from; a copy of a differentiated record keeps its keys (add '${key}' to the record passed in)`);
  }
  return i;
}

/** The key at position `i` of the record (the i-th of Object.keys), typed as one of its keys. */
export function keyAt<T extends object>(record: T, i: number): keyof T & string {
  return positionsOf(record).keys[i]! as keyof T & string;
}

/** A record with `record`'s keys, in its order, holding `values` (a gradient of the same keys; zeros when none is given). */
export function keyedRecord<T extends object>(record: T, values?: Float64Array): T {
  const keys = keysOf(record);
  if (values && values.length !== keys.length) {
    throw new RangeError(`tsgrad: ${values.length} values for a record of ${keys.length} keys`);
  }
  if (record instanceof Map) return new Map(keys.map((key, i) => [key, values ? values[i]! : 0])) as T;
  const out: Record<string, number> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = values ? values[i]! : 0;
  return out as T;
}

/** The record's own keys in order (a Map's keys). */
function keysOf(record: object): string[] {
  return record instanceof Map ? [...(record as ReadonlyMap<string, unknown>).keys()] : Object.keys(record);
}

/**
 * A record keyed by strings whose values are arrays (`Record<string, number[]>`,
 * a dictionary of embedding vectors): its rows in the order of its own keys,
 * the record's own arrays (not copies), which generated code reads as an array
 * of rows; its key positions are kept for keyIndex and keyAt as keyedValues keeps them.
 */
export function keyedRows<Row extends Float64Array | readonly number[]>(record: Readonly<Record<string, Row | undefined>>): Row[] {
  if (typeof record !== "object" || record === null || record instanceof Map) {
    throw new TypeError(`tsgrad: expected a record of arrays keyed by strings, got ${record === null ? "null" : record instanceof Map ? "a Map" : typeof record}`);
  }
  const entries = Object.entries(record);
  const keys = entries.map(([key]) => key);
  const rows = new Array<Row>(entries.length);
  const index = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const [key, row] = entries[i]!;
    if (!(row instanceof Float64Array) && !Array.isArray(row)) {
      throw new TypeError(`tsgrad: the record's entry '${key}' is ${row === undefined ? "undefined" : `a ${typeof row}`}; every key of a differentiated record of arrays must hold an array of numbers (leave out a key that has none)`);
    }
    rows[i] = row;
    index.set(key, i);
  }
  positions.set(record, { keys, index });
  return rows;
}

/** A record with `record`'s keys, in its order, holding `rows` (the rows' adjoints; zeros of each row's length when none are given). */
export function keyedRowsRecord<T extends object>(record: T, rows?: readonly (Float64Array | readonly number[])[]): T {
  const keys = keysOf(record);
  if (rows && rows.length !== keys.length) throw new RangeError(`tsgrad: ${rows.length} rows for a record of ${keys.length} keys`);
  const out: Record<string, Float64Array | number[]> = {};
  for (let i = 0; i < keys.length; i++) {
    const row = (record as Record<string, Float64Array | readonly number[]>)[keys[i]!]!;
    const bar = rows?.[i];
    // Each gradient row has its value's kind and length, as zerosRows makes them.
    out[keys[i]!] = row instanceof Float64Array ? (bar instanceof Float64Array ? bar : Float64Array.from(bar ?? new Float64Array(row.length))) : bar ? Array.from(bar) : new Array<number>(row.length).fill(0);
  }
  return out as T;
}
