// Adjoint rules for tsgrad's runtime functions, one entry each. A rule gets
// the call's arguments, the adjoint of its result, and a small API to
// accumulate into array adjoints (through the runtime's *Adjoint helpers) or
// to pass an adjoint on to a scalar argument.

import type { Expr } from "../ir.js";

export interface RuntimeAdjointApi {
  /** The adjoint buffer of an array argument, or undefined when it is not active. */
  bar(array: Expr): Expr | undefined;
  /** Emits `tsgrad.<helper>(...args)` in the backward sweep. */
  effect(helper: string, ...args: Expr[]): void;
  /** Propagates `adjoint` into a scalar argument. */
  scalar(arg: Expr, adjoint: Expr): void;
  /** Binds an expression to a local in the backward sweep, returning it. */
  local(value: Expr, type: "number" | "pair"): Expr;
}

type Rule = (args: readonly Expr[], adjoint: Expr, api: RuntimeAdjointApi) => void;

const call = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const at = (tuple: Expr, i: number): Expr => ({ kind: "index", array: tuple, index: { kind: "num", value: i } });

/** A reduction whose helper takes (xBar, seed). */
const linearReduction = (helper: string): Rule => ([x], seed, api) => {
  const xBar = api.bar(x!);
  if (xBar) api.effect(helper, xBar, seed);
};

/** A reduction whose helper takes (xBar, x, seed). */
const reduction = (helper: string): Rule => ([x], seed, api) => {
  const xBar = api.bar(x!);
  if (xBar) api.effect(helper, xBar, x!, seed);
};

/** Reductions: scalar results of arrays. The number is the arity. */
const REDUCTIONS: Record<string, [number, Rule]> = {
  sum: [1, linearReduction("sumAdjoint")],
  mean: [1, linearReduction("meanAdjoint")],
  dot: [
    2,
    ([a, b], seed, api) => {
      const aBar = api.bar(a!);
      const bBar = api.bar(b!);
      if (aBar) api.effect("dotAdjoint", aBar, seed, b!);
      if (bBar) api.effect("dotAdjoint", bBar, seed, a!);
    },
  ],
  prod: [1, reduction("prodAdjoint")],
  max: [1, reduction("maxAdjoint")],
  min: [1, reduction("minAdjoint")],
  norm: [1, reduction("normAdjoint")],
  hypot: [1, reduction("normAdjoint")],
  logSumExp: [1, reduction("logSumExpAdjoint")],
};

/** Constructors: array results. `yBar` is the adjoint buffer of the array made. */
const CONSTRUCTORS: Record<string, Rule> = {
  zeros: () => {},
  ones: () => {},
  arange: () => {},
  full: ([, value], yBar, api) => api.scalar(value!, call("sum", yBar)),
  tensor: ([x], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("addScaled", xBar, { kind: "num", value: 1 }, yBar);
  },
  filled: ([, value], yBar, api) => api.scalar(value!, call("sum", yBar)),
  // The number[] copy of an array f's type says is one (declared-results.ts).
  asArray: ([x], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("addScaled", xBar, { kind: "num", value: 1 }, yBar);
  },
  sliceOf: ([x, start], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("sliceAdjoint", xBar, start!, yBar);
  },
  sliceToArray: ([x, start], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("sliceAdjoint", xBar, start!, yBar);
  },
  sortedOf: ([x, order], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("sortedAdjoint", xBar, x!, order!, yBar);
  },
  reversedOf: ([x], yBar, api) => {
    const xBar = api.bar(x!);
    if (xBar) api.effect("reversedAdjoint", xBar, yBar);
  },
  // The values of a record keyed by strings: its gradient is built from this array's adjoint (reverse.ts gradientOf).
  keyedValues: () => {},
  // The rows of a record of arrays keyed by strings, the record's own arrays: likewise (keyedRowsRecord).
  keyedRows: () => {},
  linspace: ([start, stop], yBar, api) => {
    const ends = api.local(call("linspaceAdjoint", yBar), "pair");
    api.scalar(start!, at(ends, 0));
    api.scalar(stop!, at(ends, 1));
  },
};

export const RUNTIME_REDUCTIONS: ReadonlyMap<string, number> = new Map(
  Object.entries(REDUCTIONS).map(([k, [arity]]) => [k, arity]),
);
export const RUNTIME_ARRAYS: ReadonlySet<string> = new Set(Object.keys(CONSTRUCTORS));

/** stopGradient(x): the identity, whose adjoint passes nothing on to x. */
const STOPPED: Rule = () => {};

/** Lookups of keys in a record keyed by strings (a position, a key): data, whose derivative is zero. */
export const KEY_LOOKUPS: ReadonlySet<string> = new Set(["keyIndex", "keyAt", "keySlot"]);

export function runtimeRule(name: string): Rule | undefined {
  if (name === "stopGradient" || KEY_LOOKUPS.has(name)) return STOPPED;
  return REDUCTIONS[name]?.[1] ?? CONSTRUCTORS[name];
}
