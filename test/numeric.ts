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
