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

type Arg = number | readonly number[] | Float64Array | readonly Arg[] | { readonly [field: string]: Arg } | object | string | boolean | null | undefined;

/** Numbers of a gradient or argument, flattened in field order (the order gradients are compared in). */
export function leaves(a: unknown): number[] {
  if (typeof a === "number") return [a];
  if (Array.isArray(a) || a instanceof Float64Array) return Array.from(a as ArrayLike<unknown>).flatMap(leaves);
  if (a && typeof a === "object") return Object.values(a).flatMap(leaves);
  // A constant of a record (an id, a flag) has no derivative: a gradient keeps it as it is.
  if (typeof a === "string" || typeof a === "boolean") return [];
  throw new Error(`not numeric: ${String(a)}`);
}

/** A deep copy of `a` with leaf number `k` (in `leaves` order) moved by `step`. */
function perturbed(a: unknown, k: number, step: number): unknown {
  let seen = 0;
  const copy = (x: unknown): unknown => {
    if (typeof x === "number") return seen++ === k ? x + step : x;
    if (x instanceof Float64Array) return Float64Array.from(x, (v) => copy(v) as number);
    if (Array.isArray(x)) return x.map(copy);
    // A class instance stays one (its getters and methods live on the prototype).
    if (x && typeof x === "object") return Object.assign(Object.create(Object.getPrototypeOf(x) as object) as object, Object.fromEntries(Object.entries(x).map(([f, v]) => [f, copy(v)])));
    return x;
  };
  return copy(a);
}

/** The gradient of f with respect to argument i (every number in it), by differences. */
export function argumentGradient(f: (...args: Arg[]) => number, args: readonly Arg[], i: number): number[] {
  const values = leaves(args[i]);
  return values.map((x, k) => {
    const h = 1e-3 * Math.max(1, Math.abs(x));
    const at = (step: number): number => f(...args.map((a, j) => (j === i ? (perturbed(a, k, step) as Arg) : a)));
    const central = (step: number): number => (at(step) - at(-step)) / (2 * step);
    return (4 * central(h / 2) - central(h)) / 3;
  });
}
