// Random programs in the differentiable subset, compiled through the real
// transformer and checked against finite differences (test/fuzz/).
//
//   FUZZ_RUNS=n     how many programs (default 120; `npm run fuzz` runs 10,000)
//   FUZZ_SEED=s     the fast-check seed (fixed by default, so runs are reproducible)
//   FUZZ_ONLY=i     check only program #i of the stream (what a failure prints)
//   FUZZ_GAPS=all   also generate the constructs listed in test/fuzz/gaps.ts (or name
//                   one gap's feature, e.g. FUZZ_GAPS=struct-array-field)
//   FUZZ_MINIMISE=1 shrink each failing program and print the smallest one too
//   FUZZ_DEPTH=d    how deep blocks nest (default 2)
//   FUZZ_OFF=a,b    do not generate these features (e.g. FUZZ_OFF=long-expression)
//   FUZZ_SHARD=k/n  check only batches k, k + n, k + 2n, ... (test/fuzz/shards.mjs runs n
//                   shards side by side: `npm run fuzz`)
//
// It prints, at the end, how many programs used each feature and each transform (test/fuzz/features.ts),
// and a FUZZ-SUMMARY line of JSON for shards.mjs to add up.

import { afterAll, describe, expect, it } from "vitest";
import { addStats, config, DEFAULT_SEED, generate, minimiseFailure, report, runBatch } from "./fuzz/run.js";
import { newStats } from "./fuzz/check.js";
import { featureTable, featuresUsed, TRANSFORM_NAMES, transformsUsed } from "./fuzz/features.js";
import { extrasOf, type Feature } from "./fuzz/gen.js";

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;
const ONLY = process.env.FUZZ_ONLY !== undefined ? Number(process.env.FUZZ_ONLY) : null;
const RUNS = ONLY !== null ? ONLY + 1 : Number(process.env.FUZZ_RUNS ?? 120);
const [SHARD, SHARDS] = (process.env.FUZZ_SHARD ?? "0/1").split("/").map(Number) as [number, number];
/** Programs per ts.Program: 3 files of 50. */
const PER_FILE = 50;
const PER_BATCH = 150;

const cfg = config();
/** What a reproduction needs besides the seed and the index. */
const GAPS =
  (process.env.FUZZ_GAPS ? ` FUZZ_GAPS=${process.env.FUZZ_GAPS}` : "") + (process.env.FUZZ_DEPTH ? ` FUZZ_DEPTH=${process.env.FUZZ_DEPTH}` : "");
const all = generate(SEED, RUNS, cfg).map((prog, index) => ({ index, prog }));
const programs = ONLY !== null ? all.slice(ONLY) : all;
const batches: { index: number; prog: (typeof all)[number]["prog"] }[][] = [];
for (let i = 0; i < programs.length; i += PER_BATCH) {
  if ((i / PER_BATCH) % SHARDS === SHARD) batches.push(programs.slice(i, i + PER_BATCH));
}

const stats = newStats();
const totals = { programs: 0, unchecked: 0, failed: 0, compileMs: 0 };
const features = new Map<Feature, { programs: number; failed: number }>();
const transforms = new Map<string, { programs: number; failed: number }>(TRANSFORM_NAMES.map((t) => [t, { programs: 0, failed: 0 }]));
const started = Date.now();

describe(`fuzz: ${batches.reduce((n, b) => n + b.length, 0)} random programs, seed ${SEED}${SHARDS > 1 ? `, shard ${SHARD}/${SHARDS}` : ""}`, () => {
  it.each(batches.map((b, i) => [i, b] as const))("batch %i", (_i, batch) => {
    const r = runBatch(batch, cfg, { perFile: PER_FILE });
    totals.programs += r.results.length;
    totals.compileMs += r.compileMs;
    addStats(stats, r.stats);
    for (const p of r.results) {
      const prog = batch.find((b) => b.index === p.index)!.prog;
      const used = featuresUsed(prog, p.id, cfg, extrasOf(prog, p.id, cfg));
      for (const f of used) {
        const c = features.get(f) ?? { programs: 0, failed: 0 };
        c.programs++;
        if (p.status === "fail") c.failed++;
        features.set(f, c);
      }
      for (const t of transformsUsed(used)) {
        const c = transforms.get(t)!;
        c.programs++;
        if (p.status === "fail") c.failed++;
      }
    }
    const failed = r.results.filter((p) => p.status === "fail");
    totals.failed += failed.length;
    totals.unchecked += r.results.filter((p) => p.status === "unchecked").length;
    for (const p of failed) {
      console.error(report(SEED, p, GAPS));
      if (process.env.FUZZ_MINIMISE) {
        const min = minimiseFailure(p, batch.find((b) => b.index === p.index)!.prog, cfg, (m) => console.error(m));
        console.error(`minimised:\n${report(SEED, min.result, GAPS)}`);
      }
    }
    expect(r.errors, "problems outside any one program").toEqual([]);
    expect(
      failed.map((p) => `#${p.index}: ${p.failures[0]!.split("\n")[0]}`),
      `failing programs (seed ${SEED}; sources and emitted code printed above)`,
    ).toEqual([]);
  }, 600_000);
});

afterAll(() => {
  const s = { ...totals, ...stats };
  console.log(
    `fuzz: seed ${SEED}: ${s.programs} programs (${s.failed} failed, ${s.unchecked} with no well-conditioned point), ` +
      `${s.points} points checked (${s.pointsSkipped} skipped as ill-conditioned: ${JSON.stringify(s.skips)}), ${s.components} gradient components ` +
      `(${s.inconclusive} inconclusive), ${s.directional} dot-product checks; compile ${s.compileMs} ms, total ${Date.now() - started} ms\n` +
      `programs per feature:\n${featureTable(features)}\n` +
      `programs per transform:\n${[...transforms].map(([t, c]) => `  ${t.padEnd(36)} ${String(c.programs).padStart(6)} programs${c.failed ? `, ${c.failed} failed` : ""}`).join("\n")}`,
  );
  console.log(`FUZZ-SUMMARY ${JSON.stringify({ ...s, ms: Date.now() - started, features: Object.fromEntries(features), transforms: Object.fromEntries(transforms) })}`);
});
