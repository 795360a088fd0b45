// The transformer as a bundler plugin, one implementation (unplugin) behind
// `tsgrad/vite`, `tsgrad/esbuild`, `tsgrad/rollup`, `tsgrad/webpack` and
// `tsgrad/rspack`, for projects whose TypeScript is compiled by a bundler
// (oxc, esbuild, swc) where tsc plugins never run.
//
//   import tsgrad from "tsgrad/vite";
//   export default defineConfig({ plugins: [tsgrad()] });
//
// Recognising `grad(f)` needs the type checker, so the plugin keeps a
// ts.LanguageService per tsconfig (one per referenced project when the root
// tsconfig is a solution file) over a shared document registry, on the
// TypeScript 6.0 tsgrad ships (ts.ts). The bundler hands us the current text of
// each module; it becomes the in-memory text of that file (a new version only
// when the text changed), and file-watcher events bump versions, so a rebuild
// reparses only what changed. Each program gets one plan (pipeline.ts). A file
// the plan touches is emitted by tsc, with the tsgrad transformer, as an ES
// module with a source map; any other file goes back untouched (null) to the
// bundler's own TypeScript handling, except in bundlers that have none (Rollup,
// webpack, Rspack), where tsc emits it too, so no other TypeScript plugin or
// loader is needed there.
//
// Only tsgrad's diagnostics (TS90001-TS90099) fail the build, as bundler errors
// with file, line and column; TypeScript's own type errors are not reported
// (bundlers do not type-check either).

import * as path from "node:path";
import { createUnplugin, type UnpluginFactory, type UnpluginInstance } from "unplugin";
import type { HmrContext, ModuleNode, ViteDevServer } from "vite";
import { outputDependencies } from "./incremental.js";
import { inMemoryEmitOptions } from "./emit-options.js";
import { createTransformer, planFor } from "./pipeline.js";
import type { Plan } from "./plan.js";
import { recogniseTransform } from "./recognise.js";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { ts } from "./ts.js";


/** Extensions whose modules go through the transformer. */
const TS_FILE = /\.(?:ts|tsx|mts)$/;
/** Query parameters that do not change what a module is (cache busters, import markers). */
const HARMLESS_QUERY = new Set(["v", "t", "import", "direct", "used"]);
/** Bundlers that cannot read TypeScript themselves: the plugin hands them every TypeScript module as JavaScript. */
const WITHOUT_TYPESCRIPT = new Set(["rollup", "webpack", "rspack"]);
/** Bundlers that print an error's `frame` under its message; the others get the frame in the message. */
const SHOWS_FRAME = new Set(["vite", "rollup"]);

const factory: UnpluginFactory<TsgradPluginOptions | undefined, false> = (options = {}, meta) => {
  let root = process.cwd();
  let state: State | undefined;
  let server: ViteDevServer | undefined;
  const everyFile = WITHOUT_TYPESCRIPT.has(meta.framework);
  const getState = (): State => (state ??= new State(root, options.tsconfig, everyFile));
  const setRoot = (dir: string): void => {
    root = dir;
    if (options.tsconfig && !ts.sys.fileExists(path.resolve(root, options.tsconfig))) {
      throw new Error(`tsgrad: tsconfig ${path.resolve(root, options.tsconfig)} (the plugin's tsconfig option) does not exist`);
    }
  };

  return {
    name: "tsgrad",
    // Before the bundler strips the types: the checker needs the TypeScript source.
    enforce: "pre",

    transform: {
      filter: { id: { include: [/\.(?:ts|tsx|mts)(?:\?.*)?$/], exclude: [/[\\/]node_modules[\\/]/] } },
      handler(code, id) {
        const fileName = sourceFileName(id);
        if (!fileName) return null;
        const outcome = getState().transform(fileName, code);
        if (outcome.kind === "skip") return null;
        if (outcome.kind === "error") {
          const message = outcome.frame && !SHOWS_FRAME.has(meta.framework) ? `${outcome.message}\n${outcome.frame}` : outcome.message;
          this.error({ message, id: outcome.file, loc: outcome.loc, ...(outcome.frame ? { frame: outcome.frame } : {}) });
          return null;
        }
        return { code: outcome.code, map: outcome.map };
      },
    },

    watchChange(id, change) {
      // Another file's edit can change this file's output (an adjoint now placed
      // here, a generated name it refers to): drop those modules' cached
      // transforms too. Vite and Vitest only drop the edited file's own.
      const others = state?.changed(normalize(id), change.event) ?? [];
      for (const environment of Object.values(server?.environments ?? {})) {
        for (const f of others) {
          for (const mod of environment.moduleGraph.getModulesByFile(f) ?? []) environment.moduleGraph.invalidateModule(mod);
        }
      }
    },

    vite: {
      configResolved(config) {
        setRoot(config.root);
      },

      configureServer(devServer) {
        server = devServer;
      },

      async handleHotUpdate(ctx: HmrContext): Promise<ModuleNode[] | void> {
        if (!state) return;
        const fileName = normalize(ctx.file);
        const text = TS_FILE.test(fileName) ? await ctx.read() : undefined;
        const others = state.hotUpdate(fileName, text);
        const extra = others.flatMap((f) => [...(ctx.server.moduleGraph.getModulesByFile(f) ?? [])]);
        if (extra.length === 0) return;
        return [...new Set([...ctx.modules, ...extra])];
      },
    },
    webpack(compiler) {
      setRoot(compiler.context);
    },
    rspack(compiler) {
      setRoot(compiler.context);
    },
    esbuild: {
      setup(build) {
        setRoot(build.initialOptions.absWorkingDir ?? process.cwd());
      },
    },
  };
};

