// Local number[][] reassigned (issue 13, item 3): buffer swaps and matrices
// rebuilt with map are flat arrays swapped by lowering, whose keep/restore
// saves what the backward sweep reads; the gradients match finite differences.
// Two matrices of different shapes swapped throw a RangeError in the gradient.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";

const file = path.join(ROOT, "test/inputs/nested/swaps.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: unknown[]) => unknown>;

type F = (...args: never[]) => number;
const close = (got: unknown, f: F, args: unknown[], i: number): void => {
  const fd = argumentGradient(f as never, args as never, i);
  const g = leaves(got);
  expect(g.length).toBe(fd.length);
  const scale = Math.max(1, ...fd.map(Math.abs));
  g.forEach((gi, k) => expect(Math.abs(gi - fd[k]!)).toBeLessThan(1e-6 * scale));
};

const plate = [
  [0.1, 0.4, -0.3, 0.8],
  [0.5, -0.2, 0.9, 0.05],
  [-0.6, 0.3, 0.2, 0.7],
];

describe("local number[][] reassigned", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("a buffer swap: the gradient of the diffused plate's energy", () => {
    const k = 0.12;
    const g = m.dDiffuse!(k, plate) as [number, number[][]];
    close(g[0], m.diffuse as F, [k, plate], 0);
    close(g[1], m.diffuse as F, [k, plate], 1);
    expect(g[1].map((r) => r.length)).toEqual(plate.map((r) => r.length));
  });

  it("a matrix rebuilt each step with map reads the old one", () => {
    const g = m.dSmooth!(plate, 0.3) as [number[][], number];
    close(g[0], m.smooth as F, [plate, 0.3], 0);
    close(g[1], m.smooth as F, [plate, 0.3], 1);
  });

  it("a swap of matrices shaped by two parameters", () => {
    const b = plate.map((r) => r.map((v) => v / 2));
    const g = m.dJacobi!(plate, b) as [number[][], number[][]];
    close(g[0], m.jacobi as F, [plate, b], 0);
    close(g[1], m.jacobi as F, [plate, b], 1);
  });

  it("swapping matrices of different shapes: the gradient throws a RangeError naming the assignment, the primal runs", () => {
    const b = plate.map((r) => r.slice(0, 2));
    expect(Number.isFinite(m.jacobi!(plate, b))).toBe(true);
    expect(() => m.dJacobi!(plate, b)).toThrow(RangeError);
    expect(() => m.dJacobi!(plate, b)).toThrow(/x = y: the two matrices have different shapes/);
  });
});
