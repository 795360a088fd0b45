// The journey of a `grad(f)` call, in order:
//   plan.ts       find every transform call in the program (recognise.ts, by the checker)
//                 and resolve the function it names (resolve.ts)
//   desugar/      rewrite the syntax people write into the core lowering knows, in
//                 the order desugar/index.ts lists: passive (passive.ts), record values, queues, declarations, casts,
//                 sorts, keyed records, object spread, nullish, branches, spread operands, element arguments, literal arguments,
//                 rest, parameters, matrices, views, array methods, matrix reads, found,
//                 literal loops, destructuring, assignment patterns, switch, labels, effects,
//                 spread, array spread, instance loops, aliases, classes, stopGradient
//   lower.ts      turn that function, and every function it calls, into IR
//   normalize.ts  give the IR a single exit
//   reverse.ts    build the forward and backward sweeps (activity.ts, rules/)
//   simplify.ts   fold constants, drop dead code
//   emit.ts       print typed TypeScript next to `f`
//   this file     replace each call with the generated function, insert the
//                 functions, import them where another file needs them.
// Errors from any pass become located diagnostics in plan.ts; nothing is
// emitted for the call, which becomes `tsgrad.refused("<the diagnostic>")`: in a
// build that emitted despite the error, calling the derivative throws it.

import * as path from "node:path";
import { ts } from "./ts.js";
import { emitFunction } from "./emit.js";
import type { FnRef } from "./ir.js";
import { NameScope, identifierTexts } from "./names.js";
import { type GeneratedFunction, Plan } from "./plan.js";
import { forEachNode } from "./walk.js";

const plans = new WeakMap<ts.Program, Plan>();

/** The key under which the runtime's namespace import is kept. */
const RUNTIME = "tsgrad";

/** The program's plan, made on first use. */
export function planFor(program: ts.Program): Plan {
  let plan = plans.get(program);
  if (!plan) {
    plan = new Plan(program);
    plans.set(program, plan);
  }
  return plan;
}

export function createTransformer(program: ts.Program): ts.TransformerFactory<ts.SourceFile> {
  const plan = planFor(program);
  return (context) => (file) => transformFile(file, plan, program, context);
}

