// Writes to a field of a record of a local array, made through another name
// for that record: tsgrad drops them, in the value of valueAndGrad and in the
// gradient. Each f below returns k² (or a value that needs the write).
import { grad, valueAndGrad } from "tsgrad";

interface Body {
  x: number;
  v: number;
}

// for...of over a local array of records, writing through the loop variable.
export function forOf(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  for (const b of bodies) {
    b.x *= k;
  }
  return bodies[0].x;
}
export const forOfValueAndGrad = valueAndGrad(forOf);

// The same write through a const naming the element.
export function named(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  const b = bodies[0];
  b.x *= k;
  return bodies[0].x;
}
export const namedGrad = grad(named);

// The element found with find.
export function found(k: number): number {
  const bodies: Body[] = [
    { x: 1, v: 1 },
    { x: k, v: 2 },
  ];
  const b = bodies.find((c) => c.v === 2)!;
  b.x *= k;
  return bodies[1].x;
}
export const foundGrad = grad(found);

// forEach's callback parameter.
export function forEach(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  bodies.forEach((b) => {
    b.x *= k;
  });
  return bodies[0].x;
}
export const forEachGrad = grad(forEach);

// As application code writes it: copy the caller's records, then step them.
export function stepCopies(bodies: Body[]): number {
  const copies = bodies.map((b) => ({ ...b }));
  for (const b of copies) b.x += b.v;
  return copies.reduce((s, b) => s + b.x * b.x, 0);
}
export const stepCopiesGrad = grad(stepCopies);

// Tuples: for...of over a local array of [x, y] pairs.
export function tupleForOf(k: number): number {
  const points: [number, number][] = [[k, 1]];
  for (const p of points) p[0] *= k;
  return points[0][0];
}
export const tupleForOfValueAndGrad = valueAndGrad(tupleForOf);

// A plain record (no array): a second name taken after a field was written.
// Without the first write (t.a = ...) the result is right.
export function renamedAfterWrite(s: { a: number; b: number }): number {
  const t = { ...s };
  t.a = t.a * t.b;
  const u = t;
  u.b *= 3;
  return t.b;
}
export const renamedAfterWriteValueAndGrad = valueAndGrad(renamedAfterWrite);