/** The plugin for every bundler unplugin supports; the entry points pick theirs. */
export const unplugin: UnpluginInstance<TsgradPluginOptions | undefined, false> = createUnplugin(factory);

// ---------------------------------------------------------------------------
// Files: the text every language service sees, shared by all projects.

interface FileEntry {
  version: number;
  /** undefined: the file does not exist. */
  text: string | undefined;
  snapshot?: ts.IScriptSnapshot;
}

class Files {
  /** Bumped on every change, so each language service knows to rebuild its program. */
  generation = 0;
  private readonly entries = new Map<string, FileEntry>();

  private entry(fileName: string): FileEntry {
    let e = this.entries.get(fileName);
    if (!e) {
      e = { version: 0, text: ts.sys.readFile(fileName) };
      this.entries.set(fileName, e);
    }
    return e;
  }

  version(fileName: string): string {
    return String(this.entry(fileName).version);
  }

  snapshot(fileName: string): ts.IScriptSnapshot | undefined {
    const e = this.entry(fileName);
    if (e.text === undefined) return undefined;
    return (e.snapshot ??= ts.ScriptSnapshot.fromString(e.text));
  }

  exists(fileName: string): boolean {
    const e = this.entries.get(fileName);
    return e?.text !== undefined || ts.sys.fileExists(fileName);
  }

  read(fileName: string): string | undefined {
    return this.entries.get(fileName)?.text ?? ts.sys.readFile(fileName);
  }

  /** Sets a file's text; true when it changed (and so got a new version). */
  set(fileName: string, text: string | undefined): boolean {
    const e = this.entry(fileName);
    if (e.text === text) return false;
    e.text = text;
    e.snapshot = undefined;
    e.version++;
    this.generation++;
    return true;
  }

  /** Reads a known file again from disk (after a watcher event); true when it changed. */
  reload(fileName: string): boolean {
    if (!this.entries.has(fileName)) return false;
    return this.set(fileName, ts.sys.readFile(fileName));
  }
}

// ---------------------------------------------------------------------------
// Projects: one tsconfig, one language service.

class Project {
  options: ts.CompilerOptions = {};
  references: readonly string[] = [];
  private roots = new Set<string>();
  private readonly added = new Set<string>();
  private rootsVersion = 0;
  private readonly service: ts.LanguageService;

  constructor(
    readonly configPath: string | undefined,
    private readonly dir: string,
    private readonly files: Files,
    registry: ts.DocumentRegistry,
  ) {
    this.load();
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getProjectVersion: () => `${files.generation}:${this.rootsVersion}`,
      getScriptFileNames: () => [...this.roots],
      getScriptVersion: (f) => files.version(f),
      getScriptSnapshot: (f) => files.snapshot(f),
      getCurrentDirectory: () => dir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => files.exists(f),
      readFile: (f) => files.read(f),
      readDirectory: (p, ext, exclude, include, depth) => ts.sys.readDirectory(p, ext, exclude, include, depth),
      directoryExists: (d) => ts.sys.directoryExists(d),
      getDirectories: (d) => ts.sys.getDirectories(d),
      realpath: ts.sys.realpath ? (p) => ts.sys.realpath!(p) : undefined,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.service = ts.createLanguageService(host, registry);
  }

