// What `tsgrad/register` runs for a TypeScript file. Takes: the path of a .ts
// file Node is loading. Guarantees: the ES module tsc emits for it with the
// tsgrad transform, or an Error carrying tsgrad's diagnostics. The program of
// the file's tsconfig is type-checked and emitted once per process, and the
// result is cached on disk (node_modules/.cache/tsgrad), so a later run whose
// files are unchanged loads no TypeScript at all. TypeScript's own type errors
// are not reported (as tsx and Vite): `tsc --noEmit` or `tsgrad check` does that.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inMemoryEmitOptions } from "../transformer/emit-options.js";
import type { ts as TS } from "../transformer/ts.js";

/** A TypeScript source file the loader compiles (declarations and dependencies excluded). */
export function isTypeScript(file: string): boolean {
  return /\.(?:ts|tsx|mts|cts)$/.test(file) && !/\.d\.[cm]?ts$|\.d\.\w+\.ts$/.test(file) && !/[\\/]node_modules[\\/]/.test(file);
}

/** One compiled program, as kept in memory and on disk. */
interface Compiled {
  /** Every file the program read (sources, tsconfigs, declarations), with a hash of its text. */
  readonly files: Record<string, string>;
  /** The root files beyond the tsconfig's own (entry points it does not include). */
  readonly roots: readonly string[];
  /** Emitted JavaScript by source file. */
  readonly outputs: Record<string, string>;
  /** tsgrad's diagnostics by the file they are located in, formatted as tsc prints them. */
  readonly diagnostics: Record<string, string>;
}

/** Where a file's program comes from: its nearest tsconfig.json, or the file alone. */
interface Project {
  readonly config: string | undefined;
  readonly dir: string;
  readonly cacheFile: string;
}

const memory = new Map<string, Compiled>();

export function compiledModule(file: string): string {
  file = path.resolve(file);
  if (file.endsWith(".cts")) {
    throw new Error(`tsgrad/register runs TypeScript as ES modules; ${file} is a .cts (CommonJS) file: rename it .ts or .mts, or build it with \`tsgrad build\``);
  }
  const project = projectOf(file);
  let compiled = memory.get(project.cacheFile) ?? fromDisk(project);
  if (!compiled || !(file in compiled.outputs)) {
    compiled = compile(project, [...new Set([...(compiled?.roots ?? []), file])]);
    toDisk(project, compiled);
  }
  memory.set(project.cacheFile, compiled);
  // Node loads every module of a static import graph before it runs any, so
  // refusing the file a diagnostic is located in refuses the program in time.
  const diagnostics = compiled.diagnostics[file];
  if (diagnostics) {
    const error = new Error(`tsgrad: the transform failed, nothing was run:\n${diagnostics}`);
    // The diagnostics say where; the loader's own stack would only hide them.
    error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  const output = compiled.outputs[file];
  if (output === undefined) throw new Error(`tsgrad: TypeScript emitted nothing for ${file}`);
  return output;
}

// ---------------------------------------------------------------------------
// The project and its cache file.

function projectOf(file: string): Project {
  let config: string | undefined;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (fs.existsSync(candidate)) {
      config = candidate;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const dir = config ? path.dirname(config) : path.dirname(file);
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([versions(), config ?? file]))
    .digest("hex")
    .slice(0, 24);
  return { config, dir, cacheFile: path.join(cacheDir(dir), `${key}.json`) };
}

/** tsgrad's and its compiler's versions: a cache entry from another release is not used. */
function versions(): string[] {
  const version = (manifest: string) => (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
  return [version(path.join(__dirname, "../../package.json")), version(require.resolve("typescript/package.json"))];
}

/** node_modules/.cache/tsgrad of the project, as babel-loader and others do; else a temporary folder. */
function cacheDir(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "node_modules"))) return path.join(d, "node_modules", ".cache", "tsgrad");
    if (path.dirname(d) === d) return path.join(os.tmpdir(), "tsgrad-cache");
  }
}

const hash = (text: string | Buffer): string => crypto.createHash("sha1").update(text).digest("hex");

function readHash(file: string): string | undefined {
  try {
    return hash(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The cached program, if every file it read is unchanged. */
function fromDisk(project: Project): Compiled | undefined {
  let compiled: Compiled;
  try {
    compiled = JSON.parse(fs.readFileSync(project.cacheFile, "utf8")) as Compiled;
  } catch {
    return undefined;
  }
  for (const [file, digest] of Object.entries(compiled.files)) if (readHash(file) !== digest) return undefined;
  return compiled;
}

function toDisk(project: Project, compiled: Compiled): void {
  try {
    fs.mkdirSync(path.dirname(project.cacheFile), { recursive: true });
    const temporary = `${project.cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(compiled));
    fs.renameSync(temporary, project.cacheFile); // never a half-written entry for a concurrent run
  } catch {
    // A cache we cannot write only costs the next run its head start.
  }
}

// ---------------------------------------------------------------------------
// Compiling: only on a cache miss is TypeScript (the pinned 6.0) loaded.

function compile(project: Project, roots: readonly string[]): Compiled {
  const { ts } = require("../transformer/ts.js") as typeof import("../transformer/ts.js");
  const { createTransformer } = require("../transformer/pipeline.js") as typeof import("../transformer/pipeline.js");
  const { tsgradDiagnostics } = require("../transformer/index.js") as typeof import("../transformer/index.js");

  let options: TS.CompilerOptions = { strict: true, skipLibCheck: true };
  let fileNames: string[] = [];
  const configFiles: string[] = [];
  if (project.config) {
    const parsed = ts.getParsedCommandLineOfConfigFile(project.config, undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    });
    if (parsed) {
      options = parsed.options;
      fileNames = parsed.fileNames;
      configFiles.push(project.config, ...((parsed.options.configFile as TS.TsConfigSourceFile | undefined)?.extendedSourceFiles ?? []));
    }
  }
  const program = ts.createProgram({ rootNames: [...new Set([...fileNames, ...roots])], options: loaderOptions(options, ts) });

  const outputs: Record<string, string> = {};
  program.emit(
    undefined,
    (name, text, _bom, _onError, sources) => {
      const source = sources?.[0];
      if (source && /\.[cm]?jsx?$/.test(name)) outputs[path.resolve(source.fileName)] = text;
    },
    undefined,
    false,
    { before: [createTransformer(program)] },
  );

  const files: Record<string, string> = {};
  for (const file of [...configFiles, ...program.getSourceFiles().map((s) => s.fileName)]) {
    const digest = readHash(file);
    if (digest !== undefined) files[path.resolve(file)] = digest;
  }
  const diagnostics: Record<string, string> = {};
  const formatHost: TS.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => "\n",
  };
  for (const d of tsgradDiagnostics(program)) {
    const file = d.file ? path.resolve(d.file.fileName) : "";
    diagnostics[file] = (diagnostics[file] ?? "") + ts.formatDiagnostic(d, formatHost);
  }
  return { files, roots, outputs, diagnostics };
}

/** The project's options, made to emit what Node runs: ES modules with inline source maps, nothing else. */
function loaderOptions(project: TS.CompilerOptions, ts: typeof TS): TS.CompilerOptions {
  return inMemoryEmitOptions(project, ts, "inline");
}
