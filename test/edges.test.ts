// Numerical edges (issue "Never a wrong derivative", item 5), on the programs
// in test/inputs/edges/:
//   - PyTorch's conventions where a derivative does not exist (SPEC §3);
//   - NaN and infinities flow through the backward sweep as through the forward;
//   - valueAndGrad's value is f's value bit for bit (Object.is: -0 and NaN too);
//   - loops that overwrite a value 1e5 times give the gradient that forward-mode
//     differentiation by hand gives, and leave the runtime stacks empty.
// After every test the runtime stacks (stackDepth() from "tsgrad") are empty.

import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Compiled, compile, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, flatten } from "./numeric.js";

const DIR = path.join(ROOT, "test/inputs/edges");
const FILES = ["kinks.ts", "nonfinite.ts", "values.ts", "long.ts", "unreached.ts"].map((f) => path.join(DIR, f));

type Fn = (...args: any[]) => any;
type Module = Record<string, Fn>;

let compiled: Compiled;
const modules: Record<string, Module> = {};
const mod = (name: string): Module => (modules[name] ??= load(compiled, path.join(DIR, `${name}.ts`)) as Module);

// Compiling takes seconds, more on a loaded machine than the default hook timeout allows.
beforeAll(() => {
  compiled = compile(FILES);
}, 120_000);

/** The runtime's stacks as the generated code sees them: `stackDepth` re-exported from "tsgrad". */
const stackDepth = (): unknown => mod("long").stackDepth!();

afterEach(() => {
  expect(stackDepth()).toEqual({ values: 0, control: 0 });
});

it("compiles the inputs without diagnostics", () => {
  expect(formatDiagnostics(compiled.diagnostics)).toBe("");
});

/** `got` is `want`; a wanted 0 accepts either sign (PyTorch does not specify it), all else by Object.is. */
function expectNumber(got: number, want: number, what: string): void {
  if (want === 0) expect(got === 0, `${what}: ${got} is not 0`).toBe(true);
  else expect(got, what).toBe(want);
}

