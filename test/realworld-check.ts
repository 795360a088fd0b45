// Checking machinery of the real-world corpus (test/realworld.test.ts): loading
// a compiled program, reading its `cases`, and finite differences over
// structured arguments (arrays, records, tuples, class instances).

import * as path from "node:path";
import * as runtime from "../runtime/index.js";
import type { Compiled } from "./harness.js";

// ---------------------------------------------------------------------------
// Running a program: the emitted CommonJS, with `tsgrad` either the real
// runtime or, for a refused program, a runtime whose transforms stand for the
// refused calls (so the module still loads and its primal functions can be
// used to check the hand-derived values).

export type Exports = Record<string, unknown>;

export const refusedTransforms: Exports = {
  ...runtime,
  grad: () => refusedCall,
  valueAndGrad: () => refusedCall,
  jvp: () => refusedCall,
  hessian: () => refusedCall,
  customGrad: (f: unknown) => f,
};

function refusedCall(): never {
  throw new Error("this transform call was refused at compile time");
}

export function loadWith(compiled: Compiled, file: string, tsgrad: Exports): Exports {
  const cache = new Map<string, Exports>();
  const run = (fileName: string): Exports => {
    const cached = cache.get(fileName);
    if (cached) return cached;
    const code = compiled.js.get(fileName);
    if (code === undefined) throw new Error(`no emitted JavaScript for ${fileName}`);
    const module = { exports: {} as Exports };
    cache.set(fileName, module.exports);
    const require = (spec: string): unknown => {
      if (spec === "tsgrad") return tsgrad;
      if (spec.startsWith(".")) {
        const base = path.resolve(path.dirname(fileName), spec).replace(/\.js$/, "");
        if (compiled.js.has(`${base}.ts`)) return run(`${base}.ts`);
      }
      throw new Error(`${path.basename(file)} requires unknown module ${spec}`);
    };
    new Function("require", "module", "exports", code)(require, module, module.exports);
    cache.set(fileName, module.exports);
    return module.exports;
  };
  return run(file);
}

// ---------------------------------------------------------------------------
// Cases: each program exports `cases`, a list of { f, df, args, wrt?,
// withValue?, stepFloor?, relativeStep? }: df is the transform of f, called at
// args; wrt is the transform's own wrt (default 0); withValue marks
// valueAndGrad; stepFloor (default 0.01) is the value below which the
// finite-difference step stops shrinking with the value, and relativeStep
// (default 1e-3) the step as a fraction of the value (see `difference`), for a
// loss that curves too sharply for the default step to resolve.

export type Fn = (...args: unknown[]) => unknown;
export interface Case {
  readonly f: Fn;
  readonly df: Fn;
  readonly args: readonly unknown[];
  readonly wrt: number | readonly number[];
  readonly withValue: boolean;
  readonly stepFloor: number;
  readonly relativeStep: number;
}

