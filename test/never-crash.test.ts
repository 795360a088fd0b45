// The transformer never crashes (issue 11): it is fed real-world TypeScript,
// TypeScript's own lib.*.d.ts and the .ts sources that vega-lite, vega-util
// and @jridgewell/sourcemap-codec ship (already installed: vega-lite is a dev
// dependency of the benchmarks), each as written and with `grad` calls spliced
// into its functions (a grad of each top-level function, and a grad of an inline
// arrow in the body of every function). Then:
//   - no exception escapes planning or emitting;
//   - every refusal is a located tsgrad diagnostic (a file, a span, a code in
//     90001..90098, never the internal error 90099);
//   - files without transform calls come out byte for byte as plain tsc emits them.
// The sources are a deterministic sample, to keep the run short.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import tsgradTransformer, { tsgradDiagnostics } from "../transformer/index.js";
import { ROOT, compilerOptions } from "./harness.js";
import { sharedCompilerHost } from "./shared-host.js";

const modules = path.join(ROOT, "node_modules");
const libs = fs.readdirSync(path.join(modules, "typescript/lib")).filter((f) => /^lib\..*\.d\.ts$/.test(f)).sort().map((f) => path.join(modules, "typescript/lib", f));

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Every `step`-th file of a sorted list: the same sample on every run. */
const sample = (files: string[], step: number): string[] => files.filter((_, i) => i % step === 0);
const SOURCES = [
  ...sample(sources(path.join(modules, "vega-lite/src")), 6),
  ...sample(sources(path.join(modules, "vega-util/src")), 3),
  ...sources(path.join(modules, "@jridgewell/sourcemap-codec/src")),
];

const options: ts.CompilerOptions = { ...compilerOptions, noEmitOnError: false, outDir: path.join(ROOT, ".tmp/never-crash"), declaration: false, sourceMap: false };

/** `text` with grad calls spliced in: a grad of each top-level function, and a grad of an inline arrow in every function body. */
function splice(file: string, text: string): { text: string; calls: number } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const inserts: [number, string][] = [];
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && ts.isBlock(node.body)) {
      inserts.push([node.body.getStart(sf) + 1, ` void __tsgrad.grad((x: number) => x * x + 1)(2);`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body) names.push(s.name.text);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) names.push(d.name.text);
      }
    }
  }
  let out = text;
  for (const [at, code] of inserts.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + code + out.slice(at);
  const probes = names.map((n, i) => `export const __tsgradProbe${i} = () => __tsgrad.grad(${n} as never);`);
  return { text: `import * as __tsgrad from "tsgrad";\n${out}\n${probes.join("\n")}\n`, calls: inserts.length + probes.length };
}

/** A program over `roots` whose files are read through `rewrite`. */
function programOf(roots: readonly string[], rewrite: (file: string, text: string) => string): ts.Program {
  const host = sharedCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = read(file);
    return text !== undefined && roots.includes(path.resolve(file)) ? rewrite(path.resolve(file), text) : text;
  };
  return ts.createProgram({ rootNames: roots, options, host });
}

function emitAll(program: ts.Program, withTsgrad: boolean): Map<string, string> {
  const out = new Map<string, string>();
  program.emit(undefined, (name, text) => out.set(name, text), undefined, false, { before: withTsgrad ? [tsgradTransformer(program, {}, {})] : [] });
  return out;
}

const isTsgrad = (d: ts.Diagnostic): boolean => d.source === "tsgrad";

describe("a real-world corpus", () => {
  const roots = [...libs, ...SOURCES];

  it("as written: no exception, no tsgrad diagnostic, output byte for byte as plain tsc's", () => {
    const program = programOf(roots, (_file, text) => text);
    expect(tsgradDiagnostics(program)).toEqual([]);
    const plain = emitAll(program, false);
    const ours = emitAll(program, true);
    expect(plain.size).toBeGreaterThanOrEqual(SOURCES.length);
    expect([...ours.keys()].sort()).toEqual([...plain.keys()].sort());
    for (const [name, text] of plain) expect(ours.get(name), name).toBe(text);
  }, 120_000);

  it("with grad calls spliced into its functions: no exception, every refusal a located diagnostic", () => {
    let calls = 0;
    const program = programOf(roots, (file, text) => {
      if (file.endsWith(".d.ts")) return text;
      const spliced = splice(file, text);
      calls += spliced.calls;
      return spliced.text;
    });
    const ours = tsgradDiagnostics(program).filter(isTsgrad);
    const emitted = emitAll(program, true);
    expect(emitted.size).toBeGreaterThanOrEqual(SOURCES.length);
    for (const d of ours) {
      const where = `${d.file?.fileName}:${d.start} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      expect(d.code, where).toBeGreaterThanOrEqual(90001);
      expect(d.code, where).toBeLessThan(90099);
      expect(d.file, where).toBeDefined();
      expect(d.start, where).toBeGreaterThanOrEqual(0);
      expect(d.length, where).toBeGreaterThan(0);
    }
    // The figures for the record: files, calls spliced, diagnostics.
    console.log(`never-crash corpus: ${libs.length} lib files, ${SOURCES.length} sources, ${calls} grad calls spliced, ${ours.length} tsgrad diagnostics`);
    expect(calls).toBeGreaterThan(SOURCES.length);
  }, 120_000);
});
