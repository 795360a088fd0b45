// The one error type passes throw, and its conversion to a located TypeScript
// diagnostic. Only the file visitor (pipeline.ts) catches it.

import * as ts from "typescript";

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
  /** tsgrad itself failed; the message asks for a report. */
  Internal: 90099,
} as const;

export type CodeValue = (typeof Code)[keyof typeof Code];

export class DiffError extends Error {
  constructor(
    readonly code: CodeValue,
    readonly node: ts.Node | undefined,
    message: string,
  ) {
    super(message);
    this.name = "DiffError";
  }
}

/** Throws a DiffError; passes use this to refuse a construct. */
export function fail(code: CodeValue, node: ts.Node | undefined, message: string): never {
  throw new DiffError(code, node, message);
}

/** A located diagnostic, as tsc prints it (`file(line,col): error TS90001: ...`). */
export function toDiagnostic(err: DiffError, fallback: ts.Node): ts.Diagnostic {
  // A node desugaring made reports at the user's code it stands for.
  const user = ts.getParseTreeNode(err.node);
  const node = user && user.pos >= 0 ? user : fallback;
  const file = node.getSourceFile();
  const start = node.getStart(file);
  return {
    file,
    start,
    length: node.getEnd() - start,
    messageText: `tsgrad: ${err.message}`,
    category: ts.DiagnosticCategory.Error,
    code: err.code,
    source: "tsgrad",
  };
}

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
