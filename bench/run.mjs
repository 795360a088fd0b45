// `npm run bench`: compiles bench/*.ts with tspc through the tsgrad transformer
// (bench/tsconfig.json, exactly as the examples are built), checks every
// gradient against a hand-written adjoint or central finite differences, then
// times primal, tsgrad gradient, hand-written gradient and TF.js (CPU backend)
// side by side, then the other JavaScript peers (TF.js Wasm, jax-js) where they
// implement the workload, measures the heap growth of each gradient call and the
// compile time of a generated 2000-line file, and prints the tables with the targets.
//
//   npm run bench                      the tables
//   npm run bench -- --json FILE       also write the results as JSON to FILE
//   npm run bench -- --keep-going      on a failed check, mark that row blocked and time the rest
//   npm run bench -- --quick           smaller time budget per measurement (for a smoke run)
//   npm run bench -- --only nbody,mlp  only the rows whose key contains one of the words (no compile-time run)
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { allocMeter, resultBytes } from "./alloc.mjs";
import { constructRows, structuredRows } from "./structured-rows.mjs";
import { measureCompileTime } from "./compile-time.mjs";
import { gmmJax, logregJax, mlpJax } from "./jaxjs.mjs";
import { buildPeers, checkPeers, jaxjsVersion, PEERS, timePeers } from "./peers.mjs";
import { gmmTf, loadTf, logregTf, lseTf, mlpTf, onBackend, pendulumTf, rosenbrockTf, seedTf } from "./tfjs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);
const now = () => process.hrtime.bigint();
const ms = (t0, t1) => Number(t1 - t0) / 1e6;
const runStarted = now();

// ---------------------------------------------------------------------------
// Arguments

const USAGE = `usage: npm run bench -- [--json FILE] [--keep-going] [--quick] [--only WORD,...]

  --json FILE    also write the results as JSON to FILE
  --keep-going   when a gradient check fails, mark that workload blocked and time the others
                 (by default the run stops after the checks, exit 1)
  --quick        about a third of the time budget (noisier; one compile-time run)
  --only WORDS   only the rows whose key contains one of the comma-separated words
                 (e.g. nbody, mlp, springs, heat); skips the compile-time benchmark`;

const options = { json: undefined, keepGoing: false, quick: false, only: undefined };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") {
      if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) usageError("--json needs a file name");
      options.json = argv[++i];
    } else if (a.startsWith("--json=")) options.json = a.slice("--json=".length);
    else if (a === "--keep-going") options.keepGoing = true;
    else if (a === "--quick") options.quick = true;
    else if (a === "--only" || a.startsWith("--only=")) {
      const list = a === "--only" ? argv[++i] : a.slice("--only=".length);
      if (!list || list.startsWith("--")) usageError("--only needs a comma-separated list of row keys");
      options.only = list.split(",").filter((w) => w !== "");
    }
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else usageError(`unknown argument ${JSON.stringify(a)}`);
  }
}

function usageError(message) {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Compile bench/ with tspc. Diagnostics do not stop the run: tsc still emits,
// a rejected grad() call is left untransformed and throws when reached, and
// that workload's row is marked blocked with the diagnostic.

const WORKLOAD_FILES = ["seed", "rosenbrock", "logreg", "mlp", "nested", "mlpmap", "pendulum", "springs", "heat", "heat2d", "gmm", "lse", "llsq", "lstm", "transforms"];
WORKLOAD_FILES.push("structured", "rows"); // structured code against flat (structured-rows.mjs)

console.log("compiling bench/*.ts with tspc and the tsgrad transformer ...");
const compile = spawnSync(join(root, "node_modules/.bin/tspc"), ["-p", join(here, "tsconfig.json"), "--pretty", "false"], {
  cwd: root,
  encoding: "utf8",
});
const diagnostics = `${compile.stdout ?? ""}${compile.stderr ?? ""}`.trim();
if (compile.status !== 0) {
  console.log(`tspc exited ${compile.status}:\n${diagnostics}\n`);
  if (compile.error) throw compile.error;
}

/** The diagnostics tspc printed for bench/NAME.ts, one line each. */
function diagnosticsFor(name) {
  return diagnostics
    .split("\n")
    .filter((line) => line.includes(`${name}.ts(`))
    .map((line) => line.replace(/^.*?error /, ""));
}

/** Loads bench/out/NAME.js; on failure returns the reason the row is blocked. */
function load(name) {
  try {
    return { module: require(join(here, "out", `${name}.js`)) };
  } catch (e) {
    const diag = diagnosticsFor(name);
    const reason = diag.length > 0 ? diag.join("; ") : String(e?.message ?? e).split("\n")[0];
    return { blocked: reason };
  }
}

const hand = require(join(here, "out", "hand.js"));
// The runtime the compiled workloads import (the package itself), for its tape's high-water mark.
const { measureTape } = require("tsgrad");
const loaded = Object.fromEntries(WORKLOAD_FILES.map((n) => [n, load(n)]));

// ---------------------------------------------------------------------------
// Data (deterministic; every workload draws from its own seeded generator)

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function generator(seed) {
  const rand = mulberry32(seed);
  return {
    rand,
    uniform: (lo, hi) => lo + (hi - lo) * rand(),
    normal: () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
    fill: (n, f) => {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = f(i);
      return a;
    },
  };
}

const SEED_CALLS = 1_000_000;
const seedXs = (() => {
  const g = generator(20240601);
  return g.fill(SEED_CALLS, () => g.uniform(-2, 2));
})();

const ROSEN_N = 100_000;
const rosenX = (() => {
  const g = generator(20240602);
  return g.fill(ROSEN_N, () => g.uniform(-1.5, 1.5));
})();

const rosenInto = { tsgrad: new Float64Array(ROSEN_N), hand: new Float64Array(ROSEN_N) };

const LR_N = 20_000;
const LR_D = 20;
const { lrX, lrY, lrW } = (() => {
  const g = generator(20240603);
  const X = g.fill(LR_N * LR_D, g.normal);
  const y = new Float64Array(LR_N);
  const wTrue = g.fill(LR_D + 1, g.normal);
  for (let i = 0; i < LR_N; i++) {
    let z = wTrue[LR_D];
    for (let j = 0; j < LR_D; j++) z += wTrue[j] * X[i * LR_D + j];
    y[i] = z + 0.5 * g.normal() >= 0 ? 1 : -1;
  }
  return { lrX: X, lrY: y, lrW: g.fill(LR_D + 1, () => 0.3 * g.normal()) };
})();

// MLP: 8 inputs, 32 tanh hidden units, 1 output, 256 samples; inputs ~ N(0, 1), targets a
// smooth function of them, weights ~ N(0, 1/fan-in)
const MLP = { n: 256, inputs: 8, hidden: 32 };
const mlpData = (() => {
  const g = generator(20240604);
  const { n, inputs, hidden } = MLP;
  const X = g.fill(n * inputs, g.normal);
  const y = g.fill(n, (s) => Math.sin(X[s * inputs]) + 0.5 * X[s * inputs + 1] * X[s * inputs + 2]);
  const W1 = g.fill(hidden * inputs, () => g.normal() / Math.sqrt(inputs));
  const b1 = g.fill(hidden, () => 0.1 * g.normal());
  const w2 = g.fill(hidden, () => g.normal() / Math.sqrt(hidden));
  return { X, y, W1, b1, w2, b2: 0.05 };
})();
const mlpArgs = (n = MLP.n) => [mlpData.W1, mlpData.b1, mlpData.w2, mlpData.b2, mlpData.X.subarray(0, n * MLP.inputs), mlpData.y.subarray(0, n)];
const MLP_ARGS = mlpArgs(); // built once: the timed calls allocate nothing of their own
/** Gradient buffers for the MLP's `{ into: true }` rows ([W1, b1, w2, b2]), filled with `v`. */
const mlpBuffers = (v) => [
  new Float64Array(MLP.hidden * MLP.inputs).fill(v),
  new Float64Array(MLP.hidden).fill(v),
  new Float64Array(MLP.hidden).fill(v),
  v,
];
const mlpInto = { tsgrad: mlpBuffers(0), hand: mlpBuffers(0), act: new Float64Array(MLP.hidden) };
// The same MLP with number[][] weights in a parameter object and number[][] samples (bench/nested.ts).
const mlpNestedArgs = (n = MLP.n) => {
  const { inputs, hidden } = MLP;
  const rows = (a, r, c) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, i * c + c)));
  const p = { W1: rows(mlpData.W1, hidden, inputs), b1: Array.from(mlpData.b1), w2: Array.from(mlpData.w2), b2: mlpData.b2 };
  return [p, rows(mlpData.X, n, inputs), Array.from(mlpData.y.subarray(0, n))];
};
const MLP_NESTED_ARGS = mlpNestedArgs();
/** The nested MLP's gradient in the flat MLP's order: W1 row-major, b1, w2, b2. */
const flatMlpNested = (g) => [...g.W1.flat(), ...g.b1, ...g.w2, g.b2];

// n-body: 200 bodies as { x, y } records (and as two Float64Arrays), masses in [0.5, 1.5];
// the hand-written gradient (bench/nested.ts) computes the forces over the records
const NBODY = { n: 200 };
const nbodyData = (() => {
  const g = generator(20261130);
  const bodies = Array.from({ length: NBODY.n }, () => ({ x: 3 * g.normal(), y: 3 * g.normal() }));
  const masses = g.fill(NBODY.n, () => g.uniform(0.5, 1.5));
  return { bodies, masses, xs: Float64Array.from(bodies, (b) => b.x), ys: Float64Array.from(bodies, (b) => b.y) };
})();
const nbodyArgs = (n = NBODY.n) => [nbodyData.bodies.slice(0, n), nbodyData.masses.subarray(0, n)];
const NBODY_ARGS = nbodyArgs();
const nbodyFlatArgs = (n = NBODY.n) => [nbodyData.xs.subarray(0, n), nbodyData.ys.subarray(0, n), nbodyData.masses.subarray(0, n)];
const NBODY_FLAT_ARGS = nbodyFlatArgs();
const flatRecords = (g) => g.flatMap((b) => [b.x, b.y]);
const interleave = ([gx, gy]) => Array.from(gx).flatMap((x, i) => [x, gy[i]]);

// Springs: a chain of 20,000 points in 3-D, coordinates ~ U(-1, 1); written flat and with a Vec3 class
const SPRINGS = { points: 20_000, k: 3, rest: 0.5 };
const springsPos = (() => {
  const g = generator(20240651);
  return g.fill(3 * SPRINGS.points, () => g.uniform(-1, 1));
})();

