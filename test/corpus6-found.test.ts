// What the corpus6 helper found while writing application-style programs
// (test/realworld/), each as the smallest program that shows it
// (test/inputs/corpus6-found/).

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/corpus6-found");

describe("a tuple default of a destructured options parameter, written with a cast", () => {
  // Refused when corpus6 found it (the cast hid the default from the refusal that names it);
  // desugar/instance-values.ts now chooses such a default element by element where it is declared.
  const file = path.join(DIR, "tuple-default.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as Record<string, (a: number, o?: { span?: [number, number] }) => number>;

  it("compiles without diagnostics, cast or not", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("differentiates a(hi - lo)·a with the default span and with a given one: 2a(hi - lo)", () => {
    for (const name of ["WithCast", "Plain"]) {
      expect(m[`d${name}`]!(1.5)).toBeCloseTo(2 * 1.5 * 200, 12);
      expect(m[`d${name}`]!(1.5, { span: [10, 40] })).toBeCloseTo(2 * 1.5 * 30, 12);
    }
  });
});

describe("the rest element of an array pattern over records, only read", () => {
  const file = path.join(DIR, "rest-of-records.ts");
  const compiled = compile([file]);
  type Stop = { x: number; y: number };
  const m = load(compiled, file) as Record<string, (stops: Stop[]) => Stop[]>;
  const stops = (): Stop[] => [
    { x: 0.3, y: 1 },
    { x: 1.2, y: -0.4 },
    { x: -0.8, y: 0.6 },
    { x: 0.5, y: 1.5 },
  ];

  // Was TS90001 "'rest' puts a record into a second place ... and 'rest' writes to it": the rest was a copy.
  it("is read in place; only the one written through is refused", () => {
    const text = formatDiagnostics(compiled.diagnostics);
    expect(text).toContain("rest-of-records.ts(23,");
    expect(compiled.diagnostics).toHaveLength(1);
  });
  it("spread = Σ_rest (p.x − f.x)² + p.y f.y: ∂p.x = 2(p.x − f.x), ∂p.y = f.y, ∂f.x = −2 Σ (p.x − f.x), ∂f.y = Σ p.y", () => {
    const s = stops();
    const g = m.dSpread!(s);
    const [f, ...rest] = s;
    expect(g[0]!.x).toBeCloseTo(-2 * rest.reduce((t, p) => t + (p.x - f!.x), 0), 12);
    expect(g[0]!.y).toBeCloseTo(
      rest.reduce((t, p) => t + p.y, 0),
      12,
    );
    rest.forEach((p, i) => {
      expect(g[i + 1]!.x).toBeCloseTo(2 * (p.x - f!.x), 12);
      expect(g[i + 1]!.y).toBeCloseTo(f!.y, 12);
    });
    expect(s).toEqual(stops());
  });
  it("pairs = a.x b.y + Σ_others p.x p.y + others.length: ∂a.x = b.y, ∂b.y = a.x, ∂p.x = p.y, ∂p.y = p.x", () => {
    const s = stops();
    const g = m.dPairs!(s);
    expect(g).toEqual([
      { x: expect.closeTo(s[1]!.y, 12), y: 0 },
      { x: 0, y: expect.closeTo(s[0]!.x, 12) },
      { x: expect.closeTo(s[2]!.y, 12), y: expect.closeTo(s[2]!.x, 12) },
      { x: expect.closeTo(s[3]!.y, 12), y: expect.closeTo(s[3]!.x, 12) },
    ]);
  });
});
