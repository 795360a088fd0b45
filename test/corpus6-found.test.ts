// What the corpus6 helper found while writing application-style programs
// (test/realworld/), each as the smallest program that shows it
// (test/inputs/corpus6-found/).

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/corpus6-found");

describe("a tuple default of a destructured options parameter, written with a cast", () => {
  const file = path.join(DIR, "tuple-default.ts");
  const compiled = compile([file]);
  const text = formatDiagnostics(compiled.diagnostics);

  // Was "an array literal used as a value cannot be differentiated": the cast hid the default from the refusal that names it.
  it("names the default as written, cast included, and says what to do", () => {
    expect(text).toContain(
      "tuple-default.ts(12,46): error TS90001: tsgrad: 'span = [0, 200] as [number, number]' gives 'span' a default made in the destructuring",
    );
    expect(text).not.toContain("an array literal used as a value");
  });
  it("as it does without the cast", () => {
    expect(text).toContain(
      "tuple-default.ts(16,43): error TS90001: tsgrad: 'span = [0, 200]' gives 'span' a default made in the destructuring",
    );
  });
  it("reports nothing else", () => {
    expect(compiled.diagnostics).toHaveLength(2);
  });
});
