// Records whose number field is called `length` (a link of an arm, a spring, a
// segment): `link.length` is that field, differentiated like any other, not
// the length of an array.
import { grad, jvp } from "tsgrad";

export interface Link {
  readonly length: number;
  readonly angle: number;
}

export class Segment {
  constructor(
    readonly length: number,
    readonly angle: number,
  ) {}
}

export function reachForOf(links: readonly Link[]): number {
  let x = 0;
  for (const link of links) x += link.length * Math.cos(link.angle);
  return x;
}

export function reachIndexed(links: readonly Link[]): number {
  let x = 0;
  for (let i = 0; i < links.length; i++) x += links[i].length * Math.cos(links[i].angle);
  return x;
}

/** As written under noUncheckedIndexedAccess: the element is `Link | undefined` until asserted. */
export function reachAsserted(links: readonly Link[]): number {
  let x = 0;
  for (let i = 0; i < links.length; i++) x += (links[i]?.length ?? 0) * Math.cos(links[i]!.angle);
  return x;
}

export const reachReduce = (links: readonly Link[]): number =>
  links.reduce((x, link) => x + link.length * Math.cos(link.angle), 0);

export function reachDestructured(links: readonly Link[]): number {
  let x = 0;
  for (const { length, angle } of links) x += length * Math.cos(angle);
  return x;
}

export function reachSegments(segments: readonly Segment[]): number {
  return segments.map((s) => s.length * Math.sin(s.angle)).reduce((a, b) => a + b, 0);
}

/** The lengths of arrays and strings stay constants beside the field. */
export function scaledByCounts(links: readonly Link[], weights: Float64Array, xs: number[], name: string): number {
  const counts = links.length + weights.length + xs.length + name.length;
  return counts * links[0].length + weights[0] * xs[1];
}

export const dReachForOf = grad(reachForOf);
export const dReachIndexed = grad(reachIndexed);
export const dReachAsserted = grad(reachAsserted);
export const dReachReduce = grad(reachReduce);
export const dReachDestructured = grad(reachDestructured);
export const dReachSegments = grad(reachSegments);
export const dScaledByCounts = grad(scaledByCounts, [0, 1, 2]);
export const reachForOfJvp = jvp(reachForOf);