// Heat equation: 200 cells, 1000 explicit steps, initial profile sin(πx) plus noise, measured 0.6 of it
const HEAT = { cells: 200, steps: 1000, diffusivity: 0.9 };
const heatData = (() => {
  const g = generator(20261201);
  const initial = g.fill(HEAT.cells, (i) => Math.sin((Math.PI * i) / (HEAT.cells - 1)) + 0.05 * g.normal());
  const measured = initial.map((u) => 0.6 * u);
  return { initial, measured };
})();
const heatArgs = (steps = HEAT.steps) => [HEAT.diffusivity, heatData.initial, heatData.measured, steps];
const HEAT_ARGS = heatArgs();

// 2-D heat plate: a 64 x 64 grid as number[][] (and as one flat Float64Array), 200 steps, buffer swaps
const PLATE = { size: 64, steps: 200, conductivity: 0.9 };
const plateData = (() => {
  const g = generator(20261202);
  const nested = Array.from({ length: PLATE.size }, () => Array.from(g.fill(PLATE.size, () => g.uniform(0, 1))));
  return { nested, flat: Float64Array.from(nested.flat()) };
})();
const plateArgs = (steps = PLATE.steps) => [PLATE.conductivity, plateData.nested, steps];
const plateFlatArgs = (steps = PLATE.steps) => [PLATE.conductivity, plateData.flat, PLATE.size, PLATE.size, steps];
/** Bytes of the runtime's tape one gradient call fills: from an empty tape, the call grows it to what its forward sweep pushed. */
function tapeBytes(call) {
  const tape = require(require.resolve("tsgrad", { paths: [join(here, "out")] })).tape;
  const kept = tape.values;
  tape.values = new Float64Array(0);
  call();
  const bytes = tape.values.byteLength;
  if (kept.length > tape.values.length) tape.values = kept;
  return bytes;
}

const PEND = { theta0: 1.0, c: 0.5, steps: 20_000, dt: 1e-3, gOverL: 9.81 };
const PEND_TF_STEPS = 1_000; // TF.js runs this many steps; its time is scaled by steps / PEND_TF_STEPS

