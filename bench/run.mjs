// `npm run bench`: compiles bench/*.ts with tspc through the tsgrad transformer
// (bench/tsconfig.json, exactly as the examples are built), checks every
// gradient against a hand-written adjoint or central finite differences, then
// times primal, tsgrad gradient, hand-written gradient and TF.js (CPU backend)
// side by side and prints one table with the targets.
//
//   npm run bench                      the table
//   npm run bench -- --json FILE       also write the results as JSON to FILE
//   npm run bench -- --keep-going      on a failed check, mark that row blocked and time the rest
//   npm run bench -- --quick           smaller time budget per measurement (for a smoke run)
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gmmTf, loadTf, logregTf, pendulumTf, rosenbrockTf, seedTf } from "./tfjs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------
// Arguments

const USAGE = `usage: npm run bench -- [--json FILE] [--keep-going] [--quick]

  --json FILE    also write the results as JSON to FILE
  --keep-going   when a gradient check fails, mark that workload blocked and time the others
                 (by default the run stops after the checks, exit 1)
  --quick        about a third of the time budget per measurement (noisier)`;

const options = { json: undefined, keepGoing: false, quick: false };
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

const WORKLOAD_FILES = ["seed", "rosenbrock", "logreg", "pendulum", "gmm"];

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
const loaded = Object.fromEntries(WORKLOAD_FILES.map((n) => [n, load(n)]));

// ---------------------------------------------------------------------------
// Data (deterministic)

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
const rand = mulberry32(20240601);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const fill = (n, f) => {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
};

const SEED_CALLS = 1_000_000;
const seedXs = fill(SEED_CALLS, () => uniform(-2, 2));

const ROSEN_N = 100_000;
const rosenX = fill(ROSEN_N, () => uniform(-1.5, 1.5));

const LR_N = 20_000;
const LR_D = 20;
const lrX = fill(LR_N * LR_D, normal);
const lrY = new Float64Array(LR_N);
{
  const wTrue = fill(LR_D + 1, normal);
  for (let i = 0; i < LR_N; i++) {
    let z = wTrue[LR_D];
    for (let j = 0; j < LR_D; j++) z += wTrue[j] * lrX[i * LR_D + j];
    lrY[i] = z + 0.5 * normal() >= 0 ? 1 : -1;
  }
}
const lrW = fill(LR_D + 1, () => 0.3 * normal());

const PEND = { theta0: 1.0, c: 0.5, steps: 20_000, dt: 1e-3, gOverL: 9.81 };
const PEND_TF_STEPS = 1_000; // TF.js runs this many steps; its time is scaled by steps / PEND_TF_STEPS

const GMM_D = 10;
const GMM_K = 25;
const GMM_N = 1000;
const GMM_GAMMA = 1; // ADBench's Wishart parameters
const GMM_M = 0;
const GMM_ICF = (GMM_D * (GMM_D + 1)) / 2;
const gmmAlphas = fill(GMM_K, normal);
const gmmMeans = fill(GMM_K * GMM_D, () => rand());
const gmmIcf = fill(GMM_K * GMM_ICF, () => rand());
const gmmX = fill(GMM_N * GMM_D, () => rand());

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
const GMM_CONST = (() => {
  const nPrime = GMM_D + GMM_M + 1;
  const C = nPrime * GMM_D * (Math.log(GMM_GAMMA) - 0.5 * Math.log(2)) - logMultiGamma(0.5 * nPrime, GMM_D);
  return -GMM_N * GMM_D * 0.5 * Math.log(2 * Math.PI) - GMM_K * C;
})();
const gmmArgs = [gmmAlphas, gmmMeans, gmmIcf, gmmX, GMM_D, GMM_K, GMM_GAMMA, GMM_M, GMM_CONST];

// ---------------------------------------------------------------------------
// TF.js

