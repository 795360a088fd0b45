// The examples users start from, compiled through the transformer: the seed
// values, and the domain example's derivative against 30x² on all 100 points.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const files = ["seed", "domain"].map((n) => path.join(ROOT, "examples", `${n}.ts`));
const compiled = compile(files);

describe("examples", () => {
  it("compile without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("give the seed derivatives", () => {
    const { seedValues } = load(compiled, files[0]!) as { seedValues: Record<string, unknown> };
    expect(seedValues).toEqual({ d3x2: 18, dQuadratic: 38, dCubicMix: [43, 20], dMixed: [15, 55] });
  });

  it("give 30x² over linspace(-10, 10, 100) by all three routes", () => {
    const m = load(compiled, files[1]!) as Record<string, ArrayLike<number>>;
    const x = m.x!;
    expect(x.length).toBe(100);
    expect([x[0], x[99]]).toEqual([-10, 10]);
    expect(m.viaSum).toBeInstanceOf(Float64Array);
    expect(m.viaMap).toBeInstanceOf(Float64Array);
    expect(Array.isArray(m.viaLoop)).toBe(true);
    for (const route of [m.viaSum!, m.viaMap!, m.viaLoop!]) {
      for (let i = 0; i < 100; i++) {
        const exact = 30 * x[i]! ** 2;
        expect(Math.abs(route[i]! - exact)).toBeLessThanOrEqual(1e-12 * (1 + exact));
      }
    }
  });
});
