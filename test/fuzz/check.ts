// Checks one generated program against its compiled gradient:
//   1. grad(f, [every parameter]) against central finite differences
//      (Richardson-extrapolated) coordinate by coordinate;
//   2. a dot-product check along a random direction v: <grad, v> against
//      (f(x + hv) - f(x - hv)) / 2h, also Richardson-extrapolated;
//   3. valueAndGrad: the value is f's, bit for bit (Object.is), and the
//      gradient is grad's up to the order of its sums (sameUpToOrder: a loop
//      valueAndGrad fuses, because its forward copy returns the value, may be
//      one grad reverses as a backward loop, adding the same terms the other
//      way round);
//   4. the gradient has its parameters' shapes and kinds, the arguments are
//      not mutated, and the runtime's stacks are empty after each call.
// Finite differences are taken on the traced JavaScript copy of the program
// (gen.ts, mode "js"), whose value must equal the compiled f's bit for bit.
// Difference estimates are taken at steps h = 1e-3 max(1, |x|), h/4, h/16,
// ... h/1024; an estimate counts only if none of its evaluations takes a
// different branch or side of a kink than the centre (the traced copy records
// every decision). A point is skipped when it is ill-conditioned: the value
// is not finite or huge, no step is small enough to keep the decisions, or
// the gradient disagrees while some decision (a comparison, abs, max, floor,
// %, ...) is within 1e-4 (relative) of flipping, or sin/cos/tan had an
// argument past 1e4, or the gradient is NaN after some ** or Math function
// overflowed to Infinity (0 * Infinity in any chain rule). A component is inconclusive
// (neither passed nor failed) when no two successive valid estimates agree.

import * as runtime from "../../runtime/index.js";
import { type ParamKind, type Program, RUNTIME_IMPORTS } from "./gen.js";

type Arg = number | number[] | Float64Array;
type ScalarFn = (...args: Arg[]) => number;

export const MARGIN = 1e-4;
export const RTOL = 1e-5;
/** Absolute floor, times 1 + |f(x)|. */
export const ATOL = 1e-8;

// ---------------------------------------------------------------- tracer

const SINGULAR = new Set(["atan2", "hypot", "cbrt", "/", "norm"]);

export class Tracer {
  trace: number[] = [];
  /** The kind of each decision in `trace`. */
  kinds: string[] = [];
  margin = Infinity;
  /** What the smallest margin belongs to: "<", "abs", "max", ... */
  closest = "";
  /** A Math function or ** overflowed to ±Infinity from finite arguments. */
  overflow = false;
  /** The largest |argument| of sin, cos or tan (past ~1e4 they oscillate below any difference step). */
  wild = 0;

  /** Values of stopGradient(e) at the centre, in evaluation order; held there while `frozen`. */
  stops: number[] = [];
  frozen = false;

  reset(): void {
    if (!this.frozen) this.stops = [];
    this.stopAt = 0;
    this.trace = [];
    this.kinds = [];
    this.margin = Infinity;
    this.closest = "";
    this.overflow = false;
    this.wild = 0;
  }

  /**
   * A decision and how far (relative) it is from flipping. At a kink an
   * exact tie (margin 0) is structural in practice, e.g. max(v, v) or floor
   * of an integer constant, where the conventions of SPEC §3 give the right
   * derivative, so it does not make a point ill-conditioned (a real tie that
   * moves with the inputs shows up as a changed decision at a difference step
   * instead). At a singular point (atan2 or hypot at the origin, cbrt or a
   * denominator at 0, norm of zeros) the derivative does not exist: margin 0
   * counts.
   */
  record(kind: string, decision: number, margin: number): void {
    this.trace.push(decision);
    this.kinds.push(kind);
    if ((margin > 0 || SINGULAR.has(kind)) && margin < this.margin) {
      this.margin = margin;
      this.closest = kind;
    }
  }

  private stopAt = 0;

