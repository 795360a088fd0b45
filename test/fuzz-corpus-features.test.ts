// The fuzzer's application-style constructs (records-step-alias, closure-array,
// record-tuple-field in test/fuzz/gen.ts): each is generated at a fixed seed,
// shows in the TypeScript as written, and its plain-JavaScript copy (what the
// finite differences evaluate) is valid JavaScript without type annotations.

import { describe, expect, it } from "vitest";
import { featuresUsed } from "./fuzz/features.js";
import { extrasOf, type Feature, render } from "./fuzz/gen.js";
import { config, generate } from "./fuzz/run.js";

const FEATURES: readonly Feature[] = ["records-step-alias", "closure-array", "record-tuple-field"];
const SHOWS: Record<string, RegExp> = {
  "records-step-alias": /const p\d+ = r\d+\[i\d+\];\n\s+p\d+\.x = |r\d+\.forEach\(\(p\d+, i\d+\) => \{\n\s+p\d+\.x = /,
  "closure-array": /= \[\(m\d+(: number\)|\)).*\];\n\s*(const v\d+ = g\d+\.reduce\(|let v\d+ = 0;\n\s*for \(const g\d+ of g\d+\) v\d+ \+= g\d+\()/,
  "record-tuple-field": /const st\d+(: \{ pos: \[number, number\]; w: number \})? = \{ pos: \[.*\], w: .* \};\n\s*(const|let) \{ pos: \[v\d+, v\d+\], w: v\d+ \} = st\d+;/,
};

describe("the fuzzer's corpus constructs", () => {
  const cfg = config({ FUZZ_GAPS: "all" });
  const programs = generate(5150, 300, cfg).map((prog, i) => ({ prog, id: `p${i}` }));
  const using = (f: Feature) => programs.filter(({ prog, id }) => featuresUsed(prog, id, cfg, extrasOf(prog, id, cfg)).includes(f));

  it.each(FEATURES)("%s is generated, in TypeScript and in the JavaScript copy", (f) => {
    const progs = using(f);
    expect(progs.length).toBeGreaterThan(5);
    for (const { prog, id } of progs) {
      const ts = render(prog, id, "ts", cfg).code;
      const js = render(prog, id, "js", cfg).code;
      expect(ts).toMatch(SHOWS[f]!);
      expect(js).toMatch(SHOWS[f]!);
      expect(js).not.toMatch(/: number[\],;)]|: \{ pos:/);
      expect(() => new Function("__T", js.replace(/^export /gm, ""))).not.toThrow();
    }
  });

  it("records-step-alias is a known gap, so not generated unless FUZZ_GAPS opens it", () => {
    const closed = config({});
    expect(closed.features.has("records-step-alias")).toBe(false);
    expect(closed.features.has("closure-array")).toBe(true);
    expect(closed.features.has("record-tuple-field")).toBe(true);
  });
});
