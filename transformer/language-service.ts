// `tsgrad/language-service`: the TypeScript language-service plugin, as tsserver
// loads it from tsconfig "plugins": [{ "name": "tsgrad/language-service" }].
// Takes: the project's language service. Guarantees: the same service, with
// tsgrad's diagnostics (TS900xx) among the semantic ones, so they show as
// squiggles while typing; quick info on a transform call (`grad` in `grad(f)`)
// that shows the code the call becomes; and a refactor "Show generated
// derivative" that writes that code as a comment above the call's statement.
//
// The plan is made by tsgrad's own TypeScript. When tsserver runs that same
// version, the plan reads tsserver's own program; otherwise (an editor's bundled
// TypeScript) node kinds may be numbered differently, so the plan reads a
// program of its own, made by tsgrad's TypeScript from the same open files.

import { ts } from "./ts.js";
import { planFor, refusalMessage } from "./pipeline.js";
import { recogniseTransform } from "./recognise.js";
import { callCode } from "./report.js";

const REFACTOR = "tsgrad";
const SHOW = "showGeneratedDerivative";
const SHOW_DESCRIPTION = "Show generated derivative";

/** A transform call at a position, and what the plan made of it. */
interface Found {
  readonly call: ts.CallExpression;
  /** The generated code, when tsgrad differentiated the call. */
  readonly code: string | undefined;
  /** The quoted diagnostic, when tsgrad refused it. */
  readonly refusal: string | undefined;
}

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const server = modules.typescript;
  return { create: (info) => decorate(info, server.version === ts.version) };
}