/** log Γ(z) for z > 0 (Lanczos, g = 7). */
function lgamma(z) {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
/** log of the multivariate gamma function Γ_p(a). */
function logMultiGamma(a, p) {
  let r = ((p * (p - 1)) / 4) * Math.log(Math.PI);
  for (let j = 1; j <= p; j++) r += lgamma(a + (1 - j) / 2);
  return r;
}

/**
 * A GMM instance as ADBench generates them: alphas ~ N(0, 1), means and icf ~ U(0, 1),
 * points ~ U(0, 1); Wishart γ = 1, m = 0; the constant −n·d·½·log 2π − K·C precomputed.
 */
function gmmData(d, K, n, seed) {
  const g = generator(seed);
  const gamma = 1;
  const m = 0;
  const icfSize = (d * (d + 1)) / 2;
  const alphas = g.fill(K, g.normal);
  const means = g.fill(K * d, g.rand);
  const icf = g.fill(K * icfSize, g.rand);
  const x = g.fill(n * d, g.rand);
  const nPrime = d + m + 1;
  const C = nPrime * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma(0.5 * nPrime, d);
  const constant = -n * d * 0.5 * Math.log(2 * Math.PI) - K * C;
  return { d, K, n, icfSize, gamma, m, alphas, means, icf, x, args: [alphas, means, icf, x, d, K, gamma, m, constant] };
}
const GMM_N = 1000;
const GMM_SIZES = [
  { key: "gmm_d2_k5", d: 2, K: 5, seed: 20240611 },
  { key: "gmm", d: 10, K: 25, seed: 20240612 }, // "gmm": the key of this row since the first bench
  { key: "gmm_d20_k50", d: 20, K: 50, seed: 20240613 },
].map((s) => ({ ...s, data: gmmData(s.d, s.K, GMM_N, s.seed) }));

// GradBench lse: x ~ U(0, 1)
const LSE_SIZES = [80_000, 1_280_000].map((n, i) => {
  const g = generator(20240621 + i);
  return { n, x: g.fill(n, g.rand) };
});

// GradBench llsq: m = 128 coefficients x ~ U(0, 1), n = 1024 points
// The transforms' rows: a Hessian, a Jacobian, a long rollout (bench/transforms.ts).
const HESS_N = 100;
const hessX = (() => {
  const r = generator(20240615);
  return Float64Array.from({ length: HESS_N }, () => r.uniform(-1.5, 1.5));
})();
const FEATURES_N = 2000;
const featuresX = (() => {
  const r = generator(20240617);
  return Float64Array.from({ length: FEATURES_N }, () => r.uniform(-2, 2));
})();
const ODE_N = 50;
const odeU = (() => {
  const r = generator(20240616);
  return Float64Array.from({ length: ODE_N }, () => 8 + r.uniform(-1, 1));
})();
const ROLLOUT = { p: 9.81, c: 0.3, steps: 1_000_000 };
const ROLLOUT_ARGS = [ROLLOUT.p, ROLLOUT.c, ROLLOUT.steps];
/** The tape's high-water mark (slots) of each rollout row's gradient, filled by its check. */
const rolloutTape = {};

const LLSQ_M = 128;
const LLSQ_N = 1024;
const llsqX = (() => {
  const g = generator(20240631);
  return g.fill(LLSQ_M, g.rand);
})();

// ADBench lstm: l = 2 layers, c = 1024 characters, b = 14 bits a character; parameters and
// state ~ U(0, 1) (ADBench's gen_data.py); the characters are the 14-bit codes of a text
// (mostly ASCII letters and spaces, a few code points above 8192 so that 14 bits are needed).
const LSTM = { l: 2, c: 1024, b: 14 };
const lstmData = (() => {
  const g = generator(20240641);
  const { l, c, b } = LSTM;
  const main = g.fill(2 * l * 4 * b, g.rand);
  const extra = g.fill(3 * b, g.rand);
  const state = g.fill(2 * l * b, g.rand);
  const seq = new Float64Array(c * b);
  for (let t = 0; t < c; t++) {
    const r = g.rand();
    const code = r < 0.15 ? 32 : r < 0.98 ? 97 + Math.floor(g.rand() * 26) : 8192 + Math.floor(g.rand() * 8000);
    for (let j = 0; j < b; j++) seq[t * b + j] = (code >> (b - 1 - j)) & 1; // most significant bit first, as bin(ord(c))
  }
  return { main, extra, state, seq };
})();
const lstmArgs = (c = LSTM.c) => [lstmData.main, lstmData.extra, lstmData.state, lstmData.seq.subarray(0, c * LSTM.b), LSTM.l, c, LSTM.b];

// ---------------------------------------------------------------------------
// TF.js

console.log("loading @tensorflow/tfjs (CPU backend) ...");
const tf = await loadTf();
// run on the CPU backend whatever backend a peer (bench/peers.mjs) left active
const onCpu = (impl) => Object.fromEntries(Object.entries(impl).map(([k, fn]) => [k, onBackend(tf, "cpu", fn)]));
const tfImpl = onCpu({
  seed: seedTf(tf),
  rosenbrock: rosenbrockTf(tf),
  logreg: logregTf(tf, lrX, lrY, LR_N, LR_D),
  mlp: mlpTf(tf, mlpData.X, mlpData.y, MLP.n, MLP.inputs, MLP.hidden),
  pendulum: pendulumTf(tf, PEND.dt, PEND.gOverL),
  lse: lseTf(tf),
  ...Object.fromEntries(
    GMM_SIZES.map(({ key, data: g }) => [key, gmmTf(tf, g.x, g.n, g.d, g.K, g.gamma, g.m, g.args[8])]),
  ),
});
const SEED_TF_CALLS = 2_000; // TF.js time for these calls, scaled to SEED_CALLS

// The other JavaScript peers (bench/peers.mjs), on the workloads they implement: what each
// peer's gradient function takes, and how each peer builds it.
const peerWorkloads = [
  {
    key: "logreg",
    label: "logistic regression",
    args: [lrW],
    tf: (tf) => logregTf(tf, lrX, lrY, LR_N, LR_D),
    jax: (jax) => logregJax(jax, lrX, lrY, LR_N, LR_D),
  },
  {
    key: "mlp",
    label: "MLP",
    args: MLP_ARGS.slice(0, 4),
    tf: (tf) => mlpTf(tf, mlpData.X, mlpData.y, MLP.n, MLP.inputs, MLP.hidden),
    jax: (jax) => mlpJax(jax, mlpData.X, mlpData.y, MLP.n, MLP.inputs, MLP.hidden),
  },
  ...GMM_SIZES.map(({ key, d, K, data: g }) => ({
    key,
    label: `GMM d=${d} K=${K}`,
    args: [g.alphas, g.means, g.icf],
    tf: (tf) => gmmTf(tf, g.x, g.n, g.d, g.K, g.gamma, g.m, g.args[8]),
    jax: (jax) => gmmJax(jax, g.x, g.n, g.d, g.K, g.gamma, g.m, g.args[8]),
  })),
];
keepSelected(peerWorkloads);
console.log("loading the other JavaScript peers (TF.js Wasm backend, jax-js) ...");
const peers = await buildPeers(tf, peerWorkloads);

// ---------------------------------------------------------------------------
// Workloads: what each column runs

/** Flattens a gradient (number, Float64Array, or tuple of these) into a plain array. */
function flat(g) {
  if (typeof g === "number") return [g];
  if (Array.isArray(g)) return g.flatMap(flat);
  return Array.from(g);
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
function maxAbs(a) {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Central finite differences of f(args) w.r.t. element `index` of args[arg] (a number or an array). */
function centralDifference(f, args, arg, index, h) {
  const at = (delta) => {
    const a = args.slice();
    if (typeof a[arg] === "number") a[arg] = a[arg] + delta;
    else {
      a[arg] = Float64Array.from(a[arg]);
      a[arg][index] += delta;
    }
    return f(...a);
  };
  return (at(h) - at(-h)) / (2 * h);
}

/**
 * Checks tsgrad's gradient against central differences at `picks` ([argument
 * position in args, element, position in the gradient tuple]); returns the
 * largest difference, the largest FD component and the FD noise level.
 */
function fdCheck(f, args, grad, picks, h) {
  const got = picks.map(([, i, t]) => (t === undefined ? grad : grad[t])[i]);
  const fd = picks.map(([a, i]) => centralDifference(f, args, a, i, h));
  const value = Math.abs(f(...args));
  return { diff: maxAbsDiff(got, fd), scale: maxAbs(fd), fdNoise: (1e-15 * Math.max(1, value)) / h };
}

/**
 * A row's allocation probe: the gradient (`${fn}Grad`) and the primal (`fn`) of
 * its module on `argsAt(trips)`, at `trips` and half as many.
 */
function allocOf(unit, trips, argsAt, fn, hand) {
  return (m) => ({
    unit,
    trips: [trips, trips / 2],
    hand: hand !== undefined,
    at: (t) => {
      const args = argsAt(t);
      return { grad: () => m[`${fn}Grad`](...args), primal: () => m[fn](...args), hand: hand && (() => m[hand](...args)) };
    },
  });
}

/** An MLP row: `fn` and `${fn}Grad` of module `file`, on flat weights or (nested) number[][] ones, against mlpHand and TF.js. */
function mlpRow({ key, file, label, fn, nested = false }) {
  const argsAt = nested ? mlpNestedArgs : mlpArgs;
  const args = nested ? MLP_NESTED_ARGS : MLP_ARGS;
  const flatGrad = nested ? flatMlpNested : flat;
  return {
    key,
    file,
    label,
    size: `${MLP.inputs}-${MLP.hidden}-1 tanh, n = ${MLP.n}`,
    primal: (m) => () => m[fn](...args),
    grad: (m) => () => m[`${fn}Grad`](...args),
    hand: () => hand.mlpHand(...MLP_ARGS),
    tf: { run: () => tfImpl.mlp(...MLP_ARGS.slice(0, 4)), scale: 1, note: "" },
    check(m) {
      const ts = flatGrad(m[`${fn}Grad`](...argsAt()));
      const ref = flat(hand.mlpHand(...mlpArgs()));
      const tfG = flat(tfImpl.mlp(...MLP_ARGS.slice(0, 4)));
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref), tfRel: maxAbsDiff(tfG, ts) / maxAbs(ts) };
    },
    alloc: allocOf("sample", MLP.n, argsAt, fn),
  };
}

const workloads = [
  {
    key: "seed",
    file: "seed",
    label: "seed 6x²+2x+4",
    size: "10^6 calls",
    primal: (m) => () => m.seedPrimalLoop(seedXs),
    grad: (m) => () => m.seedGradLoop(seedXs),
    hand: () => hand.seedHandLoop(seedXs),
    tf: { run: () => tfLoop(SEED_TF_CALLS), scale: SEED_CALLS / SEED_TF_CALLS, note: `TF.js: ${SEED_TF_CALLS} scalar-op calls, scaled to 10^6` },
    check(m) {
      const sample = seedXs.subarray(0, 10_000);
      const ts = Array.from(sample, (x) => m.seedGrad(x));
      const ref = Array.from(sample, (x) => hand.seedHand(x));
      const loopDiff = Math.abs(m.seedGradLoop(seedXs) - hand.seedHandLoop(seedXs));
      const tfG = Array.from(sample.subarray(0, 200), (x) => tfImpl.seed(x));
      return {
        reference: "hand",
        diff: Math.max(maxAbsDiff(ts, ref), loopDiff / SEED_CALLS),
        scale: maxAbs(ref),
        tfRel: maxAbsDiff(tfG, ts.slice(0, 200)) / maxAbs(ts.slice(0, 200)),
      };
    },
    alloc: (m) => ({
      unit: "call",
      trips: [SEED_CALLS, SEED_CALLS / 2],
      at: (t) => {
        const xs = seedXs.subarray(0, t);
        return { grad: () => m.seedGradLoop(xs), primal: () => m.seedPrimalLoop(xs) };
      },
    }),
  },
  {
    key: "rosenbrock",
    file: "rosenbrock",
    label: "Rosenbrock",
    size: "n = 10^5",
    primal: (m) => () => m.rosenbrock(rosenX),
    grad: (m) => () => m.rosenbrockGrad(rosenX),
    hand: () => hand.rosenbrockHand(rosenX),
    tf: { run: () => tfImpl.rosenbrock(rosenX), scale: 1, note: "" },
    check(m) {
      const ts = m.rosenbrockGrad(rosenX);
      const ref = hand.rosenbrockHand(rosenX);
      const tfG = tfImpl.rosenbrock(rosenX);
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref), tfRel: maxAbsDiff(tfG, ts) / maxAbs(ts) };
    },
    alloc: allocOf("element", ROSEN_N, (t) => [rosenX.subarray(0, t)], "rosenbrock"),
  },
  {
    // grad(f, 0, { into: true }): the gradient written into a buffer the caller keeps.
    key: "rosenbrock_into",
    file: "rosenbrock",
    label: "Rosenbrock, into",
    size: "n = 10^5",
    primal: (m) => () => m.rosenbrock(rosenX),
    grad: (m) => () => m.rosenbrockGradInto(rosenX, rosenInto.tsgrad),
    hand: () => hand.rosenbrockHandInto(rosenX, rosenInto.hand),
    tf: undefined,
    check(m) {
      const stale = new Float64Array(ROSEN_N).fill(3);
      const ts = m.rosenbrockGradInto(rosenX, stale);
      const ref = hand.rosenbrockHand(rosenX);
      const [value, same] = m.rosenbrockValueAndGradInto(rosenX, new Float64Array(ROSEN_N).fill(-1));
      const diff = ts === stale ? Math.max(maxAbsDiff(ts, ref), maxAbsDiff(same, ref), Math.abs(value - m.rosenbrock(rosenX))) : Infinity;
      return { reference: "hand", diff, scale: maxAbs(ref) };
    },
    alloc: (m) => ({
      unit: "element",
      trips: [ROSEN_N, ROSEN_N / 2],
      at: (t) => {
        const x = rosenX.subarray(0, t);
        const into = new Float64Array(t);
        return { grad: () => m.rosenbrockGradInto(x, into), primal: () => m.rosenbrock(x) };
      },
    }),
  },
  {
    key: "logreg",
    file: "logreg",
    label: "logistic regression",
    size: "n = 20000, d = 20",
    primal: (m) => () => m.logreg(lrW, lrX, lrY),
    grad: (m) => () => m.logregGrad(lrW, lrX, lrY),
    hand: () => hand.logregHand(lrW, lrX, lrY),
    tf: { run: () => tfImpl.logreg(lrW), scale: 1, note: "" },
    check(m) {
      const ts = m.logregGrad(lrW, lrX, lrY);
      const ref = hand.logregHand(lrW, lrX, lrY);
      const tfG = tfImpl.logreg(lrW);
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref), tfRel: maxAbsDiff(tfG, ts) / maxAbs(ts) };
    },
    alloc: allocOf("sample", LR_N, (n) => [lrW, lrX.subarray(0, n * LR_D), lrY.subarray(0, n)], "logreg"),
  },
  mlpRow({ key: "mlp", file: "mlp", label: "MLP", fn: "mlp" }),
  {
    // grad(mlp, [0, 1, 2, 3], { into: true }): the four gradients written into the caller's buffers.
    key: "mlp_into",
    file: "mlp",
    label: "MLP, into",
    size: `${MLP.inputs}-${MLP.hidden}-1 tanh, n = ${MLP.n}`,
    primal: (m) => () => m.mlp(...MLP_ARGS),
    grad: (m) => () => m.mlpGradInto(...MLP_ARGS, mlpInto.tsgrad),
    hand: () => hand.mlpHandInto(...MLP_ARGS, mlpInto.hand, mlpInto.act),
    tf: undefined,
    check(m) {
      const args = mlpArgs();
      const stale = mlpBuffers(7);
      const ts = m.mlpGradInto(...args, stale);
      const ref = flat(hand.mlpHand(...args));
      const [value, again] = m.mlpValueAndGradInto(...args, mlpBuffers(-2));
      const same = ts === stale && ts[0] === stale[0];
      const diff = same ? Math.max(maxAbsDiff(flat(ts), ref), maxAbsDiff(flat(again), ref), Math.abs(value - m.mlp(...args))) : Infinity;
      return { reference: "hand", diff, scale: maxAbs(ref) };
    },
    alloc: (m) => ({
      unit: "sample",
      trips: [MLP.n, MLP.n / 2],
      at: (n) => {
        const args = mlpArgs(n);
        const into = mlpBuffers(0);
        return { grad: () => m.mlpGradInto(...args, into), primal: () => m.mlp(...args) };
      },
    }),
  },
  mlpRow({ key: "mlp_helper", file: "mlp", label: "MLP, forward() helper", fn: "mlpHelper" }),
  mlpRow({ key: "mlp_nested", file: "nested", label: "MLP number[][]", fn: "mlpNested", nested: true }),
  mlpRow({ key: "mlp_map", file: "mlpmap", label: "MLP map/reduce", fn: "mlpMap", nested: true }),
  {
    key: "nbody",
    file: "nested",
    label: "n-body Body[]",
    size: `${NBODY.n} { x, y } records`,
    primal: (m) => () => m.nbody(...NBODY_ARGS),
    grad: (m) => () => m.nbodyGrad(...NBODY_ARGS),
    hand: () => loaded.nested.module.nbodyHand(...NBODY_ARGS),
    tf: undefined,
    check(m) {
      const ts = flatRecords(m.nbodyGrad(...NBODY_ARGS));
      const ref = flatRecords(m.nbodyHand(...NBODY_ARGS));
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref) };
    },
    alloc: allocOf("body", NBODY.n, nbodyArgs, "nbody", "nbodyHand"),
  },
  {
    key: "nbody_flat",
    file: "nested",
    label: "n-body flat arrays",
    size: `${NBODY.n} bodies, Float64Array x and y`,
    primal: (m) => () => m.nbodyFlat(...NBODY_FLAT_ARGS),
    grad: (m) => () => m.nbodyFlatGrad(...NBODY_FLAT_ARGS),
    hand: () => loaded.nested.module.nbodyHand(...NBODY_ARGS),
    tf: undefined,
    check(m) {
      const ts = interleave(m.nbodyFlatGrad(...NBODY_FLAT_ARGS));
      const ref = flatRecords(m.nbodyHand(...NBODY_ARGS));
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref) };
    },
    alloc: allocOf("body", NBODY.n, nbodyFlatArgs, "nbodyFlat"),
  },
  {
    // The backward sweep's memory: the tape the forward sweep fills (and the buffers it keeps), reported under the tables.
    key: "heat",
    file: "heat",
    label: "heat equation",
    size: `${HEAT.cells} cells, ${HEAT.steps} steps, buffer swaps`,
    primal: (m) => () => m.heat(...HEAT_ARGS),
    grad: (m) => () => m.heatGrad(...HEAT_ARGS),
    hand: () => loaded.heat.module.heatHand(...HEAT_ARGS),
    tf: undefined,
    check(m) {
      const ts = flat(m.heatGrad(...HEAT_ARGS));
      const ref = flat(m.heatHand(...HEAT_ARGS));
      // FD at the diffusivity and two cells of the initial profile
      const fd = fdCheck(m.heat, HEAT_ARGS, m.heatGrad(...HEAT_ARGS), [[1, 7, 1], [1, 100, 1]], 1e-6);
      const fdD = Math.abs(centralDifference(m.heat, HEAT_ARGS, 0, 0, 1e-6) - ts[0]);
      heatTape.bytes = tapeBytes(() => m.heatGrad(...HEAT_ARGS));
      return {
        reference: "hand",
        diff: maxAbsDiff(ts, ref),
        scale: maxAbs(ref),
        extra: { what: "FD at 3", diff: Math.max(fd.diff, fdD), tol: 1e-6 * (1 + Math.max(fd.scale, Math.abs(ts[0]))) + fd.fdNoise },
      };
    },
    alloc: (m) => ({
      unit: "step",
      trips: [HEAT.steps, HEAT.steps / 2],
      at: (steps) => {
        const args = heatArgs(steps);
        return { grad: () => m.heatGrad(...args), primal: () => m.heat(...args) };
      },
    }),
  },
  {
    // number[][] with buffer swaps against the same stencil over one flat Float64Array (its gradient is the "hand" column).
    key: "heat2d",
    file: "heat2d",
    label: "heat plate number[][]",
    noTarget: true, // its target is against the flat version (the hand column): ≤ 1.3
    size: `${PLATE.size}x${PLATE.size} grid, ${PLATE.steps} steps, swaps; hand = flat Float64Array`,
    primal: (m) => () => m.plate(...plateArgs()),
    grad: (m) => () => m.plateGrad(...plateArgs()),
    hand: () => loaded.heat2d.module.plateFlatGrad(...plateFlatArgs()),
    tf: undefined,
    check(m) {
      const ts = flat(m.plateGrad(...plateArgs()));
      const ref = flat(m.plateFlatGrad(...plateFlatArgs()));
      const fdK = Math.abs(centralDifference(m.plate, plateArgs(), 0, 0, 1e-6) - ts[0]);
      return { reference: "flat", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref), extra: { what: "FD at k", diff: fdK, tol: 1e-6 * (1 + Math.abs(ts[0])) } };
    },
    alloc: (m) => ({
      unit: "step",
      trips: [PLATE.steps, PLATE.steps / 2],
      at: (steps) => {
        const args = plateArgs(steps);
        return { grad: () => m.plateGrad(...args), primal: () => m.plate(...args) };
      },
    }),
  },
  {
    key: "pendulum",
    file: "pendulum",
    label: "pendulum rollout",
    size: "20000 Euler steps",
    primal: (m) => () => m.pendulum(PEND.theta0, PEND.c, PEND.steps, PEND.dt, PEND.gOverL),
    grad: (m) => () => m.pendulumGrad(PEND.theta0, PEND.c, PEND.steps, PEND.dt, PEND.gOverL),
    hand: undefined,
    tf: {
      run: () => tfImpl.pendulum(PEND.theta0, PEND.c, PEND_TF_STEPS),
      scale: PEND.steps / PEND_TF_STEPS,
      note: `TF.js: ${PEND_TF_STEPS} steps of scalar ops timed, scaled ×${PEND.steps / PEND_TF_STEPS} to ${PEND.steps} steps`,
    },
    check(m) {
      const args = [PEND.theta0, PEND.c, PEND.steps, PEND.dt, PEND.gOverL];
      const ts = flat(m.pendulumGrad(...args));
      const fd = [0, 1].map((k) => centralDifference(m.pendulum, args, k, 0, 1e-6));
      const short = [PEND.theta0, PEND.c, PEND_TF_STEPS, PEND.dt, PEND.gOverL];
      const tsShort = flat(m.pendulumGrad(...short));
      const tfG = tfImpl.pendulum(PEND.theta0, PEND.c, PEND_TF_STEPS);
      const f = Math.abs(m.pendulum(...args));
      return {
        reference: "FD, θ0 and c",
        diff: maxAbsDiff(ts, fd),
        scale: maxAbs(fd),
        fdNoise: (1e-15 * f) / 1e-6,
        tfRel: maxAbsDiff(tfG, tsShort) / maxAbs(tsShort),
      };
    },
    alloc: allocOf("step", PEND.steps, (steps) => [PEND.theta0, PEND.c, steps, PEND.dt, PEND.gOverL], "pendulum"),
  },
  // The same kernel written flat and with Vec3 methods: tsgrad inlines the methods and keeps
  // each instance in locals, so the two gradients must run at the same speed.
  ...[
    { key: "springs", variant: "Flat", label: "springs, flat" },
    { key: "springs_vec3", variant: "Vec", label: "springs, Vec3 methods" },
  ].map(({ key, variant, label }) => ({
    key,
    file: "springs",
    label,
    size: `${SPRINGS.points} points`,
    primal: (m) => () => m[`springs${variant}`](springsPos, SPRINGS.k, SPRINGS.rest),
    grad: (m) => () => m[`springs${variant}Grad`](springsPos, SPRINGS.k, SPRINGS.rest),
    hand: () => loaded.springs.module.springsHand(springsPos, SPRINGS.k, SPRINGS.rest),
    // The Vec3 row times the flat gradient alongside its own (structured-rows.mjs says why).
    twin: variant === "Vec" ? { key: "springs", grad: (m) => () => m.springsFlatGrad(springsPos, SPRINGS.k, SPRINGS.rest) } : undefined,
    tf: undefined,
    check(m) {
      const ts = m[`springs${variant}Grad`](springsPos, SPRINGS.k, SPRINGS.rest);
      const ref = m.springsHand(springsPos, SPRINGS.k, SPRINGS.rest);
      return { reference: "hand", diff: maxAbsDiff(flat(ts), flat(ref)), scale: maxAbs(ref) };
    },
    alloc: (m) => ({
      unit: "point",
      trips: [SPRINGS.points, SPRINGS.points / 2],
      at: (n) => {
        const pos = springsPos.subarray(0, 3 * n);
        return { grad: () => m[`springs${variant}Grad`](pos, SPRINGS.k, SPRINGS.rest), primal: () => m[`springs${variant}`](pos, SPRINGS.k, SPRINGS.rest) };
      },
    }),
  })),
  ...GMM_SIZES.map(({ key, d, K, data: g }) => ({
    key,
    file: "gmm",
    label: `GMM d=${d} K=${K}`,
    size: `d = ${d}, K = ${K}, n = ${GMM_N}`,
    primal: (m) => () => m.gmm(...g.args),
    grad: (m) => () => m.gmmGrad(...g.args),
    hand: () => hand.gmmHand(...g.args.slice(0, 8)),
    tf: { run: () => tfImpl[key](g.alphas, g.means, g.icf), scale: 1, note: "", minCalls: 2, minSamples: 3 },
    check(m) {
      const ts = m.gmmGrad(...g.args);
      const ref = hand.gmmHand(...g.args.slice(0, 8));
      // and central differences at a few components (alphas, means, log-diagonals, lower entries)
      const picks = [
        [0, 0, 0],
        [0, K - 1, 0],
        [1, 0, 1],
        [1, K * d - 1, 1],
        [2, 0, 2],
        [2, (K >> 1) * g.icfSize + d - 1, 2],
        [2, (K >> 1) * g.icfSize + d, 2],
        [2, K * g.icfSize - 1, 2], // the last lower entry
      ];
      const fd = fdCheck(m.gmm, g.args, ts, picks, 1e-5);
      const tfG = tfImpl[key](g.alphas, g.means, g.icf);
      const tsFlat = flat(ts);
      const refFlat = flat(ref);
      const scale = maxAbs(refFlat);
      return {
        reference: "hand + FD",
        diff: maxAbsDiff(tsFlat, refFlat),
        scale,
        tol: 1e-9 * scale,
        extra: { what: `FD at ${picks.length} comps`, diff: fd.diff, tol: 1e-6 * (1 + fd.scale) + fd.fdNoise },
        tfRel: maxAbsDiff(flat(tfG), tsFlat) / maxAbs(tsFlat),
      };
    },
    alloc: (m) => ({
      unit: "point",
      trips: [GMM_N, GMM_N / 2],
      at: (n) => {
        const args = g.args.slice();
        args[3] = g.x.subarray(0, n * d);
        return { grad: () => m.gmmGrad(...args), primal: () => m.gmm(...args) };
      },
    }),
  })),
  ...LSE_SIZES.map(({ n, x }, i) => ({
    key: `lse_${n}`,
    file: "lse",
    label: `LSE n=${n}`,
    size: `n = ${n}`,
    primal: (m) => () => m.lse(x),
    grad: (m) => () => m.lseGrad(x),
    hand: () => hand.lseHand(x),
    // TF.js at n = 80000 only: at 1280000 a call takes ~2.5 s and its float32 sum of
    // 1.28M terms is off by ~5%, so its gradient would not pass the check anyway.
    tf: i === 0 ? { run: () => tfImpl.lse(x), scale: 1, note: "", minCalls: 2, minSamples: 3 } : undefined,
    check(m) {
      const ts = m.lseGrad(x);
      const ref = hand.lseHand(x);
      // and central differences at two elements
      const fd = fdCheck(m.lse, [x], ts, [[0, 0], [0, n - 1]], 1e-5);
      const scale = maxAbs(ref);
      return {
        reference: "hand + FD",
        diff: maxAbsDiff(ts, ref),
        scale,
        // the gradient is softmax, every component ~1/n: relative to max |g|. (At the
        // maximum, tsgrad adds 1 − Σ softmax, a rounding error of ~√n·ε, to it.)
        tol: 1e-6 * scale,
        extra: { what: "FD at 2 comps", diff: fd.diff, tol: 1e-6 * fd.scale + fd.fdNoise },
        ...(i === 0 ? { tfRel: maxAbsDiff(tfImpl.lse(x), ts) / maxAbs(ts) } : {}),
      };
    },
    alloc: (m) => ({
      unit: "element",
      trips: [n, n / 2],
      at: (t) => {
        const v = x.subarray(0, t);
        return { grad: () => m.lseGrad(v), primal: () => m.lse(v) };
      },
    }),
  })),
  {
    key: "llsq",
    file: "llsq",
    label: "LLSQ",
    size: `m = ${LLSQ_M}, n = ${LLSQ_N}`,
    primal: (m) => () => m.llsq(llsqX, LLSQ_N),
    grad: (m) => () => m.llsqGrad(llsqX, LLSQ_N),
    hand: () => hand.llsqHand(llsqX, LLSQ_N),
    tf: undefined,
    check(m) {
      const ts = m.llsqGrad(llsqX, LLSQ_N);
      const ref = hand.llsqHand(llsqX, LLSQ_N);
      const fd = fdCheck(m.llsq, [llsqX, LLSQ_N], ts, [[0, 0], [0, 1], [0, 64], [0, LLSQ_M - 1]], 1e-5);
      const scale = maxAbs(ref);
      return {
        reference: "hand + FD",
        diff: maxAbsDiff(ts, ref),
        scale,
        tol: 1e-9 * scale,
        extra: { what: "FD at 4 comps", diff: fd.diff, tol: 1e-6 * (1 + fd.scale) + fd.fdNoise },
      };
    },
    alloc: (m) => ({
      unit: "point",
      trips: [LLSQ_N, LLSQ_N / 2],
      at: (n) => ({ grad: () => m.llsqGrad(llsqX, n), primal: () => m.llsq(llsqX, n) }),
    }),
  },
  {
    key: "lstm",
    file: "lstm",
    label: "LSTM",
    size: `l = ${LSTM.l}, c = ${LSTM.c}, b = ${LSTM.b}`,
    primal: (m) => () => m.lstm(...lstmArgs()),
    grad: (m) => () => m.lstmGrad(...lstmArgs()),
    hand: undefined,
    tf: undefined,
    check(m) {
      const args = lstmArgs();
      const ts = m.lstmGrad(...args);
      const { b } = LSTM;
      const picks = [
        [0, 0, 0], // layer 0 forget weight
        [0, 3 * b + 5, 0], // layer 0 change weight
        [0, 4 * b + 2 * b + 1, 0], // layer 0 outgate bias
        [0, 8 * b + b + 7, 0], // layer 1 ingate weight
        [0, 16 * b - 1, 0], // layer 1 last change bias
        [1, 3, 1], // input weight
        [1, b + 4, 1], // output weight
        [1, 3 * b - 1, 1], // output bias
      ];
      const fd = fdCheck(m.lstm, args, ts, picks, 1e-6);
      return { reference: "FD, 8 comps", diff: fd.diff, scale: fd.scale, tol: 1e-6 * fd.scale + fd.fdNoise };
    },
    alloc: allocOf("character", LSTM.c, lstmArgs, "lstm"),
  },
  // The transforms beyond grad (issue 15). Their hand-written references compute
  // less (the Hessian's tridiagonal band, the Jacobian's four entries per row),
  // so they carry no grad/hand target.
  {
    key: "rosenbrock_hessian",
    file: "transforms",
    label: "Hessian, Rosenbrock",
    size: `hessian(f), n = ${HESS_N}`,
    noTarget: true,
    primal: (m) => () => m.rosenbrock(hessX),
    grad: (m) => () => m.rosenbrockHessian(hessX),
    hand: () => hand.rosenbrockHessianHand(hessX),
    tf: undefined,
    check(m) {
      const ts = m.rosenbrockHessian(hessX).flat();
      const ref = hand.rosenbrockHessianHand(hessX).flat();
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref) };
    },
  },
  ...[
    { key: "ode_jacobian", fn: "lorenz96Jacobian", label: "Jacobian, ODE rhs", mode: "jacobian" },
    { key: "ode_jacfwd", fn: "lorenz96Jacfwd", label: "Jacobian, ODE, jacfwd", mode: "jacfwd" },
  ].map(({ key, fn, label, mode }) => ({
    key,
    file: "transforms",
    label,
    size: `${mode}(f), Lorenz-96, ${ODE_N} outputs`,
    noTarget: true,
    primal: (m) => () => m.lorenz96(odeU),
    grad: (m) => () => m[fn](odeU),
    hand: () => hand.lorenz96JacobianHand(odeU),
    tf: undefined,
    check(m) {
      const ts = m[fn](odeU).flat();
      const ref = hand.lorenz96JacobianHand(odeU).flat();
      // Column j against central differences of the right-hand side, for a few j.
      const fdColumns = [0, 17, ODE_N - 1].map((j) => {
        const at = (d) => {
          const u = Float64Array.from(odeU);
          u[j] += d;
          return m.lorenz96(u);
        };
        const [a, b] = [at(1e-6), at(-1e-6)];
        return maxAbsDiff(Array.from(a, (v, i) => (v - b[i]) / 2e-6), ts.filter((_, k) => k % ODE_N === j));
      });
      return { reference: "hand", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref), extra: { what: "FD columns", diff: Math.max(...fdColumns), tol: 1e-6 * (1 + maxAbs(ref)) } };
    },
  })),
  // jacobian(f) with a few outputs over a costly forward sweep, against jacfwd of the same f.
  ...[2, 10].map((outputs) => ({
    key: `features_jacobian_${outputs}`,
    file: "transforms",
    label: `Jacobian, ${outputs} outputs`,
    size: `jacobian(f), ${FEATURES_N} inputs`,
    noTarget: true,
    primal: (m) => () => m.features(featuresX, outputs),
    grad: (m) => () => m.featuresJacobian(featuresX, outputs),
    hand: undefined,
    tf: undefined,
    check(m) {
      const ts = m.featuresJacobian(featuresX, outputs).flat();
      const ref = m.featuresJacfwd(featuresX, outputs).flat();
      return { reference: "jacfwd", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref) };
    },
  })),
  ...[
    { key: "rollout_checkpoint", fn: "rolloutCheckpointed", label: "rollout, checkpoint", other: "rolloutInline" },
    { key: "rollout_inline", fn: "rolloutInline", label: "rollout, inline step", other: "rolloutCheckpointed" },
  ].map(({ key, fn, label, other }) => ({
    key,
    file: "transforms",
    label,
    size: `${ROLLOUT.steps / 1e6}×10^6 RK4 steps, 2 states`,
    primal: (m) => () => m[fn](...ROLLOUT_ARGS),
    grad: (m) => () => m[`${fn}Grad`](...ROLLOUT_ARGS),
    hand: undefined,
    tf: undefined,
    check(m) {
      const { result, slots } = measureTape(() => m[`${fn}Grad`](...ROLLOUT_ARGS));
      rolloutTape[key] = slots;
      const ts = flat(result);
      const fd = [0, 1].map((k) => centralDifference(m[fn], ROLLOUT_ARGS, k, 0, 1e-6));
      const theOther = flat(m[`${other}Grad`](...ROLLOUT_ARGS));
      const f = Math.abs(m[fn](...ROLLOUT_ARGS));
      return {
        reference: "FD, p and c",
        diff: maxAbsDiff(ts, fd),
        scale: maxAbs(fd),
        fdNoise: (1e-15 * f * ROLLOUT.steps) / 1e-6,
        extra: { what: other === "rolloutInline" ? "inline step" : "checkpointed", diff: maxAbsDiff(ts, theOther), tol: 1e-9 * (1 + maxAbs(ts)) },
      };
    },
  })),
];

