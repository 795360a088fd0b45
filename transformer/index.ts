// `tsgrad/transformer`: the compiler transformer, as ts-patch loads it from
// tsconfig: "plugins": [{ "transform": "tsgrad/transformer" }].

import { Code } from "./diagnostics.js";
import { createTransformer, planFor } from "./pipeline.js";
import { SUPPORTED_VERSIONS, ts, useTypeScript } from "./ts.js";

/** What ts-patch passes as the third argument to a program transformer. */
export interface TransformerExtras {
  /** The compiler ts-patch loaded, whose Program this is (the project's own `typescript`). */
  ts?: typeof ts;
  addDiagnostic?(diagnostic: ts.Diagnostic): number | void;
}

/** ts-patch's program-transformer signature: (program, config, extras) => factory. */
export default function tsgradTransformer(
  program: ts.Program,
  _config?: unknown,
  extras?: TransformerExtras,
): ts.TransformerFactory<ts.SourceFile> {
  const host = extras?.ts ?? ts;
  const refusal = unsupported(host);
  if (refusal) {
    if (!extras?.addDiagnostic) throw new Error(refusal);
    extras.addDiagnostic(compilerDiagnostic(refusal));
    return () => (file) => file;
  }
  useTypeScript(host);
  const factory = createTransformer(program);
  for (const d of planFor(program).diagnostics) extras?.addDiagnostic?.(d);
  return factory;
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