  /** (Re)reads the tsconfig: options and root files. */
  load(): void {
    let options: ts.CompilerOptions = {};
    let fileNames: string[] = [];
    let references: string[] = [];
    if (this.configPath) {
      const parsed = ts.getParsedCommandLineOfConfigFile(this.configPath, {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      });
      if (parsed) {
        options = parsed.options;
        fileNames = parsed.fileNames;
        references = (parsed.projectReferences ?? []).map((r) => ts.resolveProjectReferencePath(r));
      }
    } else {
      options = { strict: true, skipLibCheck: true };
    }
    this.options = bundlerCompilerOptions(options);
    this.references = references.map(normalize);
    this.roots = new Set([...fileNames.map(normalize), ...this.added]);
    this.rootsVersion++;
  }

  hasRoot(fileName: string): boolean {
    return this.roots.has(fileName);
  }

  get rootCount(): number {
    return this.roots.size;
  }

  addRoot(fileName: string): void {
    this.added.add(fileName);
    this.roots.add(fileName);
    this.rootsVersion++;
  }

  forget(fileName: string): void {
    if (this.added.delete(fileName)) {
      this.roots.delete(fileName);
      this.rootsVersion++;
    }
  }

  program(): ts.Program {
    const program = this.service.getProgram();
    if (!program) throw new Error("tsgrad: the TypeScript language service has no program");
    return program;
  }
}

/** The project's options, adjusted so tsc emits what bundlers expect: ES modules, a source map, nothing else. */
function bundlerCompilerOptions(project: ts.CompilerOptions): ts.CompilerOptions {
  // Vite's own plugins turn JSX into calls, as the project configured them.
  return { ...inMemoryEmitOptions(project, ts, "file"), jsx: ts.JsxEmit.Preserve };
}

// ---------------------------------------------------------------------------
// The plugin's state: files, projects, per-program results.

type Outcome =
  | { kind: "skip" }
  | { kind: "code"; code: string; map: string | undefined }
  | {
      kind: "error";
      message: string;
      file: string;
      loc: { file: string; line: number; column: number } | undefined;
      frame: string | undefined;
    };

class State {
  private readonly files = new Files();
  private readonly registry: ts.DocumentRegistry;
  private readonly projects: Project[] = [];
  /** Per project, the outputs made from its current program (older programs are let go). */
  private readonly outputs = new Map<Project, { program: ts.Program; byFile: Map<string, Outcome> }>();
  /** Per project: what each file's output depended on besides its own text, in the last plan (see moved). */
  private readonly signatures = new Map<Project, Map<string, string>>();
  /** Files whose output moved since the last hot update, for Vite to send to the browser with it. */
  private readonly unreloaded = new Set<string>();

