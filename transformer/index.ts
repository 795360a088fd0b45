// `tsgrad/transformer`: the compiler transformer, as ts-patch loads it from
// tsconfig: "plugins": [{ "transform": "tsgrad/transformer", "transformProgram": true }].
//
// ts-patch calls the default export one of two ways:
//   - as a program transformer (the line above, "transformProgram": true), once per
//     program as it is created: it stamps file versions (incremental.ts) so
//     `incremental`, `--watch` and `-b` builds re-emit every file whose output
//     changed, adds the source transformer to every emit, and reports tsgrad's
//     diagnostics as the files' semantic diagnostics (so an incremental build
//     that emits nothing still reports them, as tsc does its own errors);
//   - as a source transformer ({ "transform": "tsgrad/transformer" }), at each
//     emit: right for one-shot builds only, since a builder cannot know that
//     another file's edit changes this file's output. An incremental build set
//     up this way fails with an error that shows the line to use, rather than
//     emit files that may be stale.

import { Code } from "./diagnostics.js";
import { stampVersions } from "./incremental.js";
import { createTransformer, planFor } from "./pipeline.js";
import { SUPPORTED_VERSIONS, pinnedTypeScript, ts, useTypeScript } from "./ts.js";

/** What ts-patch passes as the third argument to a source transformer. */
export interface TransformerExtras {
  /** The compiler ts-patch loaded, whose Program this is (the project's own `typescript`). */
  ts?: typeof ts;
  addDiagnostic?(diagnostic: ts.Diagnostic): number | void;
}

/** The plugin entry of a program transformer: ts-patch passes it as the third argument. */
export interface ProgramTransformerConfig {
  transformProgram: true;
}

/** Programs whose emit already runs the transformer (set up as a program transformer). */
const prepared = new WeakSet<ts.Program>();

/** ts-patch's source-transformer signature: (program, config, extras) => factory. */
export default function tsgradTransformer(program: ts.Program, config?: unknown, extras?: TransformerExtras): ts.TransformerFactory<ts.SourceFile>;
/** ts-patch's program-transformer signature: (program, host, config, extras) => program. */
export default function tsgradTransformer(program: ts.Program, host: ts.CompilerHost | undefined, config: ProgramTransformerConfig, extras?: unknown): ts.Program;
export default function tsgradTransformer(
  program: ts.Program,
  second?: unknown,
  third?: TransformerExtras | ProgramTransformerConfig,
  fourth?: unknown,
): ts.TransformerFactory<ts.SourceFile> | ts.Program {
  if (third && "transformProgram" in third && third.transformProgram === true) {
    const host = (fourth as TransformerExtras | undefined)?.ts ?? pinnedTypeScript;
    const refusal = unsupported(host);
    if (refusal) return refuseProgram(program, refusal);
    useTypeScript(host);
    return prepareProgram(program);
  }
  const extras = third as TransformerExtras | undefined;
  // Listed both ways: the program transformer already runs it.
  if (prepared.has(program)) return () => (file) => file;
  // A caller that names no compiler gets the pinned one, whatever an earlier call chose.
  const host = extras?.ts ?? pinnedTypeScript;
  const refusal = unsupported(host);
  if (refusal) {
    if (!extras?.addDiagnostic) throw new Error(refusal);
    extras.addDiagnostic(compilerDiagnostic(refusal));
    return () => (file) => file;
  }
  useTypeScript(host);
  const factory = createTransformer(program);
  for (const d of planFor(program).diagnostics) extras?.addDiagnostic?.(d);
  const options = program.getCompilerOptions();
  if (options.incremental || options.composite || options.watch) extras?.addDiagnostic?.(incrementalError());
  return factory;
}

/**
 * Makes `program` ready for a builder and for emit: stamps versions, runs the
 * transformer on every emit, and adds tsgrad's diagnostics to each file's
 * semantic diagnostics. Returns the same program. For hosts that build with
 * tsgrad without ts-patch (a builder program made from a ts.Program).
 */
