// jacobian and jacfwd of tuple- and record-valued functions, with respect to
// records and tuples, and with wrt arrays (fixtures/jacobian-structured.ts):
// every row against finite differences, each row shaped as the gradient,
// and the two modes against each other.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";
import { stackDepth } from "../runtime/index.js";

const file = path.join(ROOT, "fixtures", "jacobian-structured.ts");
const compiled = compile([file]);
const m = load(compiled, file);
const fn = (name: string): ((...args: unknown[]) => unknown) => m[name] as (...args: unknown[]) => unknown;

const close = (actual: readonly number[], expected: readonly number[], tol: number): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!))));
};

/** Whether a row has the shape of the parameter's gradient (an array's row is a number[]). */
function shapedAs(row: unknown, arg: unknown): boolean {
  if (typeof arg === "number") return typeof row === "number";
  if (arg instanceof Float64Array || (Array.isArray(arg) && arg.every((a) => typeof a === "number"))) {
    return Array.isArray(row) && row.length === (arg as ArrayLike<number>).length && row.every((r) => typeof r === "number");
  }
  if (Array.isArray(arg)) return Array.isArray(row) && row.length === arg.length && arg.every((a, i) => shapedAs(row[i], a));
  if (arg && typeof arg === "object" && row && typeof row === "object") {
    const keys = Object.keys(arg);
    return keys.length === Object.keys(row).length && keys.every((k) => shapedAs((row as Record<string, unknown>)[k], (arg as Record<string, unknown>)[k]));
  }
  return false;
}

const theta = [0.4, -0.9];
const lengths = [1.2, 0.7];
const x = Float64Array.from([0.3, -1.1, 0.8, 1.6]);
const p = { slope: 0.7, offsets: [0.2, -0.4, 0.9] };
const ts = [0.1, 0.6, 1.3, 2.2];
const springs = { k: 1.7, rest: [0.2, -0.5, 1.1] };
const matrix = [
  [0.5, -1.2, 0.3],
  [1.1, 0.4, -0.7],
];
const samples = Float64Array.from([0, 0.4, 1.1, 2.5]);
const bodies = [
  { x: 0.2, v: 1.3 },
  { x: -0.6, v: 0.4 },
  { x: 1.5, v: -0.9 },
];

const CASES: { name: string; forward?: string; f: string; wrt: number[]; tuple: boolean; at: unknown[] }[] = [
  { name: "reachJacobian", forward: "reachJacfwd", f: "reach", wrt: [0], tuple: false, at: [theta, lengths] },
  { name: "reachBoth", forward: "reachBothForward", f: "reach", wrt: [0, 1], tuple: true, at: [theta, lengths] },
  { name: "spreadJacobian", forward: "spreadJacfwd", f: "spread", wrt: [0, 1], tuple: true, at: [x, 1.5] },
  { name: "lineJacobian", forward: "lineJacfwd", f: "line", wrt: [0], tuple: false, at: [p, ts] },
  { name: "energyJacobian", forward: "energyJacfwd", f: "energy", wrt: [0, 1], tuple: true, at: [springs, 0.45] },
  { name: "applyJacobian", forward: "applyJacfwd", f: "apply", wrt: [0, 1], tuple: true, at: [matrix, [0.3, -0.8, 1.2]] },
  { name: "applyByV", forward: "applyByVForward", f: "apply", wrt: [1], tuple: false, at: [matrix, [0.3, -0.8, 1.2]] },
  { name: "stepJacobian", forward: "stepJacfwd", f: "step", wrt: [0, 1], tuple: true, at: [bodies, 0.1] },
  // The rows share one forward sweep (a record parameter; a wrt array, split by jacobiansOf).
  { name: "decayJacobian", forward: "decayJacfwd", f: "decay", wrt: [0], tuple: false, at: [{ amplitude: 1.4, rate: 0.6 }, samples, 0.8] },
  { name: "decayBoth", forward: "decayBothForward", f: "decay", wrt: [0, 2], tuple: true, at: [{ amplitude: 1.4, rate: 0.6 }, samples, 0.8] },
  // Hessian blocks: the Jacobians of the tuple grad(coupling, [0, 1]) returns.
  { name: "couplingBlocks", forward: "couplingBlocksForward", f: "couplingGrad", wrt: [0, 1], tuple: true, at: [[0.7, -0.4, 1.3], 1.6] },
  { name: "weightedJacobian", f: "weighted", wrt: [0, 1], tuple: true, at: [[0.5, -1.5, 2], { a: 1.3, b: 0.2 }] },
];

