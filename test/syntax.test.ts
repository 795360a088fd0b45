// The syntax half of issue 12 beyond the fixtures' finite-difference checks:
// a throw in differentiated code throws from the gradient exactly as f does
// (and leaves the runtime's tape usable), a rest parameter's gradient is an
// array, and omitted optional and default arguments give f's own values.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, load, ROOT } from "./harness.js";
import { tape } from "../runtime/index.js";

const file = path.join(ROOT, "fixtures/optional.ts");
const compiled = compile([file]);
type Fn = (...args: unknown[]) => unknown;
const mod = load(compiled, file) as Record<string, Fn>;

describe("throw", () => {
  it("the gradient throws the error f throws, with its message", () => {
    expect(() => mod.decay!(1, -2)).toThrow(new RangeError("half-life must be positive, got -2"));
    expect(() => mod.dDecay!(1, -2)).toThrow(new RangeError("half-life must be positive, got -2"));
    expect(() => mod.dDecay!(1, 0)).toThrow(RangeError);
  });

  it("a gradient after a throw is right, and the tape is where it was", () => {
    const top = tape.top;
    expect(() => mod.dDecay!(1, -2)).toThrow(RangeError);
    expect(tape.top).toBe(top);
    const [dt, dh] = mod.dDecay!(2, 3) as [number, number];
    const value = Math.exp((-Math.LN2 * 2) / 3);
    expect(dt).toBeCloseTo((-Math.LN2 / 3) * value, 12);
    expect(dh).toBeCloseTo(((Math.LN2 * 2) / 9) * value, 12);
  });
});

describe("rest parameters", () => {
  it("the gradient of a rest parameter has one entry per argument", () => {
    expect(mod.dProduct!(1.5, -2, 0.5)).toEqual([-1, 0.75, -3]);
    expect(mod.dProduct!(4)).toEqual([1]);
    expect(mod.dProduct!()).toEqual([]);
  });

  it("the tape grows for a long rest argument list, and the rerun spreads it again", () => {
    const saved = tape.values;
    tape.values = new Float64Array(2);
    const xs = Array.from({ length: 50 }, (_, i) => 1 + i / 100);
    let g: number[];
    try {
      g = mod.dProduct!(...xs) as number[];
    } finally {
      // Test files share the runtime (vitest isolate: false): leave its tape as long as it was.
      tape.values = saved;
    }
    const p = xs.reduce((a, b) => a * b, 1);
    expect(g).toHaveLength(50);
    g.forEach((gi, i) => expect(gi).toBeCloseTo(p / xs[i]!, 10));
  });
});

describe("optional and default arguments", () => {
  it("an omitted optional number is undefined in f and in the gradient alike", () => {
    expect(mod.smoothAbs!(0.7)).toBe(mod.smoothAbs!(0.7, 1));
    const g = (x: number) => (mod.smoothAbs!(x + 1e-6) as number) - (mod.smoothAbs!(x - 1e-6) as number);
    const checks = mod.checks as unknown as { name: string; grad: Fn }[];
    const grad = checks.find((c) => c.name === "optional number omitted")!.grad;
    expect(grad(0.7)).toBeCloseTo(g(0.7) / 2e-6, 6);
  });

  it("a default naming another file's constant is the callee's own", () => {
    const checks = mod.checks as unknown as { name: string; grad: Fn }[];
    const grad = checks.find((c) => c.name === "another file's default")!.grad;
    // drag(v) = 0.1 |v|^2 with the callee's AIR, so d/dv = 0.2 v.
    const [dv] = grad(1.2, 0.8) as [number, number];
    expect(dv).toBeCloseTo(0.24, 12);
  });
});