  constructor(
    private readonly root: string,
    tsconfig: string | undefined,
    /** Emit every TypeScript file as JavaScript, not only those the plan touches. */
    private readonly everyFile: boolean,
  ) {
    this.registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, root);
    const configPath = tsconfig
      ? normalize(path.resolve(root, tsconfig))
      : ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
    this.addProject(configPath ? normalize(configPath) : undefined, new Set());
  }

  private addProject(configPath: string | undefined, seen: Set<string>): void {
    if (configPath) {
      if (seen.has(configPath)) return;
      seen.add(configPath);
    }
    const project = new Project(configPath, configPath ? path.dirname(configPath) : this.root, this.files, this.registry);
    this.projects.push(project);
    for (const ref of project.references) {
      if (ts.sys.fileExists(ref)) this.addProject(ref, seen);
    }
  }

  /** The project a file belongs to: one that lists it, else the main one (which then adopts it). */
  private projectOf(fileName: string): Project {
    const listed = this.projects.find((p) => p.hasRoot(fileName));
    if (listed) return listed;
    return this.projects.find((p) => p.rootCount > 0) ?? this.projects[0]!;
  }

  transform(fileName: string, code: string): Outcome {
    this.files.set(fileName, code);
    const project = this.projectOf(fileName);
    let program = project.program();
    let sourceFile = program.getSourceFile(fileName);
    if (!sourceFile) {
      // Not part of the tsconfig (nor imported by it): the checker must still see it.
      project.addRoot(fileName);
      program = project.program();
      sourceFile = program.getSourceFile(fileName);
      if (!sourceFile) return { kind: "skip" };
    }
    let outputs = this.outputs.get(project);
    if (outputs?.program !== program) {
      outputs = { program, byFile: new Map() };
      this.outputs.set(project, outputs);
      this.signatures.set(project, signaturesOf(program));
    }
    let outcome = outputs.byFile.get(fileName);
    if (!outcome) {
      try {
        outcome = this.compute(program, sourceFile, code);
      } catch (e) {
        // A bug of tsgrad's: say so, with the stack, rather than a bare exception from a bundler hook.
        const what = e instanceof Error ? (e.stack ?? e.message) : String(e);
        outcome = { kind: "error", message: `tsgrad: internal error while compiling ${fileName}; please report it.\n${what}`, file: fileName, loc: undefined, frame: undefined };
      }
      outputs.byFile.set(fileName, outcome);
    }
    return outcome;
  }

  private compute(program: ts.Program, sourceFile: ts.SourceFile, code: string): Outcome {
    const plan = planFor(program);
    const diagnostics = diagnosticsFor(plan, program, sourceFile);
    if (diagnostics.length > 0) return this.error(diagnostics);
    if (!this.everyFile && !touches(plan, sourceFile)) return { kind: "skip" };

    let js: string | undefined;
    let map: string | undefined;
    const result = program.emit(
      sourceFile,
      (name, text) => {
        if (name.endsWith(".map")) map = text;
        else if (/\.[cm]?jsx?$/.test(name)) js = text;
      },
      undefined,
      false,
      { before: [createTransformer(program)] },
    );
    if (result.emitSkipped || js === undefined) {
      const why = ts.formatDiagnostics(result.diagnostics, this.formatHost());
      return {
        kind: "error",
        message: `tsgrad: TypeScript emitted nothing for ${sourceFile.fileName}${why ? `:\n${why}` : ""}`,
        file: sourceFile.fileName,
        loc: undefined,
        frame: undefined,
      };
    }
    return {
      kind: "code",
      code: (js as string).replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n"),
      map: map === undefined ? undefined : fixMap(map, sourceFile.fileName, code),
    };
  }

  private formatHost(): ts.FormatDiagnosticsHost {
    return {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => this.root,
      getNewLine: () => "\n",
    };
  }

  private error(diagnostics: readonly ts.Diagnostic[]): Outcome {
    const host = this.formatHost();
    const message = diagnostics.map((d) => ts.formatDiagnostic(d, host).trimEnd()).join("\n");
    const first = diagnostics[0]!;
    const file = first.file!;
    const { line, character } = file.getLineAndCharacterOfPosition(first.start ?? 0);
    return {
      kind: "error",
      message,
      file: file.fileName,
      loc: { file: file.fileName, line: line + 1, column: character },
      frame: codeFrame(file, line, character, first.length ?? 1),
    };
  }

  /**
   * A watcher event (build --watch, dev server, Vitest's watch mode): takes the
   * file's new text and returns the other files whose output changes with it.
   */
  changed(fileName: string, event: "create" | "update" | "delete"): string[] {
    if (this.projects.some((p) => p.configPath === fileName)) {
      for (const p of this.projects) if (p.configPath === fileName) p.load();
      return this.moved(fileName);
    }
    let changed: boolean;
    if (event === "delete") {
      changed = this.files.set(fileName, undefined);
      for (const p of this.projects) p.forget(fileName);
    } else {
      changed = this.files.reload(fileName);
    }
    if (event !== "update" && TS_FILE.test(fileName)) {
      // A new or removed file may change what a tsconfig's "include" lists.
      for (const p of this.projects) p.load();
      changed = true;
    }
    // Vite calls watchChange once per environment: the second call finds nothing new.
    return changed ? this.moved(fileName) : [];
  }

  /**
   * A file changed in the dev server: takes its new text and returns the other
   * files whose output changes with it, so Vite reloads those too.
   */
  hotUpdate(fileName: string, text: string | undefined): string[] {
    if (text === undefined) this.files.reload(fileName);
    else this.files.set(fileName, text);
    this.moved(fileName);
    // watchChange, called first for the same edit, may have found them already.
    const others = [...this.unreloaded].filter((f) => f !== fileName);
    this.unreloaded.clear();
    return others;
  }

  /**
   * The files other than `fileName` whose output changed since the last plan:
   * an adjoint now lives in them or no longer does, a generated name they refer
   * to moved, a call of theirs now fails, or a file their generated code draws
   * on changed (incremental.ts says what each output depends on).
   */
  private moved(fileName: string): string[] {
    const others = new Set<string>();
    for (const project of this.projects) {
      const before = this.signatures.get(project);
      if (!before) continue;
      const after = signaturesOf(project.program());
      this.signatures.set(project, after);
      for (const f of new Set([...before.keys(), ...after.keys()])) {
        if (f !== fileName && before.get(f) !== after.get(f)) others.add(f);
      }
    }
    for (const f of others) this.unreloaded.add(f);
    return [...others];
  }
}

// ---------------------------------------------------------------------------
// What the plan says about one file.