describe("structured Jacobians compile", () => {
  it("without diagnostics", () => expect(formatDiagnostics(compiled.diagnostics)).toBe(""));
});

describe.each(CASES)("$name", ({ name, forward, f, wrt, tuple, at }) => {
  const primal = fn(f);
  const reverse = fn(name)(...at);
  const fwd = forward ? fn(forward)(...at) : undefined;
  const value = primal(...at);
  const outputs = leaves(value).length;
  const parts = (j: unknown): unknown[] => (tuple ? (j as unknown[]) : [j]);
  it("one row per output, each shaped as the gradient (the gradient itself for a number result)", () => {
    wrt.forEach((w, i) => {
      const jac = parts(reverse)[i];
      if (typeof value === "number") expect(shapedAs(jac, at[w])).toBe(true);
      else {
        expect((jac as unknown[]).length).toBe(outputs);
        for (const row of jac as unknown[]) expect(shapedAs(row, at[w]), JSON.stringify(row)).toBe(true);
      }
    });
  });
  it("row by row against finite differences", () => {
    wrt.forEach((w, i) => {
      const jac = parts(reverse)[i];
      const rows = typeof value === "number" ? [jac] : (jac as unknown[]);
      rows.forEach((row, k) => close(leaves(row), argumentGradient((...a) => leaves(primal(...a))[k]!, at as never[], w), 1e-6));
    });
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
  it.skipIf(!forward)("jacfwd gives the same Jacobians", () => {
    expect(parts(fwd).length).toBe(wrt.length);
    close(leaves(fwd), leaves(reverse), 1e-12);
  });
});

describe("the shared forward sweep", () => {
  it("is used for a record parameter and a wrt array of an array result", () => {
    for (const name of ["decayJacobian", "decayBoth"]) expect(String(m[name])).not.toMatch(/decay_vjp\w*\(/);
    expect(String(m["decayBoth"])).toContain("jacobiansOf");
  });
});

/** A value's keys, in its own order, nested as it is (its numbers as 0). */
const keysOf = (x: unknown): unknown =>
  typeof x === "number" ? 0 : x instanceof Float64Array ? Array.from(x, () => 0) : Array.isArray(x) ? x.map(keysOf) : x && typeof x === "object" ? Object.entries(x).map(([k, v]) => [k, keysOf(v)]) : x;

/** The same keys in the same order, and the same numbers up to rounding. */
const sameRows = (fwd: unknown, rev: unknown): void => {
  expect(keysOf(fwd)).toEqual(keysOf(rev));
  close(leaves(fwd), leaves(rev), 1e-12);
};

describe("jacfwd walks a parameter's numbers in the order of its type (SPEC §2), as jacobian does", () => {
  it("an argument whose keys come in another order, or with a number the type does not list, gives jacobian's rows", () => {
    // rate before amplitude, and a field the type does not have: the type's fields, in its order.
    const p = { rate: 0.6, note: 7, amplitude: 1.4 };
    const fwd = fn("decayJacfwd")(p, samples, 0.8) as Record<string, number>[];
    const rev = fn("decayJacobian")(p, samples, 0.8) as Record<string, number>[];
    for (const row of fwd) expect(Object.keys(row)).toEqual(["amplitude", "rate"]);
    sameRows(fwd, rev);
    sameRows(fn("decayBothForward")(p, samples, 0.8), fn("decayBoth")(p, samples, 0.8));
  });
  it("records nested in a record and in an array of records", () => {
    const reordered = { rest: [0.2, -0.5, 1.1], k: 1.7 };
    sameRows(fn("energyJacfwd")(reordered, 0.45), fn("energyJacobian")(reordered, 0.45));
    const flipped = bodies.map(({ x, v }) => ({ v, x }));
    const fwd = fn("stepJacfwd")(flipped, 0.1) as [unknown, unknown];
    const rev = fn("stepJacobian")(flipped, 0.1) as [unknown, unknown];
    sameRows(fwd, rev);
  });
});

describe("outputs in the order of the result's type", () => {
  it("a record built in another order still gives its rows in the type's order", () => {
    const [a, b] = [0.3, 1.4];
    const jac = fn("swappedJacobian")(a, b) as number[];
    const fwd = fn("swappedJacfwd")(a, b) as number[];
    // first: a * b, then second: a + 2b, though the literal writes second first
    close(jac, [b, 1], 1e-15);
    close(fwd, jac, 1e-15);
  });
});
