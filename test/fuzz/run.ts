// Batches generated programs into one ts.Program (several files of many
// programs each: compiling is the slow part), compiles it through the real
// transformer (test/harness.ts), and checks every program.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import * as ts from "typescript";
import { type Compiled, formatDiagnostics, load } from "../harness.js";
import { checkTarget, instantiate, newStats, type Stats, type Target, Tracer } from "./check.js";
import {
  FEATURES,
  type Feature,
  fileSources,
  fullSource,
  type GenConfig,
  MARKER,
  type Program,
  extrasOf,
  programArbitrary,
  programSource,
  render,
  wrtSubset,
} from "./gen.js";
import { KNOWN_GAPS } from "./gaps.js";
import { compileCached } from "./compile.js";
import { minimise } from "./minimise.js";
import { checkExtras } from "./transforms-check.js";

export const DEFAULT_SEED = 20240611;

export function config(env: NodeJS.ProcessEnv = process.env): GenConfig {
  // FUZZ_GAPS=all, or a comma-separated list of gap features: generate those anyway.
  const opened = new Set((env.FUZZ_GAPS ?? "").split(",").map((s) => s.trim()));
  const open = KNOWN_GAPS.filter((g) => !opened.has("all") && !g.features.some((f) => opened.has(f)));
  // FUZZ_OFF: a comma-separated list of features not to generate at all.
  const gated = new Set<Feature>([...open.flatMap((g) => g.features), ...((env.FUZZ_OFF ?? "").split(",").map((s) => s.trim()) as Feature[])]);
  return { features: new Set(FEATURES.filter((f) => !gated.has(f))), depth: env.FUZZ_DEPTH ? Number(env.FUZZ_DEPTH) : undefined };
}

/** The first `count` programs of the stream for `seed`. Program i is the same whatever `count` is. */
export function generate(seed: number, count: number, cfg: GenConfig): Program[] {
  return fc.sample(programArbitrary(cfg), { seed, numRuns: count });
}

export interface ProgramResult {
  readonly index: number;
  readonly id: string;
  readonly source: string;
  status: "pass" | "fail" | "unchecked";
  readonly failures: string[];
  emitted: string;
}

export interface BatchResult {
  readonly results: ProgramResult[];
  readonly stats: Stats;
  /** Problems not attributable to one program (a diagnostic in the header, a module that does not load). */
  readonly errors: string[];
  readonly compileMs: number;
}

/** Splits a file's text (source or emitted JS) at the program markers. */
function splitPrograms(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let id: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (id) out.set(id, lines.join("\n").trim());
  };
  for (const line of text.split("\n")) {
    const m = MARKER.exec(line.trim());
    if (m) {
      flush();
      id = m[1]!;
      lines = [];
    } else if (id) lines.push(line);
  }
  flush();
  return out;
}

type BatchOptions = { perFile?: number; dir?: string; compileWith?: (files: string[]) => Compiled };

/**
 * Compiles and checks a batch. If the transformer throws (it must not, on any
 * input: SPEC §5), the batch is split in halves until the programs that make
 * it throw are found; each is reported as a failure.
 */
export function runBatch(programs: { index: number; prog: Program }[], cfg: GenConfig, opts: BatchOptions = {}): BatchResult {
  try {
    return isolateUnloaded(runBatchOnce(programs, cfg, opts), programs, cfg, opts);
  } catch (e) {
    if (!(e instanceof CompileCrash)) throw e;
    if (programs.length === 1) {
      const { index, prog } = programs[0]!;
      const id = `p${index}`;
      const result: ProgramResult = {
        index,
        id,
        source: fullSource(programSource(prog, id, cfg)),
        status: "fail",
        failures: [`the transformer threw (uncaught, SPEC §5 says it never does): ${e.message}`],
        emitted: "",
      };
      return { results: [result], stats: newStats(), errors: [], compileMs: e.ms };
    }
    const half = Math.ceil(programs.length / 2);
    const a = runBatch(programs.slice(0, half), cfg, { ...opts, dir: undefined });
    const b = runBatch(programs.slice(half), cfg, { ...opts, dir: undefined });
    const stats = newStats();
    addStats(stats, a.stats);
    addStats(stats, b.stats);
    return { results: [...a.results, ...b.results], stats, errors: [...a.errors, ...b.errors], compileMs: e.ms + a.compileMs + b.compileMs };
  }
}

/** How a program whose emitted file does not load (a SyntaxError in its code or another's) fails. */
const UNLOADED = "its emitted file does not load";

/**
 * A file that does not load fails every program in it (none was checked). When
 * it held several, they are compiled again in halves until each program that
 * stops its file loading is alone; the others are then checked.
 */
