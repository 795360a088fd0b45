// `tsgrad build`: compiles a tsconfig project with the transform applied,
// through the TypeScript 6.0 tsgrad ships (transformer/ts.ts), so it works
// whatever `typescript` the project has (7, the Go port, included). Takes: the
// arguments after `build`. Guarantees: the files tsc (tspc on TypeScript 6)
// would write, diagnostics printed as tsc prints them, exit 0 when clean, 1 on
// diagnostics, 2 on bad usage; with --watch it keeps running.

import * as path from "node:path";
import { parseArgs } from "node:util";
import { tsgradDiagnostics } from "../transformer/index.js";
import { createTransformer } from "../transformer/pipeline.js";
import { ts } from "../transformer/ts.js";

export const BUILD_USAGE = `Usage: tsgrad build [-p tsconfig.json] [--outDir DIR] [--watch]
       tsgrad build -b [tsconfig.json...] [--watch]

Compiles a TypeScript project with the tsgrad transform, as tspc does, through
the TypeScript 6.0 that tsgrad carries: the route for projects on TypeScript 7
and for anyone who would rather not patch their compiler.

Options:
  -p, --project PATH   the tsconfig.json, or a folder holding one (default: .)
      --outDir DIR     write the output to DIR instead of the tsconfig's outDir
  -b, --build          build the given projects and the projects they reference,
                       in order, as tsc -b does (default: ./tsconfig.json)
  -w, --watch          rebuild on every change until stopped
  -h, --help           show this help

Exit status: 0 built cleanly, 1 diagnostics, 2 bad usage.
`;

/** Wrong arguments: the CLI prints the message in one line and exits 2. */
export class BuildUsageError extends Error {}

interface BuildArgs {
  readonly help: boolean;
  readonly watch: boolean;
  readonly build: boolean;
  readonly project: string | undefined;
  readonly outDir: string | undefined;
  readonly roots: readonly string[];
}

export function parseBuildArgs(argv: readonly string[]): BuildArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h" },
        watch: { type: "boolean", short: "w" },
        build: { type: "boolean", short: "b" },
        project: { type: "string", short: "p" },
        outDir: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    throw new BuildUsageError(unknown ? `unknown option '${unknown[1]}'` : message.split(/(?<=\.) /)[0]!);
  }
  const { values, positionals } = parsed;
  const args: BuildArgs = {
    help: values.help ?? false,
    watch: values.watch ?? false,
    build: values.build ?? false,
    project: values.project,
    outDir: values.outDir,
    roots: positionals,
  };
  if (args.build && (args.project !== undefined || args.outDir !== undefined)) {
    throw new BuildUsageError("-b takes tsconfig paths, not -p or --outDir (each project's tsconfig says where its output goes)");
  }
  if (!args.build && positionals.length > 0) {
    throw new BuildUsageError(`unexpected argument '${positionals[0]}' (name the tsconfig with -p)`);
  }
  return args;
}

/** Runs `tsgrad build`; resolves to the exit status (never, with --watch, until stopped). */
export function build(args: BuildArgs): number {
  if (args.build) return buildReferences(args.roots.length > 0 ? args.roots : ["."], args.watch);
  const config = configFile(args.project ?? ".");
  const extend: ts.CompilerOptions = args.outDir === undefined ? {} : { outDir: path.resolve(args.outDir) };
  return args.watch ? watchProject(config, extend) : buildProject(config, extend);
}

/** The tsconfig.json that a -p argument names (a file, or a folder holding one). */
function configFile(project: string): string {
  const resolved = path.resolve(project);
  if (ts.sys.fileExists(resolved)) return resolved;
  const inside = path.join(resolved, "tsconfig.json");
  if (ts.sys.directoryExists(resolved) && ts.sys.fileExists(inside)) return inside;
  throw new BuildUsageError(`no tsconfig.json at '${project}'`);
}

// ---------------------------------------------------------------------------
// Reporting, as tsc does: coloured with context on a terminal, plain otherwise.

const pretty = (): boolean => Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"];

/** tsc's reporter, counting the errors it prints. */
function reporter(): { report: ts.DiagnosticReporter; errors: () => number } {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
    getNewLine: () => ts.sys.newLine,
  };
  let errors = 0;
  return {
    report: (d) => {
      if (d.category === ts.DiagnosticCategory.Error) errors++;
      const text = pretty() ? ts.formatDiagnosticsWithColorAndContext([d], host) + ts.sys.newLine : ts.formatDiagnostic(d, host);
      ts.sys.write(text);
    },
    errors: () => errors,
  };
}

