// What `tsgrad emit` prints and the golden fixtures hold: for each transform
// call in a file, in source order, the line it is on and the typed code of every
// function generated for it (each function once, at the first call needing it),
// formatted by prettier.

import * as path from "node:path";
import * as ts from "typescript";
import { emitFunction } from "./emit.js";
import { type Expr, type Fn, type FnRef, children, exprsOf, walkStmts } from "./ir.js";
import { planFor } from "./pipeline.js";
import type { GeneratedFunction, Plan } from "./plan.js";

export interface Report {
  /** Prettier-formatted TypeScript; empty when the file has no transform calls. */
  readonly code: string;
  readonly diagnostics: readonly ts.Diagnostic[];
}

/** The generated code for `file` of `program`, with file names shown relative to `root`. */
export async function reportFile(program: ts.Program, file: ts.SourceFile, root: string): Promise<Report> {
  const plan = planFor(program);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const calls = [...plan.calls].filter(([c]) => c.getSourceFile() === file).sort(([a], [b]) => a.pos - b.pos);
  const printed = new Set<GeneratedFunction>();
  const chunks: string[] = [];
  for (const [call, target] of calls) {
    const { line } = file.getLineAndCharacterOfPosition(call.getStart());
    const where = `${path.relative(root, file.fileName).replace(/\\/g, "/")}:${line + 1}`;
    const text = call.getText().replace(/\s+/g, " ");
    const fns = plan.reachable(target).filter((g) => !printed.has(g));
    fns.forEach((g) => printed.add(g));
    const body = fns.map((g) => printer.printNode(ts.EmitHint.Unspecified, emitFunction(g.ir(), { refer: referFrom(plan, g), runtime: runtimeName }, false), file));
    chunks.push([`// ${text} at ${where} -> ${referName(plan, target, file)}`, ...body].join("\n"));
  }
  const diagnostics = plan.diagnostics.filter((d) => d.file === file);
  if (chunks.length === 0) return { code: "", diagnostics };
  const text = chunks.join("\n\n");
  if (calls.some(([, target]) => plan.reachable(target).some((g) => nesting(g.ir()) > PRETTIER_NESTING))) return { code: `${text}\n`, diagnostics };
  const prettier = await import("prettier");
  const code = await prettier.format(text, { parser: "typescript", printWidth: 100 });
  return { code, diagnostics };
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
  return (fn: FnRef): ts.Expression => ts.factory.createIdentifier(referName(plan, fn, g.site.file));
}

function runtimeName(name: string, userNode: ts.Identifier | undefined): ts.Expression {
  return ts.factory.createIdentifier(userNode ? userNode.text : `tsgrad.${name}`);
}

function referName(plan: Plan, fn: FnRef, from: ts.SourceFile): string {
  if (!plan.isGenerated(fn) || fn.site.file === from) return fn.name;
  const stem = path.basename(fn.site.file.fileName).replace(/\.[cm]?tsx?$/, "").replace(/\W/g, "_");
  return `${stem}_tsgrad.${fn.name}`;
}