workloads.push(...structuredRows({ generator, flat, maxAbsDiff, maxAbs, loaded: () => loaded.structured }));
workloads.push(...constructRows({ generator, flat, maxAbsDiff, maxAbs, loaded: () => loaded.rows, centralDifference }));
keepSelected(workloads);
/** The heat equation's tape, measured with its check. */
const heatTape = { bytes: undefined };
if (options.only && workloads.length === 0) usageError(`--only ${options.only.join(",")} matches no row`);

/** With --only: removes the rows whose key contains none of the words (in place: the rest of the script reads these arrays). */
function keepSelected(list) {
  if (!options.only) return;
  const kept = list.filter((w) => options.only.some((word) => w.key.includes(word)));
  list.splice(0, list.length, ...kept);
}

function tfLoop(calls) {
  let acc = 0;
  for (let i = 0; i < calls; i++) acc += tfImpl.seed(seedXs[i]);
  return acc;
}

// ---------------------------------------------------------------------------
// Checks, before any timing

const CHECK_REL = 1e-6; // tsgrad vs hand / FD: |Δ| ≤ CHECK_REL·(1 + max|g|) + FD noise, unless a check says otherwise
const TF_REL = 5e-3; // TF.js computes in float32

console.log("\nchecking gradients ...");
let failed = false;
const rows = [];
for (const w of workloads) {
  const row = { key: w.key, workload: w.label, size: w.size, status: "ok", blocked: undefined };
  rows.push(row);
  const l = loaded[w.file];
  if (l.blocked) {
    row.status = "blocked";
    row.blocked = l.blocked;
    console.log(`BLOCKED ${w.label}: ${l.blocked}`);
    continue;
  }
  let c;
  try {
    c = w.check(l.module);
  } catch (e) {
    row.status = "blocked";
    row.blocked = `throws: ${String(e?.message ?? e).split("\n")[0]}`;
    console.log(`FAIL ${w.label}: ${row.blocked}`);
    failed = true;
    continue;
  }
  row.reference = c.reference;
  row.maxAbsDiff = c.diff;
  row.tfRelDiff = c.tfRel;
  const tol = c.tol ?? CHECK_REL * (1 + c.scale) + (c.fdNoise ?? 0);
  let ok = Number.isFinite(c.diff) && c.diff <= tol;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${w.label.padEnd(20)} tsgrad vs ${c.reference.padEnd(14)} max |Δ| = ${fmtSci(c.diff)} (tolerance ${fmtSci(tol)}, max |g| = ${fmtSci(c.scale)})`,
  );
  if (c.extra) {
    const extraOk = Number.isFinite(c.extra.diff) && c.extra.diff <= c.extra.tol;
    console.log(`${extraOk ? "ok  " : "FAIL"} ${w.label.padEnd(20)} tsgrad vs ${c.extra.what}: max |Δ| = ${fmtSci(c.extra.diff)} (tolerance ${fmtSci(c.extra.tol)})`);
    row.maxAbsDiffExtra = c.extra.diff;
    ok &&= extraOk;
  }
  if (c.tfRel !== undefined) {
    const tfOk = Number.isFinite(c.tfRel) && c.tfRel <= TF_REL;
    console.log(`${tfOk ? "ok  " : "FAIL"} ${w.label.padEnd(20)} TF.js vs tsgrad    max |Δ| / max |g| = ${fmtSci(c.tfRel)} (float32; tolerance ${fmtSci(TF_REL)})`);
    if (!tfOk) {
      failed = true;
      row.tfBroken = true;
    }
  }
  if (!ok) {
    failed = true;
    row.status = "blocked";
    row.blocked = `wrong gradient: max |Δ| = ${fmtSci(c.diff)} vs ${c.reference}`;
  }
}
{
  // the other peers against tsgrad's gradients, where tsgrad's passed
  const reference = (key) => {
    const w = workloads.find((x) => x.key === key);
    return flat(w.grad(loaded[w.file].module)());
  };
  const checked = peerWorkloads.filter((w) => rows.find((r) => r.key === w.key).status !== "blocked");
  if (!checkPeers(peers, checked, reference, console.log)) failed = true;
}
if (failed && !options.keepGoing) {
  console.log("\nFAIL: a gradient disagrees with its reference (see FAIL lines above); not timing. --keep-going times the rest.");
  process.exit(1);
}

// ---------------------------------------------------------------------------
// Timing. The whole timing phase has a budget; each row gets an equal share of
// what is left (so a slow machine shortens the later rows rather than the run
// running long), and within a row no column gets more than COLUMN_MS.

// The whole script should end within SCRIPT_TARGET_MS (npm run build comes on top):
// the timing phase gets what is left after the checks, minus ~40 s for the
// allocation and compile-time phases, between 20 and 75 s (quick: 25 s).
const SCRIPT_TARGET_MS = 150_000;
const PEER_BUDGET_MS = options.quick ? 10_000 : 25_000; // the other JavaScript peers, after the main timing
const TIMING_BUDGET_MS = options.quick
  ? 25_000
  : Math.min(75_000, Math.max(20_000, SCRIPT_TARGET_MS - 40_000 - PEER_BUDGET_MS - ms(runStarted, now())));
const COLUMN_MS = options.quick ? 500 : 1500; // per column, after warm-up
const WARMUP_MS = options.quick ? 100 : 300;
const MIN_SAMPLES = 5;
const MAX_SAMPLES = 51;
const SAMPLE_MIN_MS = 5; // fast functions are run `inner` times per sample
// In a Float64Array, so that adding to it allocates no heap number (the allocation
// table counts what consume allocates too), and walked by index, not by an iterator.
const sink = new Float64Array(1);

function consume(r) {
  if (typeof r === "number") sink[0] += r;
  else if (Array.isArray(r)) for (let i = 0; i < r.length; i++) consume(r[i]);
  else if (r && r.length) sink[0] += r[0] + r[r.length - 1];
}


function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Times the functions of one workload side by side: each is warmed up (≥ minCalls
 * calls and ~WARMUP_MS), then the samples are taken round-robin (primal, tsgrad,
 * hand, primal, ...) so a change of machine load hits every column alike. Fast
 * functions run `inner` times per sample. The number of samples fits `budgetMs`
 * (within [minSamples, MAX_SAMPLES]). Returns, per function, the median ms of one call.
 */
function measureGroup(fns, { budgetMs, minCalls = 3, minSamples = MIN_SAMPLES }) {
  const plans = fns.map((fn) => {
    const w0 = now();
    let calls = 0;
    while (calls < minCalls || (ms(w0, now()) < WARMUP_MS && calls < 10_000)) {
      consume(fn());
      calls++;
    }
    const perCall = ms(w0, now()) / calls;
    return { fn, inner: Math.max(1, Math.ceil(SAMPLE_MIN_MS / perCall)), perCall, times: [] };
  });
  const round = plans.reduce((t, p) => t + p.perCall * p.inner, 0);
  const samples = Math.min(MAX_SAMPLES, Math.max(minSamples, Math.floor(Math.min(budgetMs, COLUMN_MS * plans.length) / round)));
  for (let s = 0; s < samples; s++) {
    for (const p of plans) {
      const t0 = now();
      for (let k = 0; k < p.inner; k++) consume(p.fn());
      p.times.push(ms(t0, now()) / p.inner);
    }
  }
  return plans.map((p) => {
    p.times.sort((a, b) => a - b);
    return { ms: median(p.times), min: p.times[0], max: p.times[samples - 1], samples, inner: p.inner };
  });
}

console.log(`\ntiming (median of samples after warm-up, primal/tsgrad/hand interleaved, ≤ ${COLUMN_MS} ms per column, ~${Math.round(TIMING_BUDGET_MS / 1000)} s in all) ...`);
const started = now();
{
  const pending = workloads.filter((w) => rows.find((r) => r.key === w.key).status !== "blocked");
  pending.forEach((w, index) => {
    const row = rows.find((r) => r.key === w.key);
    const m = loaded[w.file].module;
    const share = Math.max(0, TIMING_BUDGET_MS - ms(started, now())) / (pending.length - index);
    // The plain-JS columns are interleaved; TF.js is timed on its own afterwards, so
    // the garbage its tensors leave is not collected inside a tsgrad sample.
    const columns = [["primal", w.primal(m)], ["tsgrad", w.grad(m)], ...(w.hand ? [["hand", w.hand]] : []), ...(w.twin ? [["twin", w.twin.grad(m)]] : [])];
    const tf = w.tf && !row.tfBroken ? w.tf : undefined;
    process.stdout.write(`  ${w.label}: ${columns.map(([c]) => c).join(", ")}`);
    const results = measureGroup(
      columns.map(([, fn]) => fn),
      { budgetMs: tf ? share * 0.6 : share },
    );
    columns.forEach(([c], i) => (row[c] = results[i]));
    process.stdout.write(` (${results[0].samples} samples)`);
    if (tf) {
      const left = Math.max(0, TIMING_BUDGET_MS - ms(started, now())) / (pending.length - index);
      const [t] = measureGroup([tf.run], { budgetMs: Math.min(left, COLUMN_MS), minCalls: tf.minCalls, minSamples: tf.minSamples });
      row.tfjs = { ...t, ms: t.ms * tf.scale, measuredMs: t.ms, scale: tf.scale };
      row.tfNote = tf.note || undefined;
      process.stdout.write(`; TF.js (${t.samples} samples)`);
    }
    process.stdout.write("\n");
  });
}
console.log(`\ntiming the other JavaScript peers (each round-robin with tsgrad's gradient, ~${PEER_BUDGET_MS / 1000} s in all) ...`);
timePeers(
  peers,
  peerWorkloads.filter((w) => rows.find((r) => r.key === w.key).status !== "blocked"),
  (key) => {
    const w = workloads.find((x) => x.key === key);
    return w.grad(loaded[w.file].module);
  },
  measureGroup,
  PEER_BUDGET_MS,
  console.log,
);
const timingSeconds = ms(started, now()) / 1000;

// ---------------------------------------------------------------------------
// Allocation: heap growth (V8 heap + ArrayBuffer stores) per gradient call, at the
// workload's trip count and at half of it. Bytes beyond the gradient's own arrays
// that grow with the trip count mean the generated code allocates per iteration.

const PER_ITERATION_FLAG = 8; // bytes per trip; one heap number or small object is ≥ 16

console.log("\nmeasuring allocation per gradient call (full and half trip count) ...");
const meter = allocMeter();
/**
 * Bytes per call of `pick(at(trips))` at the full and the half trip count; the
 * bytes beyond the returned gradient's arrays, and how they grow per trip.
 */
function allocRow(spec, pick) {
  const out = spec.trips.map((trips) => {
    const fn = pick(spec.at(trips));
    const m = meter.measure(fn, consume);
    // The copies are kept alive by the meter; walking them (consume) in unoptimised code would box their numbers.
    return { ...m, resultBytes: resultBytes(fn(), (copy) => meter.measure(copy, () => {}).bytes), trips };
  });
  const beyond = out.map((o) => o.bytes - o.resultBytes);
  const perTrip = (beyond[0] - beyond[1]) / (spec.trips[0] - spec.trips[1]);
  return {
    unit: spec.unit,
    trips: spec.trips[0],
    bytesPerCall: out[0].bytes,
    resultBytes: out[0].resultBytes,
    beyondResult: beyond[0],
    halfTrips: spec.trips[1],
    bytesPerCallHalf: out[1].bytes,
    beyondResultHalf: beyond[1],
    bytesPerTrip: perTrip,
    perIteration: perTrip >= PER_ITERATION_FLAG,
    gcs: out[0].gcs + out[1].gcs,
  };
}
const allocStarted = now();
for (const w of workloads) {
  const row = rows.find((r) => r.key === w.key);
  if (row.status === "blocked" || !w.alloc) continue;
  const spec = w.alloc(loaded[w.file].module);
  row.alloc = allocRow(spec, (f) => f.grad);
  // A flagged gradient: does the primal allocate per iteration too (then it is V8's doing, not the adjoint's)?
  if (row.alloc.perIteration) row.allocPrimal = allocRow(spec, (f) => f.primal);
  // ... and the hand-written adjoint, which needs its adjoint buffers too (n-body's forces per body)?
  if (row.alloc.perIteration && spec.hand) row.allocHand = allocRow(spec, (f) => f.hand);
}
// The detector's own check: a loop that allocates one small object per iteration.
const control = allocRow({ unit: "iteration", trips: [20_000, 10_000], at: (n) => ({ fn: () => allocatingLoop(n) }) }, (f) => f.fn);
const allocSeconds = ms(allocStarted, now()) / 1000;

function allocatingLoop(n) {
  const keep = [undefined, undefined];
  let s = 0;
  for (let i = 0; i < n; i++) {
    keep[i & 1] = { v: i }; // escapes into `keep`, so V8 must allocate it
    s += keep[(i + 1) & 1]?.v ?? 0;
  }
  return s;
}

// ---------------------------------------------------------------------------
// Compile time: tspc with the tsgrad plugin against plain tsc on a generated
// 2000-line file with 50 grad calls.

if (!options.only) console.log("\ntiming the compiler on a generated 2000-line file with 51 grad calls, one of a 10,000-term expression (tsc, then tspc + tsgrad, alternately) ...");
let compileTime;
if (options.only) compileTime = { skipped: true };
else try {
  // three runs each unless the script is already late (a loaded machine)
  compileTime = measureCompileTime({ runs: options.quick || ms(runStarted, now()) > SCRIPT_TARGET_MS - 30_000 ? 1 : 3 });
} catch (e) {
  compileTime = { error: String(e?.message ?? e) };
  console.log(`FAIL compile-time benchmark: ${compileTime.error}`);
}

// ---------------------------------------------------------------------------
// Tables

function fmtTime(t) {
  if (t === undefined) return "n/a";
  if (t >= 1000) return `${(t / 1000).toFixed(2)} s`;
  if (t >= 1) return `${t.toFixed(t >= 100 ? 0 : t >= 10 ? 1 : 2)} ms`;
  return `${(t * 1000).toFixed(t >= 0.1 ? 0 : 1)} µs`;
}
function fmtSci(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return "n/a";
  if (x === 0) return "0";
  return x.toExponential(1);
}
function fmtBytes(b) {
  if (b === undefined) return "n/a";
  const a = Math.abs(b);
  if (a >= 1 << 20) return `${(b / (1 << 20)).toFixed(2)} MiB`;
  if (a >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(b)} B`;
}
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const fmtRatio = (r) => (r === undefined ? "n/a" : r >= 100 ? r.toFixed(0) : r.toFixed(2));

const byKeyEarly = (key) => rows.find((r) => r.key === key);
for (const r of rows) {
  r.gradOverPrimal = ratio(r.tsgrad?.ms, r.primal?.ms);
  r.gradOverHand = ratio(r.tsgrad?.ms, r.hand?.ms);
  r.tfOverTsgrad = ratio(r.tfjs?.ms, r.tsgrad?.ms);
}

/** Prints a markdown table; rows of three cells are "label | size | message" rows spanning the rest. */
function printTable(header, body, leftColumns = 2) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.filter((b) => b.length > 3).map((b) => String(b[i]).length)));
  const line = (cells) =>
    cells.length === 3 && header.length > 3
      ? `| ${cells[0].padEnd(widths[0])} | ${cells[1].padEnd(widths[1])} | ${cells[2]}`
      : "| " + cells.map((c, i) => (i < leftColumns ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w, i) => (i < leftColumns ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const b of body) console.log(line(b));
}

console.log(`\ntsgrad benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} (${os.cpus().length} cores), TF.js ${tf.version.tfjs} (cpu backend, float32)`);
console.log(`times are per gradient (or primal) evaluation of the whole workload; medians after warm-up\n`);
printTable(
  ["workload", "size", "primal", "tsgrad grad", "hand grad", "TF.js grad", "grad/primal", "grad/hand", "TF.js/tsgrad", "max |Δ| (vs)"],
  rows.map((r) =>
    r.status === "blocked"
      ? [r.workload, r.size, `blocked: ${r.blocked}`]
      : [
          r.workload,
          r.size,
          fmtTime(r.primal?.ms),
          fmtTime(r.tsgrad?.ms),
          fmtTime(r.hand?.ms),
          r.tfjs ? `${fmtTime(r.tfjs.ms)}${r.tfjs.scale !== 1 ? "*" : ""}` : "n/a",
          fmtRatio(r.gradOverPrimal),
          fmtRatio(r.gradOverHand),
          fmtRatio(r.tfOverTsgrad),
          `${fmtSci(r.maxAbsDiff)} (${r.reference})`,
        ],
  ),
);
// Structured code against the same code written flat: the flat twin's gradient timed in the
// structured row's own round-robin (bench/structured-rows.mjs).
{
  const twinned = rows.filter((r) => r.twin && r.status !== "blocked");
  if (twinned.length > 0) {
    console.log("\nstructured code against the same code written flat (the flat gradient timed round-robin with the structured one)\n");
    printTable(
      ["workload", "flat grad", "structured grad", "hand grad", "structured/flat", "structured/hand"],
      twinned.map((r) => [r.workload, fmtTime(r.twin.ms), fmtTime(r.tsgrad?.ms), fmtTime(r.hand?.ms), fmtRatio(ratio(r.tsgrad?.ms, r.twin.ms)), fmtRatio(r.gradOverHand)]),
      1,
    );
  }
}
const notes = rows.filter((r) => r.tfNote).map((r) => `  * ${r.workload}: ${r.tfNote}`);
if (notes.length) console.log(`\n${notes.join("\n")}`);
console.log(
  "  hand-written adjoints: seed, Rosenbrock, logistic regression, MLP, GMM and LSE (after ADBench/GradBench's manual\n" +
    "  tool), LLSQ (GradBench's manual llsq); pendulum and LSTM are checked by central finite differences.",
);

// The checkpointed rollout: the tape's high-water mark with and without checkpoint(step).
{
  const tapeRows = ["rollout_checkpoint", "rollout_inline"].map(byKeyEarly).filter((r) => r && r.status !== "blocked" && rolloutTape[r.key] !== undefined);
  if (tapeRows.length > 0) {
    console.log(`\nrollout of ${ROLLOUT.steps.toLocaleString("en-US")} RK4 steps of a damped pendulum (state θ, ω): the tape's high-water mark in the gradient (runtime measureTape)\n`);
    printTable(
      ["variant", "tape slots", "tape memory", "slots per step", "grad/primal"],
      tapeRows.map((r) => {
        const slots = rolloutTape[r.key];
        return [r.workload, slots.toLocaleString("en-US"), fmtBytes(8 * slots), (slots / ROLLOUT.steps).toFixed(2), fmtRatio(r.gradOverPrimal)];
      }),
      1,
    );
    console.log("  with checkpoint(step) the tape keeps only the loop-carried state (θ, ω: 2 slots per step); the backward sweep re-runs each step's RK4 stages in its vjp");
  }
}

