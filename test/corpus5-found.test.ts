// Wrong results and crashes the corpus5 helper found while writing
// application-style programs (test/realworld/), each as the smallest program
// that shows it (test/inputs/corpus5-found/). Each test asserts the right
// answer, derived by hand.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/corpus5-found");

interface C {
  name: "a" | "b";
  amplitude: number;
}

describe("an array of records with a string field, passed to a helper as a record's field or by itself", () => {
  const file = path.join(DIR, "tree-field-of-record-argument.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as {
    dLoss: (fit: { mean: number; cs: C[] }) => { mean: number; cs: C[] };
    dDirect: (cs: C[]) => C[];
  };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  // Was { mean: 42, cs: "[object Object][object Object]" }: the helper's gradient tree added with `+`.
  it("adds the helper's gradient of the field into the records: loss = (mean + 2 Σ a)², ∂/∂a = 4 (mean + 2 Σ a)", () => {
    const fit = { mean: 1, cs: [{ name: "a", amplitude: 2 } as C, { name: "b", amplitude: 1.5 } as C] };
    const inner = 1 + 2 * (2 + 1.5);
    const g = m.dLoss(fit);
    expect(g.mean).toBeCloseTo(2 * inner, 12);
    expect(g.cs).toEqual([
      { name: "a", amplitude: expect.closeTo(4 * inner, 12) },
      { name: "b", amplitude: expect.closeTo(4 * inner, 12) },
    ]);
  });
  it("and of the array passed by itself to two calls: direct = 4 Σ a², ∂/∂a = 8 a", () => {
    const g = m.dDirect([
      { name: "a", amplitude: 2 },
      { name: "b", amplitude: -0.5 },
    ]);
    expect(g).toEqual([
      { name: "a", amplitude: expect.closeTo(16, 12) },
      { name: "b", amplitude: expect.closeTo(-4, 12) },
    ]);
  });
});

describe("an exported string-union field of records in a helper's destructured parameter", () => {
  const file = path.join(DIR, "exported-union-field.ts");
  const compiled = compile([file]);

  // Was TS90099: the checker printed the field's type at a parameter desugaring had rebuilt without a parent.
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("gives the gradient: loss = p², p = mean + Σ a cos(ω t), ∂/∂mean = 2p, ∂/∂a = 2p cos(ω t)", () => {
    const m = load(compiled, file) as {
      dLoss: (fit: { mean: number; cs: C[] }, t: number) => { mean: number; cs: C[] };
    };
    const t = 0.5;
    const p = 1 + 2 * Math.cos(2 * t) + 1 * Math.cos(3 * t);
    const g = m.dLoss(
      {
        mean: 1,
        cs: [
          { name: "a", amplitude: 2 },
          { name: "b", amplitude: 1 },
        ],
      },
      t,
    );
    expect(g.mean).toBeCloseTo(2 * p, 12);
    expect(g.cs[0]!.amplitude).toBeCloseTo(2 * p * Math.cos(2 * t), 12);
    expect(g.cs[1]!.amplitude).toBeCloseTo(2 * p * Math.cos(3 * t), 12);
    expect(g.cs.map((c) => c.name)).toEqual(["a", "b"]);
  });
});

describe("`xs[k + 1] ?? xs[k]`: an array's element past the end, typed as a number", () => {
  const file = path.join(DIR, "element-past-the-end.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as {
    blend: (levels: number[], t: number) => number;
    dBlend: (levels: number[], t: number) => number[];
    dLagged: (xs: Float64Array) => Float64Array;
  };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  // Was [NaN, NaN, NaN]: the `??` was dropped, and the last iteration read levels[3], undefined.
  it("falls back to the last element: s = Σ l_k (1 − t) + l_(k+1) t with l_3 = l_2", () => {
    const s = 1 * 0.75 + 2 * 0.25 + (2 * 0.75 + 3 * 0.25) + 3;
    expect(m.blend([1, 2, 3], 0.25)).toBeCloseTo(s * s, 12);
    const g = m.dBlend([1, 2, 3], 0.25);
    [0.75, 1, 1.25].forEach((ds, k) => expect(g[k]).toBeCloseTo(2 * s * ds, 12));
  });
  it("and before the start of a Float64Array: s = x0 + x1 x0 + x2 x1", () => {
    expect(Array.from(m.dLagged(new Float64Array([1, 2, 3])))).toEqual([3, 4, 2]);
  });
});

describe("an optional parameter passed on to a constructor parameter with a default", () => {
  const file = path.join(DIR, "constructor-default-given-undefined.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as { df: (k: number, tempC?: number) => number };

  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  // Was NaN: tempC + 273 with tempC undefined.
  it("takes the default when the argument is undefined: f = 2 k² (tempC + 273), f' = 4 k (tempC + 273)", () => {
    expect(m.df(1.5)).toBeCloseTo(4 * 1.5 * 298, 10);
    expect(m.df(1.5, 27)).toBeCloseTo(4 * 1.5 * 300, 10);
  });
});

describe("a record of numbers read with a string-union key", () => {
  const file = path.join(DIR, "record-indexed-by-key.ts");
  const compiled = compile([file]);
  type Model = { base: number; territoryLog: { urban: number; rural: number } };
  const m = load(compiled, file) as { dModel: (model: Model, territory: "urban" | "rural") => Model };

  // Refused at first (its message named no construct), then by name; now the read is the field the key names (union-keys.ts).
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("the gradient goes to base and to the field the key names only: d exp(b + r_t) = exp(b + r_t)", () => {
    const model = { base: 0.2, territoryLog: { urban: 0.3, rural: -0.1 } };
    const g = m.dModel(model, "rural");
    expect(g.base).toBeCloseTo(Math.exp(0.1), 12);
    expect(g.territoryLog.rural).toBeCloseTo(Math.exp(0.1), 12);
    expect(g.territoryLog.urban).toBe(0);
    expect(m.dModel(model, "urban").territoryLog).toEqual({ urban: Math.exp(0.5), rural: 0 });
  });
});
