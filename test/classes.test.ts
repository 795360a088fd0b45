// Classes as value types and functions passed as arguments (issue 13, items 6
// and 7): instances made with new, methods, getters, static methods, nested
// and mutated instances, a model's loss method, functions specialised per call
// site — through grad, valueAndGrad, jvp, hessian and grad(grad) — checked
// against derivatives written by hand; and what stays refused, located.

import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/classes");
const values = path.join(DIR, "values.ts");
const refused = path.join(DIR, "refused.ts");
const compiled = compile([values, refused]);

type Pair = [number, number];
interface Vec2Like {
  x: number;
  y: number;
}
const m = load(compiled, values) as {
  Vec2: new (x: number, y: number) => Vec2Like;
  around: (r: number, a: number) => number;
  dAround: (r: number, a: number) => Pair;
  vAround: (r: number, a: number) => [number, Pair];
  jAround: (r: number, a: number, dr: number, da: number) => Pair;
  hAround: (ra: number[]) => number[][];
  ddAround: (r: number, a: number) => number;
  dScaled: (v: Vec2Like, s: number) => Vec2Like;
  dHeight: (v0: number, g: number, n: number) => Pair;
  dChosen: (x: number, c: number) => number;
  dShadow: (x: number, y: number) => Pair;
  dModel: (p: { slope: number; bias: number }) => { slope: number; bias: number };
  dPassed: (x: number) => number;
  logged: (x: number) => number;
  dLogged: (x: number) => number;
};

const near = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b)));

afterEach(() => vi.restoreAllMocks());

describe("classes as value types", () => {
  it("compiles the accepted program without diagnostics", () => {
    const ours = compiled.diagnostics.filter((d) => d.file?.fileName === values);
    expect(formatDiagnostics(ours)).toBe("");
  });

  it("a static factory, a method chain and a getter: grad, valueAndGrad, jvp, hessian and grad(grad) of r² + 2r cos a + 1", () => {
    for (const [r, a] of [[1.5, 0.3], [0.4, -2]] as Pair[]) {
      const [dr, da] = m.dAround(r, a);
      near(dr, 2 * r + 2 * Math.cos(a));
      near(da, -2 * r * Math.sin(a));
      const [value, g] = m.vAround(r, a);
      expect(value).toBe(m.around(r, a));
      expect(g).toEqual([dr, da]);
      const [jv, tangent] = m.jAround(r, a, 0.5, -1);
      expect(jv).toBe(m.around(r, a));
      near(tangent, 0.5 * dr - da);
      const h = m.hAround([r, a]);
      near(h[0]![0]!, 2);
      near(h[0]![1]!, -2 * Math.sin(a));
      near(h[1]![0]!, -2 * Math.sin(a));
      near(h[1]![1]!, -2 * r * Math.cos(a));
      near(m.ddAround(r, a), 2);
    }
  });

  it("the gradient of an instance parameter is a plain object with the same fields (2 s² v)", () => {
    const g = m.dScaled(new m.Vec2(0.5, -2), 3);
    expect(g).toEqual({ x: 9, y: -36 });
    expect(Object.getPrototypeOf(g)).toBe(Object.prototype);
  });

  it("nested instances reassigned in a loop: symplectic Euler's height", () => {
    for (const n of [0, 1, 7]) {
      const [dv, dg] = m.dHeight(2, 9.81, n);
      near(dv, n * 0.1);
      near(dg, (-0.01 * n * (n + 1)) / 2);
    }
  });

  it("a method that mutates a local instance, and ?: between instances", () => {
    near(m.dChosen(0.7, 1), 2);
    near(m.dChosen(0.7, -1), 1.4);
  });

  it("a method reads the module constant it names, not the caller's local of the same name", () => {
    for (const [x, y] of [[0.5, 1], [-2, 0.25]] as Pair[]) {
      const [dx, dy] = m.dShadow(x, y);
      near(dx, 3 * y * (2 * x + 10));
      near(dy, 3 * x * (x + 10));
    }
  });

  it("a model's loss method, with its data read through this", () => {
    const p = { slope: 1.5, bias: 0.5 };
    const r = [0, 1, 2].map((x, i) => p.slope * x + p.bias - [1, 3, 5][i]!);
    const g = m.dModel(p);
    near(g.slope, 2 * r.reduce((s, ri, i) => s + ri * i, 0));
    near(g.bias, 2 * r.reduce((s, ri) => s + ri, 0));
  });

  it("a function passed down two levels, specialised per call site", () => {
    for (const x of [0.3, -1.1]) near(m.dPassed(x), 54 * x * x + 2 * Math.cos(x) + 4 * Math.cos(2 * x));
  });

  it("toFixed in a console.log inside differentiated code prints as f does, once per call", () => {
    const printed = (run: () => void): unknown[][] => {
      const calls: unknown[][] = [];
      vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void calls.push(args));
      run();
      vi.restoreAllMocks();
      return calls;
    };
    const expected = printed(() => m.logged(1.25));
    expect(expected).toEqual([["v = (1.25, 2.50)"]]);
    let g = 0;
    expect(printed(() => (g = m.dLogged(1.25)))).toEqual(expected);
    near(g, 12.5);
  });
});

describe("what stays refused is located and says what to do", () => {
  const diagnostics = compiled.diagnostics.filter((d) => d.file?.fileName === refused);
  const at = (needle: string) => {
    const file = compiled.program.getSourceFile(refused)!;
    const found = diagnostics.filter((d) => file.text.slice(d.start!, d.start! + needle.length) === needle);
    expect(found, `a diagnostic at '${needle}' among:\n${formatDiagnostics(diagnostics)}`).toHaveLength(1);
    return found[0]!;
  };
  const text = (d: { messageText: unknown }): string => (typeof d.messageText === "string" ? d.messageText : JSON.stringify(d.messageText));

  it("refuses every call in the file, and nothing crashes", () => {
    expect(diagnostics.every((d) => d.code >= 90000 && d.code < 90099)).toBe(true);
    expect(diagnostics.length).toBe(5);
  });

  it("a function parameter of the differentiated function", () => {
    const d = at("f(x)");
    expect(d.code).toBe(90002);
    expect(text(d)).toMatch(/'f' is a parameter/);
  });

  it("an instance passed where a number goes", () => {
    const d = at("v)");
    expect(d.code).toBe(90011);
    expect(text(d)).toMatch(/'v' is an instance of class Vec2/);
  });

  it("new of a subclass of a class tsgrad cannot see", () => {
    const d = at("new Stamp(x)");
    expect(text(d)).toMatch(/extends 'Date', whose fields and constructor tsgrad cannot see/);
  });

  it("a method declared by an interface", () => {
    const d = at("s.area()");
    expect(text(d)).toMatch(/method calls such as 's.area\(...\)'/);
  });

  it("a function-valued field", () => {
    const d = at("holder.f(x)");
    expect(d.code).toBe(90002);
  });
});
