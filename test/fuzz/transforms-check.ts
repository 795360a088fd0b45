// Checks the extra transforms of a generated program (transforms.ts).
// First-order results are compared with the compiled grad(f) (itself checked
// against finite differences by check.ts) plus the extras' derivatives, which
// are known in closed form; second-order ones with central differences of the
// compiled gradient, taken where the traced copy of f takes the same decisions.

import { argsOf, close, coordinates, emptyStacks, flattenGradient, MARGIN, sameUpToOrder, type Tracer } from "./check.js";
import type { ParamKind, Program } from "./gen.js";
import { differences } from "./differences.js";
import { checkMoreFirstOrder, checkMoreSecondOrder, type MoreContext } from "./more-transforms-check.js";
import { type Extras, longTermGradient, packed, scalarCoordinates } from "./transforms.js";

type Arg = number | number[] | Float64Array;
type Fn = (...args: never[]) => unknown;

/** What the checker needs of one program: its extras, its compiled transforms and its traced entry. */
export interface ExtrasTarget {
  /** The program's id (p12): its names start with it. */
  readonly id: string;
  readonly extras: Extras;
  readonly prog: Program;
  readonly kinds: readonly ParamKind[];
  readonly made: Record<string, Fn>;
  readonly traced: (...args: Arg[]) => number;
  readonly tracer: Tracer;
  /** Counts a check left without a verdict because it is ill-conditioned, by reason (Stats.skips). */
  readonly skip?: (why: string) => void;
}

