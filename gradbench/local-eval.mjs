#!/usr/bin/env node
// A stand-in for GradBench's evals when neither Docker nor a GradBench checkout
// is at hand: generates inputs of the sizes GradBench's evals use by default
// (same shapes and distributions as the published generators, but from a
// JavaScript random generator, so not the same numbers, and without validating
// against GradBench's reference outputs), sends them to a tool over the GradBench
// protocol and prints the timings the tool reports.
//
//   node gradbench/local-eval.mjs [--tool "node gradbench/dist/run.mjs"] [--min-seconds 1] [--json FILE] EVAL...
//
// EVAL is one of hello, lse, llsq, gmm, lstm, ba; `EVAL:option=value,...` overrides
// sizes, e.g. gmm:d=2,k=5 or ba:max=3 or lstm:l=2,c=1024.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const args = process.argv.slice(2);
let tool = "node gradbench/dist/run.mjs";
let minSeconds = 1;
let minRuns = 1;
let jsonFile;
const evals = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--tool") tool = args[++i];
  else if (args[i] === "--min-seconds") minSeconds = Number(args[++i]);
  else if (args[i] === "--min-runs") minRuns = Number(args[++i]);
  else if (args[i] === "--json") jsonFile = args[++i];
  else evals.push(args[i]);
}
if (evals.length === 0) evals.push("hello", "lse", "llsq", "gmm", "lstm", "ba");

// ---------------------------------------------------------------- random

let state = 31337;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
const vec = (n, f = rand) => Array.from({ length: n }, () => f());
const mat = (r, c, f = rand) => Array.from({ length: r }, () => vec(c, f));

// ---------------------------------------------------------------- evals

function options(spec) {
  const [name, rest] = spec.split(":");
  const o = {};
  for (const kv of rest ? rest.split(",") : []) {
    const [k, v] = kv.split("=");
    o[k] = v.split("+").map(Number);
  }
  return { name, o };
}

const runs = () => ({ min_runs: minRuns, min_seconds: minSeconds });

