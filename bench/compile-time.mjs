// Compile-time benchmark: generates a ~2000-line TypeScript file with 50 `grad`
// calls (varied functions: loops over Float64Arrays, local arrays, Math, branches,
// while loops, helper calls) and one more function whose expression has 10,000
// terms (as generated code and unrolled kernels have), in a temporary directory,
// and times ts-patch's `tspc` with the tsgrad transformer against plain `tsc` on
// the same project (the same tsconfig: plain tsc ignores the `plugins` entry).
// Both emit JavaScript.
//
//   node bench/compile-time.mjs [--runs N] [--keep]   prints the timings on its own
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

export const GRAD_CALLS = 50;
export const TARGET_LINES = 2000;
/** Terms of the long function's expression. */
export const LONG_TERMS = 10_000;

/**
 * Function number k: `const s = t1 + ... + tn; return s` with n terms of a
 * kernel's kinds. (Not `return t1 + ...`: plain tsc's own emitter overflows the
 * stack on a return of more than about 7,000 terms.)
 */
function longFunctionLines(k, n) {
  const c = (j) => (((j * 7) % 11) / 10 + 0.1).toFixed(1);
  const term = (j) => [`${c(j)} * x * y`, `Math.sin(${c(j)} * x)`, `w[${j % 16}] * w[${(j * 5 + 3) % 16}]`, `y / (1 + x * x)`][j % 4];
  return [
    `export function f${k}(x: number, y: number, w: Float64Array): number {`,
    `  const s = ${Array.from({ length: n }, (_, j) => term(j)).join(" + ")};`,
    `  return s;`,
    `}`,
    `export const g${k} = grad(f${k}, [0, 1, 2]);`,
    ``,
  ];
}

/** The body of generated function number k (kind k % 6), as lines without the signature. */
function functionLines(k, bodyLines) {
  const c = (j) => (((k * 7 + j * 3) % 11) / 10 + 0.1).toFixed(1); // varied constants
  const kind = k % 6;
  const out = [];
  // Padding statements keep every function about the same length; each one is
  // differentiated (it feeds the result), so the transformer does real work.
  const pad = (v, n) => {
    for (let j = 0; out.length < n; j++) {
      switch (j % 8) {
        case 0:
          out.push(`  ${v} = ${v} + ${c(j)} * Math.sin(${v} * ${c(j + 1)});`);
          break;
        case 1:
          out.push(`  ${v} = ${v} * ${c(j)} + Math.exp(-${v} * ${v});`);
          break;
        case 2:
          out.push(`  if (${v} > ${c(j)}) ${v} = ${v} - Math.log1p(${v} * ${v}); else ${v} = ${v} + ${c(j)};`);
          break;
        case 3:
          out.push(`  ${v} += Math.tanh(${v}) * ${c(j)};`);
          break;
        case 4:
          out.push(`  const t${j} = Math.sqrt(1 + ${v} * ${v}) * ${c(j)};`);
          break;
        case 5:
          out.push(`  ${v} = t${j - 1} > ${v} ? ${v} * Math.cos(t${j - 1}) : Math.atan(${v}) + t${j - 1};`);
          break;
        case 6:
          out.push(`  ${v} -= Math.pow(Math.abs(${v}) + 1, ${c(j)}) * 0.1;`);
          break;
        default:
          out.push(`  ${v} = Math.max(${v}, -${c(j)}) + Math.min(${v} * ${v}, ${c(j + 2)});`);
      }
    }
  };
  switch (kind) {
    case 0: // polynomial and Math on scalars, two parameters
      out.push(`export function f${k}(x: number, y: number): number {`);
      out.push(`  let z = ${c(0)} * x * x + ${c(1)} * x * y + Math.cos(y);`);
      pad("z", bodyLines);
      out.push(`  return z * x + Math.sqrt(1 + y * y);`);
      break;
    case 1: // a loop over a Float64Array
      out.push(`export function f${k}(x: Float64Array): number {`);
      out.push(`  let s = 0;`);
      out.push(`  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]! * ${c(0)} + Math.sin(x[i]!);`);
      pad("s", bodyLines);
      out.push(`  return s;`);
      break;
    case 2: // nested loops and a local array written by index
      out.push(`export function f${k}(w: Float64Array, n: number): number {`);
      out.push(`  const h = new Float64Array(n);`);
      out.push(`  for (let i = 0; i < n; i++) {`);
      out.push(`    for (let j = 0; j < n; j++) h[i] += w[i * n + j]! * ${c(0)};`);
      out.push(`    h[i] = Math.tanh(h[i]!);`);
      out.push(`  }`);
      out.push(`  let t = 0;`);
      out.push(`  for (let i = 0; i < n; i++) t += h[i]! * h[i]!;`);
      pad("t", bodyLines);
      out.push(`  return t;`);
      break;
    case 3: // a while loop with a data-dependent trip count and a break
      out.push(`export function f${k}(x: number, steps: number): number {`);
      out.push(`  let v = x;`);
      out.push(`  let i = 0;`);
      out.push(`  while (i < steps) {`);
      out.push(`    v = v - ${c(0)} * Math.atan(v) + ${c(1)} * Math.hypot(v, 1);`);
      out.push(`    if (Math.abs(v) > 100) break;`);
      out.push(`    i++;`);
      out.push(`  }`);
      pad("v", bodyLines);
      out.push(`  return v * v;`);
      break;
    case 4: // calls a helper inside a loop, ternary, Math.max
      out.push(`export function f${k}(x: Float64Array, y: Float64Array): number {`);
      out.push(`  let acc = 0;`);
      out.push(`  for (let i = 0; i < x.length; i++) {`);
      out.push(`    const d = x[i]! - y[i]!;`);
      out.push(`    acc += helper${k % 3}(d) + (d > 0 ? d : Math.max(d, -1) * ${c(0)});`);
      out.push(`  }`);
      pad("acc", bodyLines);
      out.push(`  return acc;`);
      break;
    default: // a for...of loop, compound assignments, pow
      out.push(`export function f${k}(x: number[], p: number): number {`);
      out.push(`  let m = 1;`);
      out.push(`  for (const xi of x) {`);
      out.push(`    m *= 1 + ${c(0)} * xi ** 2;`);
      out.push(`    m -= Math.pow(Math.abs(xi) + 1, p) * ${c(1)};`);
      out.push(`  }`);
      pad("m", bodyLines);
      out.push(`  return m;`);
  }
  out.push(`}`);
  const wrt = kind === 0 ? "[0, 1]" : kind === 4 ? "[0, 1]" : "0";
  out.push(`export const g${k} = grad(f${k}, ${wrt});`);
  out.push(``);
  return out;
}