  /** Holds every stopGradient(e) at its centre value: the differences see the function the derivative is of. */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    this.stops = [];
  }

  readonly api = {
    /** stopGradient(x): recorded at the centre, replayed (in the same order) while frozen. */
    stop: (x: number): number => {
      if (!this.frozen) {
        this.stops.push(x);
        return x;
      }
      return this.stops[this.stopAt++] ?? x;
    },
    cmp: (a: number, b: number, op: string): boolean => {
      const r = op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
      this.record(op, r ? 1 : 0, Math.abs(a - b) / (1 + Math.abs(a) + Math.abs(b)));
      return r;
    },
    mod: (a: number, b: number): number => {
      const q = a / b;
      // a % b jumps where a / b crosses a non-zero integer.
      this.record("%", Math.trunc(q), Math.abs(q - (Math.round(q) || Math.sign(q) || 1)));
      return a % b;
    },
    /** The traced copy's `**`. */
    pow: (a: number, b: number): number => {
      const r = a ** b;
      if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b)) this.overflow = true;
      return r;
    },
    /** A denominator: kept 1e-2 away from zero. */
    nz: (b: number): number => {
      this.record("/", Math.sign(b), Math.abs(b) * 1e-2);
      return b;
    },
  };

  /** The position of the best entry, and its gap to the closest different entry. */
  private argBest(kind: string, xs: ArrayLike<number>, better: (a: number, b: number) => boolean): void {
    let best = 0;
    for (let i = 1; i < xs.length; i++) if (better(xs[i]!, xs[best]!)) best = i;
    let gap = Infinity;
    for (let i = 0; i < xs.length; i++) {
      const d = Math.abs(xs[best]! - xs[i]!);
      if (d > 0) gap = Math.min(gap, d / (1 + Math.abs(xs[best]!) + Math.abs(xs[i]!)));
    }
    this.record(kind, best, gap);
  }

  /** Math, with every kink and singular point recorded. */
  readonly math: Math = (() => {
    const m: Record<string, unknown> = {};
    for (const k of Object.getOwnPropertyNames(Math)) m[k] = (Math as unknown as Record<string, unknown>)[k];
    const nearInteger = (x: number) => Math.abs(x - Math.round(x));
    for (const k of ["exp", "expm1", "cosh", "sinh", "pow"] as const) {
      const f = Math[k] as (...xs: number[]) => number;
      m[k] = (...xs: number[]) => {
        const r = f(...xs);
        if (!Number.isFinite(r) && xs.every(Number.isFinite)) this.overflow = true;
        return r;
      };
    }
    for (const k of ["sin", "cos", "tan"] as const) {
      const f = Math[k];
      m[k] = (x: number) => {
        if (Math.abs(x) > this.wild) this.wild = Math.abs(x);
        return f(x);
      };
    }
    Object.assign(m, {
      abs: (x: number) => (this.record("abs", Math.sign(x), Math.abs(x)), Math.abs(x)),
      sign: (x: number) => (this.record("sign", Math.sign(x), Math.abs(x)), Math.sign(x)),
      floor: (x: number) => (this.record("floor", Math.floor(x), nearInteger(x)), Math.floor(x)),
      ceil: (x: number) => (this.record("ceil", Math.ceil(x), nearInteger(x)), Math.ceil(x)),
      trunc: (x: number) => (this.record("trunc", Math.trunc(x), Math.abs(x - (Math.round(x) || Math.sign(x) || 1))), Math.trunc(x)),
      round: (x: number) => (this.record("round", Math.round(x), nearInteger(x - 0.5)), Math.round(x)),
      max: (...xs: number[]) => (this.argBest("Math.max", xs, (a, b) => a > b), Math.max(...xs)),
      min: (...xs: number[]) => (this.argBest("Math.min", xs, (a, b) => a < b), Math.min(...xs)),
      cbrt: (x: number) => (this.record("cbrt", Math.sign(x), Math.abs(x)), Math.cbrt(x)),
      hypot: (...xs: number[]) => {
        const h = Math.hypot(...xs);
        this.record("hypot", 0, h);
        return h;
      },
      atan2: (y: number, x: number) => {
        this.record("atan2", x < 0 ? Math.sign(y) : 2, Math.min(x < 0 ? Math.abs(y) : Infinity, Math.hypot(x, y)));
        return Math.atan2(y, x);
      },
    });
    return m as unknown as Math;
  })();

  /** The runtime, with max / min / norm recorded. */
  readonly runtime: Record<string, unknown> = {
    ...Object.fromEntries(RUNTIME_IMPORTS.map((k) => [k, (runtime as Record<string, unknown>)[k]])),
    max: (x: ArrayLike<number>) => (this.argBest("max", x, (a, b) => a > b), runtime.max(x as Float64Array)),
    min: (x: ArrayLike<number>) => (this.argBest("min", x, (a, b) => a < b), runtime.min(x as Float64Array)),
    norm: (x: ArrayLike<number>) => {
      const v = runtime.norm(x as Float64Array);
      this.record("norm", 0, v);
      return v;
    },
  };
}

