// The runtime on its own: constructors, reductions, the adjoints generated code
// calls (each checked against finite differences of its reduction), the stacks.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import {
  addScaled,
  dotAdjoint,
  linspaceAdjoint,
  logSumExpAdjoint,
  maxAdjoint,
  meanAdjoint,
  minAdjoint,
  normAdjoint,
  prodAdjoint,
  sumAdjoint,
} from "../runtime/adjoints.js";
import {
  dot,
  logSumExp,
  max,
  mean,
  min,
  norm,
  prod,
  sum,
} from "../runtime/reductions.js";
import {
  popControl,
  popValue,
  pushControl,
  pushValue,
  stackDepth,
} from "../runtime/stack.js";
import {
  arange,
  full,
  linspace,
  map,
  map2,
  ones,
  tensor,
  zeros,
  zerosLike,
  type TensorLike,
} from "../runtime/tensor.js";

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` numbers drawn uniformly from [-1, 1). */
function randomVector(next: () => number, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

/** x + h·v. */
function step(x: TensorLike, h: number, v: TensorLike): Float64Array {
  return map2(x, v, (xi, vi) => xi + h * vi);
}

/** The directional derivative of f at x along v, by central differences. */
function directional(
  f: (x: Float64Array) => number,
  x: TensorLike,
  v: TensorLike,
  h = 1e-5,
): number {
  return (f(step(x, h, v)) - f(step(x, -h, v))) / (2 * h);
}

/** |a − b| small relative to the larger of them (or to 1). */
function expectClose(actual: number, expected: number, rel = 1e-7): void {
  const scale = Math.max(1, Math.abs(actual), Math.abs(expected));
  expect(
    Math.abs(actual - expected) / scale,
    `${actual} vs ${expected}`,
  ).toBeLessThan(rel);
}

// ---------------------------------------------------------------------------

describe("linspace", () => {
  it("hits both ends of [-10, 10] exactly, with 99 equal steps", () => {
    const y = linspace(-10, 10, 100);
    expect(y).toBeInstanceOf(Float64Array);
    expect(y.length).toBe(100);
    expect(y[0]).toBe(-10);
    expect(y[99]).toBe(10);
    for (let i = 1; i < 100; i++)
      expect(y[i]! - y[i - 1]!).toBeCloseTo(20 / 99, 12);
    // torch's two-sided formula makes the points exactly symmetric about 0.
    for (let i = 0; i < 100; i++) expect(y[i]).toBe(-y[99 - i]!);
  });

  it("gives [start] for n = 1 and both ends for n = 2", () => {
    expect(Array.from(linspace(0, 1, 1))).toEqual([0]);
    expect(Array.from(linspace(7, -3, 1))).toEqual([7]);
    expect(Array.from(linspace(0, 1, 2))).toEqual([0, 1]);
  });

  it("matches known points, counting up or down", () => {
    expect(Array.from(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(linspace(1, 0, 3))).toEqual([1, 0.5, 0]);
    expect(Array.from(linspace(3, 3, 4))).toEqual([3, 3, 3, 3]);
    expect(linspace(0, 0.3, 7)[6]).toBe(0.3);
  });

  it.each([0, -1, 2.5, NaN, Infinity])(
    "rejects n = %s with a RangeError naming it",
    (n) => {
      expect(() => linspace(0, 1, n)).toThrow(RangeError);
      expect(() => linspace(0, 1, n)).toThrow(
        `linspace: n must be an integer >= 1, got ${String(n)}`,
      );
    },
  );
});

describe("zeros, ones, full, arange, tensor", () => {
  it("build the expected buffers", () => {
    expect(Array.from(zeros(3))).toEqual([0, 0, 0]);
    expect(Array.from(ones(2))).toEqual([1, 1]);
    expect(Array.from(full(3, -2.5))).toEqual([-2.5, -2.5, -2.5]);
    expect(Array.from(arange(5))).toEqual([0, 1, 2, 3, 4]);
    for (const t of [zeros(3), ones(3), full(3, 1), arange(3)])
      expect(t).toBeInstanceOf(Float64Array);
  });

  it("accept n = 0", () => {
    for (const t of [zeros(0), ones(0), full(0, 4), arange(0)])
      expect(t.length).toBe(0);
  });

  it.each([
    ["zeros", () => zeros(-1), "-1"],
    ["ones", () => ones(1.5), "1.5"],
    ["full", () => full(NaN, 1), "NaN"],
    ["arange", () => arange(-2), "-2"],
  ] as const)(
    "%s rejects a bad n with a RangeError naming it",
    (name, call, got) => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(
        `${name}: n must be a non-negative integer, got ${got}`,
      );
    },
  );

  it("tensor copies arrays and typed arrays", () => {
    const source = [1, 2, 3];
    const t = tensor(source);
    expect(t).toBeInstanceOf(Float64Array);
    expect(Array.from(t)).toEqual([1, 2, 3]);
    t[0] = 99;
    expect(source[0]).toBe(1);

    const typed = new Float64Array([4, 5]);
    const u = tensor(typed);
    expect(u).not.toBe(typed);
    u[1] = 0;
    expect(typed[1]).toBe(5);
  });
});

describe("map, map2, zerosLike", () => {
  it("map applies f to each value only and leaves x alone", () => {
    const x = [1, -2, 3];
    const seen: number[] = [];
    const y = map(x, (...args: number[]) => {
      seen.push(args.length);
      return args[0]! * 2;
    });
    expect(y).toBeInstanceOf(Float64Array);
    expect(Array.from(y)).toEqual([2, -4, 6]);
    expect(seen).toEqual([1, 1, 1]);
    expect(x).toEqual([1, -2, 3]);
    expect(Array.from(map(new Float64Array([4]), Math.sqrt))).toEqual([2]);
  });

  it("map2 combines matching entries", () => {
    const y = map2([1, 2, 3], new Float64Array([10, 20, 30]), (a, b) => a * b);
    expect(Array.from(y)).toEqual([10, 40, 90]);
    expect(map2([], [], (a, b) => a + b).length).toBe(0);
  });

  it("map2 rejects mismatched lengths, naming both", () => {
    const call = () => map2([1, 2, 3], [1, 2, 3, 4], (a, b) => a + b);
    expect(call).toThrow(RangeError);
    expect(call).toThrow("map2: x has length 3 but y has length 4");
    expect(() => map2([1, 2], [1], (a, b) => a + b)).toThrow(
      "map2: x has length 2 but y has length 1",
    );
  });

  it("zerosLike keeps the kind and length, in a fresh buffer", () => {
    const typed = new Float64Array([1, 2, 3]);
    const a = zerosLike(typed);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a).not.toBe(typed);
    expect(Array.from(a)).toEqual([0, 0, 0]);

    const plain = [4, 5];
    const b: number[] = zerosLike(plain);
    expect(Array.isArray(b)).toBe(true);
    expect(b).not.toBe(plain);
    expect(b).toEqual([0, 0]);
    expect(zerosLike([])).toEqual([]);
  });

  it("the value stack starts a million values long, so most forward sweeps never store past its end", () => {
    // A store past the end makes V8 compile that function's tape stores for out-of-bounds
    // writes for good (15-20% slower); starting long keeps first calls in bounds.
    expect(runtime.tape.values.length).toBeGreaterThanOrEqual(1 << 20);
  });

  it("zeroed clears the caller's buffer in place, short (a loop) or long (fill), of either kind", () => {
    for (const n of [0, 1, 11, 16, 17, 1000]) {
      const typed = new Float64Array(n).fill(7);
      expect(runtime.zeroed(typed, new Float64Array(n))).toBe(typed);
      expect(typed.every((v) => v === 0)).toBe(true);
      const plain = new Array<number>(n).fill(-3);
      expect(runtime.zeroed(plain, new Float64Array(n))).toBe(plain);
      expect(plain.every((v) => v === 0)).toBe(true);
    }
    expect(() => runtime.zeroed(new Float64Array(3), [1, 2])).toThrow(/length 3.*length 2/);
  });
});

// ---------------------------------------------------------------------------

describe("reductions", () => {
  it("sum, mean, dot, prod", () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(sum([])).toBe(0);
    expect(mean(new Float64Array([1, 2, 6]))).toBe(3);
    expect(mean([])).toBeNaN();
    expect(dot([1, 2, 3], new Float64Array([4, 5, 6]))).toBe(32);
    expect(dot([], [])).toBe(0);
    expect(prod([2, 3, 4])).toBe(24);
    expect(prod([2, 0, 4])).toBe(0);
    expect(prod([])).toBe(1);
  });

  it("dot rejects mismatched lengths, naming both", () => {
    expect(() => dot([1, 2], [1])).toThrow(RangeError);
    expect(() => dot([1, 2], [1])).toThrow(
      "dot: a has length 2 but b has length 1",
    );
    expect(() => dot([1], [1, 2])).toThrow(
      "dot: a has length 1 but b has length 2",
    );
  });

  it("max and min", () => {
    expect(max([1, 5, -2, 5])).toBe(5);
    expect(min([1, 5, -2, 5])).toBe(-2);
    expect(max([-Infinity])).toBe(-Infinity);
    expect(min([Infinity, 3])).toBe(3);
    expect(max(new Float64Array([-3, -1, -2]))).toBe(-1);
    expect(max([1, NaN, 2])).toBeNaN();
    expect(min([NaN, 1])).toBeNaN();
  });

  it("max and min reject an empty tensor", () => {
    expect(() => max([])).toThrow(RangeError);
    expect(() => max([])).toThrow(/^max: x is empty/);
    expect(() => min(new Float64Array(0))).toThrow(RangeError);
    expect(() => min(new Float64Array(0))).toThrow(/^min: x is empty/);
  });

  it("norm is the L2 norm", () => {
    expect(norm([3, 4])).toBe(5);
    expect(norm([-3, 4])).toBe(5);
    expect(norm([])).toBe(0);
    expect(norm([0, 0])).toBe(0);
    expectClose(norm([1, 2, 2, 4]), 5, 1e-15);
    expect(norm([1, Infinity])).toBe(Infinity);
    expect(norm([1, NaN])).toBeNaN();
  });

  it("norm neither overflows on 1e200 nor underflows on 1e-200", () => {
    expectClose(norm([1e200, 1e200]) / 1e200, Math.SQRT2, 1e-15);
    expectClose(norm([3e200, 4e200]) / 1e200, 5, 1e-15);
    expectClose(norm([1e-200, 1e-200]) / 1e-200, Math.SQRT2, 1e-15);
    expectClose(norm([3e-200, -4e-200]) / 1e-200, 5, 1e-15);
  });

  it("logSumExp is stable for large and very negative entries", () => {
    expect(logSumExp([1000, 1000])).toBe(1000 + Math.LN2);
    expect(logSumExp([-1000, -1000])).toBe(-1000 + Math.LN2);
    expectClose(logSumExp([0, Math.log(3)]), Math.log(4), 1e-15);
    expect(logSumExp([5])).toBe(5);
  });

  it("logSumExp at the edges: empty, infinities, NaN", () => {
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([0, -Infinity])).toBe(0);
    expect(logSumExp([Infinity, 1])).toBe(Infinity);
    expect(logSumExp([1, NaN])).toBeNaN();
  });
});

// ---------------------------------------------------------------------------

/**
 * The dot-product check: with xBar from the adjoint for output adjoint `seed`,
 * Σ xBar[i]·v[i] must equal seed · (f(x + hv) − f(x − hv)) / 2h.
 * xBar starts non-zero to check the adjoint adds rather than overwrites.
 */
function checkAdjoint(
  f: (x: Float64Array) => number,
  adjoint: (xBar: Float64Array, x: Float64Array, seed: number) => void,
  x: Float64Array,
  seedNumber: number,
): void {
  const next = random(seedNumber);
  const v = randomVector(next, x.length);
  const seed = 2 * next() - 1;
  const start = randomVector(next, x.length);
  const xBar = Float64Array.from(start);
  adjoint(xBar, x, seed);
  const added = map2(xBar, start, (a, b) => a - b);
  expectClose(dot(added, v), seed * directional(f, x, v), 1e-7);
}

describe("adjoints match finite differences of their reductions", () => {
  const next = random(1234);
  const points = [1, 2, 5, 17].map((n) => randomVector(next, n));

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "sumAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(sum, (xBar, _x, seed) => sumAdjoint(xBar, seed), x, 10 + k);
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "meanAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(
        mean,
        (xBar, _x, seed) => meanAdjoint(xBar, seed),
        x,
        20 + k,
      );
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "prodAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(prod, prodAdjoint, x, 30 + k);
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "maxAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(max, maxAdjoint, x, 40 + k);
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "minAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(min, minAdjoint, x, 50 + k);
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "normAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(norm, normAdjoint, x, 60 + k);
    },
  );

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "logSumExpAdjoint, n = %i",
    (_, x, k) => {
      checkAdjoint(logSumExp, logSumExpAdjoint, x, 70 + k);
    },
  );

  it("logSumExpAdjoint far from 0", () => {
    checkAdjoint(
      logSumExp,
      logSumExpAdjoint,
      Float64Array.from([1000, 999, 1001.5]),
      80,
    );
    checkAdjoint(
      logSumExp,
      logSumExpAdjoint,
      Float64Array.from([-800, -801, -799.25]),
      81,
    );
  });

  it("prodAdjoint through one zero and two zeros", () => {
    checkAdjoint(prod, prodAdjoint, Float64Array.from([0.5, 0, -2, 3]), 90);
    checkAdjoint(prod, prodAdjoint, Float64Array.from([0.5, 0, -2, 0]), 91);
  });

  it.each(points.map((x, k) => [x.length, x, k] as const))(
    "dotAdjoint on both sides, n = %i",
    (n, a, k) => {
      const r = random(100 + k);
      const b = randomVector(r, n);
      const va = randomVector(r, n);
      const vb = randomVector(r, n);
      const seed = 2 * r() - 1;
      const aBar = zerosLike(a);
      const bBar = new Array<number>(n).fill(0);
      dotAdjoint(aBar, seed, b);
      dotAdjoint(bBar, seed, a);
      const h = 1e-5;
      const difference =
        (dot(step(a, h, va), step(b, h, vb)) -
          dot(step(a, -h, va), step(b, -h, vb))) /
        (2 * h);
      expectClose(dot(aBar, va) + dot(bBar, vb), seed * difference, 1e-7);
    },
  );

  it.each([1, 2, 3, 10, 100])("linspaceAdjoint, n = %i", (n) => {
    const r = random(200 + n);
    const yBar = randomVector(r, n);
    const [start, stop, vStart, vStop] = [
      r() * 4 - 2,
      r() * 4 - 2,
      r() - 0.5,
      r() - 0.5,
    ];
    const f = (a: number, b: number): number => dot(linspace(a, b, n), yBar);
    const h = 1e-5;
    const difference =
      (f(start + h * vStart, stop + h * vStop) -
        f(start - h * vStart, stop - h * vStop)) /
      (2 * h);
    const [startBar, stopBar] = linspaceAdjoint(yBar);
    expectClose(startBar * vStart + stopBar * vStop, difference, 1e-7);
  });
});

describe("adjoints: exact values and edge cases", () => {
  it("sumAdjoint and meanAdjoint add into number[] and Float64Array", () => {
    const a = [1, 1, 1, 1];
    sumAdjoint(a, 2);
    expect(a).toEqual([3, 3, 3, 3]);
    const b = new Float64Array([0, 1, 2, 3]);
    meanAdjoint(b, 2);
    expect(Array.from(b)).toEqual([0.5, 1.5, 2.5, 3.5]);
    const empty: number[] = [];
    meanAdjoint(empty, 1);
    expect(empty).toEqual([]);
  });

  it("dotAdjoint", () => {
    const aBar = [1, 0];
    dotAdjoint(aBar, 3, [2, -1]);
    expect(aBar).toEqual([7, -3]);
  });

  it("prodAdjoint with no zero, one zero, two zeros", () => {
    const none = [0, 0, 0];
    prodAdjoint(none, [2, 3, 4], 1);
    expect(none).toEqual([12, 8, 6]);

    const one = new Float64Array(4);
    prodAdjoint(one, [2, 0, 3, 4], 2);
    expect(Array.from(one)).toEqual([0, 48, 0, 0]);

    const two = [5, 5, 5, 5];
    prodAdjoint(two, [2, 0, 3, 0], 2);
    expect(two).toEqual([5, 5, 5, 5]);

    // No division: the product of the others stays finite when prod(x) overflows.
    const big = [0, 0, 0];
    prodAdjoint(big, [1e300, 1e300, 1e-300], 1);
    expect(prod([1e300, 1e300, 1e-300])).toBe(Infinity);
    expectClose(big[0]!, 1, 1e-14);
    expectClose(big[1]!, 1, 1e-14);
    expect(big[2]).toBe(Infinity);
  });

  it("maxAdjoint and minAdjoint split the seed among ties", () => {
    const m = [0, 0, 0, 0];
    maxAdjoint(m, [1, 3, 3, 2], 1);
    expect(m).toEqual([0, 0.5, 0.5, 0]);

    const n = new Float64Array(3);
    minAdjoint(n, [7, 7, 7], 3);
    expect(Array.from(n)).toEqual([1, 1, 1]);

    const single = [0, 0, 0];
    minAdjoint(single, [4, -1, 2], 2);
    expect(single).toEqual([0, 2, 0]);
  });

  it("normAdjoint: x / norm, nothing at 0, fine at 1e200", () => {
    const g = [0, 0];
    normAdjoint(g, [3, 4], 10);
    expect(g).toEqual([6, 8]);

    const atZero = [1, 2, 3];
    normAdjoint(atZero, [0, 0, 0], 5);
    expect(atZero).toEqual([1, 2, 3]);

    const huge = [0, 0];
    normAdjoint(huge, [1e200, -1e200], 1);
    expectClose(huge[0]!, Math.SQRT1_2, 1e-15);
    expectClose(huge[1]!, -Math.SQRT1_2, 1e-15);
  });

  it("logSumExpAdjoint is the softmax, stable and without NaN at infinities", () => {
    const g = [0, 0];
    logSumExpAdjoint(g, [1000, 1000], 1);
    expect(g).toEqual([0.5, 0.5]);

    const s = new Float64Array(3);
    logSumExpAdjoint(s, [0, Math.log(2), Math.log(5)], 8);
    expectClose(s[0]!, 1, 1e-15);
    expectClose(s[1]!, 2, 1e-15);
    expectClose(s[2]!, 5, 1e-15);

    const inf = [0, 0, 0];
    logSumExpAdjoint(inf, [Infinity, 0, Infinity], 1);
    expect(inf).toEqual([0.5, 0, 0.5]);

    const negInf = [0, 0];
    logSumExpAdjoint(negInf, [-Infinity, -Infinity], 1);
    expect(negInf).toEqual([0.5, 0.5]);

    const oneNegInf = [0, 0];
    logSumExpAdjoint(oneNegInf, [-Infinity, 3], 1);
    expect(oneNegInf).toEqual([0, 1]);
  });

  it("addScaled is axpy, and y may be xBar itself", () => {
    const a = [1, 2];
    addScaled(a, 3, new Float64Array([1, -1]));
    expect(a).toEqual([4, -1]);
    const b = new Float64Array([1, 2, 3]);
    addScaled(b, 1, b);
    expect(Array.from(b)).toEqual([2, 4, 6]);
  });

  it("linspaceAdjoint: exact values and n = 1", () => {
    expect(linspaceAdjoint([1, 1, 1])).toEqual([1.5, 1.5]);
    expect(linspaceAdjoint(new Float64Array([4, 0, 0, 0, 8]))).toEqual([4, 8]);
    expect(linspaceAdjoint([2.5])).toEqual([2.5, 0]);
    expect(() => linspaceAdjoint([])).toThrow(RangeError);
    expect(() => linspaceAdjoint([])).toThrow(
      "linspaceAdjoint: yBar must have length >= 1, got 0",
    );
  });

  it.each([
    [
      "dotAdjoint",
      () => dotAdjoint([0, 0], 1, [1, 2, 3]),
      "aBar has length 2 but b has length 3",
    ],
    [
      "prodAdjoint",
      () => prodAdjoint([0], [1, 2], 1),
      "xBar has length 1 but x has length 2",
    ],
    [
      "maxAdjoint",
      () => maxAdjoint(new Float64Array(3), [1, 2], 1),
      "xBar has length 3 but x has length 2",
    ],
    [
      "minAdjoint",
      () => minAdjoint([], [1], 1),
      "xBar has length 0 but x has length 1",
    ],
    [
      "normAdjoint",
      () => normAdjoint([0, 0], [1], 1),
      "xBar has length 2 but x has length 1",
    ],
    [
      "logSumExpAdjoint",
      () => logSumExpAdjoint([0], [], 1),
      "xBar has length 1 but x has length 0",
    ],
    [
      "addScaled",
      () => addScaled([0, 0], 1, new Float64Array(5)),
      "xBar has length 2 but y has length 5",
    ],
  ] as const)(
    "%s rejects mismatched lengths, naming both",
    (name, call, lengths) => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(`${name}: ${lengths}`);
    },
  );
});

// ---------------------------------------------------------------------------

describe("stacks", () => {
  it("pop values in LIFO order across growth", () => {
    const before = stackDepth();
    const n = 100_000;
    for (let i = 0; i < n; i++) pushValue(i * 0.5 - 7);
    expect(stackDepth().values).toBe(before.values + n);
    for (let i = n - 1; i >= 0; i--) {
      const v = popValue();
      if (v !== i * 0.5 - 7) expect(v).toBe(i * 0.5 - 7);
    }
    expect(stackDepth()).toEqual(before);
  });

  it("keep doubles exactly", () => {
    const xs = [Math.PI, -0.1, 1e-300, -1e300, Infinity, Number.MIN_VALUE];
    for (const x of xs) pushValue(x);
    for (const x of [...xs].reverse()) expect(popValue()).toBe(x);
  });

  it("keep control decisions apart from values, LIFO across growth", () => {
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      pushControl(i % 2);
      pushValue(i);
      pushControl(i * 3);
    }
    expect(stackDepth()).toEqual({ values: n, control: 2 * n });
    for (let i = n - 1; i >= 0; i--) {
      const trips = popControl();
      const v = popValue();
      const branch = popControl();
      if (trips !== i * 3 || v !== i || branch !== i % 2) {
        expect([trips, v, branch]).toEqual([i * 3, i, i % 2]);
      }
    }
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });

  it("refuse to pop an empty stack", () => {
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
    expect(() => popValue()).toThrow(
      /backward sweep read more values than the forward sweep saved/,
    );
    expect(() => popControl()).toThrow(
      /backward sweep read more values than the forward sweep saved/,
    );
    expect(() => popValue()).toThrow(/bug in tsgrad/);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
    // Still usable after a refused pop.
    pushValue(1);
    pushControl(2);
    expect(popControl()).toBe(2);
    expect(popValue()).toBe(1);
    expect(stackDepth()).toEqual({ values: 0, control: 0 });
  });
});

// ---------------------------------------------------------------------------

// prettier-ignore
const RUNTIME_EXPORTS = [
  "linspace", "zeros", "ones", "full", "arange", "tensor", "map", "map2", "zerosLike",
  "sum", "mean", "dot", "prod", "max", "min", "norm", "logSumExp",
  "sumAdjoint", "meanAdjoint", "dotAdjoint", "prodAdjoint", "maxAdjoint", "minAdjoint", "normAdjoint",
  "logSumExpAdjoint", "addScaled", "linspaceAdjoint",
  "pushValue", "popValue", "pushControl", "popControl", "stackDepth",
];

describe("the tsgrad entry", () => {
  it("exports every runtime function next to grad and valueAndGrad", () => {
    for (const name of [...RUNTIME_EXPORTS, "grad", "valueAndGrad"]) {
      expect(typeof (runtime as Record<string, unknown>)[name], name).toBe(
        "function",
      );
    }
  });

  it.each(["tensor", "reductions", "adjoints", "stack"])(
    "runtime/%s.ts documents every export",
    (file) => {
      const lines = fs
        .readFileSync(
          path.join(__dirname, "..", "runtime", `${file}.ts`),
          "utf8",
        )
        .split("\n");
      const undocumented: string[] = [];
      lines.forEach((line, i) => {
        const m = /^export (?:function|type|const) (\w+)/.exec(line);
        if (!m) return;
        const previous = lines[i - 1] ?? "";
        const overload = previous.startsWith(`export function ${m[1]}(`);
        if (!previous.trimEnd().endsWith("*/") && !overload)
          undocumented.push(m[1]!);
      });
      expect(undocumented).toEqual([]);
    },
  );

  it("imports nothing outside runtime/", () => {
    for (const file of ["tensor", "reductions", "adjoints", "stack"]) {
      const source = fs.readFileSync(
        path.join(__dirname, "..", "runtime", `${file}.ts`),
        "utf8",
      );
      for (const m of source.matchAll(/from "([^"]+)"/g))
        expect(m[1]).toMatch(/^\.\/\w+\.js$/);
    }
  });
});

describe("saveBlock", () => {
  /** What `for (i = lo; i < hi; i++) tape[top++] = a[i]` leaves: the reference saveBlock must match. */
  const oneByOne = (values: Float64Array, top: number, a: Float64Array, lo: number, hi: number): number => {
    for (let i = lo; i < hi; i++) values[top++] = a[i]!;
    return top;
  };
  const cases: [string, number, number, number, number][] = [
    // name, array length, lo, hi, top
    ["the interior of a long array (one set)", 40, 1, 39, 5],
    ["the whole array", 40, 0, 40, 3],
    ["all but two at the start", 40, 2, 40, 7],
    ["a short block", 6, 0, 6, 2],
    ["a block far inside a long array", 200, 50, 80, 9],
    ["no element (hi <= lo)", 40, 5, 5, 4],
    ["a fractional bound", 40, 1, 30.5, 4],
    ["past the tape's end", 40, 1, 39, 90],
  ];
  it.each(cases)("saves %s as the element-wise saves do", (_name, n, lo, hi, top) => {
    const a = Float64Array.from({ length: n }, (_, i) => i + 0.5);
    const expected = Float64Array.from({ length: 100 }, (_, i) => -i);
    const actual = expected.slice();
    const end = oneByOne(expected, top, a, lo, hi);
    expect(runtime.saveBlock(actual, top, a, lo, hi)).toBe(end);
    // Below the new top the tapes agree; above it saveBlock may leave copies (free slots).
    expect(Array.from(actual.subarray(0, Math.min(end, 100)))).toEqual(Array.from(expected.subarray(0, Math.min(end, 100))));
  });
  it("pushBlock grows the runtime's tape and leaves the values the pops read", () => {
    const a = Float64Array.from({ length: 30 }, (_, i) => i * i);
    runtime.pushValue(-1);
    runtime.pushBlock(a, 1, 29);
    for (let i = 28; i >= 1; i--) expect(runtime.popValue()).toBe(i * i);
    expect(runtime.popValue()).toBe(-1);
    expect(runtime.stackDepth().values).toBe(0);
  });
  it("pushBlockTangents saves each element followed by its tangent", () => {
    const a = Float64Array.from({ length: 20 }, (_, i) => i);
    const aDot = Float64Array.from({ length: 20 }, (_, i) => 100 + i);
    runtime.pushBlockTangents(a, aDot, 2, 20);
    runtime.pushBlockTangents(a, 0, 18, 20);
    for (const i of [19, 18]) {
      expect(runtime.popValue()).toBe(0);
      expect(runtime.popValue()).toBe(i);
    }
    for (let i = 19; i >= 2; i--) {
      expect(runtime.popValue()).toBe(100 + i);
      expect(runtime.popValue()).toBe(i);
    }
    expect(runtime.stackDepth().values).toBe(0);
  });
});