function transformFile(
  file: ts.SourceFile,
  plan: Plan,
  program: ts.Program,
  context: ts.TransformationContext,
): ts.SourceFile {
  const generated = plan.emitted.get(file) ?? [];
  const replaces = [...plan.calls.keys(), ...plan.refused.keys()].some((c) => c.getSourceFile() === file);
  // Files without transforms come out exactly as plain tsc makes them.
  if (generated.length === 0 && !replaces) return file;

  const f = context.factory;
  const imports = new Map<ts.SourceFile | typeof RUNTIME, ts.Identifier>();
  let importNames: NameScope | undefined;

  const refer = (fn: FnRef, userNode: ts.Identifier | undefined): ts.Expression => {
    // A recursive inner function is called, at module level, by its lifted copy's name.
    const lifted = plan.liftedName(fn);
    if (lifted) return f.createIdentifier(lifted);
    if (!plan.isGenerated(fn)) {
      // The user's own name for it (an import may rename it), linked to their identifier.
      const id = f.createIdentifier(userNode ? userNode.text : fn.name);
      return userNode ? ts.setOriginalNode(id, userNode) : id;
    }
    const site = fn.site.file;
    if (site === file) return f.createIdentifier(fn.name);
    let ns = imports.get(site);
    if (!ns) {
      importNames ??= new NameScope(identifierTexts(file));
      const stem = path.basename(site.fileName).replace(/\.[cm]?tsx?$/, "").replace(/\W/g, "_");
      ns = f.createIdentifier(importNames.fresh(`${stem}_tsgrad`));
      imports.set(site, ns);
    }
    return f.createPropertyAccessExpression(ns, fn.name);
  };

  const runtimeImport = (): ts.Identifier => {
    let ns = imports.get(RUNTIME);
    if (!ns) {
      importNames ??= new NameScope(identifierTexts(file));
      // `tsgrad_1` is what CommonJS output calls the user's own import of "tsgrad": avoid it.
      ns = f.createIdentifier(importNames.has("tsgrad") ? importNames.fresh("tsgradRuntime") : importNames.fresh("tsgrad"));
      imports.set(RUNTIME, ns);
    }
    return ns;
  };
  const runtime = (name: string, userNode: ts.Identifier | undefined): ts.Expression =>
    userNode
      ? ts.setOriginalNode(f.createIdentifier(userNode.text), userNode)
      : f.createPropertyAccessExpression(runtimeImport(), name);

  const shadowsMath = declaresMath(file);
  const nonNullElements = plan.nonNullElements;
  const after = new Map<ts.Node, GeneratedFunction[]>();
  for (const g of generated) {
    // An inline arrow's adjoint goes where the arrow was (it may read locals of that scope).
    if (g.site.placement === "inline") continue;
    after.set(g.site.anchor, [...(after.get(g.site.anchor) ?? []), g]);
  }
  // The module-level copies of recursive inner functions the generated code calls (lift.ts), before it.
  const copies = new Map<ts.Node, ts.Statement[]>();
  for (const { anchor, copy } of plan.liftedCopies(generated)) if (anchor.getSourceFile() === file) copies.set(anchor, [...(copies.get(anchor) ?? []), copy]);
  /** The generated function for an inline arrow, as an expression at the call: a function expression, or an IIFE for several. */
  const inline = (target: GeneratedFunction): ts.Expression => {
    const group = [target, ...plan.reachable(target).filter((g) => g !== target && g.site === target.site)];
    const decls = group.map((g) => emitFunction(g.ir(), { refer, runtime, shadowsMath, nonNullElements }, false));
    if (decls.length === 1) {
      const d = decls[0]!;
      // Its first and last lines map where the declaration's would (the arrow it differentiates).
      return ts.setSourceMapRange(f.createFunctionExpression(undefined, undefined, d.name, undefined, d.parameters, d.type, d.body!), ts.getSourceMapRange(d));
    }
    const body = f.createBlock([...decls, f.createReturnStatement(f.createIdentifier(target.name))], true);
    return f.createCallExpression(f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, [], undefined, undefined, body)), undefined, []);
  };
  const emit = (list: GeneratedFunction[] | undefined): ts.Statement[] =>
    (list ?? []).map((g) => emitFunction(g.ir(), { refer, runtime, shadowsMath, nonNullElements }, plan.exported.has(g)));

  const visitStatements = (statements: ts.NodeArray<ts.Statement>): ts.NodeArray<ts.Statement> =>
    f.createNodeArray(
      statements.flatMap((s) => [
        ts.visitNode(s, visit, ts.isStatement),
        ...(copies.get(s) ?? []),
        ...emit(after.get(s)),
      ]),
    );

  // Only the way down to a replaced call, or to a statement list that gets
  // generated functions, is walked; the rest of the file is left as it is (it
  // may nest deeper than a recursive walk can go: see walk.ts).
  const onPath = new Set<ts.Node>();
  const mark = (node: ts.Node): void => {
    for (let n: ts.Node | undefined = node; n && !onPath.has(n); n = n.parent) onPath.add(n);
  };
  for (const call of [...plan.calls.keys(), ...plan.refused.keys()]) if (call.getSourceFile() === file) mark(call);
  for (const anchor of after.keys()) mark(anchor.parent);

  const visit = (node: ts.Node): ts.Node => {
    if (!onPath.has(node)) return node;
    if (ts.isCallExpression(node)) {
      const target = plan.calls.get(node);
      if (target) return target.site.placement === "inline" ? inline(target) : refer(target, undefined);
      const refusal = plan.refused.get(node);
      if (refusal) {
        const message = f.createStringLiteral(refusalMessage(node, refusal, program));
        return ts.setTextRange(f.createCallExpression(runtime("refused", undefined), undefined, [message]), node);
      }
    }
    if (ts.isBlock(node)) return f.updateBlock(node, visitStatements(node.statements));
    if (ts.isModuleBlock(node)) return f.updateModuleBlock(node, visitStatements(node.statements));
    if (ts.isCaseClause(node)) return f.updateCaseClause(node, ts.visitNode(node.expression, visit, ts.isExpression), visitStatements(node.statements));
    if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, visitStatements(node.statements));
    if (ts.isBinaryExpression(node)) return visitChain(node);
    return ts.visitEachChild(node, visit, context);
  };
  /** A chain `t1 + ... + tn` with a call to replace inside: down its left operands in a loop, then rebuilt from the inside out. */
  const visitChain = (node: ts.BinaryExpression): ts.Expression => {
    const chain = [node];
    let leaf = node.left;
    for (; ts.isBinaryExpression(leaf) && onPath.has(leaf); leaf = leaf.left) chain.push(leaf);
    let left = ts.visitNode(leaf, visit, ts.isExpression);
    for (let i = chain.length - 1; i >= 0; i--) {
      const x = chain[i]!;
      left = f.updateBinaryExpression(x, left, x.operatorToken, ts.visitNode(x.right, visit, ts.isExpression));
    }
    return left;
  };

  const body = [...visitStatements(file.statements)];
  const importDecls = [...imports].map(([site, ns]) =>
    f.createImportDeclaration(
      undefined,
      f.createImportClause(false, undefined, f.createNamespaceImport(ns)),
      f.createStringLiteral(site === RUNTIME ? "tsgrad" : moduleSpecifier(file, site, program)),
    ),
  );
  const lastImport = body.reduce((at, s, i) => (ts.isImportDeclaration(s) ? i + 1 : at), 0);
  body.splice(lastImport, 0, ...importDecls);
  return f.updateSourceFile(file, body);
}