/** Each eval's workloads, as in gradbench/gradbench python/gradbench/gradbench/evals/<name>/run.py. */
const workloads = {
  hello: () => [
    { function: "square", input: 1, description: "x=1" },
    { function: "double", input: 1, description: "x=1" },
  ],
  lse: (o) =>
    (o.n ?? [2500, 5000, 10000, 20000, 40000, 80000, 160000, 320000, 640000, 1280000]).flatMap((n) => {
      const input = { x: vec(n), ...runs() };
      return ["primal", "gradient"].map((f) => ({ function: f, input, description: `n=${n}` }));
    }),
  llsq: (o) =>
    (o.n ?? [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8196, 16392]).flatMap((n) => {
      const m = (o.m ?? [128])[0];
      const input = { x: vec(m), n, ...runs() };
      return ["primal", "gradient"].map((f) => ({ function: f, input, description: `n=${n},m=${m}` }));
    }),
  gmm: (o) => {
    const n = (o.n ?? [1000])[0];
    const combos = [];
    for (const d of o.d ?? [2, 10, 20, 32, 64]) for (const k of o.k ?? [5, 10, 25, 50, 100]) combos.push([d, k]);
    combos.sort((a, b) => a[0] * a[1] - b[0] * b[1]);
    return combos.flatMap(([d, k]) => {
      const input = {
        d,
        k,
        n,
        x: mat(n, d, normal),
        m: 0,
        gamma: 1,
        mu: mat(k, d),
        q: mat(k, d, normal),
        l: mat(k, (d * (d - 1)) / 2, normal),
        alpha: vec(k, normal),
        ...runs(),
      };
      return ["objective", "jacobian"].map((f) => ({ function: f, input, description: `${d}_${k}_${n}` }));
    });
  },
  lstm: (o) => {
    // b = 14 bits per character, as ADBench's lstm_full.txt gives (its data files are *_d14)
    const b = (o.b ?? [14])[0];
    const combos = [];
    for (const l of o.l ?? [2, 4, 6]) for (const c of o.c ?? [1024, 4096, 8192]) combos.push([l, c]);
    combos.sort((a, b) => a[0] * a[1] - b[0] * b[1]);
    return combos.flatMap(([l, c]) => {
      const input = {
        main_params: mat(2 * l, 4 * b),
        extra_params: mat(3, b),
        state: mat(2 * l, b),
        sequence: mat(c, b, () => (rand() < 0.5 ? 0 : 1)),
        ...runs(),
      };
      return ["objective", "jacobian"].map((f) => ({ function: f, input, description: `l=${l},c=${c}` }));
    });
  },
  ba: (o) => {
    // ADBench's data/ba files ba1..ba14 (GradBench's default --min 1 --max 14)
    const sizes = [
      [49, 7776, 31843], [21, 11315, 36455], [161, 48126, 182072], [372, 47423, 204472],
      [257, 65132, 225911], [539, 65220, 277273], [93, 61203, 287451], [88, 64298, 383937],
      [810, 88814, 393775], [1197, 126327, 563734], [1723, 156502, 678718], [253, 163691, 899155],
      [245, 198739, 1091386], [356, 226730, 1255268],
    ];
    const lo = (o.min ?? [1])[0];
    const hi = (o.max ?? [14])[0];
    // The camera, point, weight and feature every one of ADBench's ba1..ba14 files starts
    // with (GradBench's eval replicates them p times): the same numbers, so the same costs.
    // Its camera turns by 1.59 rad, where V8's Math.sin and Math.cos reduce their argument
    // (18 ns a pair against 13 ns at a small angle): a camera made up here once turned by
    // 0.02 rad, and BA's primal measured here did not match GradBench's.
    return sizes.slice(lo - 1, hi).flatMap(([n, m, p], i) => {
      const input = {
        n,
        m,
        p,
        cam: [-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.51887, 0.087812, 0.002739],
        x: [7.203245, 0.001144, 3.023326],
        w: 0.417022,
        feat: [271.760969, 834.209256],
        ...runs(),
      };
      return ["objective", "jacobian"].map((f) => ({ function: f, input, description: `ba${lo + i}_n${n}_m${m}_p${p}` }));
    });
  },
};

// ---------------------------------------------------------------- driver

const child = spawn(tool, { shell: true, stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout });
const pending = [];
lines.on("line", (line) => pending.shift()?.(JSON.parse(line)));
let id = 0;
function send(message) {
  return new Promise((resolve) => {
    pending.push(resolve);
    child.stdin.write(JSON.stringify({ id: id++, ...message }) + "\n");
  });
}

const fmt = (ns) => (ns >= 1e9 ? `${(ns / 1e9).toFixed(3)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const results = [];
console.log((await send({ kind: "start" })).tool ?? "(tool gave no name)");
for (const spec of evals) {
  const { name, o } = options(spec);
  const define = await send({ kind: "define", module: name });
  console.log(`\n${name}: define ${define.success ? "ok" : `failed: ${define.error}`}`);
  if (!define.success) continue;
  for (const w of workloads[name](o)) {
    const started = process.hrtime.bigint();
    const r = await send({ kind: "evaluate", module: name, function: w.function, input: w.input, description: w.description });
    const wall = Number(process.hrtime.bigint() - started);
    if (!r.success) {
      console.log(`  ${w.description.padEnd(28)} ${w.function.padEnd(9)} FAILED: ${r.error}`);
      results.push({ eval: name, function: w.function, description: w.description, success: false, error: r.error });
      continue;
    }
    const ns = r.timings.filter((t) => t.name === "evaluate").map((t) => t.nanoseconds);
    const min = Math.min(...ns);
    const mean = ns.reduce((a, b) => a + b, 0) / ns.length;
    console.log(`  ${w.description.padEnd(28)} ${w.function.padEnd(9)} runs ${String(ns.length).padStart(6)}  min ${fmt(min).padStart(11)}  mean ${fmt(mean).padStart(11)}  (message round trip ${fmt(wall)})`);
    results.push({ eval: name, function: w.function, description: w.description, success: true, runs: ns.length, min_ns: min, mean_ns: mean });
  }
}
child.stdin.end();
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2) + "\n");
