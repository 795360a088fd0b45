// What `tsgrad emit --out DIR` writes. Takes: a file of a program and DIR.
// Guarantees: the module as tsgrad compiles it, printed as TypeScript (the
// user's code, each transform call replaced by the function it became, the
// generated functions in place), and the same for every module whose generated
// functions it imports; their relative imports re-pointed from DIR, to the
// sources or to each other. Each file type-checks on its own, with the
// project's compiler options, wherever the sources do.

import * as path from "node:path";
import { ts } from "./ts.js";
import { createTransformer, planFor } from "./pipeline.js";
import type { GeneratedFunction, Plan } from "./plan.js";

export interface Written {
  /** Where the file goes: DIR/<name>.grad.ts. */
  readonly fileName: string;
  readonly code: string;
}

/** `file` and the modules it takes generated functions from, as the files DIR receives. */
export async function standaloneModules(program: ts.Program, file: ts.SourceFile, outDir: string, root: string): Promise<Written[]> {
  const plan = planFor(program);
  const files = withSuppliers(plan, file);
  const target = new Map(files.map((f) => [f, path.join(outDir, `${stem(f)}.grad${path.extname(f.fileName)}`)]));
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const prettier = await import("prettier");
  const written: Written[] = [];
  for (const f of files) {
    const finish = [repoint(f, program, target, outDir), label(f, plan, root), dropOrphanImports(f)];
    const result = ts.transform(f, [createTransformer(program), ...finish], program.getCompilerOptions());
    const out = result.transformed[0]!;
    // One statement at a time, so that a blank line can separate them (imports stay together).
    const header = `// ${shown(f, root)} as tsgrad compiles it (written by tsgrad emit --out; edits are not read back)\n`;
    const text = out.statements.reduce((acc, s, i) => {
      const together = i > 0 && ts.isImportDeclaration(s) && ts.isImportDeclaration(out.statements[i - 1]!);
      return `${acc}${i === 0 ? "" : together ? "\n" : "\n\n"}${printer.printNode(ts.EmitHint.Unspecified, s, out)}`;
    }, header);
    result.dispose();
    const code = await prettier.format(text, { parser: "typescript", printWidth: 100 });
    written.push({ fileName: target.get(f)!, code });
  }
  return written;
}

function shown(file: ts.SourceFile, root: string): string {
  return path.relative(root, file.fileName).replace(/\\/g, "/");
}

function stem(file: ts.SourceFile): string {
  return path.basename(file.fileName).replace(/\.[cm]?tsx?$/, "");
}

/** `file`, then every file holding generated functions that code in these files calls. */
function withSuppliers(plan: Plan, file: ts.SourceFile): ts.SourceFile[] {
  const files = [file];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const used = [
      ...[...plan.calls].filter(([call]) => call.getSourceFile() === f).map(([, g]) => g),
      ...(plan.emitted.get(f) ?? []).flatMap((g) => plan.callees(g)),
    ];
    for (const g of used) if (!files.includes(g.site.file)) files.push(g.site.file);
  }
  return files;
}

/**
 * A transform that re-points the relative import and export specifiers of
 * `file` (its own and the ones tsgrad added) as seen from `outDir`: to the
 * written copy of a module that is written too, else to the source.
 */
