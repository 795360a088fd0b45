// The work behind `tsgrad emit` and `tsgrad check`. Takes: files already
// checked to exist and be TypeScript. Guarantees: diagnostics printed to stderr
// as tsc prints them, and the exit status (0 or 1) returned.

import * as fs from "node:fs";
import * as path from "node:path";
import { ts } from "../transformer/ts.js";
import { tsgradDiagnostics } from "../transformer/index.js";
import { reportFile } from "../transformer/report.js";
import { standaloneModules } from "../transformer/standalone.js";
import { withImporters } from "./importers.js";

/** Used when no tsconfig.json is found above a file. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
};

/**
 * Diagnostics that only concern emitting or the tsconfig's own file list, which
 * we neither use nor write: "No inputs were found" and "File is not listed
 * within the file list of project".
 */
const IRRELEVANT = new Set([18003, 6307]);

interface Programs {
  /** One program per distinct tsconfig.json among the files (usually one). */
  readonly programs: readonly ts.Program[];
  /** Problems reading a tsconfig.json. */
  readonly configDiagnostics: readonly ts.Diagnostic[];
}

/**
 * Programs rooted at `files`, with the compiler options of their nearest
 * tsconfig.json; with `project`, the tsconfig's own files are roots too (so
 * that calls elsewhere in the project that differentiate a file's functions
 * are seen).
 */
function createPrograms(files: readonly string[], project = false): Programs {
  const groups = new Map<string | undefined, string[]>();
  for (const file of files) {
    const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
    groups.set(config, [...(groups.get(config) ?? []), file]);
  }
  const programs: ts.Program[] = [];
  const configDiagnostics: ts.Diagnostic[] = [];
  for (const [config, rootNames] of groups) {
    let options = DEFAULT_OPTIONS;
    if (config) {
      const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) =>
          void configDiagnostics.push(d),
      };
      const parsed = ts.getParsedCommandLineOfConfigFile(
        config,
        undefined,
        host,
      );
      if (!parsed) continue;
      configDiagnostics.push(...parsed.errors);
      options = parsed.options;
      if (project) rootNames.push(...parsed.fileNames.filter((f) => !rootNames.includes(path.resolve(f))));
    }
    programs.push(ts.createProgram({ rootNames, options }));
  }
  return { programs, configDiagnostics };
}

/** Every TypeScript and tsgrad diagnostic of the programs, sorted, without duplicates. */
function diagnosticsOf({
  programs,
  configDiagnostics,
}: Programs): readonly ts.Diagnostic[] {
  const all = [
    ...configDiagnostics,
    ...programs.flatMap((p) => [
      ...ts.getPreEmitDiagnostics(p),
      ...tsgradDiagnostics(p),
    ]),
  ];
  return ts.sortAndDeduplicateDiagnostics(
    all.filter((d) => !IRRELEVANT.has(d.code)),
  );
}

/** Prints diagnostics to stderr as tsc does; returns how many are errors. */
function printDiagnostics(diagnostics: readonly ts.Diagnostic[]): number {
  if (diagnostics.length === 0) return 0;
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => ts.sys.newLine,
  };
  const pretty = process.stderr.isTTY && !process.env["NO_COLOR"];
  const text = pretty
    ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host)
    : ts.formatDiagnostics(diagnostics, host);
  process.stderr.write(text);
  return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error)
    .length;
}

/** A path as the user would write it: relative below the current directory, else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** `file` and every source file it imports, directly or not: whose diagnostics `tsgrad emit file` shows. */
function importClosure(program: ts.Program, file: ts.SourceFile): Set<ts.SourceFile> {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.SourceFile>([file]);
  for (const sf of seen) {
    for (const s of sf.statements) {
      const spec = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier;
      const target = spec ? checker.getSymbolAtLocation(spec)?.valueDeclaration : undefined;
      if (target && ts.isSourceFile(target) && !target.isDeclarationFile) seen.add(target);
    }
  }
  return seen;
}

export async function emit(
  file: string,
  out: string | undefined,
): Promise<number> {
  // Of the project, what can call a transform on this file's functions (importers.ts).
  const project = createPrograms([file], true);
  const programs = {
    ...project,
    programs: project.programs.map((p) => withImporters(p, file)),
  };
  const program = programs.programs[0];
  const source = program?.getSourceFile(file);
  const report =
    program && source
      ? await reportFile(program, source, process.cwd())
      : { code: "" };
  // The whole project is read (for calls elsewhere that need adjoints here),
  // but only the problems of this file and what it imports are shown.
  const shownFiles = program && source ? importClosure(program, source) : new Set<ts.SourceFile>();
  const errors = printDiagnostics(
    diagnosticsOf(programs).filter((d) => !d.file || shownFiles.has(d.file)),
  );
  const status = errors > 0 ? 1 : 0;
  if (report.code === "") {
    if (status === 0) {
      process.stderr.write(
        `tsgrad: nothing is generated for ${shown(file)}: it has no transform calls, and no call in its project differentiates its functions\n`,
      );
    }
    return status;
  }
  if (out === undefined || !program || !source) {
    process.stdout.write(report.code);
    return status;
  }
  // The module as tsgrad compiles it, and the modules it takes generated functions from.
  const files = await standaloneModules(program, source, path.resolve(out), process.cwd());
  for (const written of files) {
    const problem = writeOut(written.fileName, written.code);
    if (problem) {
      process.stderr.write(`tsgrad: ${problem}\n`);
      return 2;
    }
    process.stdout.write(`${shown(written.fileName)}\n`);
  }
  return status;
}

/**
 * Writes `text` to `file`, creating the directories above it that are missing;
 * what went wrong, if anything, as one line for the user (an unwritable path is
 * the user's to fix, not a bug of tsgrad's).
 */
function writeOut(file: string, text: string): string | undefined {
  // Node's own recursive mkdir never returns where the system refuses a
  // directory with ENOENT under one that exists (/proc): one level at a time.
  const missing: string[] = [];
  let existing = path.dirname(file);
  while (!fs.existsSync(existing)) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  if (!fs.statSync(existing).isDirectory()) return `'${shown(existing)}' is a file, not a directory (--out)`;
  let doing = "create the directory";
  let target = file;
  try {
    for (target of missing) fs.mkdirSync(target);
    doing = "write";
    target = file;
    fs.writeFileSync(file, text);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const reason = (e as Error).message.replace(/, \w+ '.*'$/, "");
    return `cannot ${doing} '${shown(target)}' (${reason})`;
  }
}

export function check(files: readonly string[]): number {
  const errors = printDiagnostics(diagnosticsOf(createPrograms(files)));
  if (errors > 0) {
    process.stderr.write(
      `tsgrad: found ${errors} error${errors === 1 ? "" : "s"}\n`,
    );
    return 1;
  }
  process.stdout.write(`tsgrad: no problems in ${files.length} file(s)\n`);
  return 0;
}
