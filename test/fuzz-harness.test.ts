// The fuzz harness itself (test/fuzz/run.ts): what it counts as a failure.

import { describe, expect, it } from "vitest";
import { compileCached } from "./fuzz/compile.js";
import { config, generate, runBatch } from "./fuzz/run.js";

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