export function prepareProgram(program: ts.Program): ts.Program {
  // An editor's TypeScript patched by `ts-patch install` runs program transformers
  // too: there the language service compares versions with its own (a stamped one
  // would make it rebuild the program on every request) and nothing is emitted.
  if (prepared.has(program) || inLanguageServer()) return program;
  prepared.add(program);
  stampVersions(program);

  const emit = program.emit;
  program.emit = (target, writeFile, cancellationToken, emitOnlyDts, custom, ...rest) =>
    emit(target, writeFile, cancellationToken, emitOnlyDts, { ...custom, before: [createTransformer(program), ...(custom?.before ?? [])] }, ...rest);

  // Semantic diagnostics, so a builder keeps them with the file (in .tsbuildinfo too)
  // and reports them again when nothing needs emitting. tsc asks the program
  // for them by file (getBindAndCheckDiagnostics, in a builder) or for all files.
  const of = (file: ts.SourceFile | undefined): readonly ts.Diagnostic[] => {
    const all = planFor(program).diagnostics;
    return file ? all.filter((d) => d.file === file) : all;
  };
  const semantic = program.getSemanticDiagnostics;
  program.getSemanticDiagnostics = (file, cancellationToken) => [...semantic(file, cancellationToken), ...of(file)];
  const withCheck = program as ts.Program & { getBindAndCheckDiagnostics?: ts.Program["getSemanticDiagnostics"] };
  const bindAndCheck = withCheck.getBindAndCheckDiagnostics;
  if (bindAndCheck) withCheck.getBindAndCheckDiagnostics = (file, cancellationToken) => [...bindAndCheck(file, cancellationToken), ...of(file)];
  return program;
}

function inLanguageServer(): boolean {
  return process.argv.some((arg) => /[\\/]tsserver(?:library)?\.js$/.test(arg));
}

function incrementalError(): ts.Diagnostic {
  return {
    category: ts.DiagnosticCategory.Error,
    code: Code.Incremental,
    file: undefined,
    start: undefined,
    length: undefined,
    messageText:
      "tsgrad: an incremental build (incremental, composite, --watch or -b) must also rebuild the files another file's edit changes " +
      '(an adjoint placed next to an imported function); write the tsgrad plugin line as { "transform": "tsgrad/transformer", "transformProgram": true }.',
  };
}

/** The diagnostics tsgrad reports for a program, without emitting anything. */
export function tsgradDiagnostics(program: ts.Program): readonly ts.Diagnostic[] {
  return planFor(program).diagnostics;
}

export { createTransformer };

/**
 * Why the transformer cannot work for the compiler `host`, in one line with the
 * fix, or undefined when it can. TypeScript 7 has no compiler API (its package
 * exports only `version` from its main entry), and a release older than 5.9
 * lacks what the analysis uses.
 */
function unsupported(host: Partial<typeof ts> | undefined): string | undefined {
  const version = typeof host?.version === "string" ? host.version : "unknown";
  const majorMinor = version.split(".").slice(0, 2).join(".");
  if (SUPPORTED_VERSIONS.includes(majorMinor) && typeof host?.createProgram === "function") return undefined;
  return (
    `tsgrad: the tsconfig plugin runs on TypeScript 5.9 or 6.0, not TypeScript ${version}; ` +
    `install typescript@6 for tspc (npm install -D typescript@6 ts-patch), ` +
    `or build with \`npx tsgrad build\`, which brings its own TypeScript 6.0.`
  );
}

/** A diagnostic without a location, from the pinned compiler: the host's own API may be missing. */
function compilerDiagnostic(message: string): ts.Diagnostic {
  return {
    file: undefined,
    start: undefined,
    length: undefined,
    messageText: message,
    category: ts.DiagnosticCategory.Error,
    code: Code.UnsupportedCompiler,
    source: "tsgrad",
  };
}

/** A program tsgrad cannot work for: its options diagnostics carry the one line with the fix, so the build fails with it. */
function refuseProgram(program: ts.Program, refusal: string): ts.Program {
  const options = program.getOptionsDiagnostics;
  program.getOptionsDiagnostics = (cancellationToken) => [...options(cancellationToken), compilerDiagnostic(refusal)];
  return program;
}
