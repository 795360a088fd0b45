// tsgrad as a GradBench tool (gradbench/): builds it with tspc and the tsgrad
// transformer, drives `node gradbench/dist/run.mjs` over the protocol for every
// module, and checks the answers against references written here independently
// (each objective evaluated directly, its gradient by central differences of
// that reference), the timings, min_runs / min_seconds and the error paths.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./harness.js";

const RUN = path.join(ROOT, "gradbench", "dist", "run.mjs");

// ---------------------------------------------------------------- protocol

interface Timing {
  name: string;
  nanoseconds: number;
}

interface Response {
  id: number;
  tool?: string;
  success?: boolean;
  output?: any;
  timings?: Timing[];
  error?: string;
}

interface Session {
  responses: Map<number, Response>;
  lines: string[];
  status: number | null;
  stderr: string;
}

/** Starts the tool, writes every message, closes stdin and collects the responses. */
function session(messages: object[]): Session {
  const result = spawnSync(process.execPath, [RUN], {
    cwd: ROOT,
    input: messages.map((m) => JSON.stringify(m)).join("\n") + "\n",
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = result.stdout.split("\n").filter((l) => l !== "");
  const responses = new Map<number, Response>();
  for (const line of lines) {
    const r = JSON.parse(line) as Response;
    responses.set(r.id, r);
  }
  return { responses, lines, status: result.status, stderr: result.stderr };
}

// ---------------------------------------------------------------- numerics

/** A deterministic generator (mulberry32) for the inputs. */
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

const rand = random(20250613);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();
const vector = (n: number, lo = -1, hi = 1) => Array.from({ length: n }, () => uniform(lo, hi));
const matrix = (r: number, c: number, lo = -1, hi = 1) => Array.from({ length: r }, () => vector(c, lo, hi));

/** d f / d p_i for every i, by central differences. */
function differences(f: (p: number[]) => number, p: readonly number[]): number[] {
  return p.map((v, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(v));
    const plus = [...p];
    const minus = [...p];
    plus[i] = v + h;
    minus[i] = v - h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

function expectClose(actual: unknown, expected: number[], tolerance: number): void {
  expect(Array.isArray(actual)).toBe(true);
  const a = actual as number[];
  expect(a.length).toBe(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  a.forEach((v, i) => {
    expect(typeof v).toBe("number");
    // Negated, so that a NaN is out of tolerance (every comparison with NaN is false).
    if (!(Math.abs(v - expected[i]!) <= tolerance * scale)) {
      throw new Error(`entry ${i}: ${v}, expected ${expected[i]} (tolerance ${tolerance * scale})`);
    }
  });
}

function expectNumberClose(actual: unknown, expected: number, tolerance = 1e-12): void {
  expect(typeof actual).toBe("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

const logSumExp = (v: number[]) => {
  const a = Math.max(...v);
  return a + Math.log(v.reduce((s, x) => s + Math.exp(x - a), 0));
};

// ------------------------------------------------------- reference objectives

/** LSE straight from the definition. */
const lseReference = (x: number[]) => logSumExp(x);

/** llsq: 1/2 Σ_i (sign(t_i) - Σ_j x_j t_i^j)², t_i = -1 + 2i/(n-1). */
function llsqReference(x: number[], n: number): number {
  let y = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (2 * i) / (n - 1);
    const fit = x.reduce((s, xj, j) => s + xj * Math.pow(t, j), 0);
    y += (Math.sign(t) - fit) ** 2;
  }
  return y / 2;
}

/** log Γ(x) for x a positive multiple of 1/2, exactly by recursion. */
function logGammaHalf(x: number): number {
  let out = 0;
  let y = x;
  while (y > 1.25) {
    y -= 1;
    out += Math.log(y);
  }
  return Math.abs(y - 0.5) < 1e-9 ? out + 0.5 * Math.log(Math.PI) : out;
}

interface GmmInput {
  d: number;
  k: number;
  n: number;
  x: number[][];
  m: number;
  gamma: number;
  alpha: number[];
  mu: number[][];
  q: number[][];
  l: number[][];
}

/**
 * The GMM log posterior with explicit matrices: Q_k lower triangular with
 * diagonal exp(q_k) and l_k below it column after column, precision Λ_k = Q_kᵀ Q_k;
 * log-likelihood of x under the mixture softmax(alpha), plus Σ_k of the log
 * Wishart density of Λ_k with n = d + m + 1 degrees of freedom and scale I / γ².
 */
function gmmReference(g: GmmInput): number {
  const { d, k, n, m, gamma } = g;
  const lambdas = g.q.map((qk, kk) => {
    const Q = matrix(d, d, 0, 0);
    for (let j = 0; j < d; j++) Q[j]![j] = Math.exp(qk[j]!);
    let idx = 0;
    for (let col = 0; col < d; col++) for (let row = col + 1; row < d; row++) Q[row]![col] = g.l[kk]![idx++]!;
    return Q.map((_, a) => Q.map((__, b) => Q.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  });
  const logdet = g.q.map((qk) => 2 * qk.reduce((s, v) => s + v, 0));
  const logPhi = g.alpha.map((a) => a - logSumExp(g.alpha));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const terms = lambdas.map((L, kk) => {
      const diff = g.x[i]!.map((v, j) => v - g.mu[kk]![j]!);
      const quad = diff.reduce((s, da, a) => s + da * diff.reduce((t, db, b) => t + L[a]![b]! * db, 0), 0);
      return logPhi[kk]! - (d / 2) * Math.log(2 * Math.PI) + logdet[kk]! / 2 - quad / 2;
    });
    total += logSumExp(terms);
  }
  const dof = d + m + 1;
  let logMultiGamma = ((d * (d - 1)) / 4) * Math.log(Math.PI);
  for (let j = 1; j <= d; j++) logMultiGamma += logGammaHalf(dof / 2 + (1 - j) / 2);
  for (let kk = 0; kk < k; kk++) {
    const trace = lambdas[kk]!.reduce((s, row, a) => s + row[a]!, 0);
    total +=
      ((dof - d - 1) / 2) * logdet[kk]! -
      (gamma * gamma * trace) / 2 -
      ((d * dof) / 2) * Math.log(2) +
      dof * d * Math.log(gamma) -
      logMultiGamma;
  }
  return total;
}

interface LstmInput {
  main_params: number[][];
  extra_params: number[][];
  state: number[][];
  sequence: number[][];
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** ADBench's LSTM loss with nested arrays. */
function lstmReference(p: LstmInput): number {
  const l = p.main_params.length / 2;
  const b = p.main_params[0]!.length / 4;
  const c = p.sequence.length;
  const st = p.state.map((r) => [...r]);
  const [inWeight, outWeight, outBias] = p.extra_params as [number[], number[], number[]];
  let total = 0;
  for (let t = 0; t + 1 < c; t++) {
    let layerInput = p.sequence[t]!.map((v, i) => v * inWeight[i]!);
    for (let layer = 0; layer < l; layer++) {
      const W = p.main_params[2 * layer]!;
      const B = p.main_params[2 * layer + 1]!;
      const hidden = st[2 * layer]!;
      const cell = st[2 * layer + 1]!;
      for (let i = 0; i < b; i++) {
        const forget = sigmoid(layerInput[i]! * W[i]! + B[i]!);
        const ingate = sigmoid(hidden[i]! * W[b + i]! + B[b + i]!);
        const outgate = sigmoid(layerInput[i]! * W[2 * b + i]! + B[2 * b + i]!);
        const change = Math.tanh(hidden[i]! * W[3 * b + i]! + B[3 * b + i]!);
        cell[i] = cell[i]! * forget + ingate * change;
        hidden[i] = outgate * Math.tanh(cell[i]!);
      }
      layerInput = hidden;
    }
    const ypred = layerInput.map((v, i) => v * outWeight[i]! + outBias[i]!);
    const lse = Math.log(ypred.reduce((s, v) => s + Math.exp(v), 0) + 2);
    ypred.forEach((v, i) => (total += p.sequence[t + 1]![i]! * (v - lse)));
  }
  return -total / ((c - 1) * b);
}

/** BA residuals of one observation, rotating with the Rodrigues matrix R = cos θ I + sin θ [k]× + (1 - cos θ) k kᵀ. */
function baResiduals(cam: number[], X: number[], w: number, feat: number[]): [number, number] {
  const r = cam.slice(0, 3);
  const P = [X[0]! - cam[3]!, X[1]! - cam[4]!, X[2]! - cam[5]!];
  const theta = Math.hypot(r[0]!, r[1]!, r[2]!);
  let R: number[][];
  if (theta === 0) {
    R = [
      [1, -r[2]!, r[1]!],
      [r[2]!, 1, -r[0]!],
      [-r[1]!, r[0]!, 1],
    ];
  } else {
    const [a, b, c] = r.map((v) => v / theta) as [number, number, number];
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const K = [
      [0, -c, b],
      [c, 0, -a],
      [-b, a, 0],
    ];
    const kv = [a, b, c];
    R = K.map((row, i) => row.map((kij, j) => (i === j ? cos : 0) + sin * kij + (1 - cos) * kv[i]! * kv[j]!));
  }
  const Y = R.map((row) => row[0]! * P[0]! + row[1]! * P[1]! + row[2]! * P[2]!);
  const u = Y[0]! / Y[2]!;
  const v = Y[1]! / Y[2]!;
  const rsq = u * u + v * v;
  const L = 1 + cam[9]! * rsq + cam[10]! * rsq * rsq;
  return [w * (u * L * cam[6]! + cam[7]! - feat[0]!), w * (v * L * cam[6]! + cam[8]! - feat[1]!)];
}

// ------------------------------------------------------------------ inputs

const runs = { min_runs: 1, min_seconds: 0 };

const lseInput = { x: vector(9, -5, 5) };
// GradBench's larger sizes: the gradient is the softmax to a few ulps, argmax element included.
const lseLarge = { x: vector(100_000, -5, 5) };
const llsqInput = { x: vector(5), n: 11 };
// the objective takes the coefficients two at a time: an even count too, and a single one
const llsqEven = { x: vector(6), n: 8 };
const llsqOne = { x: vector(1), n: 4 };

function gmmInput(d: number, k: number, n: number, m: number, gamma: number): GmmInput {
  return {
    d,
    k,
    n,
    x: matrix(n, d, -2, 2),
    m,
    gamma,
    alpha: vector(k),
    mu: matrix(k, d, 0, 1),
    q: matrix(k, d, -0.5, 0.5),
    l: matrix(k, (d * (d - 1)) / 2),
  };
}
const gmmA = gmmInput(3, 4, 6, 2, 1.3);
const gmmB = gmmInput(2, 2, 3, 0, 1);

function lstmInput(l: number, c: number, b: number): LstmInput {
  return {
    main_params: matrix(2 * l, 4 * b, 0, 1),
    extra_params: matrix(3, b, 0, 1),
    state: matrix(2 * l, b, 0, 1),
    sequence: Array.from({ length: c }, () => Array.from({ length: b }, () => (rand() < 0.5 ? 0 : 1))),
  };
}
const lstmA = lstmInput(2, 5, 3);

const baCam = [0.1, -0.05, 0.02, 0.3, -0.2, -5, 420, 0.5, -0.25, -1e-3, 2e-6];
const baA = { n: 3, m: 4, p: 20, cam: baCam, x: [0.4, -0.3, 2.5], w: 0.8, feat: [12, -7] };
const baZero = { ...baA, p: 12, cam: [0, 0, 0, ...baCam.slice(3)] };
// turns of 1.59 rad (as GradBench's cameras: |cos θ| < 0.9, where the objective takes sin θ
// from cos θ) and of 4.5 rad (past π, where sin θ < 0 and it must call Math.sin)
const baTurn = { ...baA, p: 9, cam: [-0.758453, -1.109613, -0.845551, ...baCam.slice(3)] };
const baFar = { ...baA, p: 7, cam: [3, -2.5, 2.0155644370746373, ...baCam.slice(3)] };

// --------------------------------------------------------------- messages

const messages: object[] = [
  { id: 0, kind: "start", eval: "test" },
  { id: 1, kind: "define", module: "hello" },
  { id: 2, kind: "evaluate", module: "hello", function: "square", input: 3 },
  { id: 3, kind: "evaluate", module: "hello", function: "double", input: 9 },
  { id: 4, kind: "analysis", of: 3, valid: true },
  { id: 10, kind: "define", module: "lse" },
  { id: 11, kind: "evaluate", module: "lse", function: "primal", input: { ...lseInput, ...runs } },
  { id: 12, kind: "evaluate", module: "lse", function: "gradient", input: { ...lseInput, ...runs } },
  { id: 13, kind: "evaluate", module: "lse", function: "gradient", input: { ...lseLarge, ...runs } },
  { id: 20, kind: "define", module: "llsq" },
  { id: 21, kind: "evaluate", module: "llsq", function: "primal", input: { ...llsqInput, ...runs } },
  { id: 22, kind: "evaluate", module: "llsq", function: "gradient", input: { ...llsqInput, ...runs } },
  { id: 23, kind: "evaluate", module: "llsq", function: "primal", input: { ...llsqEven, ...runs } },
  { id: 24, kind: "evaluate", module: "llsq", function: "gradient", input: { ...llsqEven, ...runs } },
  { id: 25, kind: "evaluate", module: "llsq", function: "primal", input: { ...llsqOne, ...runs } },
  { id: 26, kind: "evaluate", module: "llsq", function: "gradient", input: { ...llsqOne, ...runs } },
  { id: 30, kind: "define", module: "gmm" },
  { id: 31, kind: "evaluate", module: "gmm", function: "objective", input: { ...gmmA, ...runs } },
  { id: 32, kind: "evaluate", module: "gmm", function: "jacobian", input: { ...gmmA, ...runs } },
  { id: 33, kind: "evaluate", module: "gmm", function: "objective", input: { ...gmmB, ...runs } },
  { id: 34, kind: "evaluate", module: "gmm", function: "jacobian", input: { ...gmmB, ...runs } },
  { id: 40, kind: "define", module: "lstm" },
  { id: 41, kind: "evaluate", module: "lstm", function: "objective", input: { ...lstmA, ...runs } },
  { id: 42, kind: "evaluate", module: "lstm", function: "jacobian", input: { ...lstmA, ...runs } },
  { id: 50, kind: "define", module: "ba" },
  { id: 51, kind: "evaluate", module: "ba", function: "objective", input: { ...baA, ...runs } },
  { id: 52, kind: "evaluate", module: "ba", function: "jacobian", input: { ...baA, ...runs } },
  { id: 53, kind: "evaluate", module: "ba", function: "objective", input: { ...baZero, ...runs } },
  { id: 54, kind: "evaluate", module: "ba", function: "jacobian", input: { ...baZero, ...runs } },
  { id: 55, kind: "evaluate", module: "ba", function: "objective", input: { ...baTurn, ...runs } },
  { id: 56, kind: "evaluate", module: "ba", function: "jacobian", input: { ...baTurn, ...runs } },
  { id: 57, kind: "evaluate", module: "ba", function: "objective", input: { ...baFar, ...runs } },
  { id: 58, kind: "evaluate", module: "ba", function: "jacobian", input: { ...baFar, ...runs } },
  // runs
  { id: 60, kind: "evaluate", module: "lse", function: "gradient", input: { ...lseInput, min_runs: 7, min_seconds: 0 } },
  { id: 61, kind: "evaluate", module: "llsq", function: "primal", input: { ...llsqInput, min_runs: 1, min_seconds: 0.05 } },
  // errors
  { id: 70, kind: "define", module: "kmeans" },
  { id: 71, kind: "evaluate", module: "kmeans", function: "objective", input: { ...runs } },
  { id: 72, kind: "evaluate", module: "gmm", function: "hessian", input: { ...gmmA, ...runs } },
  { id: 73, kind: "evaluate", module: "gmm", function: "objective", input: { d: 2, ...runs } },
  { id: 74, kind: "evaluate", module: "lse", function: "toString", input: { ...lseInput, ...runs } },
  { id: 75, kind: "something-new" },
];

let tool: Session;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, "dist", "transformer", "index.js"))) {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
  }
  execFileSync("npm", ["run", "gradbench:build"], { cwd: ROOT, stdio: "pipe" });
  tool = session(messages);
}, 120_000);

const response = (id: number): Response => {
  const r = tool.responses.get(id);
  if (r === undefined) throw new Error(`no response to message ${id}; stderr:\n${tool.stderr}`);
  return r;
};

/** The output of a successful evaluation. */
const output = (id: number): any => {
  const r = response(id);
  if (r.success !== true) throw new Error(`message ${id} failed: ${r.error}`);
  return r.output;
};

describe("gradbench tool: protocol", () => {
  it("answers every message with exactly one line and exits when stdin ends", () => {
    expect(tool.status).toBe(0);
    expect(tool.lines.length).toBe(messages.length);
    expect(tool.lines.map((l) => (JSON.parse(l) as Response).id)).toEqual(messages.map((m) => (m as { id: number }).id));
  });

  it("names itself on start and answers analysis and unknown kinds with just the id", () => {
    expect(response(0)).toEqual({ id: 0, tool: "tsgrad" });
    expect(response(4)).toEqual({ id: 4 });
    expect(response(75)).toEqual({ id: 75 });
  });

  it("defines its modules", () => {
    for (const id of [1, 10, 20, 30, 40, 50]) expect(response(id)).toEqual({ id, success: true });
  });

  it("reports one untimed warmup, then one integer timing named evaluate per run", () => {
    for (const m of messages as { id: number; kind: string }[]) {
      const r = response(m.id);
      if (m.kind !== "evaluate" || r.success !== true) continue;
      expect(r.timings!.length).toBeGreaterThanOrEqual(2);
      expect(r.timings![0]!.name).toBe("warmup");
      const bad = r.timings!.filter((t, i) => (i > 0 && t.name !== "evaluate") || !Number.isInteger(t.nanoseconds) || t.nanoseconds < 0);
      expect(bad).toEqual([]);
    }
  });

  it("honours min_runs and min_seconds, counting only the evaluate timings", () => {
    const evaluated = (id: number) => response(id).timings!.filter((t) => t.name === "evaluate");
    expect(evaluated(60).length).toBe(7);
    expect(evaluated(12).length).toBe(1);
    const total = evaluated(61).reduce((s, t) => s + t.nanoseconds, 0);
    expect(total).toBeGreaterThanOrEqual(0.05e9);
  });

  it("fails cleanly on unknown modules, unknown functions and bad input", () => {
    expect(response(70)).toMatchObject({ id: 70, success: false });
    expect(response(70).error).toMatch(/kmeans/);
    expect(response(71)).toMatchObject({ id: 71, success: false });
    expect(response(71).error).toMatch(/kmeans/);
    expect(response(72)).toMatchObject({ id: 72, success: false });
    expect(response(72).error).toMatch(/hessian/);
    expect(response(73)).toMatchObject({ id: 73, success: false });
    expect(response(73).error).toMatch(/input\./);
    expect(response(74)).toMatchObject({ id: 74, success: false });
    for (const id of [70, 71, 72, 73, 74]) expect(response(id).output).toBeUndefined();
  });
});

describe("gradbench tool: modules", () => {
  it("hello: square and double", () => {
    expect(output(2)).toBe(9);
    expect(output(3)).toBe(18);
  });

  it("lse: primal and gradient", () => {
    expectNumberClose(output(11), lseReference(lseInput.x));
    expectClose(output(12), differences(lseReference, lseInput.x), 1e-8);
  });

  it("lse: the gradient is the softmax within 1e-14 relative, argmax element included (the shift is under stopGradient)", () => {
    const x = lseLarge.x;
    const max = Math.max(...x);
    const e = x.map((xi) => Math.exp(xi - max));
    const total = e.reduce((s, ei) => s + ei, 0);
    const g = output(13) as number[];
    const worst = g.reduce((w, gi, i) => Math.max(w, Math.abs(gi - e[i]! / total) / (e[i]! / total)), 0);
    expect(worst).toBeLessThan(1e-14);
  });

  it("llsq: primal and gradient (odd, even and a single coefficient)", () => {
    for (const [primalId, gradientId, input] of [
      [21, 22, llsqInput],
      [23, 24, llsqEven],
      [25, 26, llsqOne],
    ] as const) {
      expectNumberClose(output(primalId), llsqReference(input.x, input.n));
      expectClose(output(gradientId), differences((x) => llsqReference(x, input.n), input.x), 1e-8);
    }
  });

  it("gmm: objective and jacobian {alpha, mu, q, l}", () => {
    for (const [objectiveId, jacobianId, g] of [
      [31, 32, gmmA],
      [33, 34, gmmB],
    ] as const) {
      expectNumberClose(output(objectiveId), gmmReference(g), 1e-10);
      const J = output(jacobianId);
      expect(Object.keys(J).sort()).toEqual(["alpha", "l", "mu", "q"]);
      const { d, k } = g;
      const ld = (d * (d - 1)) / 2;
      const flat = [...g.alpha, ...g.mu.flat(), ...g.q.flat(), ...g.l.flat()];
      const unpack = (p: number[]): GmmInput => {
        const rowsOf = (start: number, width: number) =>
          Array.from({ length: k }, (_, i) => p.slice(start + i * width, start + (i + 1) * width));
        return { ...g, alpha: p.slice(0, k), mu: rowsOf(k, d), q: rowsOf(k + k * d, d), l: rowsOf(k + 2 * k * d, ld) };
      };
      const expected = unpack(differences((p) => gmmReference(unpack(p)), flat));
      expect(J.mu.length).toBe(k);
      expect(J.l.length).toBe(k);
      expect(J.l[0].length).toBe(ld);
      expectClose(J.alpha, expected.alpha, 1e-7);
      expectClose(J.mu.flat(), expected.mu.flat(), 1e-7);
      expectClose(J.q.flat(), expected.q.flat(), 1e-7);
      expectClose(J.l.flat(), expected.l.flat(), 1e-7);
    }
  });

  it("lstm: objective and jacobian (main_params then extra_params, row after row)", () => {
    expectNumberClose(output(41), lstmReference(lstmA), 1e-12);
    const rowsMain = lstmA.main_params.length;
    const widthMain = lstmA.main_params[0]!.length;
    const b = lstmA.extra_params[0]!.length;
    const flat = [...lstmA.main_params.flat(), ...lstmA.extra_params.flat()];
    const unpack = (p: number[]): LstmInput => ({
      ...lstmA,
      main_params: Array.from({ length: rowsMain }, (_, i) => p.slice(i * widthMain, (i + 1) * widthMain)),
      extra_params: Array.from({ length: 3 }, (_, i) => p.slice(rowsMain * widthMain + i * b, rowsMain * widthMain + (i + 1) * b)),
    });
    expectClose(output(42), differences((p) => lstmReference(unpack(p)), flat), 1e-7);
  });

  it("ba: objective and the sparse jacobian (first 30 entries and the last)", () => {
    for (const [objectiveId, jacobianId, b] of [
      [51, 52, baA],
      [53, 54, baZero],
      [55, 56, baTurn],
      [57, 58, baFar],
    ] as const) {
      const [e0, e1] = baResiduals(b.cam, b.x, b.w, b.feat);
      const objective = output(objectiveId);
      expect(Object.keys(objective).sort()).toEqual(["reproj_error", "w_err"]);
      expectClose(objective.reproj_error.elements, [e0, e1], 1e-12);
      expect(objective.reproj_error.repeated).toBe(b.p);
      expectNumberClose(objective.w_err.element, 1 - b.w * b.w);
      expect(objective.w_err.repeated).toBe(b.p);

      const J = output(jacobianId);
      expect(Object.keys(J).sort()).toEqual(["cols", "rows", "vals"]);
      // CSR row offsets: 2p rows of 15 nonzeros, then p rows of 1
      const allRows = Array.from({ length: 3 * b.p + 1 }, (_, r) => (r <= 2 * b.p ? 15 * r : 30 * b.p + (r - 2 * b.p)));
      expect(J.rows).toEqual([...allRows.slice(0, 30), allRows[allRows.length - 1]]);
      // the first observation uses camera 0 and point 0; the last nonzero is the last weight's
      const firstCols = [...Array.from({ length: 11 }, (_, j) => j), 11 * b.n, 11 * b.n + 1, 11 * b.n + 2, 11 * b.n + 3 * b.m];
      expect(J.cols).toEqual([...firstCols, ...firstCols, 11 * b.n + 3 * b.m + b.p - 1]);
      const params = [...b.cam, ...b.x, b.w];
      const block = (which: 0 | 1) =>
        differences((p) => baResiduals(p.slice(0, 11), p.slice(11, 14), p[14]!, b.feat)[which], params);
      expectClose(J.vals, [...block(0), ...block(1), -2 * b.w], 1e-7);
    }
  });
});
