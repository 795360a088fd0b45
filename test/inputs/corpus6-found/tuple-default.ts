// From test/realworld/cable-catenary.ts: an options parameter destructured with
// a tuple default under a cast, `{ span = [0, 200] as [number, number] } = {}`.
// Both forms were refused (with the cast, by the generic "an array literal used
// as a value"); both now compile, the default chosen element by element.
import { grad } from "tsgrad";

function width([lo, hi]: [number, number], a: number): number {
  return a * (hi - lo);
}

export function withCast(a: number, { span = [0, 200] as [number, number] } = {}): number {
  return width(span, a) * a;
}

export function plain(a: number, { span = [0, 200] }: { span?: [number, number] } = {}): number {
  return width(span, a) * a;
}

export const dWithCast = grad(withCast);
export const dPlain = grad(plain);
