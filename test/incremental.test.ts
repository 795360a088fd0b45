// Incremental builds, watch modes and dev servers give the same output as a
// clean build after any sequence of edits (SPEC §7).
//
// One edit sequence, chosen so that other files' outputs change when a file is
// edited (an adjoint placed in lib.ts because main.ts starts calling grad(sq), a
// generated name in main.js that moves because lib.ts takes it, a helper's
// adjoint name that lib.js refers to, a diagnostic that appears and stays), is
// replayed in every mode. After each step the mode's output for every source
// file, and its errors, must equal a clean one-shot build of the same sources.
//
// Modes, all in process:
//   - tspc --incremental: a builder program over .tsbuildinfo, with the
//     transformer called as ts-patch calls a program transformer; and once more
//     through ts-patch's own live compiler (ts-patch/compiler) and the built
//     dist/transformer, from the tsconfig's plugins line;
//   - tsc --watch: ts.createWatchProgram over a system whose file watchers and
//     timers the test fires;
//   - tsc -b: a solution of two projects with references, each step a new
//     solution builder over the previous outputs;
//   - Vite's dev server (and so Vitest's watch mode, which drops only the edited
//     module the same way): watcher events through the plugin's hooks, each
//     module's transform compared with a fresh server's.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { createLogger, createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import tsgradTransformer from "../transformer/index.js";
import tsgradVite from "../transformer/vite.js";

const ROOT = path.resolve(__dirname, "..");
/** Each mode replays several builds; on a busy machine that takes a while. */
const TIMEOUT = 180_000;

/** Files written at each step (relative to the project's src), in order. */
type Step = { readonly name: string; readonly files: Readonly<Record<string, string>> };

const HELPER = "export function h(x: number): number {\n  return Math.sin(x) * x;\n}\n";
const STEPS: readonly Step[] = [
  {
    name: "main.ts calls sq(2)",
    files: {
      "lib.ts": "export function sq(x: number): number {\n  return x * x;\n}\n",
      "main.ts": 'import { grad } from "tsgrad";\nimport { sq } from "./lib.js";\n\nexport const value = sq(2);\n',
    },
  },
  {
    name: "main.ts now calls grad(sq)(2): lib.js gains sq_grad",
    files: { "main.ts": 'import { grad } from "tsgrad";\nimport { sq } from "./lib.js";\n\nexport const value = grad(sq)(2);\n' },
  },
  {
    name: "sq's body changes",
    files: { "lib.ts": "export function sq(x: number): number {\n  return x * x * x;\n}\n" },
  },
  {
    name: "lib.ts takes the name sq_grad: main.js must call sq_grad_1",
    files: { "lib.ts": "export const sq_grad = 0;\n\nexport function sq(x: number): number {\n  return x * x * x;\n}\n" },
  },
  {
    name: "a new helper.ts, called from lib.ts, differentiated from main.ts",
    files: {
      "helper.ts": HELPER,
      "lib.ts": 'import { h } from "./helper.js";\n\nexport const sq_grad = 0;\n\nexport function sq(x: number): number {\n  return x * x * x;\n}\n\nexport function hsq(x: number): number {\n  return h(x) * x;\n}\n',
      "main.ts": 'import { grad } from "tsgrad";\nimport { hsq, sq } from "./lib.js";\n\nexport const value = grad(sq)(2);\nexport const dh = grad(hsq)(1);\n',
    },
  },
  {
    name: "helper.ts takes the name of h's adjoint: lib.js must follow",
    files: { "helper.ts": `export const h_vjp = 1;\n\n${HELPER}` },
  },
  {
    name: "lib.ts's norm2 takes a Pt from a new types.ts; main.ts differentiates it",
    files: {
      "types.ts": "export interface Pt {\n  a: number;\n  b: number;\n}\n",
      "lib.ts": 'import { h } from "./helper.js";\nimport type { Pt } from "./types.js";\n\nexport const sq_grad = 0;\n\nexport function sq(x: number): number {\n  return x * x * x;\n}\n\nexport function hsq(x: number): number {\n  return h(x) * x;\n}\n\nexport function norm2(p: Pt): number {\n  return p.a * p.a;\n}\n',
      "main.ts": 'import { grad } from "tsgrad";\nimport { hsq, norm2, sq } from "./lib.js";\n\nexport const value = grad(sq)(2);\nexport const dh = grad(hsq)(1);\nconst p = { a: 1, b: 2, c: 3 };\nexport const dp = grad(norm2)(p);\n',
    },
  },
  {
    name: "Pt gains a field: lib.js's norm2_grad returns it too, though lib.ts and main.ts did not change",
    files: { "types.ts": "export interface Pt {\n  a: number;\n  b: number;\n  c: number;\n}\n" },
  },
  {
    name: "h now calls Math.random: an error in helper.ts, main.ts's grad(hsq) left as written",
    files: { "helper.ts": "export function h(x: number): number {\n  return Math.random() * x;\n}\n" },
  },
  { name: "nothing changes: the error is still reported", files: {} },
  {
    name: "main.ts stops differentiating: lib.js and helper.js are plain again",
    files: { "main.ts": 'import { sq } from "./lib.js";\n\nexport const value = sq(2);\n' },
  },
];

