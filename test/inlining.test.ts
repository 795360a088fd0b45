// One answer to "is this call inlined with statements?" (transformer/inline.ts,
// inlinedWithStatements), asked by desugar/branches.ts, which lifts a `?:`
// around such a call into if statements, and by lowering, which inlines a helper
// on a path that may not run only when the answer is no. Each helper of
// test/inputs/inlining/branch-helpers.ts is called in a `?:` branch; what
// branches.ts did (the function after the passes up to it) and what lowering
// did (the emitted gradient calls the helper's adjoint, or not) must agree:
// a call is lifted exactly when it is inlined with statements, by lowering or
// by the classes pass (a helper given a function, a method).

import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ts } from "../transformer/ts.js";
import { desugarBefore } from "../transformer/desugar/index.js";
import type { DesugarContext, FunctionLike } from "../transformer/lower.js";
import { resolveFunction } from "../transformer/resolve.js";
import {
  type Compiled,
  compile,
  emitted,
  formatDiagnostics,
  load,
  ROOT,
} from "./harness.js";

const DIR = path.join(ROOT, "test/inputs/inlining");
const FILE = path.join(DIR, "branch-helpers.ts");

let compiled: Compiled;
let code: string;
let m: Record<string, (x: number, c: number) => number>;

beforeAll(async () => {
  compiled = compile([FILE, path.join(DIR, "branch-helpers-lib.ts")]);
  code = await emitted(compiled, FILE);
  m = load(compiled, FILE) as typeof m;
}, 120_000);

/** Whether branches.ts turned the `?:` of `name` into if statements. */
function lifted(name: string): boolean {
  const program = compiled.program;
  const checker = program.getTypeChecker();
  const ctx: DesugarContext = {
    checker,
    isLibDeclaration: (decl) =>
      program.isSourceFileDefaultLibrary(decl.getSourceFile()),
    resolveFunction: (callee) => resolveFunction(callee, checker),
    sourceFiles: () => program.getSourceFiles(),
  };
  const file = program.getSourceFile(FILE)!;
  const fn = file.statements.find(
    (s): s is ts.FunctionDeclaration =>
      ts.isFunctionDeclaration(s) && s.name?.text === name,
  )!;
  const out = desugarBefore("spread operands", fn as FunctionLike, ctx);
  let conditional = false;
  const visit = (n: ts.Node): void => {
    if (ts.isConditionalExpression(n)) conditional = true;
    ts.forEachChild(n, visit);
  };
  visit(out);
  return !conditional;
}

/** Whether the emitted gradient of `name` inlines `helper` (calls no adjoint of it). */
function inlined(helper: string): boolean {
  return !new RegExp(`\\b${helper}_vjp`).test(code);
}

describe("a helper called in a ?: branch is lifted exactly when lowering inlines it with statements", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  const cases: [fn: string, helper: string, lift: boolean, inline: boolean][] =
    [
      ["viaOneExpression", "oneExpression", false, true],
      ["viaStatements", "withStatements", true, true],
      // One expression as written, a loop once desugared: lowering inlines it with statements, so it is lifted.
      ["viaReduce", "reduces", true, true],
      // No pass inlines a recursive helper or one of another file: nothing to lift.
      ["viaRecursion", "powerOf", false, false],
      ["viaOtherFile", "remote", false, false],
      // The classes pass inlines a helper given a function, and a method, wherever they are declared: lifted.
      ["viaFunctionArgument", "applyTimes", true, true],
      ["viaMethod", "twice", true, true],
      ["viaFunctionReduce", "sumOf", true, true],
      // An inner function is always inlined (lowering refuses one with statements on a path that may not run): lifted.
      ["viaInner", "total", true, true],
    ];
  for (const [fn, helper, lift, inline] of cases) {
    it(`${fn}: ${helper} ${lift ? "lifted" : "left in its ?:"}, ${inline ? "inlined" : "called through its adjoint"}`, () => {
      expect({ lifted: lifted(fn), inlined: inlined(helper) }).toEqual({
        lifted: lift,
        inlined: inline,
      });
    });
  }

  it("gives the gradients central differences give, on both branches", () => {
    const names = [
      "OneExpression",
      "Statements",
      "Reduce",
      "Recursion",
      "OtherFile",
      "FunctionArgument",
      "Method",
      "FunctionReduce",
      "Inner",
    ];
    const h = 1e-6;
    for (const name of names) {
      const f = m[`via${name}`]!;
      const df = m[`d${name}`]!;
      for (const [x, c] of [
        [0.7, 1.3],
        [0.7, -1],
      ] as const) {
        expect(df(x, c)).toBeCloseTo((f(x + h, c) - f(x - h, c)) / (2 * h), 5);
      }
    }
  });
});