console.log("loading @tensorflow/tfjs (CPU backend) ...");
const tf = await loadTf();
const tfImpl = {
  seed: seedTf(tf),
  rosenbrock: rosenbrockTf(tf),
  logreg: logregTf(tf, lrX, lrY, LR_N, LR_D),
  pendulum: pendulumTf(tf, PEND.dt, PEND.gOverL),
  gmm: gmmTf(tf, gmmX, GMM_N, GMM_D, GMM_K, GMM_GAMMA, GMM_M, GMM_CONST),
};
const SEED_TF_CALLS = 2_000; // TF.js time for these calls, scaled to SEED_CALLS

// ---------------------------------------------------------------------------
// Workloads: what each column runs

/** Flattens a gradient (number, Float64Array, or tuple of these) into a plain array. */
function flat(g) {
  if (typeof g === "number") return [g];
  if (Array.isArray(g)) return g.flatMap(flat);
  return Array.from(g);
}

function maxAbsDiff(a, b) {
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

const workloads = [
  {
    key: "seed",
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
  },
  {
    key: "rosenbrock",
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
  },
  {
    key: "logreg",
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
  },
  {
    key: "pendulum",
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
  },
  {
    key: "gmm",
    label: "GMM (ADBench)",
    size: "d = 10, K = 25, n = 1000",
    primal: (m) => () => m.gmm(...gmmArgs),
    grad: (m) => () => m.gmmGrad(...gmmArgs),
    hand: undefined,
    tf: { run: () => tfImpl.gmm(gmmAlphas, gmmMeans, gmmIcf), scale: 1, note: "" },
    check(m) {
      const ts = m.gmmGrad(...gmmArgs);
      const picks = [
        [0, 0],
        [0, 7],
        [0, GMM_K - 1],
        [1, 0],
        [1, 123],
        [1, GMM_K * GMM_D - 1],
        [2, 0], // a log-diagonal
        [2, 5 * GMM_ICF + 3],
        [2, 5 * GMM_ICF + GMM_D + 4], // strictly lower entries
        [2, GMM_K * GMM_ICF - 1],
      ];
      const h = 1e-5;
      const got = picks.map(([a, i]) => ts[a][i]);
      const fd = picks.map(([a, i]) => centralDifference(m.gmm, gmmArgs, a, i, h));
      const f = Math.abs(m.gmm(...gmmArgs));
      const tfG = tfImpl.gmm(gmmAlphas, gmmMeans, gmmIcf);
      return {
        reference: `FD, ${picks.length} comps`,
        diff: maxAbsDiff(got, fd),
        scale: maxAbs(fd),
        fdNoise: (1e-15 * f) / h,
        tfRel: maxAbsDiff(flat(tfG), flat(ts)) / maxAbs(flat(ts)),
      };
    },
  },
];

function tfLoop(calls) {
  let acc = 0;
  for (let i = 0; i < calls; i++) acc += tfImpl.seed(seedXs[i]);
  return acc;
}

// ---------------------------------------------------------------------------
// Checks, before any timing

const CHECK_REL = 1e-6; // tsgrad vs hand / FD: |Δ| ≤ CHECK_REL·(1 + max|g|) + FD noise
const TF_REL = 5e-3; // TF.js computes in float32

console.log("\nchecking gradients ...");
let failed = false;
const rows = [];
for (const w of workloads) {
  const row = { key: w.key, workload: w.label, size: w.size, status: "ok", blocked: undefined };
  rows.push(row);
  const l = loaded[w.key];
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
  const tol = CHECK_REL * (1 + c.scale) + (c.fdNoise ?? 0);
  const ok = Number.isFinite(c.diff) && c.diff <= tol;
  const tfOk = Number.isFinite(c.tfRel) && c.tfRel <= TF_REL;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${w.label.padEnd(20)} tsgrad vs ${c.reference.padEnd(14)} max |Δ| = ${fmtSci(c.diff)} (tolerance ${fmtSci(tol)}, max |g| = ${fmtSci(c.scale)})`,
  );
  console.log(`${tfOk ? "ok  " : "FAIL"} ${w.label.padEnd(20)} TF.js vs tsgrad    max |Δ| / max |g| = ${fmtSci(c.tfRel)} (float32; tolerance ${fmtSci(TF_REL)})`);
  if (!ok) {
    failed = true;
    row.status = "blocked";
    row.blocked = `wrong gradient: max |Δ| = ${fmtSci(c.diff)} vs ${c.reference}`;
  }
  if (!tfOk) {
    failed = true;
    row.tfBroken = true;
  }
}
if (failed && !options.keepGoing) {
  console.log("\nFAIL: a gradient disagrees with its reference (see FAIL lines above); not timing. --keep-going times the rest.");
  process.exit(1);
}

// ---------------------------------------------------------------------------
// Timing

const BUDGET_MS = options.quick ? 500 : 1500; // per measurement, after warm-up
const WARMUP_MS = options.quick ? 100 : 300;
const MIN_SAMPLES = 5;
const MAX_SAMPLES = 51;
const SAMPLE_MIN_MS = 5; // fast functions are run `inner` times per sample
let sink = 0;

function consume(r) {
  if (typeof r === "number") sink += r;
  else if (Array.isArray(r)) for (const x of r) consume(x);
  else if (r && r.length) sink += r[0] + r[r.length - 1];
}

const now = () => process.hrtime.bigint();
const ms = (t0, t1) => Number(t1 - t0) / 1e6;

function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Times the functions of one workload side by side: each is warmed up, then the
 * samples are taken round-robin (primal, tsgrad, hand, primal, ...) so a
 * change of machine load hits every column alike. Fast functions run `inner`
 * times per sample. Returns, per function, the median ms of one call.
 */
function measureGroup(fns) {
  const plans = fns.map((fn) => {
    const w0 = now();
    let calls = 0;
    while (calls < 3 || (ms(w0, now()) < WARMUP_MS && calls < 10_000)) {
      consume(fn());
      calls++;
    }
    const perCall = ms(w0, now()) / calls;
    return { fn, inner: Math.max(1, Math.ceil(SAMPLE_MIN_MS / perCall)), perCall, times: [] };
  });
  const round = plans.reduce((t, p) => t + p.perCall * p.inner, 0);
  const samples = Math.min(MAX_SAMPLES, Math.max(MIN_SAMPLES, Math.floor((BUDGET_MS * plans.length) / round)));
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

console.log(`\ntiming (median of ≥ ${MIN_SAMPLES} samples after warm-up, primal/tsgrad/hand interleaved, ~${BUDGET_MS} ms per measurement) ...`);
const started = now();
for (const w of workloads) {
  const row = rows.find((r) => r.key === w.key);
  if (row.status === "blocked") continue;
  const m = loaded[w.key].module;
  // The plain-JS columns are interleaved; TF.js is timed on its own afterwards, so
  // the garbage its tensors leave is not collected inside a tsgrad sample.
  const columns = [["primal", w.primal(m)], ["tsgrad", w.grad(m)], ...(w.hand ? [["hand", w.hand]] : [])];
  process.stdout.write(`  ${w.label}: ${columns.map(([c]) => c).join(", ")}`);
  const results = measureGroup(columns.map(([, fn]) => fn));
  columns.forEach(([c], i) => (row[c] = results[i]));
  process.stdout.write(` (${results[0].samples} samples)`);
  if (w.tf && !row.tfBroken) {
    const [t] = measureGroup([w.tf.run]);
    row.tfjs = { ...t, ms: t.ms * w.tf.scale, measuredMs: t.ms, scale: w.tf.scale };
    row.tfNote = w.tf.note || undefined;
    process.stdout.write(`; TF.js (${t.samples} samples)`);
  }
  process.stdout.write("\n");
}
const timingSeconds = ms(started, now()) / 1000;

// ---------------------------------------------------------------------------
// Table

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
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const fmtRatio = (r) => (r === undefined ? "n/a" : r >= 100 ? r.toFixed(0) : r.toFixed(2));

for (const r of rows) {
  r.gradOverPrimal = ratio(r.tsgrad?.ms, r.primal?.ms);
  r.gradOverHand = ratio(r.tsgrad?.ms, r.hand?.ms);
  r.tfOverTsgrad = ratio(r.tfjs?.ms, r.tsgrad?.ms);
}

const header = ["workload", "size", "primal", "tsgrad grad", "hand grad", "TF.js grad", "grad/primal", "grad/hand", "TF.js/tsgrad", "max |Δ| (vs)"];
const body = rows.map((r) =>
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
);
const widths = header.map((h, i) => Math.max(h.length, ...body.filter((b) => b.length > 3).map((b) => String(b[i]).length)));
const line = (cells) =>
  cells.length === 3
    ? `| ${cells[0].padEnd(widths[0])} | ${cells[1].padEnd(widths[1])} | ${cells[2]}`
    : "| " + cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ") + " |";

console.log(`\ntsgrad benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} (${os.cpus().length} cores), TF.js ${tf.version.tfjs} (${tf.getBackend()} backend, float32)`);
console.log(`times are per gradient (or primal) evaluation of the whole workload; median of ≥ ${MIN_SAMPLES} samples after warm-up\n`);
console.log(line(header));
console.log("|" + widths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
for (const b of body) console.log(line(b));
const notes = rows.filter((r) => r.tfNote).map((r) => `  * ${r.workload}: ${r.tfNote}`);
if (notes.length) console.log(`\n${notes.join("\n")}`);
console.log("  hand-written adjoints exist for seed, Rosenbrock and logistic regression; the others are checked by central finite differences.");

// Targets
const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
const targets = [
  ...["seed", "rosenbrock", "logreg"].map((k) => ({ what: `${byKey[k].workload}: grad/hand ≤ 1.5`, value: byKey[k].gradOverHand, ok: (v) => v <= 1.5 })),
  { what: "GMM: grad/primal ≤ 4", value: byKey.gmm.gradOverPrimal, ok: (v) => v <= 4 },
  { what: "pendulum: grad/primal ≤ 5", value: byKey.pendulum.gradOverPrimal, ok: (v) => v <= 5 },
  { what: "seed: TF.js/tsgrad ≥ 1000", value: byKey.seed.tfOverTsgrad, ok: (v) => v >= 1000 },
].map((t) => ({ what: t.what, value: t.value, met: t.value === undefined ? false : t.ok(t.value) }));
console.log("\ntargets:");
for (const t of targets) console.log(`  ${(t.met ? "met" : "NOT MET").padEnd(8)} ${t.what.padEnd(38)} (${t.value === undefined ? "not measured" : fmtRatio(t.value)})`);
console.log(`\ntiming took ${timingSeconds.toFixed(1)} s`);

if (options.json) {
  const strip = (t) => (t ? { ms: t.ms, min_ms: t.min, max_ms: t.max, samples: t.samples, calls_per_sample: t.inner, ...(t.scale ? { measured_ms: t.measuredMs, scale: t.scale } : {}) } : null);
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    tfjs: { version: tf.version.tfjs, backend: tf.getBackend(), dtype: "float32" },
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
      tfjs_rel_diff: r.tfRelDiff ?? null,
    })),
    targets: targets.map((t) => ({ target: t.what, value: t.value ?? null, met: t.met })),
    timing_seconds: timingSeconds,
  };
  // npm runs scripts from the package root; a relative FILE is taken from where npm was started
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), options.json);
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`results written to ${file}`);
}

if (sink === 12345.6789) console.log(""); // keeps every result live
const blocked = rows.filter((r) => r.status === "blocked");
if (blocked.length > 0 || failed) {
  console.log(`\n${blocked.length} workload(s) blocked: ${blocked.map((r) => r.workload).join(", ")}`);
  process.exit(1);
}