function repoint(
  file: ts.SourceFile,
  program: ts.Program,
  written: ReadonlyMap<ts.SourceFile, string>,
  outDir: string,
): ts.TransformerFactory<ts.SourceFile> {
  const options = program.getCompilerOptions();
  const fromOut = (to: string): string => {
    const rel = path.relative(outDir, to).replace(/\\/g, "/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  const specifier = (text: string): string => {
    if (!text.startsWith(".")) return text;
    const resolved = ts.resolveModuleName(text, file.fileName, options, ts.sys).resolvedModule?.resolvedFileName;
    const source = resolved ? program.getSourceFile(resolved) : undefined;
    const copy = source && written.get(source);
    // The written copy, named in the style the import used (`./m.js` -> `./m.grad.js`).
    if (copy) return fromOut(copy.replace(/\.[cm]?tsx?$/, "") + path.extname(text));
    return fromOut(path.resolve(path.dirname(file.fileName), text));
  };
  return (context) => (sf) => {
    const f = context.factory;
    const statements = sf.statements.map((s) => {
      const spec = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier;
      if (!spec || !ts.isStringLiteral(spec)) return s;
      const moved = f.createStringLiteral(specifier(spec.text));
      if (ts.isImportDeclaration(s)) return f.updateImportDeclaration(s, s.modifiers, s.importClause, moved, s.attributes);
      return f.updateExportDeclaration(s, s.modifiers, s.isTypeOnly, s.exportClause, moved, s.attributes);
    });
    return f.updateSourceFile(sf, statements);
  };
}

/**
 * A transform that names, above each generated function at the top level, the
 * calls it was generated for.
 */
function label(file: ts.SourceFile, plan: Plan, root: string): ts.TransformerFactory<ts.SourceFile> {
  const callsOf = new Map<GeneratedFunction, string[]>();
  for (const [call, target] of plan.calls) {
    const where = `${call.getText().replace(/\s+/g, " ")} at ${shown(call.getSourceFile(), root)}:${call.getSourceFile().getLineAndCharacterOfPosition(call.getStart()).line + 1}`;
    for (const g of plan.reachable(target)) if (g.site.file === file) callsOf.set(g, [...(callsOf.get(g) ?? []), where]);
  }
  const byName = new Map([...callsOf].map(([g, calls]) => [g.name, calls]));
  return () => (sf) => {
    for (const s of sf.statements) {
      const calls = ts.isFunctionDeclaration(s) && s.name ? byName.get(s.name.text) : undefined;
      if (!calls) continue;
      const shownCalls = calls.length > 3 ? [...calls.slice(0, 3), `${calls.length - 3} more`] : calls;
      ts.addSyntheticLeadingComment(s, ts.SyntaxKind.SingleLineCommentTrivia, ` generated by tsgrad for ${shownCalls.join(", ")}`, true);
    }
    return sf;
  };
}

/** How many identifiers spelled `name` a tree has, outside import declarations and property names. */
function uses(node: ts.Node, name: string): number {
  if (ts.isImportDeclaration(node)) return 0;
  // `{ grad: grad(f) }` and `o.grad` name properties, not the import.
  if (ts.isPropertyAssignment(node)) return uses(node.initializer, name);
  if (ts.isPropertyAccessExpression(node)) return uses(node.expression, name);
  if (ts.isIdentifier(node)) return node.text === name ? 1 : 0;
  let n = 0;
  ts.forEachChild(node, (c) => void (n += uses(c, name)));
  return n;
}

/**
 * A transform that drops the named imports the file used and no longer does
 * (`grad`, once every `grad(f)` became `f_grad`), so that `noUnusedLocals`
 * does not flag them; an import already unused in the source stays, as written.
 */
function dropOrphanImports(original: ts.SourceFile): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sf) => {
    const f = context.factory;
    const orphan = (name: string): boolean => uses(original, name) > 0 && uses(sf, name) === 0;
    const statements = sf.statements.flatMap((s): ts.Statement[] => {
      const bindings = ts.isImportDeclaration(s) ? s.importClause?.namedBindings : undefined;
      if (!ts.isImportDeclaration(s) || !bindings || !ts.isNamedImports(bindings)) return [s];
      const kept = bindings.elements.filter((e) => !orphan(e.name.text));
      if (kept.length === bindings.elements.length) return [s];
      const clause = s.importClause!;
      if (kept.length === 0 && !clause.name) return [];
      const named = kept.length > 0 ? f.updateNamedImports(bindings, kept) : undefined;
      return [f.updateImportDeclaration(s, s.modifiers, f.updateImportClause(clause, clause.isTypeOnly, clause.name, named), s.moduleSpecifier, s.attributes)];
    });
    return f.updateSourceFile(sf, statements);
  };
}