/** The generated source: imports, three helpers, GRAD_CALLS functions each followed by its grad call. */
export function generateSource() {
  const head = [
    `// Generated by bench/compile-time.mjs: ${GRAD_CALLS} functions, each differentiated by grad.`,
    `import { grad } from "tsgrad";`,
    ``,
    `function helper0(d: number): number {`,
    `  return d * d * 0.5;`,
    `}`,
    `function helper1(d: number): number {`,
    `  return Math.log1p(Math.exp(d));`,
    `}`,
    `function helper2(d: number): number {`,
    `  return Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;`,
    `}`,
    ``,
  ];
  // Each function takes its share of the line budget (signature, body, return, grad line, blank).
  // Four of them are the return, the closing brace, the grad line and a blank line.
  const budget = TARGET_LINES - head.length;
  const perFunction = Math.floor(budget / GRAD_CALLS);
  const extra = budget - perFunction * GRAD_CALLS;
  const lines = [...head];
  for (let k = 0; k < GRAD_CALLS; k++) lines.push(...functionLines(k, perFunction + (k < extra ? 1 : 0) - 4));
  lines.push(...longFunctionLines(GRAD_CALLS, LONG_TERMS));
  return lines.join("\n");
}

function timeCommand(bin, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim(), error: r.error };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/**
 * Writes the project to a temporary directory and times `tsc -p` and `tspc -p`
 * alternately, `runs` times each; returns the medians and their ratio. Checks that
 * tspc reported no diagnostic and that every grad call was replaced by generated code.
 */
export function measureCompileTime({ runs = 3, keep = false } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), "tsgrad-compile-"));
  try {
    const source = generateSource();
    writeFileSync(join(dir, "model.ts"), source);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        skipLibCheck: true,
        types: [],
        outDir: "out",
        rootDir: ".",
        // the temporary directory is outside this package: map "tsgrad" to its build
        paths: { tsgrad: [join(root, "dist/runtime/index.d.ts")] },
        plugins: [{ transform: join(root, "dist/transformer/index.js") }],
      },
      files: ["model.ts"],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const tsc = join(root, "node_modules/.bin/tsc");
    const tspc = join(root, "node_modules/.bin/tspc");
    const args = ["-p", join(dir, "tsconfig.json"), "--pretty", "false"];
    const times = { tsc: [], tspc: [] };
    for (let r = 0; r < runs; r++) {
      for (const [name, bin] of [
        ["tsc", tsc],
        ["tspc", tspc],
      ]) {
        const t = timeCommand(bin, args, dir);
        if (t.error) throw t.error;
        if (t.status !== 0) throw new Error(`${name} exited ${t.status} on the generated file:\n${t.output.split("\n").slice(0, 10).join("\n")}`);
        times[name].push(t.ms);
      }
    }
    const js = readFileSync(join(dir, "out", "model.js"), "utf8");
    const generated = (js.match(/^function f\d+_grad\w*\(/gm) ?? []).length;
    if (generated !== GRAD_CALLS + 1) throw new Error(`expected ${GRAD_CALLS + 1} generated gradient functions in the tspc output, found ${generated}`);
    const tscMs = median(times.tsc);
    const tspcMs = median(times.tspc);
    return {
      lines: source.split("\n").length,
      gradCalls: GRAD_CALLS + 1,
      longTerms: LONG_TERMS,
      runs,
      tscMs,
      tspcMs,
      ratio: tspcMs / tscMs,
      tscAll: times.tsc,
      tspcAll: times.tspc,
      dir: keep ? dir : undefined,
    };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  const r = measureCompileTime({ runs, keep: argv.includes("--keep") });
  console.log(
    `${r.lines} lines, ${r.gradCalls} grad calls (one of a ${r.longTerms}-term expression): tsc ${(r.tscMs / 1000).toFixed(2)} s, tspc + tsgrad ${(r.tspcMs / 1000).toFixed(2)} s, ratio ${r.ratio.toFixed(2)} (median of ${r.runs})` +
      (r.dir ? `\nkept in ${r.dir}` : ""),
  );
}