/** Evaluates the traced copy of a program and returns its functions by name. */
export function instantiate(js: string, names: string[], tracer: Tracer): Record<string, ScalarFn> {
  const make = new Function("Math", "__T", ...RUNTIME_IMPORTS, `${js}\nreturn { ${names.join(", ")} };`) as (
    ...args: unknown[]
  ) => Record<string, ScalarFn>;
  return make(tracer.math, tracer.api, ...RUNTIME_IMPORTS.map((k) => tracer.runtime[k]));
}

// ---------------------------------------------------------------- arguments

export function coordinates(kinds: readonly ParamKind[], n: number): number {
  return kinds.reduce((c, k) => c + (k === "num" || k === "count" ? 1 : n), 0);
}

/** Arguments from a flat vector of coordinates. */
export function argsOf(kinds: readonly ParamKind[], n: number, vec: readonly number[]): Arg[] {
  let c = 0;
  return kinds.map((k) => {
    if (k === "num" || k === "count") return vec[c++]!;
    const xs = vec.slice(c, c + n);
    c += n;
    return k === "f64" ? Float64Array.from(xs) : xs;
  });
}

function show(args: readonly Arg[]): string {
  return `(${args.map((a) => (typeof a === "number" ? String(a) : a instanceof Float64Array ? `Float64Array.from([${Array.from(a).join(", ")}])` : `[${a.join(", ")}]`)).join(", ")})`;
}

/** The gradient's numbers, after checking it has the parameters' shapes. */
export function flattenGradient(g: unknown, kinds: readonly ParamKind[], n: number): number[] | string {
  if (!Array.isArray(g) || g.length !== kinds.length) return `expected a tuple of ${kinds.length} gradients, got ${describe(g)}`;
  const out: number[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const part: unknown = g[i];
    const k = kinds[i]!;
    if (k === "num" || k === "count") {
      if (typeof part !== "number") return `gradient ${i} should be a number, got ${describe(part)}`;
      out.push(part);
    } else if (k === "f64") {
      if (!(part instanceof Float64Array) || part.length !== n) return `gradient ${i} should be a Float64Array(${n}), got ${describe(part)}`;
      out.push(...part);
    } else {
      if (!Array.isArray(part) || part.length !== n || part.some((v) => typeof v !== "number")) {
        return `gradient ${i} should be a number[] of length ${n}, got ${describe(part)}`;
      }
      out.push(...(part as number[]));
    }
  }
  return out;
}