// The JavaScript peers
if (peerWorkloads.length > 0) console.log(`\nJavaScript peers: gradient time per call (median), and its ratio to tsgrad's gradient (TF.js ${tf.version.tfjs}, jax-js ${jaxjsVersion()})\n`);
const peerNotes = [];
const peerCell = (peer, key) => {
  const cell = peers[peer.key][key];
  if (cell.time) return `${fmtTime(cell.time.ms)} (${fmtTime(cell.tsgradTime.ms)})`;
  if (cell.wrong) return "wrong gradient";
  if (cell.unavailable) {
    const note = `${peer.label}: ${cell.unavailable}`;
    if (!peerNotes.includes(note)) peerNotes.push(note);
    return `cannot run (${peerNotes.indexOf(note) + 1})`;
  }
  return "n/a";
};
// a peer's time over tsgrad's measured alongside it (round-robin, same load)
const peerRatio = (peer, r) => fmtRatio(ratio(peers[peer.key][r.key].time?.ms, peers[peer.key][r.key].tsgradTime?.ms));
if (peerWorkloads.length > 0) printTable(
  [
    "workload",
    "size",
    "tsgrad grad",
    "TF.js CPU",
    ...PEERS.map((p) => `${p.label} (tsgrad alongside)`),
    "TF.js CPU/tsgrad",
    ...PEERS.map((p) => `${p.label}/tsgrad`),
  ],
  peerWorkloads.map((w) => {
    const r = byKeyEarly(w.key);
    if (r.status === "blocked") return [r.workload, r.size, `blocked: ${r.blocked}`];
    return [
      r.workload,
      r.size,
      fmtTime(r.tsgrad?.ms),
      r.tfjs ? fmtTime(r.tfjs.ms) : "n/a",
      ...PEERS.map((p) => peerCell(p, w.key)),
      fmtRatio(r.tfOverTsgrad),
      ...PEERS.map((p) => peerRatio(p, r)),
    ];
  }),
);
if (peerWorkloads.length > 0) console.log(
  `  TF.js: float32 (CPU: pure JS; Wasm: @tensorflow/tfjs-backend-wasm); jax-js: ${PEERS.find((p) => p.key === "jaxjs").precision} on its Wasm device;` +
    `\n  each call builds its input tensors and reads the gradient back. TF.js CPU is the main table's column (timed on its own);` +
    `\n  each Wasm peer was timed round-robin with tsgrad's gradient, whose time in those rounds is in parentheses and` +
    `\n  gives the ratio (the tsgrad column is the main table's).` +
    peerNotes.map((n, i) => `\n  (${i + 1}) ${n}`).join(""),
);

