// `npm run fuzz`: the long fuzz run. Starts FUZZ_SHARDS vitest processes (default:
// one per core, at most 4), each checking every FUZZ_SHARDS-th batch of the same
// FUZZ_RUNS programs (default 10,000; test/fuzz.test.ts), passes their output
// through, and prints the totals and the programs per feature and per transform of all of them.
// Exits non-zero if any shard failed. Every other FUZZ_* variable passes through.

import { spawn } from "node:child_process";
import * as os from "node:os";

const USAGE = `usage: [FUZZ_...=value ...] npm run fuzz [-- --help]

Checks FUZZ_RUNS generated programs (default 10,000) against finite differences,
split over FUZZ_SHARDS vitest processes (default: one per core, at most 4), and
prints the totals and the programs per feature and per transform. Options are
environment variables:
  FUZZ_RUNS=n      how many programs (default 10,000)
  FUZZ_SHARDS=n    how many vitest processes share them
  FUZZ_SEED=s      the fast-check seed (fixed by default, so runs are reproducible)
  FUZZ_ONLY=i      check only program #i of the stream (what a failure prints)
  FUZZ_GAPS=all    also generate the constructs listed in test/fuzz/gaps.ts (or name
                   one gap's feature, e.g. FUZZ_GAPS=struct-array-field)
  FUZZ_MINIMISE=1  shrink each failing program and print the smallest one too
  FUZZ_DEPTH=d     how deep blocks nest (default 2)
  FUZZ_OFF=a,b     do not generate these features (e.g. FUZZ_OFF=long-expression)
For one program, e.g.: FUZZ_SEED=20261201 FUZZ_ONLY=159 npx vitest run test/fuzz.test.ts
(test/fuzz.test.ts lists the same variables).`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  // Options are environment variables; an argument would otherwise be ignored silently.
  console.error(`npm run fuzz takes no arguments (got ${args.join(" ")}); set FUZZ_... variables instead.\n\n${USAGE}`);
  process.exit(2);
}

const runs = process.env.FUZZ_RUNS ?? "10000";
const shards = Number(process.env.FUZZ_SHARDS ?? Math.max(1, Math.min(4, os.availableParallelism())));
const started = Date.now();

function shard(k) {
  return new Promise((resolve) => {
    const child = spawn("npx", ["vitest", "run", "test/fuzz.test.ts"], {
      env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SHARD: `${k}/${shards}` },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let summary = null;
    let pending = "";
    child.stdout.on("data", (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        const m = /FUZZ-SUMMARY (\{.*\})/.exec(line);
        if (m) summary = JSON.parse(m[1]);
        else process.stdout.write(`[shard ${k}] ${line}\n`);
      }
    });
    child.on("close", (code) => resolve({ code: code ?? 1, summary }));
  });
}

const results = await Promise.all(Array.from({ length: shards }, (_, k) => shard(k)));
const total = { programs: 0, failed: 0, unchecked: 0, points: 0, pointsSkipped: 0, components: 0, compileMs: 0 };
const features = new Map();
const transforms = new Map();
for (const { summary } of results) {
  if (!summary) continue;
  for (const key of Object.keys(total)) total[key] += summary[key];
  for (const [t, c] of Object.entries(summary.transforms ?? {})) {
    const s = transforms.get(t) ?? { programs: 0, failed: 0 };
    s.programs += c.programs;
    s.failed += c.failed;
    transforms.set(t, s);
  }
  for (const [f, c] of Object.entries(summary.features)) {
    const t = features.get(f) ?? { programs: 0, failed: 0 };
    t.programs += c.programs;
    t.failed += c.failed;
    features.set(f, t);
  }
}
const rows = [...features].sort((a, b) => b[1].programs - a[1].programs);
const width = Math.max(7, ...rows.map(([f]) => f.length));
console.log(
  `\nfuzz, ${shards} shards: ${total.programs} programs, ${total.failed} failed, ${total.unchecked} with no well-conditioned point; ` +
    `${total.points} points checked (${total.pointsSkipped} skipped as ill-conditioned), ${total.components} gradient components; ` +
    `compile ${Math.round(total.compileMs / 1000)} s summed over shards, wall ${Math.round((Date.now() - started) / 1000)} s\n` +
    `programs per feature:\n${rows.map(([f, c]) => `  ${f.padEnd(width)} ${String(c.programs).padStart(6)}${c.failed ? `, ${c.failed} failed` : ""}`).join("\n")}\n` +
    `programs per transform:\n${[...transforms].map(([t, c]) => `  ${t.padEnd(36)} ${String(c.programs).padStart(6)}${c.failed ? `, ${c.failed} failed` : ""}`).join("\n")}`,
);
const missing = results.filter((r) => !r.summary).length;
if (missing) console.log(`${missing} shard(s) printed no summary`);
process.exit(results.some((r) => r.code !== 0) || missing ? 1 : 0);
