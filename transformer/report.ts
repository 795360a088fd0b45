// What `tsgrad emit` prints, the golden fixtures hold and the editor shows: for
// each transform call in a file, in source order, the line it is on and the
// typed code of every function generated for it (each function once, at the
// first call needing it; repeated calls of the same transform share one
// section); then the functions placed in the file for calls in other files,
// under the calls that need them. Formatted by prettier.

import * as path from "node:path";
import { ts } from "./ts.js";
import { emitFunction } from "./emit.js";
import { type Expr, type Fn, type FnRef, children, exprsOf, walkStmts } from "./ir.js";
import { planFor } from "./pipeline.js";
import type { GeneratedFunction, Plan } from "./plan.js";

export interface Report {
  /** Prettier-formatted TypeScript; empty when nothing is generated for the file. */
  readonly code: string;
  readonly diagnostics: readonly ts.Diagnostic[];
}

/** One comment line naming the calls, and the functions printed under it. */
interface Section {
  readonly header: string[];
  readonly functions: GeneratedFunction[];
}

/** The generated code for `file` of `program`, with file names shown relative to `root`. */
export async function reportFile(program: ts.Program, file: ts.SourceFile, root: string): Promise<Report> {
  const plan = planFor(program);
  const diagnostics = plan.diagnostics.filter((d) => d.file === file);
  const sections = sectionsOf(plan, file, root);
  const text = printSections(plan, sections, file);
  if (text === "") return { code: "", diagnostics };
  if (sections.some((s) => s.functions.some((g) => nesting(g.ir()) > PRETTIER_NESTING))) return { code: `${text}\n`, diagnostics };
  const prettier = await import("prettier");
  const code = await prettier.format(text, { parser: "typescript", printWidth: 100 });
  return { code, diagnostics };
}

/**
 * The code generated for one transform call, as the editor shows it: the
 * function the call becomes and every generated function it calls, printed
 * without prettier (the language service is synchronous). Undefined when the
 * call was not differentiated.
 */
export function callCode(plan: Plan, call: ts.CallExpression): string | undefined {
  const target = plan.calls.get(call);
  if (!target) return undefined;
  return printSections(plan, [{ header: [], functions: plan.reachable(target) }], call.getSourceFile());
}

/** `grad(f) at model.ts:12` */
function callAt(call: ts.CallExpression, root: string): string {
  const file = call.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(call.getStart(file));
  const where = `${path.relative(root, file.fileName).replace(/\\/g, "/")}:${line + 1}`;
  return `${call.getText(file).replace(/\s+/g, " ")} at ${where}`;
}

function sectionsOf(plan: Plan, file: ts.SourceFile, root: string): Section[] {
  const byPosition = ([a]: [ts.CallExpression, GeneratedFunction], [b]: [ts.CallExpression, GeneratedFunction]): number =>
    a.getSourceFile() === b.getSourceFile() ? a.pos - b.pos : a.getSourceFile().fileName < b.getSourceFile().fileName ? -1 : 1;
  const sections: Section[] = [];
  const printed = new Set<GeneratedFunction>();
  /** The section that printed each function, so a repeated call joins its header. */
  const printedIn = new Map<GeneratedFunction, Section>();
  const add = (header: string, functions: GeneratedFunction[], target: GeneratedFunction | undefined): void => {
    const fresh = functions.filter((g) => !printed.has(g));
    const home = target && printedIn.get(target);
    if (fresh.length === 0) {
      // Nothing new to show: name the call where its function already is.
      if (home) home.header.push(header);
      return;
    }
    const section: Section = { header: [header], functions: fresh };
    for (const g of fresh) {
      printed.add(g);
      printedIn.set(g, section);
    }
    sections.push(section);
  };

  // The calls written in this file.
  const own = [...plan.calls].filter(([c]) => c.getSourceFile() === file).sort(byPosition);
  for (const [call, target] of own) {
    add(`${callAt(call, root)} -> ${referName(plan, target, file)}`, plan.reachable(target), target);
  }

  // Functions placed here for calls in other files (this file defines what they differentiate).
  const placed = new Set(plan.emitted.get(file) ?? []);
  const others = [...plan.calls].filter(([c]) => c.getSourceFile() !== file).sort(byPosition);
  for (const [call, target] of others) {
    const here = plan.reachable(target).filter((g) => placed.has(g));
    if (here.length === 0) continue;
    const header = target.site.file === file ? `${callAt(call, root)} -> ${target.name}` : `used by ${callAt(call, root)}`;
    add(header, here, target);
  }
  return sections;
}

function printSections(plan: Plan, sections: readonly Section[], file: ts.SourceFile): string {
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const shown = new Set<string>();
  return sections
    .map((s) => {
      const body = s.functions.map((g) =>
        printer.printNode(ts.EmitHint.Unspecified, emitFunction(g.ir(), { refer: referFrom(plan, g), runtime: runtimeName, nonNullElements: plan.nonNullElements }, false), file),
      );
      // The module-level copy of a recursive inner function the code calls (lift.ts), shown once, first.
      const copies = plan.liftedCopies(s.functions).filter(({ copy }) => !shown.has(copy.name!.text));
      for (const { copy } of copies) shown.add(copy.name!.text);
      body.unshift(...copies.map(({ copy }) => printer.printNode(ts.EmitHint.Unspecified, copy, file)));
      return [...s.header.map((h) => `// ${h}`), ...body].join("\n");
    })
    .join("\n\n");
}

/**
 * Prettier formats by recursion and fails on expressions nested more deeply
 * than about 600 levels (a chain `t1 + ... + tn` as long, which a function of
 * generated code can have, and then its derivative too): code that deep is
 * printed as TypeScript's printer prints it.
 */
const PRETTIER_NESTING = 300;

/** How deeply the expressions of `fn` nest. */
function nesting(fn: Fn): number {
  let deepest = 0;
  walkStmts(fn.body, (s) => {
    const stack: [Expr, number][] = exprsOf(s).map((e) => [e, 1]);
    while (stack.length > 0) {
      const [e, depth] = stack.pop()!;
      deepest = Math.max(deepest, depth);
      for (const c of children(e)) stack.push([c, depth + 1]);
    }
  });
  return deepest;
}

/** Names as code in `g`'s own file writes them (`other.f_vjp` for another file's function). */
function referFrom(plan: Plan, g: GeneratedFunction) {
  // A user function is called by the name the user wrote at the call (`step` for `const step = checkpoint(...)`).
  return (fn: FnRef, userNode: ts.Identifier | undefined): ts.Expression =>
    ts.factory.createIdentifier(plan.liftedName(fn) ?? (userNode && !plan.isGenerated(fn) ? userNode.text : referName(plan, fn, g.site.file)));
}

function runtimeName(name: string, userNode: ts.Identifier | undefined): ts.Expression {
  return ts.factory.createIdentifier(userNode ? userNode.text : `tsgrad.${name}`);
}

function referName(plan: Plan, fn: FnRef, from: ts.SourceFile): string {
  if (!plan.isGenerated(fn) || fn.site.file === from) return fn.name;
  const stem = path.basename(fn.site.file.fileName).replace(/\.[cm]?tsx?$/, "").replace(/\W/g, "_");
  return `${stem}_tsgrad.${fn.name}`;
}
