// Walks that must not recurse (desugar/keyed-maps.ts, parameter-writes.ts;
// row-helpers.ts walks the same way): generated code has expressions thousands of operators deep
// (see long-expressions.test.ts), a left-deep chain a recursive walk follows
// one stack frame per operator. Each walk is given a function with a
// 6,000-term expression and must still answer, and answer as before.

import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { filledByWalk } from "../transformer/desugar/keyed-maps.js";
import { parameterWrite } from "../transformer/desugar/parameter-writes.js";

const N = 6_000;
const chain = (term: (i: number) => string): string => Array.from({ length: N }, (_, i) => term(i)).join(" + ");

function program(text: string): { file: ts.SourceFile; checker: ts.TypeChecker } {
  const name = path.resolve("deep-walks-input.ts");
  const host = ts.createCompilerHost({ strict: true, target: ts.ScriptTarget.ES2022, types: [] });
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v) => (f === name ? ts.createSourceFile(f, text, v, true) : read(f, v));
  const p = ts.createProgram([name], { strict: true, target: ts.ScriptTarget.ES2022, types: [], lib: ["lib.es2022.d.ts"] }, host);
  return { file: p.getSourceFile(name)!, checker: p.getTypeChecker() };
}

function find<T extends ts.Node>(root: ts.Node, test: (n: ts.Node) => n is T): T {
  let found: T | undefined;
  const stack: ts.Node[] = [root];
  while (stack.length > 0 && !found) {
    const n = stack.pop()!;
    if (test(n)) found = n;
    ts.forEachChild(n, (c) => void stack.push(c));
  }
  return found!;
}

describe("walks over a 6,000-term expression", () => {
  it("keyed-maps: a Map filled by a walk, after a deep statement, is still recognised", () => {
    const { file, checker } = program(`
export function f(w: Record<string, number>, x: number): number {
  const m = new Map<string, number>();
  const t = ${chain(() => "x")};
  for (const key of Object.keys(w)) m.set(key, w[key]! * t);
  let s = 0;
  for (const [, v] of m) s += v;
  return s;
}`);
    const declaration = find(file, (n): n is ts.VariableDeclaration => ts.isVariableDeclaration(n) && n.name.getText() === "m");
    const fill = filledByWalk(declaration, checker);
    expect(fill?.set.getText()).toBe("m.set(key, w[key]! * t);");
  });

  it("parameter-writes: a helper with a deep expression that writes into its parameter, and one that only reads it", () => {
    const { file, checker } = program(`
export function writes(v: number[]): number {
  const s = ${chain((i) => `v[${i % 7}]!`)};
  v[1] = s;
  return s;
}
export function reads(v: number[]): number {
  return ${chain((i) => `v[${i % 7}]!`)};
}`);
    const fn = (name: string): ts.FunctionDeclaration => find(file, (n): n is ts.FunctionDeclaration => ts.isFunctionDeclaration(n) && n.name?.text === name);
    const ctx = { checker, resolveFunction: () => undefined };
    expect(parameterWrite(fn("writes"), 0, ctx)).toBe("'v[1] = ...'");
    expect(parameterWrite(fn("reads"), 0, ctx)).toBeUndefined();
  });
});
