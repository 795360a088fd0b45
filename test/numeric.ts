// Numerical references for gradient checks.

/** Numbers of a gradient, flattened: a number, a tuple of numbers, nested tuples. */
export function flatten(g: unknown): number[] {
  if (typeof g === "number") return [g];
  if (Array.isArray(g) || g instanceof Float64Array) return Array.from(g as ArrayLike<unknown>).flatMap(flatten);
  throw new Error(`not a gradient: ${String(g)}`);
}

/**
 * d f / d x_i at `point` by central differences with one Richardson
 * extrapolation step: error O(h^4), so about 1e-10 relative for smooth f.
 */
export function gradientByDifferences(f: (...args: number[]) => number, point: readonly number[], i: number): number {
  const h = 1e-3 * Math.max(1, Math.abs(point[i]!));
  const central = (step: number): number => {
    const plus = [...point];
    const minus = [...point];
    plus[i] = point[i]! + step;
    minus[i] = point[i]! - step;
    return (f(...plus) - f(...minus)) / (2 * step);
  };
  return (4 * central(h / 2) - central(h)) / 3;
}

type Arg = number | readonly number[] | Float64Array;

/** A copy of `args` with element `e` of argument `i` (or the number itself) moved by `step`. */
function shifted(args: readonly Arg[], i: number, e: number, step: number): Arg[] {
  return args.map((a, k) => {
    if (k !== i) return a instanceof Float64Array ? Float64Array.from(a) : Array.isArray(a) ? [...a] : a;
    if (typeof a === "number") return a + step;
    const copy = a instanceof Float64Array ? Float64Array.from(a) : [...a];
    copy[e] = copy[e]! + step;
    return copy;
  });
}

/** The gradient of f with respect to argument i (a number or every array element), by differences. */
export function argumentGradient(f: (...args: Arg[]) => number, args: readonly Arg[], i: number): number[] {
  const a = args[i]!;
  const count = typeof a === "number" ? 1 : a.length;
  const out: number[] = [];
  for (let e = 0; e < count; e++) {
    const x = typeof a === "number" ? a : a[e]!;
    const h = 1e-3 * Math.max(1, Math.abs(x));
    const central = (step: number): number => (f(...shifted(args, i, e, step)) - f(...shifted(args, i, e, -step))) / (2 * step);
    out.push((4 * central(h / 2) - central(h)) / 3);
  }
  return out;
}
