// Compiles programs the way tspc does: a real ts.Program, emitted with the
// default export of `tsgrad/transformer` as ts-patch calls it, diagnostics
// collected through `addDiagnostic`. Then runs the emitted CommonJS in memory.

import * as path from "node:path";
import * as ts from "typescript";
import tsgradTransformer from "../transformer/index.js";
import { reportFile } from "../transformer/report.js";
import * as runtime from "../runtime/index.js";
import { createProgram } from "./shared-host.js";

export const ROOT = path.resolve(__dirname, "..");

export const compilerOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: [],
  paths: { tsgrad: [path.join(ROOT, "runtime/index.ts")] },
};

export interface Compiled {
  readonly program: ts.Program;
  /** Emitted JavaScript by source file name. */
  readonly js: Map<string, string>;
  readonly diagnostics: readonly ts.Diagnostic[];
}

export function compile(files: readonly string[], options: ts.CompilerOptions = compilerOptions): Compiled {
  return emitProgram(createProgram(files.map((f) => path.resolve(f)), options));
}

/** Emits a program through the transformer, as ts-patch does, collecting JavaScript and diagnostics. */
export function emitProgram(program: ts.Program): Compiled {
  const diagnostics: ts.Diagnostic[] = [...ts.getPreEmitDiagnostics(program)];
  const js = new Map<string, string>();
  const transformer = tsgradTransformer(program, {}, { ts, addDiagnostic: (d) => void diagnostics.push(d) });
  program.emit(
    undefined,
    (name, text, _bom, _onError, sources) => {
      if (name.endsWith(".js") && sources?.[0]) js.set(sources[0].fileName, text);
    },
    undefined,
    false,
    { before: [transformer] },
  );
  return { program, js, diagnostics };
}

export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  });
}

/** Runs the emitted module for `file` (and what it imports) and returns its exports. */
export function load(compiled: Compiled, file: string): Record<string, unknown> {
  const cache = new Map<string, Record<string, unknown>>();
  const run = (fileName: string): Record<string, unknown> => {
    const cached = cache.get(fileName);
    if (cached) return cached;
    const code = compiled.js.get(fileName);
    if (code === undefined) throw new Error(`no emitted JavaScript for ${fileName}`);
    const module = { exports: {} as Record<string, unknown> };
    cache.set(fileName, module.exports);
    const require = (spec: string): unknown => {
      if (spec === "tsgrad") return runtime;
      if (spec.startsWith(".")) {
        const base = path.resolve(path.dirname(fileName), spec).replace(/\.js$/, "");
        for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
          if (compiled.js.has(candidate)) return run(candidate);
        }
      }
      throw new Error(`fixture requires unknown module ${spec}`);
    };
    new Function("require", "module", "exports", code)(require, module, module.exports);
    cache.set(fileName, module.exports);
    return module.exports;
  };
  return run(path.resolve(file));
}

/** The code `tsgrad emit` prints for `file`. */
export async function emitted(compiled: Compiled, file: string): Promise<string> {
  const sf = compiled.program.getSourceFile(path.resolve(file));
  if (!sf) throw new Error(`${file} is not in the program`);
  return (await reportFile(compiled.program, sf, ROOT)).code;
}
