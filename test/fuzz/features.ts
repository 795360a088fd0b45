// Which generator features a program actually uses, read from its TypeScript
// (a feature that is switched on may still not occur in a given program), for
// the counts `npm run fuzz` prints. Features whose use the text does not show
// reliably are left out of the counts.

import { type Feature, type GenConfig, type Program, render, type Rendered, wrtSubset } from "./gen.js";
import { extrasFeatures, type Extras } from "./transforms.js";

/** A feature and how its use shows in the functions' TypeScript. */
const PATTERNS: Partial<Record<Feature, RegExp>> = {
  call: /_f\d+\(/,
  "f64-param": /\w: Float64Array[,)]/,
  "array-param": /\w: number\[\][,)]/,
  "local-f64": /= new Float64Array\(/,
  "local-zeros": /= zeros\(/,
  "local-literal": /const b\d+ = \[/,
  "local-map": /const b\d+ = map\(/,
  "local-tensor": /= tensor\(/,
  "local-constructors": /= (ones|full|linspace|arange)\(/,
  "array-swap": /\[(\w+), \1n\] = \[\1n, \1\]/,
  "array-rebind": /(\w+) = \1\.map\(/,
  "local-matrix": /const b\d+(: number\[\]\[\])? = (\w+\.map\(\(m\d+\) => \w+\.map|Array\.from\(\{ length: \d+ \}, \(_, m\d+\) => Array\.from|\[\[)/,
  "matrix-swap": /(let b\d+n = b\d+\.map\(\(r\d+\) => r\d+\.map\(\(\) => 0\)\)|(b\d+) = \2\.map\(\(r\d+, i\d+\) => r\d+\.map)/,
  "array-write": /\b[ab]\d+\[[^\]]+\] = /,
  "store-reused-call": /\b[ab]\d+\[[^\]]+\] = Math\.(exp|sqrt|tanh)\(|Array\.from\(\{ length: \d+ \}, \(_, m\d+\) => Math\.(exp|sqrt|tanh)\(/,
  "array-accumulate": /\b[ab]\d+\[[^\]]+\] \+= /,
  "exp-sum": /\+= (Math\.exp\(a\d+\[i\d+\] - |.* \* Math\.tanh\(a\d+\[i\d+\]\);)/,
  reduction: /(?<![\w.])(sum|mean|dot|norm|logSumExp|prod|max|min)\(/,
  map: /(?<![\w.])map\(/,
  map2: /(?<![\w.])map2\(/,
  "array-methods": /\.(reduce|reduceRight|some|every)\(/,
  if: /\bif \(/,
  ternary: / \? /,
  logical: /&&|\|\||!\(/,
  for: /for \(let i\d+ = 0; i\d+ < \d/,
  "for-length": /for \(let i\d+ = 0; i\d+ < \w+\.length/,
  "for-of": /for \(const e\d+ of /,
  while: /^\s*while \(/m,
  "do-while": /\bdo \{/,
  "while-data": /w\d+ < \d+ && /,
  break: /\bbreak;/,
  continue: /\bcontinue;/,
  "return-early": /\) return /,
  compound: / [-+*/]= /,
  "pow-assign": / \*\*= /,
  "sum-of-terms": /const s\d+ = new Float64Array\(\d\);\s+let v\d+ = 0;\s+for \(/,
  "iteration-rows": /let v\d+ = 0;\s+for \(let i\d+ = 0; i\d+ < \d+; i\d+\+\+\) \{\s+let v\d+ = 0;\s+for \(let i\d+ = 0; i\d+ < \d+; i\d+\+\+\) \{\s+for \(let i\d+ = 0; i\d+ < \d+; i\d+\+\+\) s\d+\[i\d+\] = /,
  "buffer-swap": /const (t\d+) = (u\d+);\s+\2 = (u\d+);\s+\3 = \1;/,
  "alias-writes": /const (q\d+) = r\d+\[\d+\];\s+\1\.x \*= /,
  "records-rebind": /let (r\d+): \{ x: number; y: number \}\[\] = \[\];[\s\S]*\1 = \1\.map\(|let (r\d+): \{ x: number; y: number \}\[\] = \[\];[\s\S]*\2 = r\d+;/,
  incdec: /\w(\+\+|--);/,
  "held-values": /const \w+ = Math\.(cos|sin)\((.+)\);\s+(const|let) \w+ = Math\.(sin|cos)\(\2\);/,
  "running-extremum": /(\w+) = Math\.(max|min)\((\1, |.*, \1\);)/,
  "arrow-function": /const \w+_f\d+ = \(/,
  "math-constants": /Math\.(PI|E|LN2|SQRT1_2)\b/,
  length: /\w\.length\b/,
  kinks: /Math\.(abs|sign|floor|ceil|round|trunc)\(| % /,
  hypot: /Math\.hypot\(/,
  cbrt: /Math\.cbrt\(/,
  "pow-variable": /Math\.pow\(1 \+ [^,]+, Math\.tanh|\(1\.5 \+ Math\.sin\([^)]*\)\) \*\*/,
  recursion: /\bn\d+ - 1\b/,
  "stop-gradient": /\bstopGradient\(/,
  "optional-param": /\bx\d+o\?: number/,
  "inner-function": /const g\d+ = \(|function g\d+\(/,
  "labeled-jump": /\b(break|continue) L\d+;/,
  comma: /; i\d+\+\+, k\d+--\)/,
  "strided-for": /; i\d+ \+= [23]\)/,
  nullish: / : undefined\) \?\? /,
  "integer-ops": /\bi\d+ (>>>?|<<|&|\||\^) \d|~i\d+/,
  "rest-param": /\(\.\.\.xs\d+: number\[\]\)/,
  "spread-math": /Math\.(max|min|hypot)\(\.\.\./,
  "records-step-alias": /const p\d+ = r\d+\[i\d+\];|r\d+\.forEach\(\(p\d+, i\d+\) =>/,
  "closure-array": /const g\d+(: \(\(m: number\) => number\)\[\])? = \[\(m\d+/,
  "record-tuple-field": /\{ pos: \[v\d+, v\d+\], w: v\d+ \} = st\d+;/,
};

/** The features program `id` uses. */
export function featuresUsed(prog: Program, id: string, cfg: GenConfig, extras: Extras): Feature[] {
  const r: Rendered = render(prog, id, "ts", cfg);
  const used = (Object.entries(PATTERNS) as [Feature, RegExp][]).filter(([f, re]) => cfg.features.has(f) && re.test(r.code)).map(([f]) => f);
  if (r.inner) used.push("inner-grad");
  if (r.split) used.push("imported-call");
  if (wrtSubset(prog, r.kinds.length, cfg)) used.push("wrt-subset");
  return [...used, ...extrasFeatures(extras)];
}

/** Programs (and failed programs) per feature, as lines of a table, most used first. */
export function featureTable(counts: ReadonlyMap<Feature, { programs: number; failed: number }>): string {
  const rows = [...counts].sort((a, b) => b[1].programs - a[1].programs);
  const width = Math.max(...rows.map(([f]) => f.length), 7);
  return rows.map(([f, c]) => `  ${f.padEnd(width)} ${String(c.programs).padStart(6)} programs${c.failed ? `, ${c.failed} failed` : ""}`).join("\n");
}

/** The transforms (and compositions) a program's features apply, for the per-transform tally of `npm run fuzz`. */
const TRANSFORMS: readonly (readonly [string, readonly Feature[] | "all"])[] = [
  ["grad", "all"],
  ["valueAndGrad", "all"],
  ["grad(f, wrt subset)", ["wrt-subset"]],
  ["grad of structured parameters", ["struct-record", "struct-tuple", "struct-class", "nested-rows", "nested-records", "keyed-record"]],
  ["jvp", ["jvp", "vjp", "vector-array", "vector-tuple", "checkpoint"]],
  ["vjp", ["vjp", "vector-array", "vector-tuple"]],
  ["jacobian", ["jacobian", "jacobian-grad"]],
  ["jacobian/jacfwd with a wrt array", ["jacobian-wrt-array"]],
  ["jacfwd", ["jacfwd", "jacobian-grad"]],
  ["hessian", ["hessian", "jacobian-grad"]],
  ["grad(grad(f))", ["nested-grad"]],
  ["jvp(grad(f))", ["jvp-grad"]],
  ["jacobian(grad(f)), jacfwd(grad(f))", ["jacobian-grad"]],
  ["vector-valued f (number[] or tuple)", ["vector-array", "vector-tuple"]],
  ["hasAux", ["has-aux"]],
  ["{ into: true }", ["into"]],
  ["checkpoint", ["checkpoint"]],
  ["customGrad", ["custom-grad"]],
  ["stopGradient", ["stop-gradient", "stop-gradient-outputs"]],
];

/** The transforms a program with these features runs. */
export function transformsUsed(features: readonly Feature[]): string[] {
  const used = new Set(features);
  return TRANSFORMS.filter(([, on]) => on === "all" || on.some((f) => used.has(f))).map(([name]) => name);
}

/** The order of the tally's rows. */
export const TRANSFORM_NAMES: readonly string[] = TRANSFORMS.map(([name]) => name);