const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "nodenext",
  strict: true,
  skipLibCheck: true,
  types: [],
  rootDir: "src",
  outDir: "out",
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-incremental-"));
  writeRuntimePackage(path.join(tmp, "node_modules/tsgrad"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** `tsgrad` as a project sees it installed: its declarations (made from the runtime's sources) under node_modules. */
function writeRuntimePackage(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "tsgrad", types: "runtime/index.d.ts" }));
  const program = ts.createProgram([path.join(ROOT, "runtime/index.ts")], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    types: [],
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: path.join(ROOT, "runtime"),
    outDir: path.join(dir, "runtime"),
  });
  const result = program.emit();
  if (result.emitSkipped) throw new Error("could not write the runtime's declarations");
}

/**
 * The default library and tsgrad's declarations never change here: programs
 * share their parsed files (as tsc --watch does), which keeps these tests fast.
 * Parsed files of one compiler are not for another (ts-patch's is its own copy
 * of TypeScript): each compiler has its own.
 */
const sharedBy = new WeakMap<typeof ts, Map<string, ts.SourceFile>>();
const sharing = new WeakSet<ts.CompilerHost>();
function sharingLibraries<H extends ts.CompilerHost>(host: H, options: ts.CompilerOptions, compiler: typeof ts = ts): H {
  if (sharing.has(host)) return host;
  sharing.add(host);
  let shared = sharedBy.get(compiler);
  if (!shared) sharedBy.set(compiler, (shared = new Map()));
  const libDir = path.dirname(compiler.getDefaultLibFilePath(options));
  const get = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.startsWith(libDir) && !fileName.startsWith(path.join(tmp, "node_modules"))) return get(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}|${JSON.stringify(languageVersion)}`;
    let file = shared.get(key);
    if (!file) {
      file = get(fileName, languageVersion, onError, shouldCreate);
      if (file) shared.set(key, file);
    }
    return file;
  };
  return host;
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function writeProject(dir: string, options: object = COMPILER_OPTIONS, extra: object = {}): void {
  writeFiles(dir, { "tsconfig.json": JSON.stringify({ compilerOptions: options, include: ["src"], ...extra }, null, 2) });
}

/** What a build produced: JavaScript per source file (relative to the project) and its errors, located. */
interface Outputs {
  readonly js: Record<string, string>;
  readonly errors: string[];
}

/** The project's outputs, read back from its outDir for each current source file. */
function readOutputs(dir: string, diagnostics: readonly ts.Diagnostic[]): Outputs {
  const js: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(dir, "src")).sort()) {
    const out = path.join(dir, "out", name.replace(/\.ts$/, ".js"));
    js[name] = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "(not emitted)";
  }
  return { js, errors: errorsOf(dir, diagnostics) };
}

function errorsOf(dir: string, diagnostics: readonly ts.Diagnostic[]): string[] {
  const out = new Set<string>();
  for (const d of diagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    let where = "";
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      where = `${path.relative(dir, d.file.fileName).replace(/\\/g, "/")}:${line + 1}:${character + 1} `;
    }
    out.add(`${where}TS${d.code}`);
  }
  return [...out].sort();
}

function parseConfig(configPath: string, system: ts.System = ts.sys): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...system,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return parsed;
}

/**
 * The reference: a clean one-shot build of the same sources in a fresh
 * directory, with tsgrad as the source transformer ts-patch has always run.
 * The modes replay the same sources, so each set is built once: the outputs
 * are relative to the directory, and a clean build depends on nothing else.
 */
const cleanBuilds = new Map<string, Outputs>();
function cleanBuild(sources: Readonly<Record<string, string>>, name: string): Outputs {
  const key = JSON.stringify(Object.entries(sources).sort(([a], [b]) => (a < b ? -1 : 1)));
  let outputs = cleanBuilds.get(key);
  if (!outputs) cleanBuilds.set(key, (outputs = buildClean(sources, name)));
  return structuredClone(outputs);
}

function buildClean(sources: Readonly<Record<string, string>>, name: string): Outputs {
  const dir = fs.mkdtempSync(path.join(tmp, `clean-${name}-`));
  writeProject(dir);
  writeFiles(dir, Object.fromEntries(Object.entries(sources).map(([f, text]) => [`src/${f}`, text])));
  const config = parseConfig(path.join(dir, "tsconfig.json"));
  const host = sharingLibraries(ts.createCompilerHost(config.options), config.options);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const diagnostics: ts.Diagnostic[] = [...ts.getPreEmitDiagnostics(program)];
  const result = program.emit(undefined, undefined, undefined, false, {
    before: [tsgradTransformer(program, {}, { addDiagnostic: (d) => void diagnostics.push(d) })],
  });
  diagnostics.push(...result.diagnostics);
  return readOutputs(dir, diagnostics);
}

/** What ts-patch does with a { "transformProgram": true } plugin: the transformer gets the program before any builder sees it. */
const withTsgrad: ts.CreateProgram<ts.EmitAndSemanticDiagnosticsBuilderProgram> = (rootNames, options, host, oldProgram, configDiagnostics, references) => {
  const old = oldProgram as (ts.EmitAndSemanticDiagnosticsBuilderProgram & { getProgramOrUndefined?(): ts.Program | undefined }) | undefined;
  const program = ts.createProgram({
    rootNames: rootNames ?? [],
    options: options ?? {},
    host: host && sharingLibraries(host, options ?? {}),
    oldProgram: old?.getProgramOrUndefined?.(),
    configFileParsingDiagnostics: configDiagnostics,
    projectReferences: references,
  });
  tsgradTransformer(program, host, { transformProgram: true });
  return ts.createEmitAndSemanticDiagnosticsBuilderProgram(program, host!, oldProgram, configDiagnostics);
};

/** Every diagnostic tsc reports for a builder program it has emitted. */
function builderDiagnostics(builder: ts.BuilderProgram, emitted: ts.EmitResult): ts.Diagnostic[] {
  return [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
    ...emitted.diagnostics,
  ];
}

/** `tspc -p dir` with "incremental": true, in process, through `tsc`'s own API (createIncrementalProgram). */
function incrementalBuild(compiler: typeof ts, dir: string, createProgram?: ts.CreateProgram<ts.EmitAndSemanticDiagnosticsBuilderProgram>): { outputs: Outputs; written: string[] } {
  const config = parseConfig(path.join(dir, "tsconfig.json"));
  const host = sharingLibraries(compiler.createIncrementalCompilerHost(config.options), config.options, compiler);
  const builder = compiler.createIncrementalProgram({
    rootNames: config.fileNames,
    options: config.options,
    configFileParsingDiagnostics: config.errors,
    projectReferences: config.projectReferences,
    host,
    createProgram,
  });
  const written: string[] = [];
  const result = builder.emit(undefined, (name, text, bom, onError, sources, data) => {
    written.push(path.relative(dir, name).replace(/\\/g, "/"));
    host.writeFile(name, text, bom, onError, sources, data);
  });
  return { outputs: readOutputs(dir, builderDiagnostics(builder, result)), written };
}

/** Replays STEPS: `apply` writes a step's files and returns the mode's outputs, compared with a clean build's. */
async function replay(name: string, apply: (files: Readonly<Record<string, string>>) => Outputs | Promise<Outputs>, steps = STEPS): Promise<void> {
  const sources: Record<string, string> = {};
  for (const [i, step] of steps.entries()) {
    Object.assign(sources, step.files);
    const got = await apply(step.files);
    const want = cleanBuild(sources, `${name}-${i}`);
    expect(got, `${name}, step ${i}: ${step.name}`).toEqual(want);
  }
}

/** Runs the emitted CommonJS of `main.js` with the runtime, and returns its exports. */
function run(outDir: string): Record<string, unknown> {
  const cache = new Map<string, Record<string, unknown>>();
  const load = (file: string): Record<string, unknown> => {
    const cached = cache.get(file);
    if (cached) return cached;
    const module = { exports: {} as Record<string, unknown> };
    cache.set(file, module.exports);
    const require = (spec: string): unknown => (spec === "tsgrad" ? runtime : load(path.resolve(path.dirname(file), spec)));
    new Function("require", "module", "exports", fs.readFileSync(file, "utf8"))(require, module, module.exports);
    return module.exports;
  };
  return load(path.join(outDir, "main.js"));
}

describe("tspc --incremental", { timeout: TIMEOUT }, () => {
  it("the issue's case: after main.ts starts calling grad(sq), lib.js is rewritten too and main.js runs", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "issue-"));
    writeProject(dir, { ...COMPILER_OPTIONS, incremental: true });
    writeFiles(dir, { "src/lib.ts": STEPS[0]!.files["lib.ts"]!, "src/main.ts": STEPS[0]!.files["main.ts"]! });
    incrementalBuild(ts, dir, withTsgrad);
    writeFiles(dir, { "src/main.ts": STEPS[1]!.files["main.ts"]! });
    const { written, outputs } = incrementalBuild(ts, dir, withTsgrad);
    expect(written.filter((f) => f.endsWith(".js")).sort()).toEqual(["out/lib.js", "out/main.js"]);
    expect(outputs.errors).toEqual([]);
    expect(run(path.join(dir, "out")).value).toBe(4);
  });

  it("gives a clean build's output after every step of the edit sequence", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "incremental-"));
    writeProject(dir, { ...COMPILER_OPTIONS, incremental: true });
    await replay("incremental", (files) => {
      writeFiles(dir, Object.fromEntries(Object.entries(files).map(([f, text]) => [`src/${f}`, text])));
      return incrementalBuild(ts, dir, withTsgrad).outputs;
    });
    expect(run(path.join(dir, "out")).value).toBe(8);
  });

  it("re-emits only what changed: an edit to a file no adjoint depends on rewrites that file alone", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "only-"));
    writeProject(dir, { ...COMPILER_OPTIONS, incremental: true });
    writeFiles(dir, {
      "src/lib.ts": STEPS[0]!.files["lib.ts"]!,
      "src/main.ts": STEPS[1]!.files["main.ts"]!,
      "src/other.ts": "export const label = 'a';\n",
    });
    incrementalBuild(ts, dir, withTsgrad);
    writeFiles(dir, { "src/other.ts": "export const label = 'b';\n" });
    expect(incrementalBuild(ts, dir, withTsgrad).written.filter((f) => f.endsWith(".js"))).toEqual(["out/other.js"]);
  });

  it("through ts-patch's live compiler and the built transformer, from the tsconfig's plugins line", async () => {
    const dist = path.join(ROOT, "dist/transformer/index.js");
    const sources = ["incremental.ts", "index.ts", "plan.ts", "pipeline.ts"].map((f) => path.join(ROOT, "transformer", f));
    const stale = !fs.existsSync(dist) || sources.some((f) => fs.statSync(f).mtimeMs > fs.statSync(dist).mtimeMs);
    expect(stale, "dist/transformer is older than its sources: run `npm run build`").toBe(false);
    const patched = require("ts-patch/compiler") as typeof ts;
    const dir = fs.mkdtempSync(path.join(tmp, "tspc-"));
    writeProject(dir, { ...COMPILER_OPTIONS, incremental: true, plugins: [{ transform: dist, transformProgram: true }] });
    // The issue's case, a name that moves under main.ts, an error that appears and is reported again.
    const steps = [0, 1, 3, 8, 9].map((i) => STEPS[i]!);
    const cumulative = steps.map((step, i) => ({ ...step, files: i === 0 ? step.files : Object.assign({}, ...STEPS.slice(STEPS.indexOf(steps[i - 1]!) + 1, STEPS.indexOf(step) + 1).map((s) => s.files)) }));
    await replay("ts-patch", (files) => {
      writeFiles(dir, Object.fromEntries(Object.entries(files).map(([f, text]) => [`src/${f}`, text])));
      return incrementalBuild(patched, dir).outputs;
    }, cumulative);
  });

  it("fails an incremental build where the transformer runs only as a source transformer, showing the line to use", () => {
    const program = ts.createProgram({ rootNames: [], options: { incremental: true } });
    const diagnostics: ts.Diagnostic[] = [];
    tsgradTransformer(program, {}, { addDiagnostic: (d) => void diagnostics.push(d) });
    expect(diagnostics.map((d) => [d.category, d.code])).toEqual([[ts.DiagnosticCategory.Error, 90050]]);
    expect(ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, "\n")).toMatch(/"transformProgram": true/);
  });
});

/** A ts.System whose watchers and timers the test fires, so a watch cycle runs when the test says. */
function controlledSystem(): { system: ts.System; changed(file: string, kind: ts.FileWatcherEventKind): void; flush(): void } {
  const fileWatchers = new Map<string, Set<ts.FileWatcherCallback>>();
  const dirWatchers = new Map<string, Set<ts.DirectoryWatcherCallback>>();
  let timers = new Map<number, () => void>();
  let next = 1;
  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V): ts.FileWatcher => {
    const set = map.get(key) ?? new Set<V>();
    set.add(value);
    map.set(key, set);
    return { close: () => void set.delete(value) };
  };
  const system: ts.System = {
    ...ts.sys,
    watchFile: (file, callback) => add(fileWatchers, path.resolve(file), callback),
    watchDirectory: (dir, callback) => add(dirWatchers, path.resolve(dir), callback),
    setTimeout: (callback: (...args: unknown[]) => void, _ms: number, ...args: unknown[]) => {
      const id = next++;
      timers.set(id, () => callback(...args));
      return id;
    },
    clearTimeout: (id: number) => void timers.delete(id),
  };
  return {
    system,
    changed(file, kind) {
      for (const callback of fileWatchers.get(path.resolve(file)) ?? []) callback(file, kind, new Date());
      for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
        for (const callback of dirWatchers.get(dir) ?? []) callback(file);
        if (path.dirname(dir) === dir) break;
      }
    },
    flush() {
      for (let round = 0; timers.size > 0; round++) {
        if (round > 20) throw new Error("the watch program keeps scheduling work");
        const due = timers;
        timers = new Map();
        for (const timer of due.values()) timer();
      }
    },
  };
}

describe("tsc --watch", { timeout: TIMEOUT }, () => {
  it("gives a clean build's output after every step of the edit sequence", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "watch-"));
    writeProject(dir);
    writeFiles(dir, Object.fromEntries(Object.entries(STEPS[0]!.files).map(([f, text]) => [`src/${f}`, text])));
    const { system, changed, flush } = controlledSystem();
    let cycle: ts.Diagnostic[] = [];
    const host = ts.createWatchCompilerHost(path.join(dir, "tsconfig.json"), {}, system, withTsgrad, (d) => void cycle.push(d), () => undefined);
    const watch = ts.createWatchProgram(host);
    let last: ts.Diagnostic[] = [];
    try {
      let first = true;
      await replay("watch", (files) => {
        if (!first) {
          cycle = [];
          for (const [f, text] of Object.entries(files)) {
            const file = path.join(dir, "src", f);
            const existed = fs.existsSync(file);
            writeFiles(dir, { [`src/${f}`]: text });
            changed(file, existed ? ts.FileWatcherEventKind.Changed : ts.FileWatcherEventKind.Created);
          }
          // A step with no edits: tsc --watch does nothing, and what it reported last still stands.
          if (Object.keys(files).length > 0) flush();
          else cycle = last;
        }
        first = false;
        last = cycle;
        return readOutputs(dir, cycle);
      });
    } finally {
      watch.close();
    }
  });
});

describe("tsc -b with project references", { timeout: TIMEOUT }, () => {
  it("gives a clean build's output after every step of the edit sequence, in the referencing project", async () => {
    const root = fs.mkdtempSync(path.join(tmp, "build-"));
    const solution = (dir: string): void => {
      writeFiles(dir, {
        "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "base" }, { path: "app" }] }),
        "base/src/scale.ts": "export const SCALE = 3;\n",
      });
      writeProject(path.join(dir, "base"), { ...COMPILER_OPTIONS, composite: true });
      writeProject(path.join(dir, "app"), { ...COMPILER_OPTIONS, composite: true }, { references: [{ path: "../base" }] });
    };
    const build = (dir: string): ts.Diagnostic[] => {
      const diagnostics: ts.Diagnostic[] = [];
      const host = ts.createSolutionBuilderHost(ts.sys, withTsgrad, (d) => void diagnostics.push(d), () => undefined, () => undefined);
      ts.createSolutionBuilder(host, [path.join(dir, "tsconfig.json")], {}).build();
      return diagnostics;
    };
    solution(root);
    const sources: Record<string, string> = {};
    for (const [i, step] of STEPS.entries()) {
      // The app project's main.ts also uses the base project's constant.
      const files = Object.fromEntries(Object.entries(step.files).map(([f, text]) => [`app/src/${f}`, f === "main.ts" ? `${text}export { SCALE } from "../../base/src/scale.js";\n` : text]));
      Object.assign(sources, files);
      writeFiles(root, files);
      const got = readOutputs(path.join(root, "app"), build(root));

      const clean = fs.mkdtempSync(path.join(tmp, `build-clean-${i}-`));
      solution(clean);
      writeFiles(clean, sources);
      const want = readOutputs(path.join(clean, "app"), build(clean));
      expect(got, `tsc -b, step ${i}: ${step.name}`).toEqual(want);
    }
  });
});

describe("Vite dev server and Vitest watch", { timeout: TIMEOUT }, () => {
  let dir: string;
  let server: ViteDevServer;
  const servers: ViteDevServer[] = [];
  const viteErrors: string[] = [];

  const serve = async (root: string): Promise<ViteDevServer> => {
    const s = await createServer({
      configFile: false,
      root,
      // Errors Vite would print (a watcher handler that threw, say) are kept for
      // settled()'s message instead.
      customLogger: { ...createLogger("silent"), error: (msg: string) => void viteErrors.push(msg) },
      appType: "custom",
      plugins: [tsgradVite()],
      resolve: { alias: [{ find: /^tsgrad$/, replacement: path.join(ROOT, "runtime/index.ts") }] },
      server: { middlewareMode: true, hmr: false, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    servers.push(s);
    return s;
  };
  const viteProject = (root: string): void =>
    writeFiles(root, {
      "tsconfig.json": JSON.stringify({
        compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "bundler", strict: true, types: [], paths: { tsgrad: [path.join(ROOT, "runtime/index.ts")] } },
        include: ["src"],
      }),
    });
  /** Each current source file's module as the server transforms it (Vite's HMR timestamps aside). */
  const transformed = async (s: ViteDevServer, root: string): Promise<Outputs> => {
    const js: Record<string, string> = {};
    const errors: string[] = [];
    for (const name of fs.readdirSync(path.join(root, "src")).sort()) {
      try {
        const result = await s.transformRequest(`/src/${name}`);
        js[name] = (result?.code ?? "(nothing)").replace(/[?&]t=\d+/g, "");
      } catch (e) {
        js[name] = "(error)";
        errors.push(String((e as Error).message).split("\n")[0]!.replace(root, ""));
      }
    }
    return { js, errors };
  };

  /** Waits until Vite has handled the watcher events for `files` (it drops their modules' transforms last). */
  const settled = async (s: ViteDevServer, files: readonly string[]): Promise<void> => {
    const pending = (): boolean =>
      files.some((f) => [...(s.environments.client.moduleGraph.getModulesByFile(f) ?? [])].some((m) => m.transformResult !== null));
    // A deadline in time, not in event-loop turns: the plugin's watchChange hook
    // runs before Vite drops the module, and on a loaded CI machine it can take
    // longer than any fixed number of turns.
    const deadline = Date.now() + 60_000;
    while (pending()) {
      if (Date.now() > deadline) throw new Error(`Vite did not handle the watcher event: ${files.map((f) => [...(s.environments.client.moduleGraph.getModulesByFile(f) ?? [])].map((m) => `${m.id} ${String(m.transformResult)}`).join(",")).join(";")}${viteErrors.length ? `; Vite logged: ${viteErrors.join("; ")}` : ""}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(tmp, "vite-"));
    viteProject(dir);
    server = await serve(dir);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("gives a fresh server's modules after every step of the edit sequence, as the watcher reports the edits", async () => {
    const sources: Record<string, string> = {};
    let first = true;
    for (const [i, step] of STEPS.entries()) {
      Object.assign(sources, step.files);
      const edited: string[] = [];
      for (const [f, text] of Object.entries(step.files)) {
        const file = path.join(dir, "src", f);
        const existed = fs.existsSync(file);
        writeFiles(dir, { [`src/${f}`]: text });
        // What Vite's file watcher does on an edit (Vitest's watch mode listens to the same watcher).
        if (!first) server.watcher.emit(existed ? "change" : "add", file);
        if (existed) edited.push(file);
      }
      first = false;
      await settled(server, edited);
      const got = await transformed(server, dir);

      const cleanDir = fs.mkdtempSync(path.join(tmp, `vite-clean-${i}-`));
      viteProject(cleanDir);
      writeFiles(cleanDir, Object.fromEntries(Object.entries(sources).map(([f, text]) => [`src/${f}`, text])));
      const fresh = await serve(cleanDir);
      try {
        const want = await transformed(fresh, cleanDir);
        expect(got, `vite, step ${i}: ${step.name}`).toEqual(want);
        // And as Vitest runs them (SSR): the same values.
        if (want.errors.length === 0) {
          expect(await server.ssrLoadModule("/src/main.ts"), `vite, step ${i}: values`).toEqual(await fresh.ssrLoadModule("/src/main.ts"));
        }
      } finally {
        await fresh.close();
        servers.splice(servers.indexOf(fresh), 1);
      }
    }
  });
});