// Allocation table
console.log(`\nallocation per gradient call (V8 heap, GCs inside the batch added back, + ArrayBuffers; median of 3 batches)\n`);
const allocBody = [...rows.filter((r) => r.alloc).map((r) => [r.workload, r.alloc, r.allocPrimal, r.allocHand]), ["(control: 1 object/iteration)", control]].map(
  ([name, a, p, h]) => [
    name,
    `${a.trips} ${a.unit}s`,
    fmtBytes(a.bytesPerCall),
    fmtBytes(a.resultBytes),
    fmtBytes(a.beyondResult),
    fmtBytes(a.beyondResultHalf),
    `${a.bytesPerTrip.toFixed(1)} B`,
    a.perIteration ? `YES, per ${a.unit}${p ? ` (primal: ${p.bytesPerTrip.toFixed(1)} B/${a.unit}${h ? `, hand: ${h.bytesPerTrip.toFixed(1)} B/${a.unit}` : ""})` : ""}` : "no",
  ],
);
printTable(["workload", "trip count", "bytes/call", "gradient result", "other", "other at ½ trips", "growth/trip", "allocates per iteration"], allocBody);
const perIterationRows = rows.filter((r) => r.alloc?.perIteration);
console.log(
  `  "gradient result" = the returned gradient's typed-array data, number[]s and arrays of records (a Body[]'s gradient is a Body[]: measured as a copy);` +
    `\n  "other" = bytes/call minus that (local arrays, adjoint buffers, the result tuple);` +
    `\n  growth/trip = (other − other at ½ trips) / (½ trip count); flagged at ≥ ${PER_ITERATION_FLAG} B per trip (the primal, and a hand-written adjoint of the same inputs, are then measured too).` +
    `\n  ${perIterationRows.length === 0 ? "no workload's gradient allocates per loop iteration" : `per-iteration allocation in: ${perIterationRows.map((r) => r.workload).join(", ")}`}` +
    ` (the control row must be flagged: ${control.perIteration ? "it is" : "IT IS NOT — the measurement is broken"}).`,
);

