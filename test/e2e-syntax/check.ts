// Runs each gradient of model.ts and compares it with central differences of
// the function itself; prints one JSON line per case for the e2e test.
import { tape } from "tsgrad";
import * as m from "./model.js";

type Value = number | Float64Array | Value[] | { [k: string]: Value } | string | boolean | undefined | ((v: number) => number);

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
      const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
      for (const k of Object.keys(x).sort()) out[k] = go((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return go(v);
}

function check(name: string, f: (...args: never[]) => number, df: (...args: never[]) => unknown, args: unknown[], wrt: number[]): void {
  const call = df as (...a: unknown[]) => unknown;
  const fn = f as (...a: unknown[]) => number;
  let got = call(...args);
  if (name === "logging") got = (got as [number, unknown])[1];
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

const g = m.gradients;
check("destructured", m.destructured, g.destructured, [{ w: [0.5, 1.5, 2], b: 0.2 }, [1, 2], [[1, 2], [3, -1]]], [0, 1]);
check("huber", m.huber, g.huber, [0.5, 1, "tanh", undefined, 1, 2], [0, 1]);
check("huber, defaults omitted", m.huber, g.huberOmitted, [2], [0]);
check("activate", m.activate, g.activate, [0.3, "softplus", 1, false], [0]);
check("searchGrid", m.searchGrid, g.searchGrid, [[[1, 2], [-1, 3], [0.5, 0.5, 0.5, 0.5]], 1.5, { bias: 2 }], [1]);
check("bits", m.bits, g.bits, [new Float64Array([1, 2, 3, 4]), 0.7], [0, 1]);
check("constants", m.constants, g.constants, [0.5, [1, 2]], [0, 1]);
check("spreads", m.spreads, g.spreads, [[1, 2, 3], [0.5, -1], 0.25, [1.5, 2], { scale: 3 }], [0, 1, 2, 3]);
check("closures", m.closures, g.closures, [new Float64Array([1, 2]), 0.5], [0, 1]);
check("recursive", m.recursive, g.recursive, [[0.5, -0.25, 1.5], 0.8], [0, 1]);

// 3. throw: the gradient throws what f throws.
try {
  g.activate(0.3, "gelu" as "tanh", 0, false);
  console.log(JSON.stringify({ name: "throw", threw: false }));
} catch (e) {
  console.log(JSON.stringify({ name: "throw", threw: (e as Error).message }));
}

// 8. console.log runs once per gradient call, even when the tape is too short at first.
const log = console.log;
let lines = 0;
console.log = () => void lines++;
tape.values = new Float64Array(1);
g.logging([1, 2, 3, 4, 5, 6, 7, 8]);
g.logging([1, 2]);
console.log = log;
console.log(JSON.stringify({ name: "logging", lines }));
