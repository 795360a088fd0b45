// The one error type passes throw, and its conversion to a located TypeScript
// diagnostic. Only the plan's boundary (Plan.plan, one per transform call) catches it.

import { ts } from "./ts.js";

/** Every code tsgrad reports; the README lists each with an example and its fix. */
export const Code = {
  /** A statement or expression outside the differentiable subset. */
  Unsupported: 90001,
  /** A call to a function whose body the compiler cannot see. */
  OpaqueCall: 90002,
  /** A non-deterministic or impure built-in (Math.random, Date.now). */
  Impure: 90003,
  /** `wrt` is not a number literal or an array literal of them. */
  WrtNotLiteral: 90004,
  /** `wrt` names a parameter that does not exist or is not differentiable. */
  WrtInvalid: 90005,
  /** The function given to a transform is not statically known. */
  UnknownFunction: 90006,
  /** The differentiated function does not return a number. */
  NotScalar: 90007,
  /** Assignment to a variable declared outside the function. */
  OuterMutation: 90008,
  /** The function reads a mutable variable from an enclosing scope. */
  MutableCapture: 90009,
  /** Assignment to a parameter's contents. */
  ParamMutation: 90010,
  /** A value of a type the subset does not differentiate (string, object, ...). */
  UnsupportedType: 90011,
  /** A function that calls itself, directly or through others. */
  Recursion: 90012,
  /** A Math member without a derivative rule. */
  UnknownMath: 90013,
  /** eval or new Function. */
  Eval: 90014,
  /** Generators, yield, async, await. */
  Async: 90015,
  /** An incremental build with tsgrad as a source transformer only, which could emit stale files (index.ts). */
  Incremental: 90050,
  /** The compiler that loaded the transformer is not TypeScript 5.9 or 6.0. */
  UnsupportedCompiler: 90098,
  /** tsgrad itself failed; the message asks for a report. */
  Internal: 90099,
} as const;

export type CodeValue = (typeof Code)[keyof typeof Code];

export class DiffError extends Error {
  constructor(
    readonly code: CodeValue,
    readonly node: ts.Node | undefined,
    message: string,
    /** The other blockers found in the same function: every one is reported. */
    readonly more: readonly DiffError[] = [],
  ) {
    super(message);
    this.name = "DiffError";
  }
}

/** Throws a DiffError; passes use this to refuse a construct. */
export function fail(code: CodeValue, node: ts.Node | undefined, message: string): never {
  throw new DiffError(code, node, message);
}

/**
 * A located diagnostic, as tsc prints it (`file(line,col): error TS90001: ...`),
 * at the construct refused, else at `call`, the transform call that needed it.
 * When the construct is elsewhere (in a function the call differentiates,
 * directly or not), the call is named too, as related information.
 */
export function toDiagnostic(err: DiffError, call: ts.Node): ts.Diagnostic {
  // A node desugaring made reports at the user's code it stands for.
  const user = ts.getParseTreeNode(err.node);
  const node = user && user.pos >= 0 ? user : call;
  const atCall = node.getSourceFile() === call.getSourceFile() && node.getStart() === call.getStart();
  return {
    ...span(node, `tsgrad: ${err.message}`, err.code),
    category: ts.DiagnosticCategory.Error,
    source: "tsgrad",
    ...(atCall ? {} : { relatedInformation: [span(call, "the transform call that needs it, left as written", err.code)] }),
  };
}

function span(node: ts.Node, messageText: string, code: number): ts.DiagnosticRelatedInformation {
  const file = node.getSourceFile();
  const start = node.getStart(file);
  return { file, start, length: node.getEnd() - start, messageText, category: ts.DiagnosticCategory.Message, code };
}

/** One located diagnostic per blocker an error carries (the first, then the others lowering found). */
export function diagnosticsOf(e: unknown, fallback: ts.Node): ts.Diagnostic[] {
  const err = asDiffError(e, fallback);
  return [err, ...err.more].map((x) => toDiagnostic(x, fallback));
}

/** How a message names a construct: as the user wrote it, never by its compiler node kind. */
export function construct(node: ts.Node): string {
  // A node a pass made in place of a different user construct (the `[]` a filter's loop
  // starts from) is named as the user wrote it, not as the pass did.
  const user = ts.getOriginalNode(node);
  const made = node.pos < 0 && user !== node && user.kind !== node.kind;
  const named = made ? undefined : CONSTRUCTS[node.kind];
  if (named) return named;
  // A node a pass made stands for the user's node it came from.
  const source = ts.getOriginalNode(node);
  const text = source.pos >= 0 && source.getSourceFile() ? source.getText().replace(/\s+/g, " ") : "";
  return text ? `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'` : "this construct";
}

/** Constructs whose name says more than their text. */
const CONSTRUCTS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LabeledStatement]: "a labeled statement",
  [ts.SyntaxKind.SpreadElement]: "spread (...)",
  [ts.SyntaxKind.ObjectLiteralExpression]: "an object literal",
  [ts.SyntaxKind.ArrayLiteralExpression]: "an array literal used as a value",
  [ts.SyntaxKind.ArrowFunction]: "an arrow function used as a value",
  [ts.SyntaxKind.FunctionExpression]: "a function expression used as a value",
  [ts.SyntaxKind.ClassExpression]: "a class expression",
  [ts.SyntaxKind.ThisKeyword]: "'this' outside a getter",
  [ts.SyntaxKind.SuperKeyword]: "'super'",
  [ts.SyntaxKind.TypeOfExpression]: "typeof",
  [ts.SyntaxKind.DeleteExpression]: "delete",
  [ts.SyntaxKind.VoidExpression]: "void",
  [ts.SyntaxKind.TaggedTemplateExpression]: "a tagged template",
  [ts.SyntaxKind.RegularExpressionLiteral]: "a regular expression",
  [ts.SyntaxKind.BigIntLiteral]: "a bigint",
  [ts.SyntaxKind.NewExpression]: "'new'",
  [ts.SyntaxKind.WithStatement]: "with",
  [ts.SyntaxKind.DebuggerStatement]: "debugger",
  [ts.SyntaxKind.ThrowStatement]: "throw",
  [ts.SyntaxKind.SwitchStatement]: "switch",
  [ts.SyntaxKind.ClassDeclaration]: "a class declaration",
  [ts.SyntaxKind.EnumDeclaration]: "an enum declaration",
  [ts.SyntaxKind.ImportDeclaration]: "an import",
  [ts.SyntaxKind.MetaProperty]: "import.meta / new.target",
};

/** Turns anything a pass threw into a diagnostic; a non-DiffError is our bug. */
export function asDiffError(e: unknown, node: ts.Node): DiffError {
  if (e instanceof DiffError) return e;
  const what = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return new DiffError(
    Code.Internal,
    node,
    `internal error while differentiating this call; nothing was emitted for it. ` +
      `Please report it with the function you differentiated.\n${what.split("\n").slice(0, 4).join("\n")}`,
  );
}
