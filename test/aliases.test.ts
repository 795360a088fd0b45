// Writes through another name for a record or tuple (desugar/aliases.ts): in
// JavaScript `for (const b of bodies)`, `const b = bodies[0]`, find's result,
// forEach's parameter and `const u = t` are the object itself, not a copy, so a
// write through either name is seen through both. Each gradient is checked
// against its closed form; an alias tsgrad cannot follow is refused, located.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/alias");

describe("writes through another name for a record of a local array", () => {
  const file = path.join(DIR, "record-alias-writes.ts");
  const compiled = compile([file]);
  type Fn = (k: number) => number;
  const m = load(compiled, file) as Record<string, Fn> & {
    forOfValueAndGrad: (k: number) => [number, number];
    stepCopies: (b: { x: number; v: number }[]) => number;
    stepCopiesGrad: (b: { x: number; v: number }[]) => { x: number; v: number }[];
    tupleForOfValueAndGrad: (k: number) => [number, number];
    renamedAfterWrite: (s: { a: number; b: number }) => number;
    renamedAfterWriteValueAndGrad: (s: { a: number; b: number }) => [number, { a: number; b: number }];
  };
  const k = 1.3;

  it("compiles without diagnostics (tsgrad accepts every one of these programs)", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("the primal functions themselves return k²", () => {
    for (const name of ["forOf", "named", "found", "forEach", "tupleForOf"]) expect(m[name]!(k)).toBeCloseTo(k * k, 12);
  });
  it("for...of: valueAndGrad gives the value k² and the derivative 2k", () => {
    expect(m.forOfValueAndGrad(k)).toEqual([m.forOf(k), 2 * k]);
  });
  it("a const naming the element: the derivative is 2k", () => {
    expect(m.namedGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  it("an element found with find: the derivative is 2k", () => {
    expect(m.foundGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  it("forEach's parameter: the derivative is 2k", () => {
    expect(m.forEachGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  // sum (x + v)²: d/dx = d/dv = 2 (x + v).
  it("stepping copies of the caller's records: d/dx = d/dv = 2 (x + v)", () => {
    const bodies = [
      { x: 1, v: 2 },
      { x: 0.5, v: -1 },
    ];
    const g = m.stepCopiesGrad(bodies);
    bodies.forEach(({ x, v }, i) => {
      expect(g[i]!.x).toBeCloseTo(2 * (x + v), 12);
      expect(g[i]!.v).toBeCloseTo(2 * (x + v), 12);
    });
  });
  it("for...of over tuples: valueAndGrad gives k² and 2k", () => {
    expect(m.tupleForOfValueAndGrad(k)).toEqual([m.tupleForOf(k), 2 * k]);
  });
  // 3 b, d/da = 0, d/db = 3.
  it("a record renamed after a field write: valueAndGrad gives 3 b and { a: 0, b: 3 }", () => {
    const s = { a: 1.5, b: 0.5 };
    const [value, g] = m.renamedAfterWriteValueAndGrad(s);
    expect(value).toBe(m.renamedAfterWrite(s));
    expect(g.a).toBeCloseTo(0, 12);
    expect(g.b).toBeCloseTo(3, 12);
  });
});

describe("the mirror cases: a write to the place, read through the alias", () => {
  const file = path.join(DIR, "mirror.ts");
  const compiled = compile([file]);
  const m = load(compiled, file) as Record<string, (k: number) => number>;
  const k = 1.3;
  const shown = formatDiagnostics(compiled.diagnostics);

  it("reads the written value through the alias: d/dk of 5k·k is 10k", () => {
    expect(m.readThroughAlias!(k)).toBeCloseTo(5 * k * k, 12);
    expect(m.readThroughAliasGrad!(k)).toBeCloseTo(10 * k, 12);
  });
  it("follows an alias of a nested record taken through an alias (const p = b.p)", () => {
    expect(m.nested!(k)).toBeCloseTo(k * k, 12);
    expect(m.nestedGrad!(k)).toBeCloseTo(2 * k, 12);
  });
  it("refuses a write through a record a helper may have returned from its argument", () => {
    expect(shown).toContain("mirror.ts(23,3): error TS90001: tsgrad: 'b.x *= k' writes to the record 'b' names, which 'first(bodies)' may return from its arguments");
  });
  it("refuses an alias whose index changes while it is in use, naming the assignment", () => {
    expect(shown).toContain("mirror.ts(68,3): error TS90001: tsgrad: 'b.x *= k' writes to the record that 'b' names, the one at 'bodies[i]' (JavaScript shares objects, it does not copy them), but 'i = 1' changes which record that place holds");
  });
  it("refuses a record stored in another array and written there", () => {
    expect(shown).toMatch(/mirror\.ts\(\d+,\d+\): error TS90001: tsgrad: 'others\.push\(bodies\[0\]\)'/);
  });
  it("a record in a class field stays refused (TS90011)", () => {
    expect(shown).toContain("error TS90011: tsgrad: field 'focus' of 'w'");
  });
});