/** The directory file names in run-time messages are relative to: the tsconfig's, else the compiler's working directory. */
function projectDir(program: ts.Program): string {
  const config = program.getCompilerOptions().configFilePath;
  return typeof config === "string" ? path.dirname(config) : program.getCurrentDirectory();
}

/** `tsgrad refused grad(f) at model.ts:12:9 — TS90003: <message>`; `TS90003 at lib.ts:3:10: ...` when the diagnostic points elsewhere. */
export function refusalMessage(call: ts.CallExpression, d: ts.Diagnostic, program: ts.Program): string {
  const root = projectDir(program);
  const at = (file: ts.SourceFile, pos: number): string => {
    const { line, character } = file.getLineAndCharacterOfPosition(pos);
    return `${path.relative(root, file.fileName).replace(/\\/g, "/")}:${line + 1}:${character + 1}`;
  };
  const file = call.getSourceFile();
  let text = call.getText(file).replace(/\s+/g, " ");
  // A long call (an inline arrow) is named by its callee.
  if (text.length > 60) text = `${call.expression.getText(file)}(…)`;
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n").replace(/^tsgrad: /, "");
  const where = d.file && d.start !== undefined ? at(d.file, d.start) : undefined;
  const callAt = at(file, call.getStart(file));
  const elsewhere = where && where !== callAt ? ` at ${where}` : "";
  return `tsgrad refused ${text} at ${callAt} — TS${d.code}${elsewhere}: ${message}`;
}

/** Whether the file declares something named `Math` (then it is not the built-in there). */
function declaresMath(file: ts.SourceFile): boolean {
  let found = false;
  forEachNode(file, (n) => {
    if (found) return false;
    const name = (n as { name?: ts.Node }).name;
    if (ts.isDeclarationStatement(n) || ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isImportSpecifier(n) || ts.isImportClause(n) || ts.isNamespaceImport(n)) {
      if (name && ts.isIdentifier(name) && name.text === "Math") found = true;
    }
  });
  return found;
}


/** How `file` imports `site`: the specifier it already uses for it, else a relative path in its style. */
function moduleSpecifier(file: ts.SourceFile, site: ts.SourceFile, program: ts.Program): string {
  const checker = program.getTypeChecker();
  let style = "";
  for (const s of file.statements) {
    if (!ts.isImportDeclaration(s) && !ts.isExportDeclaration(s)) continue;
    const spec = s.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    if (checker.getSymbolAtLocation(spec)?.valueDeclaration === site) return spec.text;
    if (spec.text.startsWith(".")) style = path.extname(spec.text);
  }
  let rel = path.relative(path.dirname(file.fileName), site.fileName).replace(/\\/g, "/");
  rel = rel.replace(/\.[cm]?tsx?$/, style === ".ts" ? ".ts" : style === ".js" ? ".js" : "");
  return rel.startsWith(".") ? rel : `./${rel}`;
}
