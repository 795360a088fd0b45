// The fuzz harness itself (test/fuzz/run.ts): what it counts as a failure.

import { describe, expect, it } from "vitest";
import { compileCached } from "./fuzz/compile.js";
import { config, generate, runBatch } from "./fuzz/run.js";
import { Tracer } from "./fuzz/check.js";
import { differences, settled } from "./fuzz/differences.js";
import type { ExtrasTarget } from "./fuzz/transforms-check.js";

describe("a program whose emitted file does not load", () => {
  // Two generated programs; program #1's emitted code gets a duplicate declaration,
  // as f90431c's bug gave one (a SyntaxError that stops the whole file loading).
  const cfg = config();
  const programs = generate(7331, 2, cfg).map((prog, index) => ({ index, prog }));
  const broken = "// ==== program p1 ====";
  const r = runBatch(programs, cfg, {
    compileWith: (files) => {
      const compiled = compileCached(files);
      for (const [file, js] of compiled.js) if (js.includes(broken)) compiled.js.set(file, js.replace(broken, `${broken}\nlet twice = 0;\nlet twice = 1;`));
      return compiled;
    },
  });

  it("fails, with the error, instead of counting as passed", () => {
    const p1 = r.results.find((p) => p.index === 1)!;
    expect(p1.status).toBe("fail");
    expect(p1.failures.join("\n")).toMatch(/does not load: SyntaxError/);
  });
  it("does not fail the programs that shared its file: they are compiled again without it and checked", () => {
    const p0 = r.results.find((p) => p.index === 0)!;
    expect(p0.failures).toEqual([]);
    expect(p0.status).not.toBe("fail");
    expect(r.stats.points).toBeGreaterThan(0);
    expect(r.errors).toEqual([]);
  });
});

describe("differences of a function that changes below every step (fuzz seed 9191 #130)", () => {
  // jacobian(V)[2][2] there is d/dy sin(y) at y ~ 4e9: the smallest step is 4e3, and the
  // estimates, each under 1e-6, agreed on 0 and failed the right cos(y).
  const at = (f: (y: number) => number, y: number) => {
    const skips: string[] = [];
    const t = { tracer: new Tracer(), traced: (y: number) => f(y), kinds: ["num"], prog: { n: 1 }, skip: (why: string) => skips.push(why) };
    const diff = differences({ t: t as unknown as ExtrasTarget, x: [y], centre: [] });
    return { along: (exact: number) => diff.along((v) => f(v[0]!), [1], exact), skips };
  };
  const y = 4.123456789e9;

  it("gives no verdict on sin's derivative there, and counts why", () => {
    const d = at(Math.sin, y);
    expect(d.along(Math.cos(y))).toBe(null);
    expect(d.along(Math.cos(y) + 1)).toBe(null);
    expect(d.skips).toEqual(["differences change with the step", "differences change with the step"]);
  });
  it("still fails a wrong derivative of a function whose derivative is about 0", () => {
    // A smooth function, flat at this scale: its estimates settle (on about 0), and a derivative of 1 is wrong.
    const d = at((v) => Math.log(v), y);
    expect(d.along(1 / y)).toBe(true);
    expect(d.along(1)).toBe(false);
    const flat = at(() => 3, y);
    expect(flat.along(0)).toBe(true);
    expect(flat.along(1)).toBe(false);
    expect([...d.skips, ...flat.skips]).toEqual([]);
  });
  it("gives no verdict where two estimates of sin(cosh(...)) at 5.6e30 agree by chance (seed 20240611 #484)", () => {
    // V's row sin(y), y = cosh(a / p) = 5.6e30 along a: estimates -55, 2686, 5141, 5192, -190170, 736387;
    // the pair 5141, 5192 is within 1%, the right derivative cos(y) sinh(a / p) / p = -8.3e31 is not near it.
    const p = (0.25 / 1.589068782) ** 2;
    const a = 1.769655084;
    const d = at((v) => Math.sin(Math.cosh(v / p)), a);
    expect(d.along((Math.cos(Math.cosh(a / p)) * Math.sinh(a / p)) / p)).toBe(null);
    expect(d.skips).toEqual(["differences change with the step"]);
  });
  it("still fails a wrong derivative of sin at an ordinary argument", () => {
    const d = at(Math.sin, 1.3);
    expect(d.along(Math.cos(1.3))).toBe(true);
    expect(d.along(-Math.cos(1.3))).toBe(false);
    expect(settled(0.5, 0.5 + 1e-9, 2, 0)).toBe(true);
    expect(settled(3e-7, -2e-7, 2, 1e-18)).toBe(false);
  });
});