/** The transformers for one program of a -b build, reporting tsgrad's own diagnostics for it. */
function transformersFor(program: ts.Program, report: ts.DiagnosticReporter): ts.CustomTransformers {
  for (const d of tsgradDiagnostics(program)) report(d);
  return { before: [createTransformer(program)] };
}

// ---------------------------------------------------------------------------
// tsgrad build -p: one project, as `tspc -p`.

function buildProject(config: string, extend: ts.CompilerOptions): number {
  const { report, errors } = reporter();
  const parsed = ts.getParsedCommandLineOfConfigFile(config, extend, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: report,
  });
  if (!parsed) return 1;
  const createOptions = {
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  };
  // As tsc: an incremental project reads and writes its .tsbuildinfo.
  const incremental = parsed.options.incremental ?? parsed.options.composite ?? false;
  const builder = incremental ? ts.createIncrementalProgram(createOptions) : undefined;
  const program = builder?.getProgram() ?? ts.createProgram(createOptions);
  const before = [
    ...createOptions.configFileParsingDiagnostics,
    ...ts.getPreEmitDiagnostics(program),
    ...tsgradDiagnostics(program),
  ];
  const transformers = { before: [createTransformer(program)] };
  const emitted = builder
    ? builder.emit(undefined, undefined, undefined, undefined, transformers)
    : program.emit(undefined, undefined, undefined, false, transformers);
  for (const d of ts.sortAndDeduplicateDiagnostics([...before, ...emitted.diagnostics])) report(d);
  return errors() > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// tsgrad build -p --watch: tsc's watch of one project, each program emitted with the transform.

function watchProject(config: string, extend: ts.CompilerOptions): number {
  const { report } = reporter();
  const host = ts.createWatchCompilerHost(
    config,
    extend,
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    report,
    watchStatus,
  );
  host.afterProgramCreate = (builder) => {
    const program = builder.getProgram();
    const diagnostics = [
      ...builder.getConfigFileParsingDiagnostics(),
      ...ts.getPreEmitDiagnostics(program),
      ...tsgradDiagnostics(program),
    ];
    // The whole program, not only the files that changed: an edit to one file
    // can change the adjoint tsgrad places in another.
    const emitted = program.emit(undefined, undefined, undefined, false, { before: [createTransformer(program)] });
    const all = ts.sortAndDeduplicateDiagnostics([...diagnostics, ...emitted.diagnostics]);
    for (const d of all) report(d);
    const errors = all.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    process.stdout.write(`tsgrad: found ${errors} error${errors === 1 ? "" : "s"}. Watching for file changes.\n`);
  };
  ts.createWatchProgram(host);
  return 0;
}

/** tsc's "Starting compilation in watch mode..." lines, without its final count (ours includes tsgrad's). */
function watchStatus(d: ts.Diagnostic): void {
  if (d.code === 6193 || d.code === 6194) return; // "Found N errors. Watching for file changes."
  process.stdout.write(`${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`);
}

// ---------------------------------------------------------------------------
// tsgrad build -b: project references, as `tsc -b`.

function buildReferences(roots: readonly string[], watch: boolean): number {
  const { report, errors } = reporter();
  const status = ts.createBuilderStatusReporter(ts.sys, pretty());
  const host = watch
    ? ts.createSolutionBuilderWithWatchHost(ts.sys, undefined, report, status, watchStatus)
    : ts.createSolutionBuilderHost(ts.sys, undefined, report, status);
  // The builder creates each project's program and emits it before going on to
  // the next, so the program last created is the one being emitted.
  let current: ts.Program | undefined;
  const createProgram = host.createProgram;
  host.createProgram = (...args) => {
    const builder = createProgram(...args);
    current = builder.getProgram();
    return builder;
  };
  host.getCustomTransformers = () => (current ? transformersFor(current, report) : undefined);
  const configs = roots.map((r) => {
    const resolved = path.resolve(r);
    return ts.sys.directoryExists(resolved) ? path.join(resolved, "tsconfig.json") : resolved;
  });
  for (const c of configs) if (!ts.sys.fileExists(c)) throw new BuildUsageError(`no tsconfig.json at '${path.relative(".", c) || c}'`);
  if (watch) {
    ts.createSolutionBuilderWithWatch(host as ts.SolutionBuilderWithWatchHost<ts.EmitAndSemanticDiagnosticsBuilderProgram>, configs, {}).build();
    return 0;
  }
  const exit = ts.createSolutionBuilder(host, configs, {}).build();
  return exit === ts.ExitStatus.Success && errors() === 0 ? 0 : 1;
}