export function casesOf(exports: Exports, name: string): Case[] {
  const raw = exports.cases;
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${name} exports no cases`);
  return raw.map((c: Record<string, unknown>, i) => {
    const { f, df, args, wrt = 0, withValue = false, stepFloor = 1e-2, relativeStep = 1e-3 } = c;
    if (typeof f !== "function" || typeof df !== "function" || !Array.isArray(args)) {
      throw new Error(`${name}: case ${i} needs f, df (functions) and args (an array)`);
    }
    const wrtOk = typeof wrt === "number" || (Array.isArray(wrt) && wrt.every((k) => typeof k === "number"));
    if (!wrtOk || typeof withValue !== "boolean" || typeof stepFloor !== "number" || !(stepFloor > 0) || typeof relativeStep !== "number" || !(relativeStep > 0))
      throw new Error(`${name}: case ${i} has a malformed wrt, withValue, stepFloor or relativeStep`);
    return {
      f: f as Fn,
      df: df as Fn,
      args,
      wrt: wrt as Case["wrt"],
      withValue,
      stepFloor,
      relativeStep,
    };
  });
}

// ---------------------------------------------------------------------------
// Numbers inside a structured argument: paths to every numeric leaf (through
// arrays, typed arrays, records, Maps keyed by strings and class instances; strings, booleans and
// functions are not differentiated and are skipped), and copies with one leaf
// moved that keep class prototypes.

export type Path = readonly (string | number)[];

export function numericPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value === "number") return [prefix];
  if (value instanceof Float64Array || Array.isArray(value)) {
    return Array.from(value as ArrayLike<unknown>).flatMap((v, i) => numericPaths(v, [...prefix, i]));
  }
  // A Map keyed by strings (`Map<string, number>` of scores): its entries, by key.
  if (value instanceof Map) {
    return [...(value as Map<unknown, unknown>)].flatMap(([k, v]) => (typeof k === "string" ? numericPaths(v, [...prefix, k]) : []));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => numericPaths(v, [...prefix, k]));
  }
  return [];
}

export function at(value: unknown, p: Path): unknown {
  let v = value;
  for (const key of p) {
    if (v === null || typeof v !== "object") return undefined;
    if (v instanceof Map) {
      v = (v as Map<unknown, unknown>).get(key);
      continue;
    }
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

export function moved(value: unknown, p: Path, step: number): unknown {
  if (p.length === 0) return (value as number) + step;
  const [key, ...rest] = p;
  if (value instanceof Float64Array) {
    const copy = value.slice();
    copy[key as number] = moved(value[key as number], rest, step) as number;
    return copy;
  }
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? moved(v, rest, step) : v));
  // A Map is copied with its entries in their order, the one at `key` moved.
  if (value instanceof Map) return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [k, k === key ? moved(v, rest, step) : v]));
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  Object.assign(copy, value);
  copy[key as string] = moved(copy[key as string], rest, step);
  return copy;
}

export const show = (p: Path): string => p.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");

/**
 * d f / d (args[i] at p) by central differences with one Richardson step (error O(h^4)).
 * The step is relative to the value down to `floor` (0.01 unless the case says
 * otherwise): a physical parameter of a few thousandths (a resistance of 0.004
 * ohm) varies on its own scale, and a step of 1e-3 there is a quarter of it,
 * too coarse for the O(h^4) error to be small. A lower floor for every value
 * would make the step of a value at zero tiny and the difference round-off, so
 * a case whose parameters are smaller still (a mortality level of 3e-5) sets
 * its own `stepFloor`. A function that oscillates on a scale finer than 1e-3
 * of a value (a sine of 2π·220·ratio·t over a second of samples turns a full
 * radian per 1e-3 of the ratio) sets its own `relativeStep`.
 */
export function difference(
  f: Fn,
  args: readonly unknown[],
  i: number,
  p: Path,
  relativeStep = 1e-3,
  floor = 1e-2,
): number {
  const x = at(args[i], p) as number;
  const h = relativeStep * Math.max(floor, Math.abs(x));
  const value = (step: number): number => f(...args.map((a, j) => (j === i ? moved(a, p, step) : a))) as number;
  const central = (step: number): number => (value(step) - value(-step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** One compared gradient component: where it is, what tsgrad gave, the reference. */
export interface Component {
  readonly where: string;
  readonly got: unknown;
  readonly want: number;
}

/**
 * Relative error, with a floor from the largest component so tiny ones are not
 * over-judged, and an absolute floor for gradients that vanish (at a minimum).
 */
export function mismatches(components: readonly Component[], rtol = 1e-5): string[] {
  const scale = Math.max(1e-8, ...components.map((c) => Math.abs(c.want)));
  return components
    .filter(({ got, want }) => {
      if (typeof got !== "number" || !Number.isFinite(want)) return typeof got !== "number" || !Object.is(got, want);
      // Negated, so that a NaN from tsgrad is a mismatch (every comparison with NaN is false).
      return !(Math.abs(got - want) <= rtol * (Math.abs(want) + 1e-2 * scale) + 1e-9);
    })
    .map(({ where, got, want }) => `${where}: tsgrad ${String(got)}, expected ${want}`);
}

export const wrtList = (c: Case): number[] => (typeof c.wrt === "number" ? [c.wrt] : [...c.wrt]);

const CONSOLE = ["log", "info", "debug", "warn", "error"] as const;

/**
 * Runs `run` with console output counted instead of printed: programs may keep
 * their debugging `console.log` lines, which must run as often in a gradient
 * call as in a call of the function itself, and the finite differences call
 * the function many times.
 */
export function counting<T>(run: () => T): { readonly result: T; readonly printed: number } {
  const saved = CONSOLE.map((method) => console[method]);
  let printed = 0;
  for (const method of CONSOLE) console[method] = () => void printed++;
  try {
    const result = run();
    return { result, printed };
  } finally {
    CONSOLE.forEach((method, i) => (console[method] = saved[i]!));
  }
}