function describe(v: unknown): string {
  if (v instanceof Float64Array) return `Float64Array(${v.length}) [${Array.from(v).join(", ")}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

// ---------------------------------------------------------------- checking

export interface Target {
  /** Which function: "entry" or "inner". */
  readonly label: string;
  readonly name: string;
  readonly kinds: readonly ParamKind[];
  /** The compiled function and its transforms. */
  readonly f: ScalarFn;
  readonly grad: (...args: Arg[]) => unknown;
  readonly valueAndGrad?: (...args: Arg[]) => unknown;
  /** grad(f, subset) (a tuple) or grad(f, k) (one gradient), for the parameters `subset`. */
  readonly gradSubset?: { readonly params: readonly number[]; readonly fn: (...args: Arg[]) => unknown };
}

export interface Stats {
  points: number;
  pointsSkipped: number;
  components: number;
  inconclusive: number;
  directional: number;
  /** Skipped points by reason. */
  skips: Record<string, number>;
}

export function newStats(): Stats {
  return { points: 0, pointsSkipped: 0, components: 0, inconclusive: 0, directional: 0, skips: {} };
}

/**
 * Empties the runtime's value and control stacks (0 and 0 between gradient
 * calls, runtime/stack.ts) and says what was left on them, or "" if nothing.
 */
export function emptyStacks(): string {
  const { values, control } = runtime.stackDepth();
  for (let i = 0; i < values; i++) runtime.popValue();
  for (let i = 0; i < control; i++) runtime.popControl();
  return values || control ? `${values} values and ${control} control entries` : "";
}

export function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= RTOL * Math.max(Math.abs(a), Math.abs(b)) + ATOL * scale;
}

/**
 * Checks a target at the program's sample points. Returns failures (empty if
 * none) and adds to `stats`.
 */
export function checkTarget(
  prog: Program,
  t: Target,
  traced: ScalarFn,
  tracer: Tracer,
  stats: Stats,
): string[] {
  const n = prog.n;
  const dim = coordinates(t.kinds, n);
  const failures: string[] = [];
  const fail = (at: readonly Arg[], msg: string) => failures.push(`${t.label} ${t.name}${show(at)}: ${msg}`);

  for (const [pointIndex, raw] of prog.points.entries()) {
    const x = raw.slice(0, dim);
    const args = argsOf(t.kinds, n, x);
    const value = t.f(...argsOf(t.kinds, n, x));
    tracer.thaw();
    tracer.reset();
    const tracedValue = traced(...argsOf(t.kinds, n, x));
    tracer.freeze();
    const centre = tracer.trace;
    const centreKinds = tracer.kinds;
    const margin = tracer.margin;
    const closest = tracer.closest;
    const overflow = tracer.overflow;
    const wild = tracer.wild;
    if (!Object.is(tracedValue, value)) {
      fail(args, `the compiled f returns ${value} but the source evaluates to ${tracedValue}`);
      continue;
    }
    const skip = (why: string) => {
      stats.pointsSkipped++;
      stats.skips[why] = (stats.skips[why] ?? 0) + 1;
    };
    if (!Number.isFinite(value) || Math.abs(value) > 1e100) {
      skip(Number.isFinite(value) ? "huge value" : "value not finite");
      continue;
    }


    // grad, with the arguments left as they were. The runtime's tape starts a million
    // values long, so at every other point grad starts from an 8-value tape instead:
    // the forward sweep overflows it, lengthens it and runs again, as in a program
    // that saves more than the tape holds.
    const gradArgs = argsOf(t.kinds, n, x);
    // The long tape is put back after the call: test files share the runtime (isolate: false),
    // and runtime.test checks the length it starts with.
    const longTape = runtime.tape.values;
    if (pointIndex % 2 === 1) runtime.tape.values = new Float64Array(8);
    let g: unknown;
    try {
      g = t.grad(...gradArgs);
    } catch (e) {
      emptyStacks();
      fail(args, `grad threw ${String(e)}`);
      continue;
    } finally {
      if (runtime.tape.values.length < longTape.length) runtime.tape.values = longTape;
    }
    const left = emptyStacks();
    if (left) fail(args, `grad left ${left} on the runtime stacks (the backward sweep pops everything the forward sweep pushed)`);
    if (show(gradArgs) !== show(args)) fail(args, `grad mutated its arguments to ${show(gradArgs)}`);
    const G = flattenGradient(g, t.kinds, n);
    if (typeof G === "string") {
      fail(args, G);
      continue;
    }

    if (t.valueAndGrad) {
      let out: unknown;
      try {
        out = t.valueAndGrad(...argsOf(t.kinds, n, x));
      } catch (e) {
        emptyStacks();
        fail(args, `valueAndGrad threw ${String(e)}`);
        continue;
      }
      const left = emptyStacks();
      if (left) fail(args, `valueAndGrad left ${left} on the runtime stacks`);
      if (!Array.isArray(out) || out.length !== 2) fail(args, `valueAndGrad returned ${describe(out)}`);
      else {
        if (!Object.is(out[0], value)) fail(args, `valueAndGrad value ${out[0]} is not f's value ${value}`);
        const G2 = flattenGradient(out[1], t.kinds, n);
        if (typeof G2 === "string") fail(args, `valueAndGrad: ${G2}`);
        else if (!sameUpToOrder(G2, G)) fail(args, `valueAndGrad gradient ${describe(G2)} differs from grad ${describe(G)}`);
      }
    }

    if (t.gradSubset) {
      const { params, fn } = t.gradSubset;
      let out: unknown;
      try {
        out = fn(...argsOf(t.kinds, n, x));
      } catch (e) {
        emptyStacks();
        fail(args, `grad(f, [${params}]) threw ${String(e)}`);
        continue;
      }
      const left = emptyStacks();
      if (left) fail(args, `grad(f, [${params}]) left ${left} on the runtime stacks`);
      const kinds = params.map((p) => t.kinds[p]!);
      const S = flattenGradient(params.length > 1 ? out : [out], kinds, n);
      const offsets = t.kinds.map((_, p) => coordinates(t.kinds.slice(0, p), n));
      const expected = params.flatMap((p) => G.slice(offsets[p], offsets[p]! + coordinates([t.kinds[p]!], n)));
      if (typeof S === "string") fail(args, `grad(f, [${params}]): ${S}`);
      else if (S.some((v, i) => !close(v, expected[i]!, 1 + Math.abs(value)) && !(Number.isNaN(v) && Number.isNaN(expected[i]!)))) {
        fail(args, `grad(f, [${params}]) = ${describe(S)} but grad over every parameter gives ${describe(expected)} for them`);
      }
    }

    // Finite differences along a direction d of the coordinates: Richardson
    // estimates at h, h/4, h/16, ... Each is valid only if all of its
    // evaluations take the centre's decisions (branches, sides of kinks).
    const scale = 1 + Math.abs(value);
    let flipped = "";
    interface Estimate {
      readonly value: number;
      readonly valid: boolean;
    }
    const estimates = (d: readonly number[], h0: number) => {
      const at = (s: number): Estimate => {
        tracer.reset();
        const v = traced(...argsOf(t.kinds, n, x.map((xi, i) => xi + s * d[i]!)));
        const same = tracer.trace.length === centre.length && tracer.trace.every((c, i) => c === centre[i]);
        if (!same && !flipped) {
          const i = tracer.trace.findIndex((c, i) => c !== centre[i]);
          flipped = centreKinds[i === -1 ? centre.length - 1 : i] ?? "?";
        }
        return { value: v, valid: same };
      };
      const richardson = (h: number): Estimate => {
        const [a, b, c, e] = [at(h / 2), at(-h / 2), at(h), at(-h)];
        const value = (4 * ((a.value - b.value) / h) - (c.value - e.value) / (2 * h)) / 3;
        return { value, valid: a.valid && b.valid && c.valid && e.valid && Number.isFinite(value) };
      };
      const out: Estimate[] = [];
      const get = (k: number): Estimate => {
        while (out.length <= k) out.push(richardson(h0 / 4 ** out.length));
        return out[k]!;
      };
      return { get, shown: () => out.map((e) => (e.valid ? String(e.value) : `(${e.value}, across a decision)`)).join(", ") };
    };
    /**
     * "pass" if the exact value matches a valid estimate; "fail" if two
     * successive valid estimates agree with each other and none with it;
     * "flip" if no estimate down to h/1024 is valid; else "inconclusive".
     */
    const compare = (exact: number, fd: ReturnType<typeof estimates>): "pass" | "fail" | "inconclusive" | "flip" => {
      let previous: number | null = null;
      let agreeing = false;
      let valid = false;
      for (let k = 0; k <= 5; k++) {
        const e = fd.get(k);
        if (!e.valid) {
          previous = null;
          continue;
        }
        valid = true;
        if (close(exact, e.value, scale)) return "pass";
        if (previous !== null && close(previous, e.value, scale)) agreeing = true;
        previous = e.value;
      }
      return !valid ? "flip" : agreeing ? "fail" : "inconclusive";
    };

    const xmax = Math.max(1, ...x.map(Math.abs));
    const bad: string[] = [];
    let inconclusive = 0;
    let flips = false;
    for (let c = 0; c < dim && !flips; c++) {
      const d = x.map((_, i) => (i === c ? 1 : 0));
      const fd = estimates(d, 1e-3 * Math.max(1, Math.abs(x[c]!)));
      const r = compare(G[c]!, fd);
      if (r === "fail") bad.push(`component ${c}: grad ${G[c]} vs differences ${fd.shown()}`);
      if (r === "inconclusive") inconclusive++;
      if (r === "flip") flips = true;
    }
    // Second route: <grad, v> against the difference along v.
    const v = prog.direction.slice(0, dim);
    const gv = G.reduce((s, gi, i) => s + gi * v[i]!, 0);
    const fdv = estimates(v, 1e-3 * xmax);
    const rv = flips ? "flip" : compare(gv, fdv);
    if (rv === "flip") {
      skip(`a difference step changes a decision (${flipped})`);
      continue;
    }
    stats.points++;
    stats.components += dim;
    stats.inconclusive += inconclusive;
    if (rv === "pass") stats.directional++;
    if (rv === "fail") bad.push(`<grad, v> = ${gv} vs differences ${fdv.shown()} along v = [${v.join(", ")}]`);
    const excuse =
      bad.length === 0
        ? null
        : margin < MARGIN
          ? // Near a kink or a branch: the mismatch may be the difference quotient's.
            `near a kink or branch (${closest})`
          : wild > 1e4
            ? // sin/cos/tan of a huge argument: smooth on a scale far below any step.
              "sin, cos or tan of a huge argument"
            : overflow && G.some((g) => !Number.isFinite(g))
              ? // Infinity in the evaluation: Infinity - Infinity, 0 * Infinity, ... in any chain rule.
                "a NaN gradient after an overflow to Infinity"
              : null;
    if (excuse) {
      stats.points--;
      stats.components -= dim;
      stats.inconclusive -= inconclusive;
      if (rv === "pass") stats.directional--;
      skip(excuse);
      continue;
    }
    if (bad.length > 0) fail(args, `gradient ${describe(G)} is wrong (value ${value}):\n    ${bad.join("\n    ")}`);
  }
  return failures;
}

/**
 * Gradients equal but for the order their terms were added in: each component
 * the same value, or both finite and within 1e-10 of the largest component
 * (a reordered sum moves a few ulps of its terms; a dropped or doubled term
 * moves far more).
 */
export function sameUpToOrder(a: readonly number[], b: readonly number[]): boolean {
  const scale = Math.max(...b.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)), Number.MIN_VALUE);
  return a.every((v, i) => Object.is(v, b[i]) || (Number.isFinite(v) && Number.isFinite(b[i]!) && Math.abs(v - b[i]!) <= 1e-10 * scale));
}