if (heatTape.bytes !== undefined) {
  const perStep = heatTape.bytes / HEAT.steps;
  console.log(
    `  heat equation: the backward sweep reads ${fmtBytes(heatTape.bytes)} of tape (${fmtBytes(perStep)} per step: the ${HEAT.cells} cells each step overwrites);` +
      `\n  the hand-written adjoint keeps every step's profile, ${fmtBytes((HEAT.steps + 1) * HEAT.cells * 8)}.`,
  );
}

// Compile time
console.log("\ncompile time (tsgrad transformer in tspc vs plain tsc, same project, emitting JS)\n");
if (compileTime.skipped) console.log("  skipped (--only)");
else if (compileTime.error) console.log(`  FAIL: ${compileTime.error}`);
else
  printTable(
    ["file", "grad calls", "tsc", "tspc + tsgrad", "ratio", "runs"],
    [[`${compileTime.lines} generated lines, one ${compileTime.longTerms}-term expression`, String(compileTime.gradCalls), fmtTime(compileTime.tscMs), fmtTime(compileTime.tspcMs), fmtRatio(compileTime.ratio), String(compileTime.runs)]],
    1,
  );

// Targets
// (a row --only left out reads as an empty row: its targets are "not measured" and not printed)
const byKey = new Proxy(Object.fromEntries(rows.map((r) => [r.key, r])), { get: (rs, key) => rs[key] ?? { key, workload: key } });
const target = (what, value, ok) => ({ what, value, met: value === undefined ? false : ok(value) });
const gmmRows = GMM_SIZES.map((s) => byKey[s.key]);
const lseRows = LSE_SIZES.map((s) => byKey[`lse_${s.n}`]);
const targets = [
  ...gmmRows.map((r) => target(`${r.workload}: grad/primal ≤ 2.5`, r.gradOverPrimal, (v) => v <= 2.5)),
  ...lseRows.map((r) => target(`${r.workload}: grad/primal ≤ 1.3`, r.gradOverPrimal, (v) => v <= 1.3)),
  target("LLSQ: grad/primal ≤ 2.2", byKey.llsq.gradOverPrimal, (v) => v <= 2.2),
  target("LSTM: grad/primal ≤ 3", byKey.lstm.gradOverPrimal, (v) => v <= 3),
  // issue 13: nested data costs no more than flat data
  target("MLP number[][]: grad / flat MLP grad ≤ 1.3", ratio(byKey.mlp_nested.tsgrad?.ms, byKey.mlp.tsgrad?.ms), (v) => v <= 1.3),
  target("MLP number[][]: grad/hand ≤ 1.3", byKey.mlp_nested.gradOverHand, (v) => v <= 1.3),
  target("MLP map/reduce: grad / flat MLP grad ≤ 1.3", ratio(byKey.mlp_map.tsgrad?.ms, byKey.mlp.tsgrad?.ms), (v) => v <= 1.3),
  target("MLP map/reduce: grad/hand ≤ 1.3", byKey.mlp_map.gradOverHand, (v) => v <= 1.3),
  target("heat equation: grad/primal ≤ 4", byKey.heat.gradOverPrimal, (v) => v <= 4),
  target("n-body Body[]: grad/hand ≤ 1.3", byKey.nbody.gradOverHand, (v) => v <= 1.3),
  target("n-body Body[]: grad / flat-array grad ≤ 1.3", ratio(byKey.nbody.tsgrad?.ms, byKey.nbody_flat.tsgrad?.ms), (v) => v <= 1.3),
  // (the MLP joined the bench after that issue)
  ...workloads.filter((w) => w.hand && !w.noTarget && !["mlp", "mlp_map", "heat"].includes(w.key) && !w.key.endsWith("_into")).map((w) => target(`${byKey[w.key].workload}: grad/hand ≤ 1.2`, byKey[w.key].gradOverHand, (v) => v <= 1.2)),
  // Gradients into the caller's storage (issue 16): both forms next to the hand-written adjoint.
  ...["rosenbrock", "rosenbrock_into", "mlp", "mlp_into"].map((k) => target(`${byKey[k].workload}: grad/hand ≤ 1.1`, byKey[k].gradOverHand, (v) => v <= 1.1)),
  ...gmmRows.map((r) => target(`${r.workload}: TF.js/tsgrad ≥ 100`, r.tfOverTsgrad, (v) => v >= 100)),
  target("compile time: tspc+tsgrad / tsc < 2", compileTime.ratio, (v) => v < 2),
  // issue 13: structured code costs what flat code does
  target("MLP, forward() helper: grad / flat grad ≤ 1.3", ratio(byKey.mlp_helper.tsgrad?.ms, byKey.mlp.tsgrad?.ms), (v) => v <= 1.3),
  target("MLP, forward() helper: grad/hand ≤ 1.3", byKey.mlp_helper.gradOverHand, (v) => v <= 1.3),
  target(
    "springs: Vec3 methods' gradient ≤ 1.1 × the flat one (timed together)",
    ratio(byKey.springs_vec3.tsgrad?.ms, byKey.springs_vec3.twin?.ms),
    (v) => v <= 1.1,
  ),
  target("springs, Vec3 methods: grad/hand ≤ 1.3", byKey.springs_vec3.gradOverHand, (v) => v <= 1.3),
  // Structured code against flat (structured-rows.mjs): each within 1.1× its flat twin, timed together, and 1.3× hand-written.
  ...workloads.filter((w) => w.file === "structured" && w.twin).flatMap((w) => [
    target(`${byKey[w.key].workload}: grad / flat grad ≤ 1.1 (timed together)`, ratio(byKey[w.key].tsgrad?.ms, byKey[w.key].twin?.ms), (v) => v <= 1.1),
    target(`${byKey[w.key].workload}: grad/hand ≤ 1.3`, byKey[w.key].gradOverHand, (v) => v <= 1.3),
  ]),
];
const earlierTargets = [
  target("pendulum: grad/primal ≤ 5", byKey.pendulum.gradOverPrimal, (v) => v <= 5),
  target("seed: TF.js/tsgrad ≥ 1000", byKey.seed.tfOverTsgrad, (v) => v >= 1000),
];
const printTargets = (title, all) => {
  const ts = options.only ? all.filter((t) => t.value !== undefined) : all;
  console.log(`\n${title}`);
  const width = Math.max(...ts.map((t) => t.what.length));
  for (const t of ts) console.log(`  ${(t.met ? "met" : "NOT MET").padEnd(8)} ${t.what.padEnd(width)}  (${t.value === undefined ? "not measured" : fmtRatio(t.value)})`);
};
printTargets('targets (issue "Gradients at hand-written speed"):', targets);
printTargets("earlier targets:", earlierTargets);
const totalSeconds = ms(runStarted, now()) / 1000;
console.log(
  `\n${targets.filter((t) => t.met).length} of ${targets.length} targets met; timing ${timingSeconds.toFixed(1)} s, allocation ${allocSeconds.toFixed(1)} s, ` +
    `compile time ${compileTime.skipped ? "skipped" : compileTime.error ? "failed" : `${((compileTime.tscAll.reduce((a, b) => a + b, 0) + compileTime.tspcAll.reduce((a, b) => a + b, 0)) / 1000).toFixed(1)} s`}, whole script ${totalSeconds.toFixed(1)} s`,
);

