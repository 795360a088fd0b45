// Issue 13 items 1 and 2: arrays of arrays and arrays of records or tuples as
// differentiated parameters. Each gradient has its parameter's shape and kinds
// (ragged rows stay ragged, Float64Array rows stay Float64Arrays, records come
// back as records with the same fields, tuples as tuples), matches finite
// differences and known values, and the transforms' types say so.

import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, leaves } from "./numeric.js";
import { addRecords, addRows, addTuples, zerosRows } from "../runtime/index.js";

const file = path.join(ROOT, "test/inputs/nested/shapes.ts");
const compiled = compile([file]);
const m = load(compiled, file) as Record<string, (...args: unknown[]) => unknown>;

type Body = { x: number; y: number };
const bodies = (): Body[] => [
  { x: 0.5, y: 1 },
  { x: 1.5, y: -0.5 },
  { x: -1, y: 2 },
];

/** The gradient matches central differences of `f` at `args`, parameter by parameter. */
function agreesWithDifferences(f: string, args: unknown[], wrt: number[], gradient: unknown): void {
  const got = leaves(wrt.length === 1 ? [gradient] : gradient);
  const expected = wrt.flatMap((w) => argumentGradient(m[f] as never, args as never, w));
  expect(got).toHaveLength(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]!), `${f} component ${i}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(expected[i]!))));
}

describe("nested data under grad", () => {
  it("compiles without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it("a ragged number[][] gives number[][] of the same ragged shape", () => {
    const W = [[1, 2, 3], [4], [], [0.5, -1]];
    const g = m.dRagged!(W) as number[][];
    expect(g.map((row) => row.length)).toEqual([3, 1, 0, 2]);
    for (const row of g) expect(Array.isArray(row)).toBe(true);
    expect(g).toEqual([[2, 4, 6], [16], [], [4, -8]]);
    agreesWithDifferences("raggedSquares", [W], [0], g);
  });

  it("readonly Float64Array[] gives Float64Array rows", () => {
    const W = [Float64Array.of(0.1, 0.2), Float64Array.of(-1)];
    const g = m.dRowsOfF64!(W) as Float64Array[];
    expect(g).toHaveLength(2);
    for (const row of g) expect(row).toBeInstanceOf(Float64Array);
    expect(Array.from(g[0]!)).toEqual([Math.cos(0.1), Math.cos(0.2)]);
    expect(Array.from(g[1]!)).toEqual([Math.cos(-1)]);
  });

  it("three levels of Float64Array rows give the same three levels", () => {
    const T = [[Float64Array.of(1, 2), Float64Array.of(3)], [], [Float64Array.of(4, 5, 6)]];
    const g = m.dStack!(T) as Float64Array[][];
    expect(g.map((slab) => slab.length)).toEqual([2, 0, 1]);
    for (const slab of g) for (const row of slab) expect(row).toBeInstanceOf(Float64Array);
    expect(g.map((slab) => slab.map((row) => Array.from(row)))).toEqual([[[1, 2], [1]], [], [[1, 2, 3]]]);
  });

  it("a number[][] field of a parameter object gives the same field", () => {
    const net = { W: [[1, 2], [3, 4]], bias: 0.5 };
    const g = m.dNet!(net) as { W: number[][]; bias: number };
    expect(Object.keys(g).sort()).toEqual(["W", "bias"]);
    expect(g.bias).toBe(1);
    expect(g.W).toEqual([[1, 1], [1.5, 4]]);
    agreesWithDifferences("netLoss", [net], [0], g);
  });

  it("an array of records gives an array of plain records with the same fields", () => {
    const b = bodies();
    const g = m.dPull!(b) as Body[];
    expect(g).toHaveLength(3);
    for (const r of g) expect(Object.keys(r)).toEqual(["x", "y"]);
    expect(g).toEqual([
      { x: 2 * (0.5 - 1), y: 6 * (1 - 0) },
      { x: 2 * 1.5, y: 6 * (-0.5 - 1) },
      { x: 2 * (-1 + 1), y: 6 * (2 - 0.5) },
    ]);
    // The caller's records are untouched.
    expect(b).toEqual(bodies());
    const [value, vg] = m.vgPull!(b) as [number, Body[]];
    expect(value).toBe(m.pull!(b));
    expect(vg).toEqual(g);
  });

  it("records passed on to a helper keep their gradient's shape, beside a number", () => {
    const b = bodies();
    const [g, dk] = m.dChain!(b, 2) as [Body[], number];
    expect(g.map((r) => Object.keys(r))).toEqual([["x", "y"], ["x", "y"], ["x", "y"]]);
    expect(dk).toBeCloseTo(m.chainEnergy!(b, 1) as number, 12);
    agreesWithDifferences("chainEnergy", [b, 2], [0, 1], [g, dk]);
  });

  it("an array of tuples gives an array of tuples", () => {
    const obs: [number, number][] = [[1, 2], [0.5, -1], [2, 0.25]];
    const g = m.dPairs!(obs) as number[][];
    expect(g).toEqual([[4, 4], [1, -1], [0.0625, 1]]);
    for (const t of g) expect(Array.isArray(t)).toBe(true);
  });

  it("jvp reads the tangent of each row and each record", () => {
    const b = bodies();
    const tangent = [{ x: 1, y: 0 }, { x: 0, y: 1 }, { x: 0.5, y: 0.5 }];
    const [value, dot] = m.jPull!(b, tangent) as [number, number];
    expect(value).toBe(m.pull!(b));
    const g = m.dPull!(b) as Body[];
    const expected = g.reduce((s, r, i) => s + r.x * tangent[i]!.x + r.y * tangent[i]!.y, 0);
    expect(dot).toBeCloseTo(expected, 12);
    const W = [[1, 2], [3]];
    const [, rowsDot] = m.jRagged!(W, [[1, 0], [1]]) as [number, number];
    expect(rowsDot).toBe(2 * 1 * 1 + 2 * 3 * 2);
  });
});

describe("the types of nested gradients", () => {
  const checker = compiled.program.getTypeChecker();
  const source = compiled.program.getSourceFile(file)!;
  const typeOf = (name: string): string => {
    for (const s of source.statements) {
      if (!ts.isVariableStatement(s)) continue;
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) {
          return checker.typeToString(checker.getTypeAtLocation(d.name), undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias);
        }
      }
    }
    throw new Error(`no ${name}`);
  };

  it("follow the parameter's nesting, without readonly", () => {
    expect(typeOf("dRagged")).toBe("(W: number[][]) => number[][]");
    expect(typeOf("dRowsOfF64")).toMatch(/^\(W: readonly Float64Array(<ArrayBufferLike>)?\[\]\) => Float64Array(<ArrayBufferLike>)?\[\]$/);
    expect(typeOf("dNet")).toBe("(net: Net) => { W: number[][]; bias: number; }");
    expect(typeOf("dPull")).toBe("(bodies: Body[]) => { x: number; y: number; }[]");
    expect(typeOf("dChain")).toBe("(bodies: Body[], k: number) => [{ x: number; y: number; }[], number]");
    expect(typeOf("dStack")).toMatch(/^\(T: readonly Float64Array(<ArrayBufferLike>)?\[\]\[\]\) => Float64Array(<ArrayBufferLike>)?\[\]\[\]$/);
    expect(typeOf("dPairs")).toBe("(obs: readonly (readonly [number, number])[]) => [number, number][]");
  });
});

describe("the runtime's buffers for nested data", () => {
  it("zerosRows keeps each row's kind and length, in fresh buffers", () => {
    const input = [[1, 2], [], [3]];
    const z = zerosRows(input);
    expect(z).toEqual([[0, 0], [], [0]]);
    expect(zerosRows([[[1], [2, 3]], []])).toEqual([[[0], [0, 0]], []]);
    z[0]![0] = 5;
    expect(input[0]).toEqual([1, 2]);
    const f = zerosRows([Float64Array.of(1, 2, 3)]);
    expect(f[0]).toBeInstanceOf(Float64Array);
    expect(Array.from(f[0]!)).toEqual([0, 0, 0]);
  });

  it("the add helpers add a callee's gradient of records, tuples and rows into the caller's", () => {
    const cx = new Float64Array(2);
    const cy = new Float64Array(2);
    addRecords({ x: cx, y: cy }, [{ x: 1, y: 3 }, { x: 2, y: 4 }]);
    addTuples([cx, cy], [[10, 30], [20, 40]]);
    expect([Array.from(cx), Array.from(cy)]).toEqual([[11, 22], [33, 44]]);
    const rows = [[1, 2], [3]];
    addRows(rows, [[0.5, 0.5], [1]]);
    expect(rows).toEqual([[1.5, 2.5], [4]]);
    const deep = [[[1], [2, 3]]];
    addRows(deep, [[[1], [1, 1]]]);
    expect(deep).toEqual([[[2], [3, 4]]]);
  });
});
