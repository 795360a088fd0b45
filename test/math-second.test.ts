// The second derivative of every Math function: grad(grad(f)) against central
// differences of grad(f), through both ways nested transforms go (reverse over
// the adjoint of straight code, forward over an adjoint that uses the tape). A rule whose own
// derivative is wrong, or one that overflows when differentiated again (b * b in
// the quotient rule, fuzz seed 5150 #237), fails here.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { SUPPORTED_MATH } from "../transformer/rules/math.js";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const file = path.join(ROOT, "test/inputs/math-second/program.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (x: number) => number> & {
  POINTS: Record<string, number>;
};
const names = Object.keys(m.POINTS);

/** Central difference of g at x, with a step relative to x (the overflow cases sit at x = 100 and 1e80). */
const diff = (g: (x: number) => number, x: number): number => {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  return (g(x + h) - g(x - h)) / (2 * h);
};

describe("grad(grad(f)) of each Math function agrees with differences of grad(f)", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
  it("covers every Math function with a rule", () => {
    expect(SUPPORTED_MATH.filter((name) => !names.includes(name))).toEqual([]);
  });
  it.each(names)("Math %s", (name) => {
    const x = m.POINTS[name]!;
    for (const route of ["f", "g"]) {
      const want = diff(m[`d${route}_${name}`]!, x);
      const got = m[`dd${route}_${name}`]!(x);
      expect(
        Math.abs(got - want),
        `${route}_${name}'' at ${x}: ${got} vs ${want}`,
      ).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
    }
  });
});
