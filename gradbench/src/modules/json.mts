// Glue between the JSON of the protocol and the Float64Arrays the objectives take.

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A JSON array of numbers as a Float64Array. */
export function floats(value: unknown, name: string): Float64Array {
  check(Array.isArray(value), `input.${name} must be an array of numbers`);
  return Float64Array.from(value as number[]);
}

/** A JSON array of rows, each of `width` numbers, flattened row after row. */
export function rows(value: unknown, name: string, count: number, width: number): Float64Array {
  check(Array.isArray(value) && value.length === count, `input.${name} must be an array of ${count} rows`);
  const out = new Float64Array(count * width);
  (value as unknown[]).forEach((row, i) => {
    check(Array.isArray(row) && row.length === width, `input.${name}[${i}] must have ${width} numbers`);
    out.set(row as number[], i * width);
  });
  return out;
}

/** The inverse of `rows`: `count` JSON arrays of `width` numbers. */
export function unflatten(flat: Float64Array, count: number, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count; i++) out.push(Array.from(flat.subarray(i * width, (i + 1) * width)));
  return out;
}

export function integer(value: unknown, name: string): number {
  check(Number.isInteger(value), `input.${name} must be an integer`);
  return value as number;
}

export function number(value: unknown, name: string): number {
  check(typeof value === "number", `input.${name} must be a number`);
  return value as number;
}