if (options.json) {
  const strip = (t) => (t ? { ms: t.ms, min_ms: t.min, max_ms: t.max, samples: t.samples, calls_per_sample: t.inner, ...(t.scale ? { measured_ms: t.measuredMs, scale: t.scale } : {}) } : null);
  const stripAlloc = (a) =>
    a
      ? {
          trip_unit: a.unit,
          trips: a.trips,
          bytes_per_call: a.bytesPerCall,
          gradient_bytes: a.resultBytes,
          other_bytes: a.beyondResult,
          half_trips: a.halfTrips,
          bytes_per_call_half: a.bytesPerCallHalf,
          other_bytes_half: a.beyondResultHalf,
          bytes_per_trip: a.bytesPerTrip,
          allocates_per_iteration: a.perIteration,
          gcs_during_measurement: a.gcs,
        }
      : null;
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    quick: options.quick,
    tfjs: { version: tf.version.tfjs, backend: "cpu", dtype: "float32" },
    rows: rows.map((r) => ({
      workload: r.workload,
      key: r.key,
      size: r.size,
      status: r.status,
      blocked: r.blocked ?? null,
      primal: strip(r.primal),
      tsgrad: strip(r.tsgrad),
      hand: strip(r.hand),
      tfjs: strip(r.tfjs),
      tfjs_note: r.tfNote ?? null,
      grad_over_primal: r.gradOverPrimal ?? null,
      grad_over_hand: r.gradOverHand ?? null,
      tfjs_over_tsgrad: r.tfOverTsgrad ?? null,
      max_abs_diff: r.maxAbsDiff ?? null,
      reference: r.reference ?? null,
      max_abs_diff_second_check: r.maxAbsDiffExtra ?? null,
      tfjs_rel_diff: r.tfRelDiff ?? null,
      allocation: stripAlloc(r.alloc),
      allocation_primal: stripAlloc(r.allocPrimal),
      allocation_hand: stripAlloc(r.allocHand),
      ...(r.key === "heat" ? { tape_bytes: heatTape.bytes ?? null } : {}),
      tape_slots: rolloutTape[r.key] ?? null,
    })),
    allocation_control: stripAlloc(control),
    compile_time: compileTime.error
      ? { error: compileTime.error }
      : {
          lines: compileTime.lines,
          grad_calls: compileTime.gradCalls,
          long_terms: compileTime.longTerms,
          runs: compileTime.runs,
          tsc_ms: compileTime.tscMs,
          tspc_ms: compileTime.tspcMs,
          ratio: compileTime.ratio,
          tsc_all_ms: compileTime.tscAll,
          tspc_all_ms: compileTime.tspcAll,
        },
    peers: peerWorkloads.map((w) => ({
      key: w.key,
      ...Object.fromEntries(
        PEERS.map((p) => {
          const cell = peers[p.key][w.key];
          return [
            p.key,
            {
              precision: p.precision,
              ...strip(cell.time),
              tsgrad_alongside: strip(cell.tsgradTime),
              over_tsgrad: ratio(cell.time?.ms, cell.tsgradTime?.ms) ?? null,
              rel_diff: cell.relDiff ?? null,
              unavailable: cell.unavailable ?? null,
            },
          ];
        }),
      ),
    })),
    targets: targets.map((t) => ({ target: t.what, value: t.value ?? null, met: t.met })),
    earlier_targets: earlierTargets.map((t) => ({ target: t.what, value: t.value ?? null, met: t.met })),
    timing_seconds: timingSeconds,
    allocation_seconds: allocSeconds,
    total_seconds: totalSeconds,
  };
  // npm runs scripts from the package root; a relative FILE is taken from where npm was started
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), options.json);
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`results written to ${file}`);
}

if (sink[0] === 12345.6789) console.log(""); // keeps every result live
const blocked = rows.filter((r) => r.status === "blocked");
if (blocked.length > 0 || failed || compileTime.error) {
  console.log(`\n${blocked.length} workload(s) blocked${blocked.length ? `: ${blocked.map((r) => r.workload).join(", ")}` : ""}${compileTime.error ? "; the compile-time benchmark failed" : ""}`);
  process.exit(1);
}
