// Incremental builds, watch modes and dev servers: the same output as a clean build.
//
// A generated adjoint lives next to the function it differentiates (SPEC §7),
// so a file's output depends on more than its own text: `lib.js` gains `sq_grad`
// when `main.ts` starts calling `grad(sq)`, and the adjoint's code follows
// whatever it calls in other files. Every incremental mode re-emits a file only
// when *its* input changed (tsc's builder compares file versions; Vite re-runs a
// module's transform when that module changes), so the transformer says what
// else each file's output depends on:
//
//   outputDependencies(program)  per file the plan touches, a hash of everything
//       besides its own text that its output (or its tsgrad diagnostics) depends
//       on: the plan's entries for it, the generated functions it refers to, and
//       the text of every file its generated code can draw on.
//   stampVersions(program)   folds that hash into each file's version before a
//       builder program (tsc --incremental, --watch, -b) compares versions, so
//       exactly the files whose output changed are re-checked and re-emitted.
//   The Vite plugin compares the hashes before and after a change and
//   invalidates the modules whose hash moved.
//
// Over-approximation is safe (a file is re-emitted to the same text); missing a
// dependency is not, so the texts include each touched file's whole import
// closure and every global script.

import { createHash } from "node:crypto";
import { ts } from "./ts.js";
import { planFor } from "./pipeline.js";
import type { GeneratedFunction, Plan } from "./plan.js";

/** Per source file the plan touches, a hash of what its output depends on besides its own text. */
export function outputDependencies(program: ts.Program): Map<ts.SourceFile, string> {
  const plan = planFor(program);
  const parts = new Map<ts.SourceFile, string[]>();
  const uses = new Map<ts.SourceFile, Set<GeneratedFunction>>();
  const add = (file: ts.SourceFile, part: string): void => {
    const list = parts.get(file) ?? [];
    list.push(part);
    parts.set(file, list);
  };
  const use = (file: ts.SourceFile, g: GeneratedFunction): void => {
    const set = uses.get(file) ?? new Set();
    for (const r of reachable(plan, g)) set.add(r);
    uses.set(file, set);
  };

  for (const [file, list] of plan.emitted) {
    for (const g of list) {
      add(file, `emit ${g.key} ${g.name}${plan.exported.has(g) ? " exported" : ""}`);
      use(file, g);
    }
  }
  for (const [call, g] of plan.calls) {
    const file = call.getSourceFile();
    add(file, `call ${call.getStart()} ${g.name}`);
    use(file, g);
  }
  for (const d of plan.diagnostics) if (d.file) add(d.file, `diagnostic ${d.start} ${d.code} ${messageText(d)}`);

  const closures = new ImportClosures(program);
  const globals = program.getSourceFiles().filter((f) => isProjectFile(program, f) && !ts.isExternalModule(f));
  const out = new Map<ts.SourceFile, string>();
  for (const [file, list] of parts) {
    const deps = new Set<ts.SourceFile>([...closures.of(file), ...globals]);
    for (const g of uses.get(file) ?? []) {
      list.push(`uses ${g.key} ${g.name} in ${g.site.file.fileName}`);
      for (const f of closures.of(g.site.file)) deps.add(f);
    }
    deps.delete(file);
    for (const f of [...deps].sort((a, b) => compare(a.fileName, b.fileName))) list.push(`text ${f.fileName} ${textHash(f)}`);
    out.set(file, hash(list.join("\n")));
  }
  return out;
}

/** The version each file had before it was stamped (the same SourceFile object may be stamped again in a later program). */
const baseVersions = new WeakMap<ts.SourceFile, string>();

/**
 * Folds each file's output dependencies into its version, so that a builder
 * program made from `program` re-emits exactly the files whose output changed.
 * Files the plan does not touch keep the version they came with.
 */
export function stampVersions(program: ts.Program): void {
  const stamps = outputDependencies(program);
  for (const file of program.getSourceFiles()) {
    const versioned = file as ts.SourceFile & { version?: string };
    let base = baseVersions.get(file);
    if (base === undefined) {
      // Without versions (a plain program) there is no builder to inform.
      if (versioned.version === undefined) continue;
      base = versioned.version;
      baseVersions.set(file, base);
    }
    const stamp = stamps.get(file);
    versioned.version = stamp === undefined ? base : `${base}+tsgrad.${stamp}`;
  }
}

/** `g` and the generated functions it calls; a function whose derivation failed contributes only itself. */
function reachable(plan: Plan, g: GeneratedFunction): GeneratedFunction[] {
  try {
    return plan.reachable(g);
  } catch {
    // The failure is a diagnostic the transformer reports; it is part of the hash already.
    return [g];
  }
}

/** The program's own files (not the default library, not node_modules) a file imports, directly or not, itself included. */
class ImportClosures {
  private readonly checker: ts.TypeChecker;
  private readonly direct = new Map<ts.SourceFile, ts.SourceFile[]>();
  private readonly closures = new Map<ts.SourceFile, Set<ts.SourceFile>>();

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  of(file: ts.SourceFile): Set<ts.SourceFile> {
    let closure = this.closures.get(file);
    if (!closure) {
      closure = new Set([file]);
      const queue = [file];
      for (let f = queue.pop(); f; f = queue.pop()) {
        for (const d of this.imports(f)) {
          if (closure.has(d)) continue;
          closure.add(d);
          queue.push(d);
        }
      }
      this.closures.set(file, closure);
    }
    return closure;
  }

  private imports(file: ts.SourceFile): ts.SourceFile[] {
    let list = this.direct.get(file);
    if (!list) {
      list = [];
      for (const spec of moduleSpecifiers(file)) {
        const target = this.checker.getSymbolAtLocation(spec)?.valueDeclaration;
        if (target && ts.isSourceFile(target) && isProjectFile(this.program, target)) list.push(target);
      }
      this.direct.set(file, list);
    }
    return list;
  }
}

/** The module specifiers of a file's static imports and re-exports (`import`, `export ... from`, `import x = require`). */
function moduleSpecifiers(file: ts.SourceFile): ts.StringLiteral[] {
  const out: ts.StringLiteral[] = [];
  const visit = (s: ts.Statement): void => {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
      out.push(s.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) {
      out.push(s.moduleReference.expression);
    } else if (ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body)) {
      s.body.statements.forEach(visit);
    }
  };
  file.statements.forEach(visit);
  return out;
}

function isProjectFile(program: ts.Program, file: ts.SourceFile): boolean {
  return !program.isSourceFileDefaultLibrary(file) && !program.isSourceFileFromExternalLibrary(file);
}

const textHashes = new WeakMap<ts.SourceFile, string>();

function textHash(file: ts.SourceFile): string {
  let h = textHashes.get(file);
  if (h === undefined) {
    h = hash(file.text);
    textHashes.set(file, h);
  }
  return h;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function messageText(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, " ");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
