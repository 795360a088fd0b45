// The work behind `tsgrad emit` and `tsgrad check`. Takes: files already
// checked to exist and be TypeScript. Guarantees: diagnostics printed to stderr
// as tsc prints them, and the exit status (0 or 1) returned.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { tsgradDiagnostics } from "../transformer/index.js";
import { reportFile } from "../transformer/report.js";

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

/** Programs rooted at `files`, with the compiler options of their nearest tsconfig.json. */
function createPrograms(files: readonly string[]): Programs {
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

export async function emit(
  file: string,
  out: string | undefined,
): Promise<number> {
  const programs = createPrograms([file]);
  const program = programs.programs[0];
  const source = program?.getSourceFile(file);
  const report =
    program && source
      ? await reportFile(program, source, process.cwd())
      : { code: "" };
  const errors = printDiagnostics(diagnosticsOf(programs));
  const status = errors > 0 ? 1 : 0;
  if (report.code === "") {
    if (status === 0) {
      process.stderr.write(
        `tsgrad: no grad/valueAndGrad calls in ${shown(file)}\n`,
      );
    }
    return status;
  }
  if (out === undefined) {
    process.stdout.write(report.code);
    return status;
  }
  const ext = path.extname(file);
  const written = path.resolve(out, `${path.basename(file, ext)}.grad${ext}`);
  const problem = writeOut(written, report.code);
  if (problem) {
    process.stderr.write(`tsgrad: ${problem}\n`);
    return 2;
  }
  process.stdout.write(`${shown(written)}\n`);
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
