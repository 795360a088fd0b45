// Issue 12 as a user meets it: one module per construct family, written the
// way application code is, each gradient checked against central differences
// by check.ts. Compiled by the e2e test from the packed tarball with tspc.
import { grad, map, sum, valueAndGrad } from "tsgrad";

// 5. Constants from outside f, of any type.
const CONFIG = { solver: { tolerance: 1e-9, steps: 3 }, "max-iter": 4 } as const;
const WEIGHTS: number[][] = [[0.5, -0.25], [0.125, 1]];
const OFFSETS = [0.1, -0.2] as const;
const enum Mode { Linear, Quadratic }
type Activation = "tanh" | "relu" | "softplus";
interface Params { w: number[]; b: number }
interface Settings { scale: number; shift?: number }
const DEFAULTS: Settings = { scale: 2 };

// 1. Destructuring everywhere.
export function destructured({ w, b }: Params, [x, y]: [number, number], points: [number, number][]): number {
  const [w0, w1 = 1] = w;
  const [head, ...tail] = w;
  let s = 0;
  for (const [px, py] of points) s += (w0! * px + w1 * py - b) ** 2;
  const { length } = tail;
  return s + head! * x * y + length * b;
}

// 2. Parameters as TypeScript has them.
export function huber(r: number, delta = 1.0, kind: Activation = "tanh", clip?: number, ...extra: number[]): number {
  let v = Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta);
  if (kind === "relu") v = Math.max(v, 0);
  if (clip !== undefined) v = Math.min(v, clip);
  for (const e of extra) v += e * r;
  return v;
}

function applyTwice(f: (v: number) => number, v: number): number {
  return f(f(v));
}

export function activate(x: number, kind: Activation, mode: Mode, verbose: boolean): number {
  let y: number;
  switch (kind) {
    case "tanh":
      y = Math.tanh(x);
      break;
    case "softplus":
    case "relu": // falls through to a shared case
      y = kind === "relu" ? Math.max(x, 0) : Math.log1p(Math.exp(x));
      break;
    default:
      throw new Error(`unknown activation ${kind as string}`);
  }
  if (mode === Mode.Quadratic) y = y * y;
  if (verbose) y += 0;
  return applyTwice((v) => v * 0.5 + Math.sin(v), y);
}

// 3. Control flow: labeled loops, comma, ??, ?., !, casts, satisfies, throw.
export function searchGrid(grid: number[][], s: number, opts?: { bias?: number }): number {
  let total = 0;
  outer: for (let i = 0; i < grid.length; i++) {
    for (let j = 0; j < grid[i]!.length; j++) {
      if (grid[i]![j]! < 0) continue outer;
      if (j > 2) break outer;
      total += grid[i]![j]! * s;
    }
  }
  let a = 0, b = 0;
  for (let k = 0, m = 2; k < m; k++, m--) a += s;
  b = (a++, a * s);
  const bias = opts?.bias ?? 0.5;
  const scaled = (total as number) * (s satisfies number);
  if (!Number.isFinite(scaled)) throw new RangeError("overflow");
  return scaled + b + bias * s;
}

// 4. Integer arithmetic on indices and counters.
export function bits(xs: Float64Array, s: number): number {
  const n = xs.length;
  const mid = n >> 1;
  const half = (n >>> 1) | 0;
  let k = 0;
  let acc = xs[k++]! * s;
  acc += xs[--k]! + xs[mid]! * xs[half ^ 0]!;
  acc += xs[(n - 1) & ~0]! * Math.floor(s * 0) + xs[1 << 0]!;
  acc += ((s * 4) | 0) * 0.5;
  return acc * s;
}

// 5. Constants.
export function constants(x: number, v: number[]): number {
  let s = x * CONFIG.solver.tolerance * 1e9 + CONFIG["max-iter"] * x;
  for (let i = 0; i < WEIGHTS.length; i++) for (let j = 0; j < WEIGHTS[i]!.length; j++) s += WEIGHTS[i]![j]! * v[j]! * x;
  s += OFFSETS[0] * x + Number.EPSILON + (x > Number.MAX_VALUE ? Infinity : 0);
  return s + (Number.isNaN(x) ? NaN : 0);
}

// 6. Spread.
function pairArea(w: number, h: number): number {
  return w * h;
}
function mean(...values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
export function spreads(xs: number[], ys: number[], y: number, pair: [number, number], overrides: Partial<Settings>): number {
  const settings = { ...DEFAULTS, ...overrides };
  const all = [...xs, y];
  let grown = [...xs];
  grown = [...grown, y * y];
  return Math.max(...xs) - Math.min(...xs) + Math.hypot(...xs) + sum(all) * settings.scale +
    pairArea(...pair) + mean(...xs, ...ys) + sum([...ys, y]) + sum(grown);
}

// 7. Functions inside functions.
export function closures(xs: Float64Array, k: number): number {
  let calls = 0;
  const scale = (v: number) => v * k;
  function bump(v: number): number {
    calls += 1;
    return scale(v) + calls;
  }
  const squared = map(xs, (xi) => scale(xi) ** 2);
  const shifted = ((c: number) => c * 2)(k);
  return sum(squared) + bump(xs[0]!) + shifted;
}

// 7. ... and an inner function that calls itself (lifted to module level).
export function recursive(coeffs: number[], x: number): number {
  const horner = (k: number, t: number, cs: number[]): number => (k >= cs.length ? 0 : cs[k]! + t * horner(k + 1, t, cs));
  let k = 0;
  let seen = 0;
  // 4. An update on the right of &&: it runs only when the left holds.
  while (k < coeffs.length && coeffs[k++]! > -1) seen += coeffs[k - 1]! * x;
  const bonus = (seen > 0 ? seen : undefined) ?? x;
  return horner(0, x, coeffs) + bonus;
}

// 8. Side effects kept while developing: logged once per gradient call.
export let logged = 0;
export function logging(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += Math.sin(x) * x;
  console.log(`loss ${s.toFixed(3)}`);
  return s;
}

export const gradients = {
  destructured: grad(destructured, [0, 1]),
  huber: grad(huber, [0, 1]),
  huberOmitted: grad(huber),
  activate: grad(activate),
  searchGrid: grad(searchGrid, 1),
  bits: grad(bits, [0, 1]),
  constants: grad(constants, [0, 1]),
  spreads: grad(spreads, [0, 1, 2, 3]),
  closures: grad(closures, [0, 1]),
  logging: valueAndGrad(logging),
  recursive: grad(recursive, [0, 1]),
};