function isolateUnloaded(r: BatchResult, programs: { index: number; prog: Program }[], cfg: GenConfig, opts: BatchOptions): BatchResult {
  const unloaded = new Set(r.results.filter((p) => p.failures.some((f) => f.startsWith(UNLOADED))).map((p) => p.index));
  if (unloaded.size <= 1) return r;
  const again = programs.filter((p) => unloaded.has(p.index));
  const half = Math.ceil(again.length / 2);
  const parts = [again.slice(0, half), again.slice(half)].map((part) => runBatch(part, cfg, { ...opts, dir: undefined }));
  const redone = new Map(parts.flatMap((part) => part.results).map((p) => [p.index, p]));
  const stats = newStats();
  for (const x of [r, ...parts]) addStats(stats, x.stats);
  return {
    results: r.results.map((p) => redone.get(p.index) ?? p),
    stats,
    errors: [...r.errors, ...parts.flatMap((part) => part.errors)],
    compileMs: r.compileMs + parts.reduce((n, part) => n + part.compileMs, 0),
  };
}

export function addStats(into: Stats, from: Stats): void {
  into.points += from.points;
  into.pointsSkipped += from.pointsSkipped;
  into.components += from.components;
  into.inconclusive += from.inconclusive;
  into.directional += from.directional;
  for (const [k, v] of Object.entries(from.skips)) into.skips[k] = (into.skips[k] ?? 0) + v;
}

class CompileCrash extends Error {
  constructor(
    message: string,
    readonly ms: number,
  ) {
    super(message);
  }
}

