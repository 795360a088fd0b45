// Central differences of a function against its gradient, for the e2e
// programs; prints one JSON line per case for the e2e test.

/** The numbers in a value, in a fixed order. */
function leaves(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (v instanceof Float64Array) return Array.from(v);
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (v && typeof v === "object") return Object.keys(v).sort().flatMap((k) => leaves((v as Record<string, unknown>)[k]));
  return [];
}

/** A copy of `v` with its `index`-th number moved by `h`. */
function moved(v: unknown, index: number, h: number): unknown {
  let at = 0;
  const go = (x: unknown): unknown => {
    if (typeof x === "number") return at++ === index ? x + h : x;
    if (x instanceof Float64Array) return Float64Array.from(x, (e) => (at++ === index ? e + h : e));
    if (Array.isArray(x)) return x.map(go);
    if (x && typeof x === "object") {
      // A class instance stays one (its methods are called by f).
      const out = Object.assign(Object.create(Object.getPrototypeOf(x) as object) as Record<string, unknown>, x);
      for (const k of Object.keys(x).sort()) out[k] = go((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return go(v);
}

/**
 * Compares the gradient `df(...args)` (`[value, gradient]` with `withValue`) with
 * central differences of `f` in every number of the arguments `wrt` names, and
 * prints one JSON line: the case's name, how many numbers, the worst error.
 */
export function check(name: string, f: (...args: never[]) => number, df: (...args: never[]) => unknown, args: unknown[], wrt: number[], withValue = false): void {
  const call = df as (...a: unknown[]) => unknown;
  const fn = f as (...a: unknown[]) => number;
  let got = call(...args);
  if (withValue) got = (got as [number, unknown])[1];
  const parts = wrt.length === 1 ? [got] : (got as unknown[]);
  let worst = 0;
  let count = 0;
  wrt.forEach((w, i) => {
    const g = leaves(parts[i]);
    const n = leaves(args[w]).length;
    if (g.length !== n) throw new Error(`${name}: gradient ${i} has ${g.length} numbers, its parameter ${n}`);
    for (let j = 0; j < n; j++) {
      const h = 1e-5;
      const at = (d: number) => fn(...args.map((a, k) => (k === w ? moved(a, j, d) : a)));
      const fd = (at(h) - at(-h)) / (2 * h);
      worst = Math.max(worst, Math.abs(g[j]! - fd) / (1 + Math.abs(fd)));
      count++;
    }
  });
  console.log(JSON.stringify({ name, count, worst }));
}
