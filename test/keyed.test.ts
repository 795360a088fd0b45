// Records keyed by strings and Map<string, number> (desugar/keyed.ts): the
// gradient has the argument's keys in the argument's order and is checked
// against central differences; a Map's gradient is a Map; run-time shape errors
// (a key a copy lacks, an entry that is not a number) say what is wrong.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const file = path.join(ROOT, "test/inputs/keyed/keyed.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: never[]) => unknown>;

type Keyed = Record<string, number> | Map<string, number>;

/** Central differences of `f` in each entry of the keyed argument `k` (position `at`). */
function differences(f: (...args: never[]) => unknown, args: unknown[], at: number): [string, number][] {
  const x = args[at] as Keyed;
  const entries: [string, number][] = x instanceof Map ? [...x] : Object.entries(x);
  const moved = (key: string, d: number): Keyed => (x instanceof Map ? new Map([...x, [key, x.get(key)! + d]]) : { ...x, [key]: x[key]! + d });
  const call = (v: Keyed): number => f(...(args.map((a, i) => (i === at ? v : a)) as never[])) as number;
  const h = 1e-5;
  return entries.map(([key]) => [key, (call(moved(key, h)) - call(moved(key, -h))) / (2 * h)]);
}

function expectClose(got: Keyed, want: [string, number][]): void {
  const entries: [string, number][] = got instanceof Map ? [...got] : Object.entries(got);
  expect(entries.map(([k]) => k)).toEqual(want.map(([k]) => k));
  entries.forEach(([, v], i) => expect(v).toBeCloseTo(want[i]![1], 5));
}

describe("records keyed by strings", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("gives a gradient with the argument's keys in its order", () => {
    const ratings = { zed: 1400, ada: 1550, bob: 1500 };
    const g = m.dSkill!(ratings as never, "ada" as never, "zed" as never) as Record<string, number>;
    expect(Object.keys(g)).toEqual(["zed", "ada", "bob"]);
    expectClose(g, differences(m.skill!, [ratings, "ada", "zed"], 0));
    expect(g.bob).toBe(0.002 * (1500 - 1500));
  });

  it("differentiates a Map<string, number> into a Map, and reads one as data", () => {
    const prices = new Map([["tea", 3], ["milk", 1.5], ["eggs", 4]]);
    const discount = new Map([["milk", 0.5], ["eggs", 0.1]]);
    const basket = ["tea", "milk", "milk", "bread"];
    const g = m.dBasket!(prices as never, basket as never, discount as never);
    expect(g).toBeInstanceOf(Map);
    expectClose(g as Map<string, number>, differences(m.basketCost!, [prices, basket, discount], 0));
    const [, gd] = m.dBasketBoth!(prices as never, basket as never, discount as never) as [unknown, Map<string, number>];
    expectClose(gd, differences(m.basketCost!, [prices, basket, discount], 2));
  });

  it("walks a record with for...in and Object.entries over a local copy written by key", () => {
    const initial = { cyd: 1450, ada: 1520, bob: 1510 };
    const games = [{ winner: "ada", loser: "bob" }, { winner: "cyd", loser: "ada" }];
    const [g, gk] = m.dSeason!(initial as never, 24 as never, games as never) as [Record<string, number>, number];
    expectClose(g, differences(m.season!, [initial, 24, games], 0));
    const h = 1e-5;
    const season = m.season! as (r: object, k: number, g: object) => number;
    expect(gk).toBeCloseTo((season(initial, 24 + h, games) - season(initial, 24 - h, games)) / (2 * h), 5);
  });

  it("reads Object.values(r) with array methods and spread in place", () => {
    const scores = { b: 0.5, a: 2, c: -1 };
    const g = m.dSpreadOfValues!(scores as never) as Record<string, number>;
    expectClose(g, differences(m.spreadOfValues!, [scores], 0));
  });

  it("takes a mixed second derivative with respect to a record, grad(grad(f, 1))", () => {
    const r = { a: 0.3, b: -0.7 };
    const k = 1.3;
    const g = m.dPhasesMixed!(r as never, k as never) as Record<string, number>;
    const want = (x: number): number => Math.cos(k * x) - k * x * Math.sin(k * x);
    expectClose(g, [["a", want(0.3)], ["b", want(-0.7)]]);
  });

  it("says which key a copy lacks when the function writes a new one", () => {
    const games = [{ winner: "ada", loser: "nia" }];
    expect(() => m.dSeason!({ ada: 1500 } as never, 24 as never, games as never)).toThrow(/'nia' is not a key of the record this copy was made from/);
  });

  it("takes a tangent record in forward mode, and says which key it lacks", () => {
    const r = { b: 2, a: 3 };
    const jvpOf = m.energyJvp! as (r: object, k: string, rDot: object, kDot: never) => [number, number];
    expect(jvpOf(r, "a", { a: 1, b: 10 }, undefined as never)).toEqual([22, 2 * 3 * 1 + 2 * 3 * 1 + 2 * 2 * 10]);
    expect(() => jvpOf(r, "a", { a: 1 }, undefined as never)).toThrow(/no number for the key 'b'/);
  });

  it("differentiates a record of Float64Array rows into rows of the same keys, kinds and lengths", () => {
    const rows = { b: Float64Array.from([2, 3]), a: Float64Array.from([5, 7, 11]) };
    const g = m.dRowEnergy!(rows as never, "a" as never) as Record<string, Float64Array>;
    expect(Object.keys(g)).toEqual(["b", "a"]);
    expect(g.b).toBeInstanceOf(Float64Array);
    // e = (b0 + a0) * a1: d/db0 = a1, d/da0 = a1, d/da1 = b0 + a0.
    expect([...g.b!]).toEqual([7, 0]);
    expect([...g.a!]).toEqual([7, 2 + 5, 0]);
  });

  it("says which entry of a record of arrays is not an array", () => {
    expect(() => m.dRowEnergy!({ a: Float64Array.from([1, 2]), b: 3 } as never, "a" as never)).toThrow(/entry 'b' is a number; every key of a differentiated record of arrays must hold an array/);
  });

  it("says which entry is not a number", () => {
    expect(() => m.dSkill!({ ada: 1500, bob: undefined } as never, "ada" as never, "bob" as never)).toThrow(/entry 'bob' is undefined/);
  });
});