function runBatchOnce(programs: { index: number; prog: Program }[], cfg: GenConfig, opts: BatchOptions): BatchResult {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-fuzz-"));
  try {
    return runInDir(programs, cfg, opts, dir);
  } finally {
    // Failures carry their source and emitted code; the files are not needed after.
    if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runInDir(programs: { index: number; prog: Program }[], cfg: GenConfig, opts: BatchOptions, dir: string): BatchResult {
  const perFile = opts.perFile ?? 50;
  const stats = newStats();
  const errors: string[] = [];
  const results: ProgramResult[] = [];
  const byId = new Map<string, { result: ProgramResult; prog: Program; file: string }>();
  const files: string[] = [];
  /** Per file: [first line, last line, id] of each program. */
  const ranges = new Map<string, [number, number, string][]>();

  for (let start = 0; start < programs.length; start += perFile) {
    const chunk = programs.slice(start, start + perFile);
    const k = files.length / 2;
    const file = path.join(dir, `programs${k}.ts`);
    const libFile = path.join(dir, `helpers${k}.ts`);
    const parts = chunk.map(({ index, prog }) => {
      const id = `p${index}`;
      const source = programSource(prog, id, cfg);
      const result: ProgramResult = { index, id, source: fullSource(source), status: "pass", failures: [], emitted: "" };
      results.push(result);
      byId.set(id, { result, prog, file });
      return { id, source };
    });
    const texts = fileSources(parts, `helpers${k}`);
    for (const [f, text] of [[file, texts.main], [libFile, texts.lib]] as const) {
      fs.writeFileSync(f, text);
      files.push(f);
      const fileRanges: [number, number, string][] = [];
      text.split("\n").forEach((line, i) => {
        const m = MARKER.exec(line.trim());
        if (m) {
          if (fileRanges.length > 0) fileRanges[fileRanges.length - 1]![1] = i - 1;
          fileRanges.push([i, Infinity, m[1]!]);
        }
      });
      ranges.set(path.resolve(f), fileRanges);
    }
  }

  const t0 = Date.now();
  let compiled: Compiled;
  try {
    compiled = (opts.compileWith ?? compileCached)(files);
  } catch (e) {
    const where = e instanceof Error ? (e.stack ?? "").split("\n").slice(0, 4).join(" / ") : "";
    throw new CompileCrash(`${e instanceof Error ? e.message : String(e)} (${where})`, Date.now() - t0);
  }
  const compileMs = Date.now() - t0;

  // (1) No diagnostics: each one is charged to the program it points into.
  for (const d of compiled.diagnostics) {
    const text = formatDiagnostics([d]).trim();
    if (!d.file || d.start === undefined) {
      errors.push(text);
      continue;
    }
    const line = ts.getLineAndCharacterOfPosition(d.file, d.start).line;
    const hit = ranges.get(path.resolve(d.file.fileName))?.find(([a, b]) => line >= a && line <= b);
    const entry = hit && byId.get(hit[2]);
    if (!entry) {
      errors.push(text);
      continue;
    }
    entry.result.status = "fail";
    entry.result.failures.push(`diagnostic: ${text}`);
  }

  for (const file of files) {
    const js = compiled.js.get(path.resolve(file)) ?? "";
    for (const [id, code] of splitPrograms(js)) {
      const entry = byId.get(id);
      if (entry) entry.result.emitted = entry.result.emitted ? `// helpers file:\n${code}\n\n// entry point's file:\n${entry.result.emitted}` : code;
    }
  }
  for (const file of files.filter((f) => /programs\d+\.ts$/.test(f))) {
    let exports: Record<string, unknown>;
    try {
      exports = load(compiled, file);
    } catch (e) {
      // Its programs fail: counted as passed, they would hide what they do (a whole batch, once).
      for (const { result, file: f } of byId.values()) {
        if (f !== file) continue;
        result.status = "fail";
        result.failures.push(`${UNLOADED}: ${String(e)}`);
      }
      continue;
    }
    for (const { result, prog, file: f } of byId.values()) {
      if (f !== file || result.failures.length > 0) continue;
      checkProgram(result, prog, exports, cfg, stats);
    }
  }
  return { results, stats, errors, compileMs };
}

function checkProgram(result: ProgramResult, prog: Program, exports: Record<string, unknown>, cfg: GenConfig, stats: Stats): void {
  const before = stats.points;
  try {
    const make = exports[result.id] as () => Record<string, (...args: never[]) => unknown>;
    const made = make();
    const js = render(prog, result.id, "js", cfg);
    const tracer = new Tracer();
    const names = [js.entry, ...(js.inner ? [js.inner.name] : [])];
    const traced = instantiate(js.code, names, tracer);
    const targets: Target[] = [
      {
        label: "entry",
        name: js.entry,
        kinds: js.kinds,
        f: made.f as never,
        grad: made.grad as never,
        valueAndGrad: made.valueAndGrad as never,
        gradSubset: made.gradSubset ? { params: wrtSubset(prog, js.kinds.length, cfg)!, fn: made.gradSubset as never } : undefined,
      },
    ];
    if (js.inner) targets.push({ label: "helper", name: js.inner.name, kinds: js.inner.kinds, f: made.inner as never, grad: made.innerGrad as never });
    for (const t of targets) result.failures.push(...checkTarget(prog, t, traced[t.name]!, tracer, stats));
    // The other transforms, once grad itself is right (they are compared with it).
    const extras = extrasOf(prog, result.id, cfg);
    if (result.failures.length === 0) {
      result.failures.push(...checkExtras({ id: result.id, extras, prog, kinds: js.kinds, made, traced: traced[js.entry]!, tracer, skip: (why) => (stats.skips[why] = (stats.skips[why] ?? 0) + 1) }));
    }
  } catch (e) {
    result.failures.push(`threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  if (result.failures.length > 0) result.status = "fail";
  else if (stats.points === before) result.status = "unchecked";
}

export function report(seed: number, r: ProgramResult, extra = ""): string {
  return [
    `==== tsgrad fuzz failure: seed ${seed}, program #${r.index} (${r.id}) ====`,
    `reproduce: FUZZ_SEED=${seed} FUZZ_ONLY=${r.index}${extra} npx vitest run test/fuzz.test.ts`,
    ...r.failures.map((f) => `  - ${f}`),
    "---- source ----",
    r.source.trim(),
    "---- emitted JavaScript ----",
    r.emitted || "(none)",
    "",
  ].join("\n");
}

/** What kind of failure: a diagnostic's code and message (names blanked), a crash, a wrong gradient, ... */
export function signature(failure: string): string {
  const blank = (m: string) => m.replace(/'[^']*'/g, "'_'").replace(/\d+(\.\d+)?/g, "N");
  const d = /error (TS\d+): (.*)/.exec(failure);
  if (failure.startsWith("diagnostic:") && d) return `${d[1]} ${blank(d[2]!)}`;
  if (failure.startsWith("the transformer threw")) return `crash ${blank(failure.split(": ").slice(1).join(": ").split(" (")[0]!)}`;
  if (failure.startsWith("threw:")) return `threw ${blank(failure.split("\n")[0]!)}`;
  const m = /^(entry|helper) \S+?\(.*?\): (.*)/s.exec(failure);
  const what = m ? m[2]! : failure;
  if (what.startsWith("gradient ") && what.includes("is wrong")) return "wrong gradient";
  if (what.startsWith("valueAndGrad value")) return "valueAndGrad value";
  if (what.startsWith("valueAndGrad gradient")) return "valueAndGrad gradient";
  return blank(what.split("\n")[0]!).slice(0, 80);
}

/** Shrinks a failing program to a smallest one with a failure of the same signature. */
export function minimiseFailure(
  r: ProgramResult,
  prog: Program,
  cfg: GenConfig,
  log?: (msg: string) => void,
): { prog: Program; result: ProgramResult } {
  const wanted = new Set(r.failures.map(signature));
  const target = signature(r.failures[0]!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-fuzz-min-"));
  let last: ProgramResult = r;
  const check = (q: Program): ProgramResult => runBatch([{ index: r.index, prog: q }], cfg, { dir, compileWith: compileCached }).results[0]!;
  log?.(`minimising #${r.index}: ${target} (${wanted.size} kinds of failure)`);
  const best = minimise(prog, (q) => {
    const res = check(q);
    const ok = res.failures.some((f) => signature(f) === target);
    if (ok) last = res;
    return ok;
  }, 3000, log);
  if (best === prog) last = check(prog);
  fs.rmSync(dir, { recursive: true, force: true });
  return { prog: best, result: last };
}
