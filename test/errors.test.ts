// Error fixtures: each fixtures/errors/<name>.ts must produce exactly the
// diagnostics in fixtures/errors/<name>.diagnostics.txt (code, position,
// message), and the offending transform call must become a function that
// throws that diagnostic when called.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as ts from "typescript";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";

const DIR = path.join(ROOT, "fixtures/errors");
const UPDATE = process.env.UPDATE_FIXTURES === "1";
const names = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

const compiled = compile(names.map((n) => path.join(DIR, `${n}.ts`)));

describe.each(names)("error fixture %s", (name) => {
  const file = path.join(DIR, `${name}.ts`);
  const diagnostics = compiled.diagnostics.filter((d) => d.file?.fileName === file);

  it("reports the expected diagnostics", () => {
    const text = formatDiagnostics(diagnostics);
    const expectedFile = path.join(DIR, `${name}.diagnostics.txt`);
    if (UPDATE) fs.writeFileSync(expectedFile, text);
    expect(text).toBe(fs.readFileSync(expectedFile, "utf8"));
  });

  it("is a tsgrad error in the 9xxxx range", () => {
    const ours = diagnostics.filter((d) => d.code >= 90000 && d.code < 100000);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((d) => d.start !== undefined && d.file)).toBe(true);
  });

  it("replaces the refused call with one that throws its diagnostic, and emits no derivative", () => {
    const js = compiled.js.get(file) ?? "";
    expect(js).toMatch(/tsgrad\.refused\("tsgrad refused /);
    expect(js).not.toMatch(/_grad\b/);
  });

  it("loads, and the refused derivative throws, when called, an Error quoting the diagnostic", () => {
    const ours = diagnostics.filter((d) => d.code >= 90000 && d.code < 100000);
    const m = load(compiled, file);
    let thrown: unknown;
    try {
      // The derivative, or a function returning it (`derivativeOf(f)`): call what comes back too.
    const call = (v: unknown): void => {
      // Classes a fixture exports (getter-override) are data, not derivatives.
      if (typeof v === "function" && !/^class\b/.test(Function.prototype.toString.call(v))) call((v as (x: number) => unknown)(1));
    };
    for (const v of Object.values(m)) call(v);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toMatch(new RegExp(`^tsgrad refused \\S.* at fixtures/errors/${name}\\.ts:\\d+:\\d+ — TS9\\d{4}( at \\S+:\\d+:\\d+)?: `));
    const quoted = ours.some(
      (d) =>
        message.includes(` — TS${d.code}`) &&
        message.endsWith(`: ${ts.flattenDiagnosticMessageText(d.messageText, "\n").replace(/^tsgrad: /, "")}`),
    );
    expect(quoted, message).toBe(true);
    expect(message).not.toMatch(/did not run/);
  });
});
