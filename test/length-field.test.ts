// A record field named `length` is a number of the record, not an array's
// length: its derivative was silently 0 (reverse and forward mode) when the
// record was an element of a differentiated array (`links[i].length` of a
// `{ length: number; angle: number }[]`, found by the real-world corpus's
// planar-arm-joints program). Each gradient is checked against finite differences.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";

const file = path.join(ROOT, "test/inputs/length-field/links.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: unknown[]) => unknown>;

const links = [
  { length: 1, angle: 0.3 },
  { length: 0.5, angle: 0.7 },
  { length: 0.25, angle: -1.1 },
];

function agreesWithDifferences(f: string, args: unknown[], wrt: number[], gradient: unknown): void {
  const got = leaves(wrt.length === 1 ? [gradient] : gradient);
  const expected = wrt.flatMap((w) => argumentGradient(m[f] as never, args as never, w));
  expect(got).toHaveLength(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]!), `${f} component ${i}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(expected[i]!))));
}

describe("a record field named length", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  for (const name of ["ReachForOf", "ReachIndexed", "ReachAsserted", "ReachReduce", "ReachDestructured"]) {
    it(`is differentiated: ${name}`, () => {
      const g = m[`d${name}`]!(links) as { length: number; angle: number }[];
      expect(g.map((d) => d.length)).toEqual(links.map((l) => Math.cos(l.angle)));
      agreesWithDifferences(name[0]!.toLowerCase() + name.slice(1), [links], [0], g);
    });
  }

  it("is differentiated on class instances", () => {
    const Segment = m.Segment as unknown as new (length: number, angle: number) => { length: number; angle: number };
    const segments = links.map((l) => new Segment(l.length, l.angle));
    const g = m.dReachSegments!(segments) as { length: number; angle: number }[];
    expect(g.map((d) => d.length)).toEqual(links.map((l) => Math.sin(l.angle)));
    agreesWithDifferences("reachSegments", [segments], [0], g);
  });

  it("has its tangent in forward mode", () => {
    const tangent = links.map((_, i) => ({ length: i === 1 ? 1 : 0, angle: 0 }));
    const [, dot] = m.reachForOfJvp!(links, tangent) as [number, number];
    expect(dot).toBeCloseTo(Math.cos(0.7), 14);
  });

  it("leaves the lengths of arrays and strings constant", () => {
    const args = [links, Float64Array.of(2, 3), [4, 5], "arm"];
    const g = m.dScaledByCounts!(...args);
    // counts = 3 + 2 + 2 + 3 = 10
    expect((g as [{ length: number }[], Float64Array, number[]])[0][0]!.length).toBe(10);
    agreesWithDifferences("scaledByCounts", args, [0, 1, 2], g);
  });
});