describe("PyTorch's conventions at kinks", () => {
  it.each([
    ["distinct", [1, 3, 2, 5], 1],
    ["ties with the start and each other", [2, 2, 2, 1], 2],
    ["a tie later on", [1, 4, 3, 4], 1],
    ["signed zeros", [-0, 0, -0, 0], 0],
    ["a NaN element", [1, Number.NaN, 3, 2], 1],
    ["a NaN start", [1, 2, 3], Number.NaN],
  ] as const)("running max and min save only when they change (%s): the same gradient as saving every step", (_what, xs, c) => {
    const kinks = mod("kinks");
    const x = Float64Array.from(xs);
    const [gx, gc] = kinks.dRunning!(x, c) as [Float64Array, number];
    const [px, pc] = kinks.dRunningPlain!(x, c) as [Float64Array, number];
    expect(Object.is(gc, pc), `${gc} vs ${pc}`).toBe(true);
    for (let i = 0; i < gx.length; i++) expect(Object.is(gx[i], px[i]), `x[${i}]: ${gx[i]} vs ${px[i]}`).toBe(true);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it("running max and min with infinite adjoints: an element that loses gets 0, not 0 * Infinity", () => {
    // hi = max(-1, -x[i]) is +Infinity from x[0] = -Infinity on; lo = min(x[i], -1) is -Infinity
    // from x[0], so lo's adjoint 2·lo is -Infinity: saving every step gives the losers 0 * -Infinity = NaN.
    const kinks = mod("kinks");
    const x = Float64Array.from([Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY, 1]);
    const [gx, gc] = kinks.dRunning!(x, -1) as [Float64Array, number];
    expect([...gx]).toEqual([Number.NEGATIVE_INFINITY, 0, 0, 0]);
    // c's start values lose at the step x[0] wins, where the tie-splitting rule still multiplies
    // -Infinity by 0 (the 0·∞ gap the README describes): NaN.
    expect(gc).toBeNaN();
    const [px] = kinks.dRunningPlain!(x, -1) as [Float64Array, number];
    expect([...px].slice(1).every(Number.isNaN)).toBe(true);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it.each([
    ["distinct", [1, 3, 2, 5]],
    ["ties", [2, 2, 1.5, 2]],
    ["a NaN element", [1, Number.NaN, 3]],
  ] as const)("hessian through guarded saves (%s): the same rows as saving every step", (_what, xs) => {
    const kinks = mod("kinks");
    const x = Float64Array.from(xs);
    const got = kinks.hRunning!(x) as number[][];
    const want = kinks.hRunningPlain!(x) as number[][];
    expect(got.map((r) => r.map(String))).toEqual(want.map((r) => r.map(String)));
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  const third = 1 / 3;
  // [gradient function, point, expected gradient (one number per wrt)]
  const cases: [string, number[], number[]][] = [
    ["dAbs", [0], [0]],
    ["dAbs", [-0], [0]],
    ["dAbs", [2], [1]],
    ["dAbs", [-2], [-1]],
    ["dMax2", [1, 1], [0.5, 0.5]],
    ["dMax2", [2, 1], [1, 0]],
    ["dMax2", [1, 2], [0, 1]],
    ["dMin2", [1, 1], [0.5, 0.5]],
    ["dMin2", [2, 1], [0, 1]],
    ["dMax3", [1, 1, 1], [third, third, third]],
    ["dMax3", [2, 2, 1], [0.5, 0.5, 0]],
    ["dMax3", [0, 2, 2], [0, 0.5, 0.5]],
    ["dMax3", [3, 1, 2], [1, 0, 0]],
    ["dMin3", [1, 1, 1], [third, third, third]],
    ["dMin3", [1, 4, 1], [0.5, 0, 0.5]],
    ["dMin3", [2, 1, 1], [0, 0.5, 0.5]],
    ["dMaxSelf", [3], [1]],
    ["dRelu", [0], [0.5]],
    ["dRelu", [1], [1]],
    ["dRelu", [-1], [0]],
    ["dSqrt", [0], [Infinity]],
    ["dSquare", [0], [0]],
    ["dSquare", [-0], [0]],
    ["dPowSquare", [0], [0]],
    ["dCube", [0], [0]],
    ["dPower", [0, 2], [0, 0]],
    ["dPower", [0, 3], [0, 0]],
    ["dPower", [0, 0], [0, 0]],
    ["dPower", [2, 0], [0, Math.LN2]],
    ["dPower", [0, 0.5], [Infinity, 0]],
    ...(["dSign", "dFloor", "dCeil", "dRound", "dTrunc"] as const).flatMap((d) =>
      [0, -0, 2, 2.5, -1.5, 0.5, -0.5].map((x): [string, number[], number[]] => [d, [x], [0]]),
    ),
    ["dMixed", [2.5], [3]],
    ["dMixed", [0], [1]],
    ["dMixed", [-0.5], [0]],
  ];

  it.each(cases)("%s at %j is %j", (name, point, want) => {
    const got = flatten(mod("kinks")[name]!(...point));
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expectNumber(got[i]!, w, `${name}(${point}) [${i}]`));
  });
});

describe("NaN and infinities", () => {
  // [function, x, f(x), f'(x)]: what the forward sweep gives reaches the backward sweep.
  const cases: [string, number, number, number][] = [
    ["timesNaN", 1, NaN, NaN], // x * log(-9)
    ["log", 0, -Infinity, Infinity],
    ["log", -0, -Infinity, -Infinity],
    ["log", Infinity, Infinity, 0],
    ["logSquare", 0, -Infinity, NaN], // 2x / x² = 0 * Infinity, as torch
    ["sqrt", 0, 0, Infinity], // finite value, infinite derivative
    ["sqrt", Infinity, Infinity, 0],
    ["cbrt", 0, 0, Infinity],
    ["asin", 1, Math.PI / 2, Infinity],
    ["acos", 1, 0, -Infinity],
    ["halfPower", 0, 0, Infinity],
    ["exp", Infinity, Infinity, Infinity],
    ["exp", -Infinity, 0, 0],
    ["tanh", Infinity, 1, 0],
    ["tanh", -Infinity, -1, 0],
    ["reciprocal", 0, Infinity, -Infinity],
    ["reciprocal", Infinity, 0, 0],
    ["square", Infinity, Infinity, Infinity],
    ["square", -Infinity, Infinity, -Infinity],
    ["square", NaN, NaN, NaN],
    ["branch", NaN, NaN, -1], // NaN > 0 is false: the else branch, in both sweeps
    ["branch", Infinity, Infinity, Infinity],
    ["repeatedSquare", 1, 1, 8],
    ["repeatedSquare", Infinity, Infinity, Infinity],
    ["repeatedSquare", -Infinity, Infinity, -Infinity],
    ["repeatedSquare", NaN, NaN, NaN],
  ];
  const gradientOf = (name: string): Fn => mod("nonfinite")[`d${name[0]!.toUpperCase()}${name.slice(1)}`]!;

  it.each(cases)("%s at %s: value %s, derivative %s", (name, x, value, derivative) => {
    expectNumber(mod("nonfinite")[name]!(x), value, `${name}(${x})`);
    expectNumber(gradientOf(name)(x), derivative, `${name}'(${x})`);
  });

  const smooth = ["timesNaN", "log", "logSquare", "sqrt", "cbrt", "asin", "acos", "halfPower", "exp", "tanh", "reciprocal", "square", "repeatedSquare"];
  it.each(smooth)("%s: a NaN input gives a NaN derivative", (name) => {
    expect(mod("nonfinite")[name]!(NaN)).toBeNaN();
    expect(gradientOf(name)(NaN)).toBeNaN();
  });

  // Regression test (fixed): constant folding rewrites `x + 0` to `x`, which differs at x = -0
  // (-0 + 0 is +0), so the derivative code reads sqrt(-0) = -0. Minimal reproducer:
  // `grad((x: number) => Math.sqrt(x + 0))(-0)` is -Infinity; sqrt'(+0) is +Infinity.
  it("sqrt(x + 0) at x = -0 has derivative +Infinity, as sqrt at +0", () => {
    expect(mod("nonfinite").sqrtPlusZero!(-0)).toBe(0);
    expect(mod("nonfinite").dSqrtPlusZero!(-0)).toBe(Infinity);
  });
});

describe("valueAndGrad's value is f's value, bit for bit", () => {
  const SCALARS = [-0, 0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e308, -1e-300, 5e-324, 0.1, 3];
  const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
  // [function, points where value and gradient are compared, points where the gradient is also checked by differences, wrt]
  const cases: [string, unknown[][], unknown[][], number[]][] = [
    ["constantFirst", SCALARS.map((x) => [x]), [[1.5], [-0.3]], [0]],
    ["poly", SCALARS.map((x) => [x]), [[0.7], [-1.3]], [0]],
    ["branches", SCALARS.flatMap((x) => [[x, 1], [1, x], [x, x], [x, -x]]), [[1.5, 0.5], [0.3, 0.9], [-1, 2]], [0, 1]],
    ["mathChain", SCALARS.map((x) => [x]), [[0.55], [-1.1], [2.3]], [0]],
    // Not at infinities: the loop halves forever.
    ["halvings", [-0, 0, 1.5, -2.25, NaN, 1e10, 1e-300, 5e-324, 0.1, 3].map((x) => [x]), [[1.7], [-4.1]], [0]],
    ["rosenbrock", [[[0.5, -1.2, 1.7]], [[-0, 0, NaN]], [[Infinity, 1, 2]], [[1, 1, 1]], [[]]], [[[0.5, -1.2, 1.7]]], [0]],
    ["buffers", [[f64(0.5, -1.2, 1.7)], [f64(-0, NaN, 1)], [f64(-0)], [f64(1e308, -1e308)]], [[f64(0.5, -1.2, 1.7)]], [0]],
    [
      "reductions",
      [[f64(0.5, -1.2, 1.7), f64(0.1, 0.2, -3)], [f64(-0, 0, 1), f64(-0, -0, -0)], [f64(NaN, 1, 2), f64(1, 2, 3)], [f64(1e200, -1e200, 3), f64(700, 710, -Infinity)]],
      [[f64(0.5, -1.2, 1.7), f64(0.1, 0.2, -3)]],
      [0, 1],
    ],
    ["mapped", [[f64(0.5, -1.2, 1.7), f64(0.1, 0.2, -3)], [f64(-0, NaN, Infinity), f64(0, 1, 2)]], [[f64(0.5, -1.2, 1.7), f64(0.1, 0.2, -3)]], [0, 1]],
    ["forOf", [[[1, -2, 3, 100, 4]], [[-0, NaN]], [[]], [[Infinity, -0]]], [[[1, -2, 3, 4]]], [0]],
    ["recursive", SCALARS.map((x) => [x, 3]), [[0.7, 3], [-2, 2]], [0]],
  ];

  it.each(cases)("%s", (name, points, smooth, wrt) => {
    const values = mod("values");
    const f = values[name]!;
    const vg = values[`vg${name[0]!.toUpperCase()}${name.slice(1)}`]!;
    for (const point of points) {
      const [value] = vg(...point) as [number, unknown];
      expect(Object.is(value, f(...point)), `${name}(${JSON.stringify(point, (_k, v) => (typeof v === "number" ? String(v) : v))}): ${value} vs ${f(...point)}`).toBe(true);
      expect(stackDepth()).toEqual({ values: 0, control: 0 });
    }
    // The gradient is right too, where it exists.
    for (const point of smooth) {
      const [, gradient] = vg(...point) as [number, unknown];
      const want = wrt.flatMap((i) => argumentGradient(f as never, point as never, i));
      const got = flatten(gradient);
      expect(got).toHaveLength(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${name} [${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(want[i]!))));
    }
  });

  // Regression test (fixed): simplify folds `x + 0` to `x` and `0 - x` to `-x` in the forward sweep,
  // which changes the sign of a zero result. Minimal reproducer:
  // `valueAndGrad((x: number) => x + 0)(-0)[0]` is -0 but f(-0) is 0;
  // `valueAndGrad((x: number) => 1 / (0 - x))(0)[0]` is -Infinity but f(0) is Infinity.
  it("at signed zeros: x + 0, 0 - x, 1 / (0 - x)", () => {
    const values = mod("values");
    for (const [name, x] of [["plusZero", -0], ["zeroMinus", 0], ["reciprocalOfZeroMinus", 0]] as const) {
      const f = values[name]!;
      const [value] = values[`vg${name[0]!.toUpperCase()}${name.slice(1)}`]!(x) as [number];
      expect(value, `${name}(${Object.is(x, -0) ? "-0" : x})`).toBe(f(x));
    }
  });

  it("x + 0, 0 - x and 1 / (0 - x) away from zero", () => {
    const values = mod("values");
    for (const name of ["plusZero", "zeroMinus", "reciprocalOfZeroMinus"]) {
      for (const x of [1.5, -2.25, NaN, Infinity, -Infinity, 5e-324]) {
        const [value] = values[`vg${name[0]!.toUpperCase()}${name.slice(1)}`]!(x) as [number];
        expect(value, `${name}(${x})`).toBe(values[name]!(x));
      }
    }
  });
});

describe("loops that overwrite a value 1e5 times", () => {
  const N = 1e5;

  /** Forward-mode derivative by hand: [value, d/dx]. */
  function iterateTangent(x: number, n: number): [number, number] {
    let y = x;
    let dy = 1;
    for (let i = 0; i < n; i++) {
      dy = Math.cos(y) * dy + 0.5;
      y = Math.sin(y) + x * 0.5;
    }
    return [y, dy];
  }

  function zigzagTangent(x: number, n: number): [number, number] {
    let y = x;
    let dy = 1;
    for (let i = 0; i < n; i++) {
      if (y > 0) {
        dy = dy * 0.999 - 1e-3;
        y = y * 0.999 - x * 1e-3;
      } else {
        dy = dy * 0.998 + 2e-3;
        y = y * 0.998 + x * 2e-3;
      }
    }
    return [y, dy];
  }

  function bufferTangent(x: number, n: number): [number, number] {
    let y = x;
    let dy = 1;
    let s = 0;
    let ds = 0;
    for (let i = 0; i < n; i++) {
      dy = -Math.sin(y) * 0.5 * dy + 1;
      y = Math.cos(y) * 0.5 + x;
      if (i % 1000 === 0) {
        s += y * y;
        ds += 2 * y * dy;
      }
    }
    return [s + y, ds + dy];
  }

  const close = (got: number, want: number, what: string): void => {
    expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
  };

  it.each([0.3, -1.7, 2.5])("iterate at %s: the gradient of y = sin(y) + x/2, and the value bit for bit", (x) => {
    const long = mod("long");
    const [, dy] = iterateTangent(x, N);
    const first = long.dIterate!(x, N) as number;
    close(first, dy, "grad");
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
    // Nothing carries over from one call to the next.
    expect(long.dIterate!(x, N)).toBe(first);
    const [value, gradient] = long.vgIterate!(x, N) as [number, number];
    expect(value).toBe(long.iterate!(x, N));
    expect(gradient).toBe(first);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it.each([0.3, -0.8])("zigzag at %s: a branch per iteration on the overwritten value", (x) => {
    const long = mod("long");
    const [value, dy] = zigzagTangent(x, N);
    expect(long.zigzag!(x, N)).toBe(value);
    close(long.dZigzag!(x, N) as number, dy, "grad");
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it.each([0.3, -1.1])("buffer at %s: a while loop with break writing a local array", (x) => {
    const long = mod("long");
    const [value, dy] = bufferTangent(x, N);
    close(long.buffer!(x, N) as number, value, "value");
    close(long.dBuffer!(x, N) as number, dy, "grad");
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it.each([0.3, -1.1])("nested at %s: a callee's adjoint grows a short tape while the caller's values are on it", (x) => {
    const long = mod("long");
    const tape = long.tape as unknown as { values: Float64Array; top: number };
    // The same gradient twice: once with a tape long enough, once starting from 4 slots
    // (the caller's forward sweep runs again after growing it; the callee grows it mid-way).
    const [want] = long.dNested!(x, 5000) as [number];
    const saved = tape.values;
    tape.values = new Float64Array(4);
    try {
      expect((long.dNested!(x, 5000) as [number])[0]).toBe(want);
      expect(tape.values.length).toBeGreaterThanOrEqual(5000);
    } finally {
      // Test files share the runtime (vitest isolate: false): leave its tape as long as it was.
      tape.values = saved;
    }
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
    // Against the chain rule through iterate's tangent.
    let y = x;
    let dy = 1;
    for (let k = 0; k < 3; k++) {
      const [, dIter] = iterateTangent(y, 5000);
      [y, dy] = [(long.iterate!(y, 5000) as number) * 0.5 + Math.sin(y), (dIter * 0.5 + Math.cos(y)) * dy];
    }
    close(want, dy, "grad");
  });

  it("zero iterations and one", () => {
    const long = mod("long");
    expect(long.dIterate!(0.3, 0)).toBe(1);
    expect(long.dIterate!(0.3, 1)).toBe(Math.cos(0.3) + 0.5);
    expect(long.dBuffer!(0.3, 0)).toBe(1);
  });
});

describe("a value that does not reach the result contributes nothing, even where its partial is infinite", () => {
  const m = (): Module => mod("unreached");
  it("the other branch of a ?: (exp overflowing to Infinity)", () => {
    expect(m().dOther!(1, -1)).toEqual([1, 0]);
    expect(m().dOther!(0.001, 1)[0]).toBeCloseTo(1000 * Math.exp(1), 6);
  });
  it("a value overwritten before it is read (sqrt at 0)", () => {
    expectNumber(m().dOverwritten!(0), 0, "d/dx at 0");
    expect(m().dOverwritten!(3)).toBe(6);
  });
  it("a quotient by 0 on the branch that does not use it", () => {
    expect(m().dQuotient!(2, 0)).toEqual([1, 0]);
    expect(m().dQuotient!(2, 4)).toEqual([0.25, -2 / 16]);
  });
  it("a loop whose first iteration divides by its counter, unused there", () => {
    // s = x + x^2 (1 + 1/4 + 1/9): ds/dx = 1 + 2x (49/36)
    expect(m().dCounted!(3)).toBeCloseTo(1 + 6 * (49 / 36), 12);
  });
  it("a quotient that does reach the result keeps 0 * Infinity = NaN (as PyTorch)", () => {
    const [dx, di] = m().dUsed!(2, 0) as [number, number];
    expect(dx).toBeNaN();
    expect(di).toBeNaN();
  });
});
