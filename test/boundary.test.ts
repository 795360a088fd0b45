// One error boundary (issue 11, finding 2): whatever planning, lowering or
// differentiating a function throws, eagerly or while a function needed later
// is made, becomes a located diagnostic at the transform call that needed it,
// and the rest of the program still builds. A hessian through a customGrad
// function is such a refusal: forward mode over its rule is attempted only
// when the hessian's row function is made.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { tsgradDiagnostics } from "../transformer/index.js";
import { compile, compilerOptions, emitted, load } from "./harness.js";
import { createProgram } from "./shared-host.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-boundary-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SOURCE = `import { customGrad, grad, hessian } from "tsgrad";
const square = customGrad((x: number) => x * x, (x: number, _out: number, dout: number) => 2 * x * dout);

const cubed = customGrad((x: number) => x * x * x, (x: number, _out: number, dout: number) => 3 * x * x * dout);

const fourth = customGrad((x: number) => x ** 4, (x: number, _out: number, dout: number) => 4 * x ** 3 * dout);

function twice(x: number[]): number {
  return square(x[0]!) + cubed(x[1]!) + fourth(x[0]!);
}
function cube(x: number): number {
  return x * x * x;
}
export const hLse = () => hessian((x: number[]) => square(x[0]!))([1, 2]);
export const hProd = () => hessian((x: number[]) => cubed(x[1]!))([1, 2]);
export const hNorm = () => hessian((x: number[]) => fourth(x[0]!) + twice(x))([3, 4]);
export const dCube = grad(cube);
`;
const file = path.join(dir, "refused.ts");
fs.writeFileSync(file, SOURCE);
/** A second file of the same program, with nothing to refuse. */
const other = path.join(dir, "other.ts");
fs.writeFileSync(other, `import { grad } from "tsgrad";\nconst sq = (x: number): number => x * x;\nexport const dSq = grad(sq);\n`);

const lineOf = (d: ts.Diagnostic | ts.DiagnosticRelatedInformation): number => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
const text = (d: ts.Diagnostic): string => ts.flattenDiagnosticMessageText(d.messageText, "\n");

describe("a refusal found while making a function another one needs", () => {
  it("is a diagnostic, not an exception, when only the diagnostics are asked for (tsgrad check)", () => {
    const program = createProgram([file, other], compilerOptions);
    const ours = tsgradDiagnostics(program);
    expect(ours.map(text).every((m) => /customGrad rule .* is not itself differentiable/.test(m)), ours.map(text).join("\n")).toBe(true);
    expect(ours.map((d) => d.code)).not.toContain(90099);
  });

  it("is one located diagnostic per refused call, and the rest of the program builds and runs", async () => {
    const c = compile([file, other]);
    const ours = c.diagnostics.filter((d) => d.source === "tsgrad");
    expect(ours).toHaveLength(3);
    for (const d of ours) {
      expect(d.file?.fileName).toBe(file);
      expect(d.code).toBe(90001);
      expect(d.start).toBeGreaterThanOrEqual(0);
      expect(d.length).toBeGreaterThan(0);
    }
    // Each is at the construct refused, and names the transform call that needed it.
    expect(ours.map(lineOf)).toEqual([2, 4, 6]);
    expect(ours.map((d) => d.relatedInformation?.map(lineOf))).toEqual([[14], [15], [16]]);

    const m = load(c, file) as Record<string, () => unknown>;
    expect((m.dCube as unknown as (x: number) => number)(2)).toBe(12);
    for (const refused of ["hLse", "hProd", "hNorm"]) expect(m[refused]!, refused).toThrow(/transformer did not run|tsgrad/);
    expect((load(c, other).dSq as (x: number) => number)(3)).toBe(6);
    // tsgrad emit prints the calls that did differentiate.
    expect(await emitted(c, file)).toMatch(/function cube_grad/);
  });
});
