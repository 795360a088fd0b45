// harness.compile with the library and runtime source files parsed once and
// reused: the same ts.Program, the same transformer call (ts-patch style),
// only faster when many small programs are compiled one after another (the
// minimiser does).

import * as path from "node:path";
import * as ts from "typescript";
import { type Compiled, compilerOptions, emitProgram } from "../harness.js";
import { sharedCompilerHost } from "../shared-host.js";

const cache = new Map<string, ts.SourceFile>();

export function compileCached(files: readonly string[], options: ts.CompilerOptions = compilerOptions): Compiled {
  // The libraries are shared with the other test files of this worker (test/shared-host.ts).
  const host = sharedCompilerHost(options);
  const roots = new Set(files.map((f) => path.resolve(f)));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (roots.has(path.resolve(fileName))) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let sf = cache.get(fileName);
    if (!sf) {
      sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sf) cache.set(fileName, sf);
    }
    return sf;
  };
  const program = ts.createProgram([...roots], options, host);
  return emitProgram(program);
}
