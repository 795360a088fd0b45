// Which TypeScript the transformer works with (transformer/ts.ts): the compiler
// ts-patch hands it (here TypeScript 5.9, whose TypeFlags differ from 6.0's),
// the one tsgrad ships everywhere else, and one clear line for a compiler it
// cannot work with. Also: prettier stays out of everything but `tsgrad emit`.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts59 from "typescript59";
import { describe, expect, it } from "vitest";
import tsgradTransformer from "../transformer/index.js";
import { ts } from "../transformer/ts.js";
import { ROOT } from "./harness.js";

const SOURCE = `import { grad } from "tsgrad";
function f(x: number[]): number { let s = 0; for (const v of x) s += v * v * v; return s; }
export const d = grad(f)([1, 2]);
`;

/** Compiles SOURCE with `compiler` and the transformer as ts-patch calls it; returns the JS and diagnostics. */
function compileWith(compiler: typeof ts59, extras: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-compilers-"));
  try {
    const file = path.join(dir, "main.ts");
    fs.writeFileSync(file, SOURCE);
    const program = compiler.createProgram([file], {
      strict: true,
      target: compiler.ScriptTarget.ES2022,
      module: compiler.ModuleKind.CommonJS,
      skipLibCheck: true,
      types: [],
      paths: { tsgrad: [path.join(ROOT, "runtime/index.ts")] },
    });
    const diagnostics: { code: number; messageText: unknown }[] = [];
    const addDiagnostic = (d: { code: number; messageText: unknown }) => void diagnostics.push(d);
    const factory = tsgradTransformer(program as unknown as ts.Program, {}, { ...extras, addDiagnostic });
    let js = "";
    program.emit(undefined, (name, text) => void (name.endsWith("main.js") && (js = text)), undefined, false, {
      before: [factory as unknown as ts59.TransformerFactory<ts59.SourceFile>],
    });
    return { js, diagnostics };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the compiler the transformer works with", () => {
  it("on ts-patch's TypeScript 5.9 it uses that compiler's API and emits the gradient", () => {
    expect(ts59.versionMajorMinor).toBe("5.9");
    expect(ts59.TypeFlags.Number).not.toBe(ts.TypeFlags.Number); // why the host's own API matters
    const { js, diagnostics } = compileWith(ts59, { ts: ts59 });
    expect(diagnostics).toEqual([]);
    expect(js).toMatch(/function f_grad\(/);
    expect(js).not.toMatch(/\(0, tsgrad_1\.grad\)\(f\)/);
  });

  for (const [what, version] of [
    ["TypeScript 7 (no compiler API)", "7.0.2"],
    ["TypeScript 5.8", "5.8.3"],
  ] as const) {
    it(`${what} through ts-patch fails the build with one TS90098 line naming the fix, not a TypeError`, () => {
      const host = version.startsWith("7") ? { version } : { ...ts59, version, versionMajorMinor: "5.8" };
      const { js, diagnostics } = compileWith(ts59, { ts: host });
      expect(diagnostics).toHaveLength(1);
      const [d] = diagnostics;
      expect(d!.code).toBe(90098);
      const message = String(d!.messageText);
      expect(message).not.toContain("\n");
      expect(message).toContain(`TypeScript ${version}`);
      expect(message).toContain("npm install -D typescript@6");
      expect(message).toContain("tsgrad build");
      // The file is left as written: grad throws at run time, never a wrong derivative.
      expect(js).toMatch(/\(0, tsgrad_1\.grad\)\(f\)/);
    });
  }

  it("without ts-patch's diagnostics hook, an unsupported compiler is a thrown one-line Error", () => {
    const program = ts.createProgram([], {});
    expect(() => tsgradTransformer(program, {}, { ts: { version: "7.0.2" } as unknown as typeof ts })).toThrow(
      /^tsgrad: the tsconfig plugin runs on TypeScript 5\.9 or 6\.0, not TypeScript 7\.0\.2; .*tsgrad build/,
    );
  });
});

describe("transformer/ts.ts", () => {
  it("is the only transformer file that imports typescript (the others take ts from it, so ts-patch's compiler reaches them all)", () => {
    const dir = path.join(ROOT, "transformer");
    const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.m?ts$/.test(f));
    const importers = files.filter((f) => /from "typescript"|require\("typescript"\)/.test(fs.readFileSync(path.join(dir, f), "utf8")));
    expect(importers).toEqual(["ts.ts"]);
  });
});

describe("prettier", () => {
  it("is loaded by none of the transformer, tsgrad build, the loader and the bundler plugins", () => {
    const entries = [
      "dist/transformer/index.js",
      "dist/transformer/plugin.js",
      ...["vite", "esbuild", "rollup", "webpack", "rspack"].map((b) => `dist/transformer/${b}.js`),
      "dist/bin/build.js",
      "dist/bin/commands.js",
      "dist/loader/compile.js",
    ].map((f) => path.join(ROOT, f));
    const loaded = execFileSync(process.execPath, [
      "-e",
      `for (const f of ${JSON.stringify(entries)}) require(f); console.log(Object.keys(require.cache).filter((k) => /[\\\\/]prettier[\\\\/]/.test(k)).length)`,
    ]).toString();
    expect(loaded.trim()).toBe("0");
  });
});

describe("tsgrad build's arguments", () => {
  const CLI = path.join(ROOT, "dist/bin/tsgrad.js");
  const build = (...args: string[]) => {
    try {
      return { status: 0, out: execFileSync(process.execPath, [CLI, "build", ...args], { stdio: "pipe", cwd: os.tmpdir() }).toString() };
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      return { status: err.status, out: err.stderr.toString() };
    }
  };

  it("--help shows the usage", () => {
    const r = build("--help");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^Usage: tsgrad build \[-p tsconfig\.json\]/);
  });

  it.each([
    [["--frob"], "tsgrad build: unknown option '--frob'; run tsgrad build --help\n"],
    [["-b", "-p", "x"], "tsgrad build: -b takes tsconfig paths, not -p or --outDir (each project's tsconfig says where its output goes); run tsgrad build --help\n"],
    [["-p", "no/such/dir"], "tsgrad build: no tsconfig.json at 'no/such/dir'; run tsgrad build --help\n"],
    [["src"], "tsgrad build: unexpected argument 'src' (name the tsconfig with -p); run tsgrad build --help\n"],
  ])("%j is one line and exit status 2", (args, message) => {
    expect(build(...args)).toEqual({ status: 2, out: message });
  });
});
