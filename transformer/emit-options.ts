// The compiler options for an in-memory emit of one module that a host runs or
// bundles itself (the Node loader, the bundler plugins): the project's own
// options, made to write an ES module and its source map and nothing else, with
// no output paths (the host decides where the code goes). `ts` is passed in so
// the loader can use this without loading the compiler before it needs it.

import type { ts as TS } from "./ts.js";

const PATH_OPTIONS = ["outFile", "outDir", "rootDir", "declarationDir", "tsBuildInfoFile", "mapRoot", "sourceRoot"];

/** `maps`: "inline" for Node (maps and sources in the module), "file" for bundlers (a separate map they chain). */
export function inMemoryEmitOptions(project: TS.CompilerOptions, ts: typeof TS, maps: "inline" | "file"): TS.CompilerOptions {
  const options: TS.CompilerOptions = {
    ...project,
    module: ts.ModuleKind.ESNext,
    // Both hosts resolve like a bundler; node16/nodenext resolution needs module node16/nodenext.
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: Math.max(project.target ?? 0, ts.ScriptTarget.ES2022),
    sourceMap: maps === "file",
    inlineSourceMap: maps === "inline",
    inlineSources: maps === "inline",
    noEmit: false,
    noEmitOnError: false,
    emitDeclarationOnly: false,
    declaration: false,
    declarationMap: false,
    composite: false,
    incremental: false,
    importHelpers: false,
    noEmitHelpers: false,
  };
  for (const key of PATH_OPTIONS) delete options[key];
  return options;
}
