#!/usr/bin/env node
// `tsgrad`, the command line (SPEC §6). Takes: argv and the files it names.
// Guarantees: exit 0 when all is well, 1 when there are diagnostics (printed to
// stderr as tsc prints them), 2 on bad usage (one line saying what was wrong).

import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

/** The commands proper, loaded only once the arguments are good: TypeScript takes a while to load. */
function commands(): typeof import("./commands.js") {
  return require("./commands.js") as typeof import("./commands.js");
}

const USAGE = `tsgrad: source-to-source automatic differentiation for TypeScript

Usage:
  tsgrad build [-p tsconfig.json]   compile a project with the transform (also -b, --watch, --outDir)
  tsgrad emit FILE.ts [--out DIR]   print the derivative code generated for FILE
  tsgrad check FILE.ts...           type-check FILEs and report tsgrad diagnostics

Options:
  -h, --help      show help (also tsgrad emit --help, tsgrad check --help)
  -v, --version   print the version

Compiler options come from the nearest tsconfig.json above each FILE; without
one: strict, target ES2022, module and moduleResolution nodenext, skipLibCheck.
Exit status: 0 no problems, 1 diagnostics, 2 bad usage.
`;

const EMIT_USAGE = `Usage: tsgrad emit FILE.ts [--out DIR]

Prints, formatted by prettier, the derivative code that the tsgrad transformer
generates for every transform call in FILE, each under a comment naming the
call, its line and the generated function; then the functions placed in FILE
for calls in other files (it defines what they differentiate).

Options:
  -o, --out DIR   write DIR/<name>.grad.ts instead (DIR is created): FILE as
                  tsgrad compiles it, in TypeScript (each transform call
                  replaced by its generated function, placed in the code), and
                  likewise each module whose generated functions it imports;
                  the files import what they use and type-check on their own.
                  Prints the paths written
  -h, --help      show this help

TypeScript errors and tsgrad diagnostics (TS900xx) go to stderr and the exit
status is 1; the code of the calls that did differentiate is still written.
`;

const CHECK_USAGE = `Usage: tsgrad check FILE.ts...

Type-checks the FILEs (one program with all of them as roots) and reports
TypeScript errors and tsgrad diagnostics (TS900xx), as tspc would.

Options:
  -h, --help      show this help

Exit status: 0 no problems, 1 diagnostics, 2 bad usage.
`;

/** Wrong arguments: printed as one line, exit status 2. */
class UsageError extends Error {}

type Invocation =
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "version" }
  | {
      readonly kind: "emit";
      readonly file: string;
      readonly out: string | undefined;
    }
  | { readonly kind: "check"; readonly files: readonly string[] };

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  out: { type: "string", short: "o" },
} as const;

/** Reads argv; throws UsageError on anything it cannot make sense of. */
function parse(argv: readonly string[]): Invocation {
  // Not strict: we walk the tokens ourselves to word every error in one line.
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  let help = false;
  let version = false;
  let out: string | undefined;
  for (const t of tokens) {
    if (t.kind === "positional") positionals.push(t.value);
    if (t.kind !== "option") continue;
    if (t.name === "help" || t.name === "version") {
      if (t.value !== undefined) {
        throw new UsageError(`${t.rawName} takes no value`);
      }
      if (t.name === "help") help = true;
      else version = true;
    } else if (t.name === "out") {
      if (out !== undefined) {
        throw new UsageError(`${t.rawName} is given twice`);
      }
      if (!t.value || (!t.inlineValue && t.value.startsWith("-"))) {
        throw new UsageError(`${t.rawName} needs a directory`);
      }
      out = t.value;
    } else {
      throw new UsageError(`unknown option '${t.rawName}'`);
    }
  }

  const [command, ...files] = positionals;
  if (command === undefined) {
    if (help) return { kind: "help", text: USAGE };
    if (version) return { kind: "version" };
    throw new UsageError(
      out === undefined
        ? "no command given (build, emit or check)"
        : "--out needs the emit command",
    );
  }
  if (command !== "emit" && command !== "check") {
    throw new UsageError(
      `unknown command '${command}' (commands: build, emit, check)`,
    );
  }
  if (help) {
    return {
      kind: "help",
      text: command === "emit" ? EMIT_USAGE : CHECK_USAGE,
    };
  }
  if (version) return { kind: "version" };
  if (files.length === 0) throw new UsageError(`${command} needs a FILE.ts`);
  if (command === "check") {
    if (out !== undefined) {
      throw new UsageError("--out is only for tsgrad emit");
    }
    return { kind: "check", files: [...new Set(files.map(sourceFile))] };
  }
  if (files.length > 1) {
    throw new UsageError(`emit takes one FILE.ts, got ${files.length}`);
  }
  return { kind: "emit", file: sourceFile(files[0]!), out };
}

/** The absolute path of a TypeScript source file the user named; throws UsageError if it is not one. */
function sourceFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`file '${file}' does not exist`);
  }
  if (!stat.isFile()) throw new UsageError(`'${file}' is not a file`);
  if (/\.d\.[cm]?ts$|\.d\.\w+\.ts$/.test(file)) {
    throw new UsageError(
      `'${file}' is a declaration file; give the .ts source`,
    );
  }
  if (!/\.(ts|tsx|mts|cts)$/.test(file)) {
    throw new UsageError(
      `'${file}' is not a TypeScript file (.ts, .tsx, .mts, .cts)`,
    );
  }
  return path.resolve(file);
}

function version(): string {
  const manifest = path.resolve(__dirname, "../../package.json");
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string })
    .version;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `build` takes tsc's own options (-p, -b, -w, --outDir): its own parser, in build.ts.
  if (argv[0] === "build") return runBuild(argv.slice(1));
  let invocation: Invocation;
  try {
    invocation = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tsgrad: ${e.message}; run tsgrad --help\n`);
    return 2;
  }
  switch (invocation.kind) {
    case "help":
      process.stdout.write(invocation.text);
      return 0;
    case "version":
      process.stdout.write(`${version()}\n`);
      return 0;
    case "emit":
      return commands().emit(invocation.file, invocation.out);
    case "check":
      return commands().check(invocation.files);
  }
}

function runBuild(argv: readonly string[]): number {
  const { build, BuildUsageError, BUILD_USAGE, parseBuildArgs } = require("./build.js") as typeof import("./build.js");
  try {
    const args = parseBuildArgs(argv);
    if (args.help) {
      process.stdout.write(BUILD_USAGE);
      return 0;
    }
    return build(args);
  } catch (e) {
    if (!(e instanceof BuildUsageError)) throw e;
    process.stderr.write(`tsgrad build: ${e.message}; run tsgrad build --help\n`);
    return 2;
  }
}

/**
 * Output the system cannot take is not tsgrad's bug. A reader that stopped
 * early (`tsgrad emit f.ts | head`) closes the pipe: the rest is dropped
 * quietly and the exit status stays what it would have been, as Unix tools
 * do. Anything else (a full disk) is one line on stderr and exit status 2.
 */
function guardOutput(stream: NodeJS.WriteStream, name: string): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") return;
    if (stream !== process.stderr) process.stderr.write(`tsgrad: cannot write to ${name} (${e.message.replace(/, \w+$/, "")})\n`);
    process.exit(2);
  });
}

if (require.main === module) {
  guardOutput(process.stdout, "standard output");
  guardOutput(process.stderr, "standard error");
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(
        `tsgrad: internal error, please report it:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
