// `tsgrad emit --out`: for every fixture, the files written (the module as
// tsgrad compiles it, and the modules whose generated functions it imports)
// type-check on their own with the fixtures' compiler options; the emitted
// TypeScript of every fixture is thereby type-checked too.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { standaloneModules } from "../transformer/standalone.js";
import { compilerOptions, formatDiagnostics, ROOT } from "./harness.js";
import { createProgram } from "./shared-host.js";
import { FIXTURES, fixtureNames, fixturesCompiled } from "./fixture-program.js";

const DIR = FIXTURES;
const names = fixtureNames;

// The programs are planned, not emitted: `tsgrad emit --out` needs tsgrad's plan of
// the program only (emitting every fixture's JavaScript, twice, took a quarter of this file's CPU).
const programOf = (options: ts.CompilerOptions): ts.Program => createProgram(names.map((n) => path.join(DIR, `${n}.ts`)), options);
// With the harness's options, the fixtures' program is the one the other test files of this
// worker that read the fixtures compiled, and planned, already (test/fixture-program.ts).
const compiled = fixturesCompiled();
fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
const out = fs.mkdtempSync(path.join(ROOT, ".tmp", "standalone-"));

afterAll(() => { if (!process.env.TSGRAD_E2E_KEEP) fs.rmSync(out, { recursive: true, force: true }); });

describe("tsgrad emit --out", () => {
  it("writes, for each fixture, files that type-check on their own", async () => {
    const written: string[] = [];
    for (const name of names) {
      const dir = path.join(out, name);
      const files = await standaloneModules(compiled.program, compiled.program.getSourceFile(path.join(DIR, `${name}.ts`))!, dir, ROOT);
      expect(files[0]!.fileName).toBe(path.join(dir, `${name}.grad.ts`));
      fs.mkdirSync(dir, { recursive: true });
      for (const f of files) {
        fs.writeFileSync(f.fileName, f.code);
        written.push(f.fileName);
      }
    }
    // noUnusedLocals too: tsgrad leaves no import it made unused (`grad` once every call is replaced).
    const program = createProgram(written, { ...compilerOptions, noUnusedLocals: true });
    expect(formatDiagnostics(ts.getPreEmitDiagnostics(program))).toBe("");
  });

  it("writes code that type-checks under noUncheckedIndexedAccess, for a program compiled with it", async () => {
    // Element reads are asserted (`x[i]!`), as users write them under that option.
    const strict = { ...compilerOptions, noUncheckedIndexedAccess: true };
    const program = programOf(strict);
    const written: string[] = [];
    for (const name of names) {
      const dir = path.join(out, "strict", name);
      fs.mkdirSync(dir, { recursive: true });
      for (const f of await standaloneModules(program, program.getSourceFile(path.join(DIR, `${name}.ts`))!, dir, ROOT)) {
        fs.writeFileSync(f.fileName, f.code);
        written.push(f.fileName);
      }
    }
    // The fixtures themselves are not all written for this option (`acc[i % 2] += ...`):
    // only errors on lines that are not the user's own count.
    const userLines = new Set(names.flatMap((n) => fs.readFileSync(path.join(DIR, `${n}.ts`), "utf8").split("\n").map((l) => l.trim())));
    const generated = ts.getPreEmitDiagnostics(createProgram(written, strict)).filter((d) => {
      const line = d.file!.text.split("\n")[d.file!.getLineAndCharacterOfPosition(d.start!).line]!.trim();
      return !userLines.has(line);
    });
    expect(formatDiagnostics(generated)).toBe("");
    // Compiles and type-checks every fixture twice: past the 30 s default on a loaded 2-core machine.
  }, 180_000);

  it("writes the modules a file takes generated functions from, and imports them", async () => {
    const dir = path.join(out, "calls-only");
    const files = await standaloneModules(compiled.program, compiled.program.getSourceFile(path.join(DIR, "calls.ts"))!, dir, ROOT);
    expect(files.map((f) => path.relative(dir, f.fileName))).toEqual(["calls.grad.ts", "calls-lib.grad.ts"]);
    const [calls, lib] = files.map((f) => f.code);
    // The user's import of the library and tsgrad's own both name the written copy.
    expect(calls).toContain(`import { bilinear, poly, softplus } from "./calls-lib.grad.js";`);
    expect(calls).toMatch(/import \* as calls_lib_tsgrad from "\.\/calls-lib\.grad\.js";/);
    expect(calls).toContain(`import type { Check } from "../../../fixtures/check.js";`);
    expect(calls).toContain("grad: chain_grad");
    expect(lib).toMatch(/export function poly_grad\(x: number\): number \{/);
  });
});
