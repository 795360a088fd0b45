// From a probe of test/realworld/-style code: `const [first, ...rest] = stops`
// over an array of records, only read. The destructuring pass copied the rest
// into a new array element by element, a second place for each record, and the
// aliases pass refused it saying that 'rest' writes to it, which it does not.
import { grad } from "tsgrad";

export type Stop = { x: number; y: number };

export function spread(stops: Stop[]): number {
  const [first, ...rest] = stops;
  return rest.reduce((s, p) => s + (p.x - first.x) ** 2 + p.y * first.y, 0);
}

export function pairs(stops: Stop[]): number {
  const [a, b, ...others] = stops;
  let s = a.x * b.y;
  for (const p of others) s += p.x * p.y;
  return s + others.length;
}

// written through: JavaScript's rest shares the records, which tsgrad does not follow (refused, as before)
export function writes(stops: Stop[]): number {
  const [first, ...rest] = stops;
  rest[0].x = 2 * first.x;
  return rest.reduce((s, p) => s + p.x * p.y, 0);
}

export const dSpread = grad(spread);
export const dPairs = grad(pairs);
export const dWrites = grad(writes);
