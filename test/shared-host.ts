// A CompilerHost that parses each declaration file once per test worker.
//
// Every ts.Program a test builds starts with TypeScript's own lib.*.d.ts (63
// files for ES2022, lib.dom.d.ts among them): parsing and binding them is
// about 1 s of CPU, where compiling the test's own few lines takes a tenth of
// that. TypeScript's language service shares a parsed, bound SourceFile among
// programs (its DocumentRegistry) and so does this host, on the same terms: the
// same file name, text, parse options and the compiler options that change
// how a file is parsed or bound. Only declaration files are shared (they have
// no bodies to differentiate or emit); a test's own sources, and tsgrad's
// runtime, are read and parsed afresh for every program, as a user's build does.
// The vitest config runs the files of a worker in one module graph
// (isolate: false), so the libraries are parsed once per worker for the suite.
// TSGRAD_SHARED_HOST=0 parses every file afresh: to measure what the sharing
// saves, or to rule it out when a test fails.

import * as ts from "typescript";

/**
 * The compiler options TypeScript's DocumentRegistry keys a shared SourceFile
 * on (its sourceFileAffectingCompilerOptions), with `strict`, which implies
 * alwaysStrict.
 */
const AFFECTING: readonly (keyof ts.CompilerOptions)[] = [
  "target",
  "module",
  "jsx",
  "importHelpers",
  "alwaysStrict",
  "strict",
  "noFallthroughCasesInSwitch",
  "moduleResolution",
  "jsxImportSource",
  "allowUnusedLabels",
  "allowUnreachableCode",
  "moduleDetection",
];

const declarations = new Map<string, ts.SourceFile>();
const SHARING = process.env.TSGRAD_SHARED_HOST !== "0";

function keyOf(fileName: string, parse: ts.ScriptTarget | ts.CreateSourceFileOptions, options: ts.CompilerOptions): string {
  // (JSON leaves out parse.setExternalModuleIndicator, a function of moduleDetection.)
  return JSON.stringify([fileName, typeof parse === "number" ? { languageVersion: parse } : parse, AFFECTING.map((k) => options[k])]);
}

/**
 * ts.createCompilerHost(options), except that a declaration file whose text is
 * the same as last time comes back as the SourceFile already parsed (and bound,
 * by the first program that checked it). Not for builder or watch hosts: those
 * stamp each file they make with a version, which a file made here lacks.
 */
export function sharedCompilerHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  if (!SHARING) return host;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, parse, onError, shouldCreateNewSourceFile) => {
    if (!fileName.endsWith(".d.ts") || shouldCreateNewSourceFile) return getSourceFile(fileName, parse, onError, shouldCreateNewSourceFile);
    const text = host.readFile(fileName);
    if (text === undefined) return getSourceFile(fileName, parse, onError, shouldCreateNewSourceFile);
    const key = keyOf(fileName, parse, options);
    const known = declarations.get(key);
    if (known?.text === text) return known;
    // As the default host parses it (createCompilerHost without setParentNodes).
    const made = ts.createSourceFile(fileName, text, parse);
    declarations.set(key, made);
    return made;
  };
  return host;
}

/** ts.createProgram(roots, options), through a sharedCompilerHost. */
export function createProgram(roots: readonly string[], options: ts.CompilerOptions, host: ts.CompilerHost = sharedCompilerHost(options)): ts.Program {
  return ts.createProgram({ rootNames: roots, options, host });
}
