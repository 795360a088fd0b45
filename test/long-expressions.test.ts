// Long expressions (issue 11, finding 3): generated code (other tools' output,
// unrolled kernels) has a `return` of thousands of terms, a chain that nests
// as deep as it is long. The transformer walks such chains in loops and asks
// the checker nothing per level, so a 10,000-term function differentiates,
// correctly, next to other files whose output and diagnostics are unaffected.
// `npm test` checks a 6,000-term return (a recursive walk overflows the stack
// well below that); `npm run test:long` checks the 10,000-term one, which takes
// TypeScript's own checker minutes.
// (Timings are in `npm run bench`; tests check correctness only.)

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import { tsgradDiagnostics } from "../transformer/index.js";
import { reportFile } from "../transformer/report.js";
import { compile, compilerOptions, load } from "./harness.js";
import { createProgram } from "./shared-host.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-long-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const c = (i: number): number => ((i * 7) % 11) / 10 + 0.1;
/** Term i of f(x, y, v), and its partial derivatives added into `g`. */
const TERMS: [(i: number) => string, (i: number, x: number, y: number, v: number[], g: Gradient) => void][] = [
  [(i) => `${c(i)} * x * y`, (i, x, y, _v, g) => { g.x += c(i) * y; g.y += c(i) * x; }],
  [(i) => `Math.sin(${c(i)} * x)`, (i, x, _y, _v, g) => void (g.x += c(i) * Math.cos(c(i) * x))],
  [(i) => `v[${i % 8}] * v[${(i + 3) % 8}]`, (i, _x, _y, v, g) => { g.v[i % 8]! += v[(i + 3) % 8]!; g.v[(i + 3) % 8]! += v[i % 8]!; }],
  [() => `y / (1 + x * x)`, (_i, x, y, _v, g) => { g.y += 1 / (1 + x * x); g.x += (-2 * x * y) / (1 + x * x) ** 2; }],
];
interface Gradient { x: number; y: number; v: number[] }

function source(n: number): string {
  const terms = Array.from({ length: n }, (_, i) => TERMS[i % TERMS.length]![0](i)).join(" + ");
  return `import { grad, valueAndGrad } from "tsgrad";
export function f(x: number, y: number, v: number[]): number {
  return ${terms};
}
export const g = grad(f, [0, 1, 2]);
export const vg = valueAndGrad(f, [0, 1, 2]);
`;
}

/** The gradient of the n-term f, by hand. */
function expected(n: number, x: number, y: number, v: number[]): Gradient {
  const g: Gradient = { x: 0, y: 0, v: v.map(() => 0) };
  for (let i = 0; i < n; i++) TERMS[i % TERMS.length]![1](i, x, y, v, g);
  return g;
}

function expectClose(got: [number, number, number[]], want: Gradient): void {
  const near = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  near(got[0], want.x);
  near(got[1], want.y);
  got[2].forEach((a, k) => near(a, want.v[k]!));
}

/** How many terms the long return has: TSGRAD_LONG_TERMS, else 6,000. */
const N = Number(process.env.TSGRAD_LONG_TERMS ?? 6_000);
const X = 0.7;
const Y = -1.3;
const V = [0.5, -0.25, 1.5, 2, -1, 0.75, 0.125, -2.5];

describe(`a ${N.toLocaleString("en")}-term return`, () => {
  const file = path.join(dir, "long.ts");
  fs.writeFileSync(file, source(N));
  // Another file of the same program, with one call that differentiates and one refused.
  const other = path.join(dir, "other.ts");
  fs.writeFileSync(other, `import { grad } from "tsgrad";\nconst sq = (x: number): number => x * x;\nexport const dSq = grad(sq);\nexport const dNoisy = grad((x: number) => x * Math.random());\n`);
  const program = createProgram([file, other], compilerOptions);

  it("differentiates without a diagnostic, and the other file still reports its own", () => {
    const ours = tsgradDiagnostics(program);
    expect(ours.map((d) => `${path.basename(d.file!.fileName)} TS${d.code}`)).toEqual(["other.ts TS90003"]);
  }, 300_000);

  it("gives the right gradient, and valueAndGrad the value f computes, to the bit", async () => {
    const report = await reportFile(program, program.getSourceFile(file)!, dir);
    // The generated functions, run as they are (tsgrad.* is the runtime).
    const js = ts.transpileModule(report.code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const made = new Function("tsgrad", `${js}\nreturn { grad: f_grad_0_1_2, valueAndGrad: f_valueAndGrad_0_1_2 };`)(runtime) as {
      grad(x: number, y: number, v: number[]): [number, number, number[]];
      valueAndGrad(x: number, y: number, v: number[]): [number, [number, number, number[]]];
    };
    const want = expected(N, X, Y, V);
    expectClose(made.grad(X, Y, [...V]), want);
    const [value, gradient] = made.valueAndGrad(X, Y, [...V]);
    const expression = source(N).split("return ")[1]!.split(";")[0]!;
    const f = new Function("x", "y", "v", `return ${expression};`) as (x: number, y: number, v: number[]) => number;
    expect(Object.is(value, f(X, Y, V))).toBe(true);
    expectClose(gradient, want);
  }, 300_000);
});

describe("a 4,000-term return, compiled as tspc does", () => {
  it("emits every file and the gradient is right", () => {
    const file = path.join(dir, "long4000.ts");
    fs.writeFileSync(file, source(4_000));
    const c = compile([file]);
    expect(c.diagnostics.filter((d) => d.source === "tsgrad")).toEqual([]);
    const m = load(c, file) as { f(...a: unknown[]): number; g(...a: unknown[]): [number, number, number[]]; vg(...a: unknown[]): [number, [number, number, number[]]] };
    const want = expected(4_000, X, Y, V);
    expectClose(m.g(X, Y, [...V]), want);
    const [value, gradient] = m.vg(X, Y, [...V]);
    expect(Object.is(value, m.f(X, Y, V))).toBe(true);
    expectClose(gradient, want);
  }, 300_000);
});
