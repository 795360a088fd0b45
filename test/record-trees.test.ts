// Issue 13 item 2: arrays of records that hold constants (ids, flags) next to
// array, tuple and number fields, differentiated. The gradient keeps the
// constants as they are (JAX's static leaves), matches finite differences,
// and goes through jvp and grad of grad; the runtime's zerosTree and addTree.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";
import { addTree, zerosTree } from "../runtime/index.js";

const file = path.join(ROOT, "test/inputs/nested/trees.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: unknown[]) => unknown>;

interface Sphere {
  label: string;
  visible: boolean;
  center: [number, number];
  radius: number;
  weights: number[];
}

const spheres = (): Sphere[] => [
  { label: "a", visible: true, center: [0.3, -0.7], radius: 0.9, weights: [0.5, -1.5] },
  { label: "b", visible: false, center: [1.1, 0.4], radius: 0.2, weights: [2] },
  { label: "c", visible: true, center: [-0.6, 1.2], radius: 1.4, weights: [] },
];

const scene = (ss: Sphere[], k: number): number => m.scene!(ss, k) as number;
const closeTo = (got: number[], expected: number[], what: string, tol = 1e-7): void => {
  expect(got).toHaveLength(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]!), `${what} component ${i}: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!))));
};

describe("arrays of records with constants", () => {
  it("compiles without diagnostics (the types keep ids and flags)", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
    expect((m.labels!(spheres()) as string[]).slice(0, 2)).toEqual(["a", "true"]);
  });

  it("grad keeps the constants and matches finite differences", () => {
    const ss = spheres();
    const g = m.dScene!(ss, 0.7) as Sphere[];
    expect(g.map((s) => [s.label, s.visible])).toEqual([["a", true], ["b", false], ["c", true]]);
    expect(g[1]).toEqual({ label: "b", visible: false, center: [0, 0], radius: 0, weights: [0] });
    closeTo(leaves(g), argumentGradient(scene as never, [ss, 0.7] as never, 0), "dScene");
    // The argument is left as it was.
    expect(ss).toEqual(spheres());
  });

  it("valueAndGrad with respect to the records and a number", () => {
    const ss = spheres();
    const [value, [g, dk]] = m.dSceneBoth!(ss, 0.7) as [number, [Sphere[], number]];
    expect(value).toBe(scene(ss, 0.7));
    closeTo([...leaves(g), dk], [...argumentGradient(scene as never, [ss, 0.7] as never, 0), ...argumentGradient(scene as never, [ss, 0.7] as never, 1)], "dSceneBoth");
  });

  it("jvp along tangent records equals the gradient's dot product", () => {
    const ss = spheres();
    const tangent = zerosTree(ss);
    let seed = 0.3;
    const fill = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach((v, i) => (typeof v === "number" ? (x[i] = seed += 0.37) : fill(v)));
      else if (x && typeof x === "object") for (const [key, v] of Object.entries(x)) typeof v === "number" ? ((x as Record<string, number>)[key] = seed += 0.37) : fill(v);
    };
    fill(tangent);
    const [value, dot] = m.tScene!(ss, 0.7, tangent, 0.25) as [number, number];
    expect(value).toBe(scene(ss, 0.7));
    const g = leaves(m.dScene!(ss, 0.7));
    const gk = argumentGradient(scene as never, [ss, 0.7] as never, 1)[0]!;
    const expected = leaves(tangent).reduce((s, t, i) => s + t * g[i]!, 0) + 0.25 * gk;
    expect(Math.abs(dot - expected)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(expected)));
  });

  it("grad of grad: d2/dk2 matches differences of the gradient", () => {
    const ss = spheres();
    const dk = (s: Sphere[], k: number): number => m.dK!(s, k) as number;
    closeTo([dk(ss, 0.7)], argumentGradient(scene as never, [ss, 0.7] as never, 1), "d/dk");
    closeTo([m.dkOfK!(ss, 0.7) as number], argumentGradient(dk as never, [ss, 0.7] as never, 1), "d2/dk2");
  });

  it("an optional tuple field: a gradient where the element has one, none where it has not", () => {
    const chain = [
      { name: "shoulder", angle: -1.8, limit: [-1.5, 1.5] },
      { name: "elbow", angle: 2.9, limit: [0, 2.5] },
      { name: "tool", angle: 0.1 },
    ];
    const limits = (c: typeof chain): number => m.limits!(c) as number;
    const g = m.dLimits!(chain) as typeof chain;
    expect(g.map((j) => [j.name, "limit" in j])).toEqual([["shoulder", true], ["elbow", true], ["tool", false]]);
    closeTo(leaves(g), argumentGradient(limits as never, [chain] as never, 0), "dLimits");
  });

  it("zerosTree zeroes numbers and keeps constants; addTree adds leaf by leaf", () => {
    const t = { id: "x", on: true, v: [1, 2], f: Float64Array.of(3), r: { a: 4 } };
    const z = zerosTree(t);
    expect(z).toEqual({ id: "x", on: true, v: [0, 0], f: new Float64Array(1), r: { a: 0 } });
    addTree(z, { id: "x", on: true, v: [1, 2], f: Float64Array.of(3), r: { a: 4 } });
    addTree(z, t);
    expect(z).toEqual({ id: "x", on: true, v: [2, 4], f: Float64Array.of(6), r: { a: 8 } });
  });
});
