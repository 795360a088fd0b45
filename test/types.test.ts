// The types of the transforms (runtime/transforms.ts), as an editor shows them:
// an invalid call is a TypeScript error at the argument that is wrong, whose
// text says what is wrong; a valid call's result reads as the gradient's shape
// on hover, not as a type alias. Checked with a language service of
// TypeScript 6.0 and of 5.9 (the oldest the package supports).

import * as path from "node:path";
import type * as TS from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./harness.js";

const FILE = path.join(ROOT, "test/inputs/types/transforms.ts");

const SOURCE = `import { checkpoint, grad, hessian, jacfwd, jacobian, jvp, valueAndGrad, vjp } from "tsgrad";

function f(x: number[], k: number): number {
  return x[0]! * k;
}
function named(x: number, name: string): number {
  return name.length > 0 ? x : -x;
}
function label(x: number): string {
  return \`\${x}\`;
}
type Model = { w: Float64Array; b: number };
function loss(p: Model, xs: number[]): number {
  return p.b * xs.length;
}
function field(x: Float64Array, t: number): Float64Array {
  return x.map((v) => v * t);
}
function polar(r: number, theta: number): [number, number] {
  return [r * Math.cos(theta), r * Math.sin(theta)];
}
function withAux(w: Float64Array): [number, { acc: number; note: string }] {
  return [w[0]!, { acc: 1, note: "" }];
}

export const pastLast = grad(f, 5);
export const ofString = grad(named, 1);
export const returnsString = grad(label);
export const listPastLast = valueAndGrad(f, [0, 7]);
export const jvpOfString = jvp(label);
export const gradOfVector = grad(field);
export const jacobianOfString = jacobian(label);
export const jacfwdWrtString = jacfwd(named, [0, 1]);
export const auxOfScalar = grad(f, 0, { hasAux: true });

export const df = grad(f);
export const dk = grad(f, 1);
export const both = grad(f, [0, 1]);
export const dLoss = grad(loss);
export const valueAndDf = valueAndGrad(f);
export const tangentOfF = jvp(f);
export const inline = grad((x: number, y: number) => x * y, [1, 0]);
class Vec2 {
  constructor(readonly x: number, readonly y: number) {}
  plus(o: Vec2): Vec2 {
    return new Vec2(this.x + o.x, this.y + o.y);
  }
  static zero(): Vec2 {
    return new Vec2(0, 0);
  }
}
function spread(a: Vec2, b: Vec2, s: number): number {
  return a.plus(b).x * s;
}
export const dVec = grad(spread);
export const dVecs = grad(spread, [0, 2]);
export const second = grad(grad((x: number) => x ** 3));
export const vjpOfField = vjp(field);
export const vjpOfPolar = vjp(polar, [0, 1]);
export const jvpOfPolar = jvp(polar);
export const jacOfField = jacobian(field);
export const jacOfFieldByT = jacfwd(field, 1);
export const jacOfPolar = jacobian(polar);
export const jacOfPolarBoth = jacobian(polar, [0, 1]);
function predict(p: Model, t: number): { level: number; trend: number[] } {
  return { level: p.b * t, trend: [p.w[0]! * t] };
}
export const jacOfModel = jacobian(predict);
export const jacfwdOfModelBoth = jacfwd(predict, [0, 1]);
export const jacOfLossBoth = jacobian(loss, [0, 1]);
interface Reading {
  level: number;
  trend: number[];
}
function read(x: number[]): Reading {
  return { level: x[0]!, trend: x };
}
export const jacOfInterface = jacobian(read);
export const vjpOfInterface = vjp(read);
export const gradAux = grad(withAux, 0, { hasAux: true });
export const valueAux = valueAndGrad(withAux, 0, { hasAux: true });
export const gradInto = grad(loss, 0, { into: true });
export const valueInto = valueAndGrad(f, [0, 1], { into: true, hasAux: false });
export const scalarInto = grad(f, 1, { into: true });
export const hessianOfX = hessian(f);
export const hessianOfK = hessian(f, 1);
export const step = checkpoint(f);
`;

const COMPILERS = [
  { version: "6.0", module: "typescript" },
  { version: "5.9", module: "typescript59" },
];