/** Whether the transformer changes `file`: it has replaced calls or receives generated functions. */
function touches(plan: Plan, file: ts.SourceFile): boolean {
  if ((plan.emitted.get(file)?.length ?? 0) > 0) return true;
  for (const call of plan.calls.keys()) if (call.getSourceFile() === file) return true;
  return false;
}

/**
 * The diagnostics that fail `file`: those located in it, and, when one of its
 * own transform calls failed, those located in the files it imports (the
 * function it differentiates, or one that function calls, may live there).
 */
function diagnosticsFor(plan: Plan, program: ts.Program, file: ts.SourceFile): ts.Diagnostic[] {
  if (plan.diagnostics.length === 0) return [];
  const out = plan.diagnostics.filter((d) => d.file?.fileName === file.fileName);
  if (!hasFailedCall(plan, program, file)) return out;
  const reach = importClosure(program, file);
  for (const d of plan.diagnostics) {
    if (d.file && d.file.fileName !== file.fileName && reach.has(d.file.fileName)) out.push(d);
  }
  return out;
}

/** Whether a transform call of `file` (one the plan would replace) was left unreplaced. */
function hasFailedCall(plan: Plan, program: ts.Program, file: ts.SourceFile): boolean {
  const checker = program.getTypeChecker();
  let failed = false;
  const visit = (node: ts.Node): void => {
    if (failed) return;
    if (ts.isCallExpression(node) && recogniseTransform(node, checker)) {
      // Nested transforms are part of the outer call, as in the plan.
      if (!plan.calls.has(node)) failed = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return failed;
}

/** The program's source files `file` imports, directly or not. */
function importClosure(program: ts.Program, file: ts.SourceFile): Set<string> {
  const checker = program.getTypeChecker();
  const seen = new Set<string>([file.fileName]);
  const queue = [file];
  for (let f = queue.pop(); f; f = queue.pop()) {
    for (const s of f.statements) {
      if (!ts.isImportDeclaration(s) && !ts.isExportDeclaration(s)) continue;
      const spec = s.moduleSpecifier;
      if (!spec) continue;
      const target = checker.getSymbolAtLocation(spec)?.valueDeclaration;
      if (!target || !ts.isSourceFile(target) || target.isDeclarationFile || seen.has(target.fileName)) continue;
      seen.add(target.fileName);
      queue.push(target);
    }
  }
  return seen;
}

/** Per file name, what its output depends on besides its own text (files the plan does not touch are absent). */
function signaturesOf(program: ts.Program): Map<string, string> {
  return new Map([...outputDependencies(program)].map(([file, hash]) => [file.fileName, hash]));
}

// ---------------------------------------------------------------------------
// Small helpers.

function normalize(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, "/");
}

/** The TypeScript file behind a Vite module id, or undefined for anything else. */
function sourceFileName(id: string): string | undefined {
  if (id.startsWith("\0") || id.includes("/node_modules/") || id.includes("\\node_modules\\")) return undefined;
  const q = id.indexOf("?");
  const file = q < 0 ? id : id.slice(0, q);
  if (q >= 0) {
    for (const param of id.slice(q + 1).split("&")) {
      if (!HARMLESS_QUERY.has(param.split("=")[0]!)) return undefined;
    }
  }
  if (!TS_FILE.test(file) || /\.d\.[cm]?ts$/.test(file) || !path.isAbsolute(file)) return undefined;
  return normalize(file);
}

/** tsc's map names the emitted file's neighbours; Vite wants the module itself as the source. */
function fixMap(text: string, fileName: string, code: string): string {
  const map = JSON.parse(text) as { sources?: string[]; sourcesContent?: string[]; file?: string; sourceRoot?: string };
  map.sources = [fileName];
  map.sourcesContent = [code];
  map.file = path.basename(fileName);
  delete map.sourceRoot;
  return JSON.stringify(map);
}

/** The offending line with a caret under the diagnostic, like Vite's own frames. */
function codeFrame(file: ts.SourceFile, line: number, column: number, length: number): string {
  const lines = file.text.split(/\r?\n/);
  const out: string[] = [];
  const width = String(Math.min(lines.length, line + 3)).length;
  for (let i = Math.max(0, line - 2); i <= Math.min(lines.length - 1, line + 2); i++) {
    out.push(`${String(i + 1).padStart(width)} | ${lines[i]}`);
    if (i === line) {
      const span = Math.max(1, Math.min(length, (lines[i] ?? "").length - column));
      out.push(`${" ".repeat(width)} | ${" ".repeat(column)}${"^".repeat(span)}`);
    }
  }
  return out.join("\n");
}

