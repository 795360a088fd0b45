// The part of a project `tsgrad emit FILE` reads. Takes: a program of the
// whole project (its tsconfig's files) and the file to emit. Guarantees: a
// program rooted at that file, every project file that imports it (directly
// or through others: only those can call a transform on its functions), and
// every declaration file and global script of the project (seen without an
// import); the program it was given when that is all of the project, or when
// the file is itself a global script. A big project (the tests' tsconfig holds
// every corpus program) is then no longer type-checked and planned whole to
// print one file's derivatives: `emit test/realworld/muskingum-routing.ts`
// took 176 s of CPU reading 500 files, for one file that imports nothing.

import { ts } from "../transformer/ts.js";

export function withImporters(program: ts.Program, fileName: string): ts.Program {
  const target = program.getSourceFile(fileName);
  if (!target || !ts.isExternalModule(target)) return program;
  const importers = importersByFile(program);
  const needed = new Set<ts.SourceFile>([target]);
  for (const file of needed) for (const importer of importers.get(file) ?? []) needed.add(importer);
  const roots = program.getRootFileNames().filter((name) => {
    const file = program.getSourceFile(name);
    return !file || needed.has(file) || file.isDeclarationFile || !ts.isExternalModule(file);
  });
  if (roots.length === program.getRootFileNames().length) return program;
  return ts.createProgram({ rootNames: roots, options: program.getCompilerOptions(), oldProgram: program });
}

/** For each source file of the project, the project's files that name it in an import, export, `import()`, `require()` or import type. */
function importersByFile(program: ts.Program): Map<ts.SourceFile, ts.SourceFile[]> {
  const options = program.getCompilerOptions();
  const cache = ts.createModuleResolutionCache(program.getCurrentDirectory(), (name) => (ts.sys.useCaseSensitiveFileNames ? name : name.toLowerCase()), options);
  const importers = new Map<ts.SourceFile, ts.SourceFile[]>();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    for (const [specifier, mode] of moduleSpecifiers(file)) {
      const resolved = ts.resolveModuleName(specifier, file.fileName, options, ts.sys, cache, undefined, mode).resolvedModule;
      const imported = resolved && program.getSourceFile(resolved.resolvedFileName);
      if (imported && imported !== file) importers.set(imported, [...(importers.get(imported) ?? []), file]);
    }
  }
  return importers;
}

/**
 * The modules a file names, each with the resolution mode TypeScript gives it
 * (ts.getModeForUsageLocation needs parent pointers, which a program's files
 * get only from the checker): `require` is CommonJS, `import()` ESM, and a
 * static import has the file's own format.
 */
function moduleSpecifiers(file: ts.SourceFile): [string, ts.ResolutionMode][] {
  const found: [string, ts.ResolutionMode][] = [];
  const add = (e: ts.Node | undefined, mode: ts.ResolutionMode): void => {
    if (e && ts.isStringLiteralLike(e)) found.push([e.text, mode]);
  };
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) add(s.moduleSpecifier, file.impliedNodeFormat);
    else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)) add(s.moduleReference.expression, ts.ModuleKind.CommonJS);
  }
  // Dynamic imports, require and import types can sit anywhere: the whole tree is walked only where its text has one.
  if (/\bimport\s*\(|\brequire\s*\(/.test(file.text)) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], ts.ModuleKind.ESNext);
      else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") add(node.arguments[0], ts.ModuleKind.CommonJS);
      else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, file.impliedNodeFormat);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}