/** Checks the extras at the program's sample points; returns failures (empty if none). */
export function checkExtras(t: ExtrasTarget): string[] {
  const failures: string[] = [];
  const { prog, kinds, made } = t;
  const n = prog.n;
  const dim = coordinates(kinds, n);
  const call = (label: string, fn: Fn, args: unknown[]): unknown => {
    const out = (fn as (...a: unknown[]) => unknown)(...args);
    const left = emptyStacks();
    if (left) throw new Error(`${label} left ${left} on the runtime stacks`);
    return out;
  };
  for (const raw of prog.points) {
    const x = raw.slice(0, dim);
    const args = (): Arg[] => argsOf(kinds, n, x);
    const fail = (msg: string): void => void failures.push(`extras at (${x.join(", ")}): ${msg}`);
    t.tracer.thaw();
    t.tracer.reset();
    const value = t.traced(...args());
    // Second derivatives through stopGradient are not derivatives of f (JAX's hessian of
    // x * stop_gradient(x) is 0, differences of its gradient 1): those checks stop there.
    const stopped = t.tracer.stops.length > 0;
    // Where check.ts skips the point (ill-conditioned), so do the extras.
    if (!Number.isFinite(value) || Math.abs(value) > 1e100 || t.tracer.margin < MARGIN || t.tracer.wild > 1e4 || t.tracer.overflow) continue;
    const centre = [...t.tracer.trace];
    try {
      const G = flattenGradient(call("grad(f)", made.grad!, args()), kinds, n);
      if (typeof G === "string" || G.some((g) => !Number.isFinite(g) || Math.abs(g) > 1e50)) continue;
      const scale = 1 + Math.abs(value);
      const near = (a: number, b: number): boolean => close(a, b, scale) || (Number.isNaN(a) && Number.isNaN(b));
      checkFirstOrder(t, x, value, G, near, call, fail);
      const more: MoreContext = { t, x, value, G, near, call, fail, centre, stopped };
      checkMoreFirstOrder(more);
      if (!stopped) {
        checkSecondOrder(t, x, centre, call, fail);
        checkMoreSecondOrder(more);
      }
    } catch (e) {
      emptyStacks();
      fail(`threw ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failures;
}

type Call = (label: string, fn: Fn, args: unknown[]) => unknown;

function checkFirstOrder(t: ExtrasTarget, x: number[], value: number, G: number[], near: (a: number, b: number) => boolean, call: Call, fail: (msg: string) => void): void {
  const { extras, kinds, made, prog } = t;
  const n = prog.n;
  const args = (): Arg[] => argsOf(kinds, n, x);
  const direction = prog.direction.slice(0, x.length);
  const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

  if (extras.jvp) {
    const out = call("jvp(f)", made.jvp!, [...args(), ...argsOf(kinds, n, direction)]) as [number, number];
    if (!Object.is(out[0], value)) fail(`jvp(f) value ${out[0]} is not f's ${value}`);
    if (!near(out[1], dot(G, direction))) fail(`jvp(f) tangent ${out[1]} but <grad f, v> = ${dot(G, direction)}`);
  }

  if (extras.long.length > 0) {
    const expected = [...G];
    for (const term of extras.long) longTermGradient(term, x, expected);
    const got = flattenGradient(call("grad(L)", made.Lgrad!, args()), kinds, n);
    if (typeof got === "string") fail(`grad(L): ${got}`);
    else if (got.some((g, i) => !near(g, expected[i]!))) fail(`grad(L) = [${got}] but grad f + the terms' derivatives = [${expected}]`);
  }

  if (extras.pack !== "none") {
    const fields = packed(kinds);
    const offsets = kinds.map((_, p) => coordinates(kinds.slice(0, p), n));
    const width = (k: ParamKind): number => coordinates([k], n);
    const slice = (v: readonly number[], at: number, k: ParamKind): number[] => v.slice(offsets[at], offsets[at]! + width(k));
    const vals = argsOf(kinds, n, x);
    const pack = (from: readonly Arg[]): unknown => {
      const items = fields.map((fl) => from[fl.at]);
      if (extras.pack === "tuple") return items;
      // A number is a row of one; an array is a row. Each record's w is read by nobody: its gradient is 0.
      if (extras.pack === "rows") return fields.map((fl, i) => (fl.kind === "arr" ? Array.from(items[i] as number[]) : [items[i]]));
      if (extras.pack === "records") return items.map((v) => ({ v, w: 0.5 }));
      // An id S never differentiates, a tuple whose second entry and an array nobody reads (gradients 0).
      if (extras.pack === "trees") return items.map((v, i) => ({ id: `r${i}`, v: [v, 0.5], w: [0.25] }));
      // Keyed: the fields in reverse order after an entry S never reads (its gradient 0).
      if (extras.pack === "keyed") return Object.fromEntries([["pad", 0.5], ...fields.map((fl, i) => [fl.name, items[i]] as const).reverse()]);
      if (extras.pack === "class") return new (made.C as unknown as new (...a: unknown[]) => unknown)(...items);
      return Object.fromEntries(fields.map((fl, i) => [fl.name, items[i]]));
    };
    // S = cg(f, c0) + 0.5 g + m(0.3), with cg(u, v) = u sin(v), g = c0², m(k) = c0 k; c0 is coordinate 0.
    const c0 = x[0]!;
    const expected = extras.custom ? G.map((g) => g * Math.sin(c0)) : [...G];
    if (extras.custom) expected[0]! += value * Math.cos(c0);
    if (extras.getter) expected[0]! += c0;
    if (extras.method) expected[0]! += 0.3;
    const flat = (g: unknown): number[] | string => {
      if (extras.pack === "rows") {
        const rows = g as unknown[];
        if (!Array.isArray(rows) || rows.length !== fields.length) return `expected ${fields.length} rows, got ${JSON.stringify(g)}`;
        const bad = fields.findIndex((fl, i) => !Array.isArray(rows[i]) || (rows[i] as number[]).length !== width(fl.kind));
        if (bad >= 0) return `row ${bad} of the gradient is ${JSON.stringify(rows[bad])}, not a number[] of ${width(fields[bad]!.kind)}`;
        return (rows as number[][]).flat();
      }
      if (extras.pack === "records") {
        const records = g as { v: number; w: number }[];
        if (!Array.isArray(records) || records.length !== fields.length) return `expected ${fields.length} records, got ${JSON.stringify(g)}`;
        if (records.some((r) => Object.keys(r).join() !== "v,w" || r.w !== 0)) return `expected records { v, w } with w's gradient 0, got ${JSON.stringify(g)}`;
        return records.map((r) => r.v);
      }
      if (extras.pack === "trees") {
        const records = g as { id: string; v: [number, number]; w: number[] }[];
        if (!Array.isArray(records) || records.length !== fields.length) return `expected ${fields.length} records, got ${JSON.stringify(g)}`;
        if (records.some((r, i) => r.id !== `r${i}` || r.v.length !== 2 || r.v[1] !== 0 || r.w.length !== 1 || r.w[0] !== 0)) return `expected records { id, v: [v, 0], w: [0] } with their ids kept, got ${JSON.stringify(g)}`;
        return records.map((r) => r.v[0]);
      }
      if (extras.pack === "keyed") {
        const record = g as Record<string, number>;
        const keys = ["pad", ...fields.map((fl) => fl.name).reverse()];
        if (!record || typeof record !== "object" || Object.keys(record).join() !== keys.join()) return `expected a record of the keys ${keys.join()}, in that order, got ${JSON.stringify(g)}`;
        if (record.pad !== 0) return `expected the unread key's gradient 0, got ${JSON.stringify(g)}`;
        return fields.map((fl) => record[fl.name]!);
      }
      const parts = fields.map((fl, i) => (extras.pack === "tuple" ? (g as unknown[])[i] : (g as Record<string, unknown>)[fl.name]));
      if (!g || typeof g !== "object") return `expected a ${extras.pack}, got ${String(g)}`;
      return flattenGradient(parts, fields.map((fl) => fl.kind), n);
    };
    const want = fields.flatMap((fl) => slice(expected, fl.at, fl.kind));
    const g = flat(call("grad(S)", made.Sgrad!, [pack(vals)]));
    if (typeof g === "string") fail(`grad(S) over a ${extras.pack}: ${g}`);
    else if (g.some((v, i) => !near(v, want[i]!))) fail(`grad(S) over a ${extras.pack} = [${g}] but expected [${want}]`);
    if (made.Pgrad) {
      // S given a literal of f's parameters: its gradient is S's, per parameter of the arrow.
      const got = flattenGradient(call("grad(S(literal))", made.Pgrad, args()), kinds, n);
      if (typeof got === "string") fail(`grad(S(literal)) over a ${extras.pack}: ${got}`);
      else if (got.some((v, i) => !near(v, expected[i]!))) fail(`grad(S(literal)) over a ${extras.pack} = [${got}] but expected [${expected}]`);
    }
    const sValue = call("S", made.S!, [pack(argsOf(kinds, n, x))]) as number;
    const vg = call("valueAndGrad(S)", made.SvalueAndGrad!, [pack(argsOf(kinds, n, x))]) as [number, unknown];
    if (!Object.is(vg[0], sValue)) fail(`valueAndGrad(S) value ${vg[0]} is not S's ${sValue}`);
    const g2 = flat(vg[1]);
    if (typeof g2 === "string" || typeof g === "string" || !sameUpToOrder(g2, g)) fail(`valueAndGrad(S) gradient [${String(g2)}] differs from grad(S) [${String(g)}]`);
    if (extras.jvp) {
      const tangent = pack(argsOf(kinds, n, direction));
      const out = call("jvp(S)", made.Sjvp!, [pack(argsOf(kinds, n, x)), tangent]) as [number, number];
      const d = fields.flatMap((fl) => slice(direction, fl.at, fl.kind));
      if (!Object.is(out[0], sValue)) fail(`jvp(S) value ${out[0]} is not S's ${sValue}`);
      if (!near(out[1], dot(want, d))) fail(`jvp(S) over a ${extras.pack} tangent ${out[1]} but <grad S, v> = ${dot(want, d)}`);
    }
  }
}

/**
 * hessian(H) and grad(grad(f)) against central differences of the compiled
 * grad(f), Richardson-extrapolated at steps h, h/4, ... h/1024; an estimate
 * counts only where the traced f takes the centre's decisions at every step.
 */
function checkSecondOrder(t: ExtrasTarget, x: number[], centre: readonly number[], call: Call, fail: (msg: string) => void): void {
  const { extras, kinds, made, prog } = t;
  if (!extras.hessian && !extras.nested) return;
  const n = prog.n;
  const gradAt = (y: readonly number[]): number[] => {
    const g = flattenGradient(call("grad(f)", made.grad!, argsOf(kinds, n, y)), kinds, n);
    if (typeof g === "string") throw new Error(`grad(f): ${g}`);
    return g;
  };
  const diff = differences({ t, x, centre });
  /** d (grad f)_i / d x_j against `exact`. */
  const agrees = (i: number, j: number, exact: number): boolean | null =>
    diff.along((y) => gradAt(y)[i]!, x.map((_, k) => (k === j ? 1 : 0)), exact);
  if (extras.hessian) {
    const nums = scalarCoordinates(kinds, n);
    const a = kinds.map((_, i) => x[i]!);
    const rows = call("hessian(H)", made.H!, [a]) as number[][];
    if (!Array.isArray(rows) || rows.length !== kinds.length) {
      fail(`hessian(H) returned ${JSON.stringify(rows)}`);
      return;
    }
    for (const i of nums) {
      for (const j of nums) {
        if (agrees(i, j, rows[i]![j]!) === false) fail(`hessian(H)[${i}][${j}] = ${rows[i]![j]} disagrees with differences of grad f`);
      }
    }
  }
  if (extras.nested) {
    const d2 = call("grad(grad(f))", made.nested!, argsOf(kinds, n, x)) as number;
    if (agrees(0, 0, d2) === false) fail(`grad(grad(f)) = ${d2} disagrees with differences of grad f`);
    const k = kinds.findIndex((kind) => kind === "f64" || kind === "arr");
    if (k >= 0 && made.mixed) {
      const mixed = call(`grad(grad(f), ${k})`, made.mixed, argsOf(kinds, n, x));
      const expected = kinds[k] === "f64" ? mixed instanceof Float64Array : Array.isArray(mixed);
      if (!expected || (mixed as ArrayLike<number>).length !== n) {
        fail(`grad(grad(f), ${k}) returned ${String(mixed)}, not an array of the parameter's kind`);
        return;
      }
      const first = kinds.slice(0, k).reduce((c, kind) => c + (kind === "num" || kind === "count" ? 1 : n), 0);
      for (let j = 0; j < n; j++) {
        const value = (mixed as ArrayLike<number>)[j]!;
        if (agrees(0, first + j, value) === false) fail(`grad(grad(f), ${k})[${j}] = ${value} disagrees with differences of grad f`);
      }
    }
  }
}
