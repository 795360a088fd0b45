// Run by test/vite.test.ts as `vitest run --root test/vite-project`: every
// grad(...) here and in model.ts is compiled by the tsgrad Vite plugin.
import { describe, expect, it } from "vitest";
import { grad, valueAndGrad } from "tsgrad";
import { grad as localGrad } from "./ad.js";
import { dSystem, f, h, system, weightedSquares } from "./model.js";
import { springEnergy } from "./physics.js";

describe("tsgrad under Vitest", () => {
  it("differentiates a scalar function", () => {
    expect(grad(f)(3)).toBe(18);
    expect(valueAndGrad(f)(3)).toEqual([27, 18]);
  });

  it("differentiates with respect to several parameters", () => {
    expect(grad(h, [0, 1])(3, 4)).toEqual([43, 20]);
  });

  it("differentiates a loop over a Float64Array", () => {
    const x = new Float64Array([1, 2, 3]);
    const w = new Float64Array([1, 0.5, 2]);
    const g = grad(weightedSquares)(x, w);
    expect(g).toBeInstanceOf(Float64Array);
    expect(Array.from(g)).toEqual([2, 2, 12]);
  });

  it("differentiates across files", () => {
    expect(dSystem(0.5)).toBeCloseTo(4 * 0.5 + Math.cos(0.5), 12);
    expect(grad(springEnergy, [0, 1])(2, 3)).toEqual([6, 2]);
    expect(system(0.5)).toBeCloseTo(0.5 + Math.sin(0.5), 12);
  });

  it("recognises grad re-exported by a local module", () => {
    expect(localGrad(f)(2)).toBe(12);
  });
});