function decorate(info: ts.server.PluginCreateInfo, sameCompiler: boolean): ts.LanguageService {
  const ls = info.languageService;
  const log = (message: string): void => info.project.projectService.logger.info(`tsgrad: ${message}`);
  const own = sameCompiler ? undefined : ownService(info.languageServiceHost);
  log(`language-service plugin loaded (TypeScript ${ts.version}${own ? ", reading its own program" : ""})`);

  /** Runs `work` on the current program; a failure is logged, never thrown at the editor. */
  const withProgram = <T>(fallback: T, work: (program: ts.Program) => T): T => {
    try {
      const program = own ? own.getProgram() : ls.getProgram();
      return program ? work(program) : fallback;
    } catch (e) {
      log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  const tsgradDiagnostics = (fileName: string): ts.Diagnostic[] =>
    withProgram([], (program) => {
      // Half-typed code is TypeScript's to report; tsgrad speaks once it parses.
      if (ls.getSyntacticDiagnostics(fileName).length > 0) return [];
      const file = ls.getProgram()?.getSourceFile(fileName);
      return planFor(program).diagnostics
        .filter((d) => d.file?.fileName === fileName)
        .map((d) => ({ ...d, file }));
    });

  /**
   * The innermost transform call whose callee (`grad` of `grad(f)`) spans
   * `position`; a transform nested in another's first argument (the inner
   * `grad` of `jvp(grad(f))`) is part of it and stands for it.
   */
  const callAt = (fileName: string, position: number): Found | undefined =>
    withProgram(undefined, (program) => {
      const plan = planFor(program);
      const checker = program.getTypeChecker();
      let best: ts.CallExpression | undefined;
      for (const call of [...plan.calls.keys(), ...plan.refused.keys()]) {
        const file = call.getSourceFile();
        if (file.fileName !== fileName) continue;
        const spans = (c: ts.CallExpression): boolean => position >= c.expression.getStart(file) && position <= c.expression.getEnd();
        if (!spans(call) && !nestedTransforms(call, checker).some(spans)) continue;
        if (!best || call.getStart(file) > best.getStart(best.getSourceFile())) best = call;
      }
      if (!best) return undefined;
      const refusal = plan.refused.get(best);
      return { call: best, code: callCode(plan, best), refusal: refusal && refusalMessage(best, refusal, program) };
    });

  const startOf = (positionOrRange: number | ts.TextRange): number =>
    typeof positionOrRange === "number" ? positionOrRange : positionOrRange.pos;

  return {
    ...ls,
    getSemanticDiagnostics(fileName) {
      return [...ls.getSemanticDiagnostics(fileName), ...tsgradDiagnostics(fileName)];
    },

    getQuickInfoAtPosition(fileName, position, ...rest) {
      const quick = ls.getQuickInfoAtPosition(fileName, position, ...rest);
      const found = quick && callAt(fileName, position);
      if (!quick || !found) return quick;
      const text = found.code !== undefined
        ? `tsgrad generates:\n\`\`\`ts\n${found.code}\n\`\`\``
        : `tsgrad refused this call: ${found.refusal ?? "see its diagnostic"}`;
      const separator: ts.SymbolDisplayPart[] = quick.documentation?.length ? [{ kind: "lineBreak", text: "\n\n" }] : [];
      return { ...quick, documentation: [...(quick.documentation ?? []), ...separator, { kind: "text", text }] };
    },

    getApplicableRefactors(fileName, positionOrRange, ...rest) {
      const refactors = ls.getApplicableRefactors(fileName, positionOrRange, ...rest);
      const found = callAt(fileName, startOf(positionOrRange));
      if (!found?.code) return refactors;
      const action: ts.RefactorActionInfo = { name: SHOW, description: SHOW_DESCRIPTION, kind: "refactor.rewrite.tsgrad" };
      return [...refactors, { name: REFACTOR, description: SHOW_DESCRIPTION, actions: [action] }];
    },

    getEditsForRefactor(fileName, formatOptions, positionOrRange, refactorName, actionName, ...rest) {
      if (refactorName !== REFACTOR || actionName !== SHOW) {
        return ls.getEditsForRefactor(fileName, formatOptions, positionOrRange, refactorName, actionName, ...rest);
      }
      const found = callAt(fileName, startOf(positionOrRange));
      if (!found?.code) return undefined;
      return { edits: [{ fileName, textChanges: [commentAbove(found.call, found.code)] }] };
    },
  };
}

/** The transform calls nested in `call`'s first argument, outermost first: `grad(f)` of `jvp(grad(f))`. */
function nestedTransforms(call: ts.CallExpression, checker: ts.TypeChecker): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  let arg = call.arguments[0];
  for (;;) {
    while (arg && ts.isParenthesizedExpression(arg)) arg = arg.expression;
    if (!arg || !ts.isCallExpression(arg) || !recogniseTransform(arg, checker)) return out;
    out.push(arg);
    arg = arg.arguments[0];
  }
}

/** A comment holding `code`, inserted above the statement that contains `call`, at its indentation. */
function commentAbove(call: ts.CallExpression, code: string): ts.TextChange {
  const file = call.getSourceFile();
  let statement: ts.Node = call;
  while (statement.parent && !ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent) && !ts.isModuleBlock(statement.parent) &&
      !ts.isCaseClause(statement.parent) && !ts.isDefaultClause(statement.parent)) {
    statement = statement.parent;
  }
  const { line } = file.getLineAndCharacterOfPosition(statement.getStart(file));
  const lineStart = file.getPositionOfLineAndCharacter(line, 0);
  const indent = /^[ \t]*/.exec(file.text.slice(lineStart))?.[0] ?? "";
  const what = call.getText(file).replace(/\s+/g, " ");
  const lines = [`tsgrad: the code generated for ${what} (a snapshot; hover the call for the current one)`, ...code.split("\n")];
  const newText = lines.map((l) => `${indent}// ${l}`.trimEnd() + "\n").join("");
  return { span: { start: lineStart, length: 0 }, newText };
}

/**
 * A language service of tsgrad's own TypeScript over the project's files, for
 * when tsserver runs another version. Module resolution and library files are
 * its own; the files, their versions and the compiler options are tsserver's.
 */
function ownService(host: ts.LanguageServiceHost): ts.LanguageService {
  const own: ts.LanguageServiceHost = {
    getCompilationSettings: () => host.getCompilationSettings(),
    getScriptFileNames: () => host.getScriptFileNames(),
    getScriptVersion: (f) => host.getScriptVersion(f),
    getScriptSnapshot: (f) => host.getScriptSnapshot(f),
    getCurrentDirectory: () => host.getCurrentDirectory(),
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (f) => host.fileExists(f),
    readFile: (f, encoding) => host.readFile(f, encoding),
    readDirectory: (...args) => host.readDirectory?.(...args) ?? ts.sys.readDirectory(...args),
    directoryExists: (d) => host.directoryExists?.(d) ?? ts.sys.directoryExists(d),
    getDirectories: (d) => host.getDirectories?.(d) ?? ts.sys.getDirectories(d),
    realpath: (f) => host.realpath?.(f) ?? f,
    useCaseSensitiveFileNames: () => host.useCaseSensitiveFileNames?.() ?? ts.sys.useCaseSensitiveFileNames,
  };
  return ts.createLanguageService(own, ts.createDocumentRegistry());
}

export = init;