describe.each(COMPILERS)("the transforms' types under TypeScript $version", ({ module }) => {
  const ts = require(module) as typeof TS;
  const options: TS.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    noEmit: true,
    paths: { tsgrad: [path.join(ROOT, "runtime/index.ts")] },
  };
  const host: TS.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [FILE],
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) => {
      const text = f === FILE ? SOURCE : ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === FILE || ts.sys.fileExists(f),
    readFile: (f) => (f === FILE ? SOURCE : ts.sys.readFile(f)),
  };
  const ls = ts.createLanguageService(host);
  const diagnostics = ls.getSemanticDiagnostics(FILE);

  /** The one diagnostic of the statement declaring `name`. */
  const errorOf = (name: string): { at: string; text: string } => {
    const statement = SOURCE.indexOf(`export const ${name} =`);
    const end = SOURCE.indexOf("\n", statement);
    const mine = diagnostics.filter((d) => d.start! >= statement && d.start! < end);
    expect(mine, name).toHaveLength(1);
    const d = mine[0]!;
    return { at: SOURCE.slice(d.start, d.start! + d.length!), text: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  };

  /** What hovering `name` in its declaration shows. */
  const hover = (name: string): string => {
    const info = ls.getQuickInfoAtPosition(FILE, SOURCE.indexOf(`export const ${name} =`) + "export const ".length);
    return ts.displayPartsToString(info?.displayParts);
  };

  it("reports a wrt past the last parameter at the wrt, saying so", () => {
    const e = errorOf("pastLast");
    expect(e.at).toBe("5");
    expect(e.text).toContain("wrt selects parameter 5, but the function has 2 parameter(s) (positions start at 0)");
  });

  it("reports a wrt naming a string parameter at the wrt, saying so", () => {
    const e = errorOf("ofString");
    expect(e.at).toBe("1");
    expect(e.text).toContain("parameter 1 is a string, which has no gradient; select a number, array or object parameter");
  });

  it("reports grad of a function returning a string at the function, saying so", () => {
    const e = errorOf("returnsString");
    expect(e.at).toBe("label");
    expect(e.text).toContain("tsgrad: grad() needs a function that returns a number");
    const j = errorOf("jvpOfString");
    expect(j.text).toContain("tsgrad: jvp() needs a function that returns a number");
  });

  it("reports the wrong position of a wrt list, saying which", () => {
    const e = errorOf("listPastLast");
    expect(e.at).toBe("[0, 7]");
    expect(e.text).toContain("wrt selects parameter 7, but the function has 2 parameter(s)");
  });

  it("has no other errors", () => {
    const firstValid = SOURCE.indexOf("export const df =");
    expect(diagnostics.filter((d) => d.start! >= firstValid).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    expect(diagnostics).toHaveLength(9);
  });

  it("shows each result as the gradient's shape", () => {
    expect(hover("df")).toBe("const df: (x: number[], k: number) => number[]");
    expect(hover("dk")).toBe("const dk: (x: number[], k: number) => number");
    expect(hover("both")).toBe("const both: (x: number[], k: number) => [number[], number]");
    expect(hover("valueAndDf")).toBe("const valueAndDf: (x: number[], k: number) => [value: number, gradient: number[]]");
    expect(hover("inline")).toBe("const inline: (x: number, y: number) => [number, number]");
    expect(hover("second")).toBe("const second: (x: number) => number");
    expect(hover("hessianOfX")).toBe("const hessianOfX: (x: number[], k: number) => number[][]");
    expect(hover("hessianOfK")).toBe("const hessianOfK: (x: number[], k: number) => number");
    expect(hover("step")).toBe("const step: (x: number[], k: number) => number");
    // A class instance's gradient: a plain object of its fields, without its methods.
    expect(hover("dVec").replace(/\s+/g, " ")).toBe("const dVec: (a: Vec2, b: Vec2, s: number) => { x: number; y: number; }");
    expect(hover("dVecs").replace(/\s+/g, " ")).toBe("const dVecs: (a: Vec2, b: Vec2, s: number) => [{ x: number; y: number; }, number]");
    const record = hover("dLoss").replace(/\s+/g, " ");
    expect(record).toMatch(/^const dLoss: \(p: Model, xs: number\[\]\) => \{ w: Float64Array(<ArrayBufferLike>)?; b: number; \}$/);
  });

  it("points grad of a vector-valued function to jacobian and vjp", () => {
    const e = errorOf("gradOfVector");
    expect(e.at).toBe("field");
    expect(e.text).toContain("tsgrad: grad() needs a function that returns a number; for a vector- or tuple-valued function use jacobian(f) or vjp(f)");
    expect(errorOf("jacobianOfString").text).toContain("tsgrad: jacobian() needs a function that returns a number, an array, or a tuple or record of them");
    const wrt = errorOf("jacfwdWrtString");
    expect(wrt.at).toBe("[0, 1]");
    expect(wrt.text).toContain("parameter 1 is a string, which has no gradient");
    expect(errorOf("auxOfScalar").text).toContain("tsgrad: grad() with hasAux needs a function that returns [loss, aux], loss a number");
  });

  it("types vjp, jvp of tuples, the Jacobians, hasAux and into", () => {
    const flat = (name: string): string => hover(name).replace(/\s+/g, " ").replace(/<ArrayBufferLike>/g, "");
    expect(flat("vjpOfField")).toBe("const vjpOfField: (x: Float64Array, t: number, cotangent: Float64Array) => [value: Float64Array, gradient: Float64Array]");
    expect(flat("vjpOfPolar")).toBe("const vjpOfPolar: (r: number, theta: number, cotangent: [number, number]) => [value: [number, number], gradient: [number, number]]");
    expect(flat("jvpOfPolar")).toBe("const jvpOfPolar: (r: number, theta: number, tangent0: number, tangent1: number) => [value: [number, number], tangent: [number, number]]");
    expect(flat("jacOfField")).toBe("const jacOfField: (x: Float64Array, t: number) => number[][]");
    expect(flat("jacOfFieldByT")).toBe("const jacOfFieldByT: (x: Float64Array, t: number) => number[]");
    // Tuple and record results: a row per output, each the gradient's shape; a wrt array gives a tuple of Jacobians.
    expect(flat("jacOfPolar")).toBe("const jacOfPolar: (r: number, theta: number) => number[]");
    expect(flat("jacOfPolarBoth")).toBe("const jacOfPolarBoth: (r: number, theta: number) => [number[], number[]]");
    expect(flat("jacOfModel")).toBe("const jacOfModel: (p: Model, t: number) => { w: Float64Array; b: number; }[]");
    expect(flat("jacfwdOfModelBoth")).toBe("const jacfwdOfModelBoth: (p: Model, t: number) => [{ w: Float64Array; b: number; }[], number[]]");
    // A record result declared as an interface (no index signature) is a result too.
    expect(flat("jacOfInterface")).toBe("const jacOfInterface: (x: number[]) => number[][]");
    expect(flat("vjpOfInterface")).toBe("const vjpOfInterface: (x: number[], cotangent: { level: number; trend: number[]; }) => [value: Reading, gradient: number[]]");
    expect(flat("jacOfLossBoth")).toBe("const jacOfLossBoth: (p: Model, xs: number[]) => [{ w: Float64Array; b: number; }, number[]]");
    expect(flat("gradAux")).toBe("const gradAux: (w: Float64Array) => [gradient: Float64Array, aux: { acc: number; note: string; }]");
    expect(flat("valueAux")).toBe("const valueAux: (w: Float64Array) => [value: [loss: number, aux: { acc: number; note: string; }], gradient: Float64Array]");
    expect(flat("gradInto")).toBe("const gradInto: (p: Model, xs: number[], into: { w: Float64Array; b: number; }) => { w: Float64Array; b: number; }");
    expect(flat("valueInto")).toBe("const valueInto: (x: number[], k: number, into: [number[], number]) => [value: number, gradient: [number[], number]]");
    expect(flat("scalarInto")).toBe("const scalarInto: (x: number[], k: number) => number");
  });

  it("names jvp's tangents apart from the arguments", () => {
    expect(hover("tangentOfF")).toBe(
      "const tangentOfF: (x: number[], k: number, tangent0: number[], tangent1: number) => [value: number, tangent: number]",
    );
  });
});
