// The real-world corpus (test/realworld/README.md): programs written in
// ordinary application TypeScript, compiled together through the ts-patch
// transformer entry point, each held to the status test/realworld/status.ts
// gives it. A program that passes has every gradient component checked against
// central finite differences (and, for a few, against values derived by hand);
// a refused program must be refused with a located tsgrad diagnostic of the
// code the manifest names; a refused program that starts compiling is checked
// and fails loudly until the manifest says "passes".

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import { compile, formatDiagnostics, ROOT, type Compiled } from "./harness.js";
import { status, type Status } from "./realworld/status.js";

const DIR = path.join(ROOT, "test/realworld");
const NOT_PROGRAMS = new Set(["status"]);

const names = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.replace(/\.ts$/, ""))
  .filter((n) => !NOT_PROGRAMS.has(n))
  .sort();
const fileOf = (name: string): string => path.join(DIR, `${name}.ts`);

// ---------------------------------------------------------------------------
// Compilation: one ts.Program for the whole corpus. Should the transformer
// throw, each program is compiled on its own so the crash is pinned to the
// program that caused it and the others are still checked.

type Build = { readonly compiled: Compiled } | { readonly crash: string };

function buildCorpus(): Map<string, Build> {
  const builds = new Map<string, Build>();
  try {
    const compiled = compile(names.map(fileOf));
    for (const name of names) builds.set(name, { compiled });
  } catch {
    for (const name of names) {
      try {
        builds.set(name, { compiled: compile([fileOf(name)]) });
      } catch (error) {
        builds.set(name, { crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    }
  }
  return builds;
}

const builds = buildCorpus();

// ---------------------------------------------------------------------------
// Running a program: the emitted CommonJS, with `tsgrad` either the real
// runtime or, for a refused program, a runtime whose transforms stand for the
// refused calls (so the module still loads and its primal functions can be
// used to check the hand-derived values).

type Exports = Record<string, unknown>;

const refusedTransforms: Exports = {
  ...runtime,
  grad: () => refusedCall,
  valueAndGrad: () => refusedCall,
  jvp: () => refusedCall,
  hessian: () => refusedCall,
  customGrad: (f: unknown) => f,
};

function refusedCall(): never {
  throw new Error("this transform call was refused at compile time");
}

function loadWith(compiled: Compiled, file: string, tsgrad: Exports): Exports {
  const cache = new Map<string, Exports>();
  const run = (fileName: string): Exports => {
    const cached = cache.get(fileName);
    if (cached) return cached;
    const code = compiled.js.get(fileName);
    if (code === undefined) throw new Error(`no emitted JavaScript for ${fileName}`);
    const module = { exports: {} as Exports };
    cache.set(fileName, module.exports);
    const require = (spec: string): unknown => {
      if (spec === "tsgrad") return tsgrad;
      if (spec.startsWith(".")) {
        const base = path.resolve(path.dirname(fileName), spec).replace(/\.js$/, "");
        if (compiled.js.has(`${base}.ts`)) return run(`${base}.ts`);
      }
      throw new Error(`${path.basename(file)} requires unknown module ${spec}`);
    };
    new Function("require", "module", "exports", code)(require, module, module.exports);
    cache.set(fileName, module.exports);
    return module.exports;
  };
  return run(file);
}

// ---------------------------------------------------------------------------
// Cases: each program exports `cases`, a list of { f, df, args, wrt?,
// withValue? }: df is the transform of f, called at args; wrt is the
// transform's own wrt (default 0); withValue marks valueAndGrad.

type Fn = (...args: unknown[]) => unknown;
interface Case {
  readonly f: Fn;
  readonly df: Fn;
  readonly args: readonly unknown[];
  readonly wrt: number | readonly number[];
  readonly withValue: boolean;
}

function casesOf(exports: Exports, name: string): Case[] {
  const raw = exports.cases;
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${name} exports no cases`);
  return raw.map((c: Record<string, unknown>, i) => {
    const { f, df, args, wrt = 0, withValue = false } = c;
    if (typeof f !== "function" || typeof df !== "function" || !Array.isArray(args)) {
      throw new Error(`${name}: case ${i} needs f, df (functions) and args (an array)`);
    }
    const wrtOk = typeof wrt === "number" || (Array.isArray(wrt) && wrt.every((k) => typeof k === "number"));
    if (!wrtOk || typeof withValue !== "boolean") throw new Error(`${name}: case ${i} has a malformed wrt or withValue`);
    return { f: f as Fn, df: df as Fn, args, wrt: wrt as Case["wrt"], withValue };
  });
}

// ---------------------------------------------------------------------------
// Numbers inside a structured argument: paths to every numeric leaf (through
// arrays, typed arrays, records and class instances; strings, booleans and
// functions are not differentiated and are skipped), and copies with one leaf
// moved that keep class prototypes.

type Path = readonly (string | number)[];

function numericPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value === "number") return [prefix];
  if (value instanceof Float64Array || Array.isArray(value)) {
    return Array.from(value as ArrayLike<unknown>).flatMap((v, i) => numericPaths(v, [...prefix, i]));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => numericPaths(v, [...prefix, k]));
  }
  return [];
}

function at(value: unknown, p: Path): unknown {
  let v = value;
  for (const key of p) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function moved(value: unknown, p: Path, step: number): unknown {
  if (p.length === 0) return (value as number) + step;
  const [key, ...rest] = p;
  if (value instanceof Float64Array) {
    const copy = value.slice();
    copy[key as number] = moved(value[key as number], rest, step) as number;
    return copy;
  }
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? moved(v, rest, step) : v));
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  Object.assign(copy, value);
  copy[key as string] = moved(copy[key as string], rest, step);
  return copy;
}

const show = (p: Path): string => p.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");

/** d f / d (args[i] at p) by central differences with one Richardson step (error O(h^4)). */
function difference(f: Fn, args: readonly unknown[], i: number, p: Path): number {
  const x = at(args[i], p) as number;
  const h = 1e-3 * Math.max(1, Math.abs(x));
  const value = (step: number): number => f(...args.map((a, j) => (j === i ? moved(a, p, step) : a))) as number;
  const central = (step: number): number => (value(step) - value(-step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** One compared gradient component: where it is, what tsgrad gave, the reference. */
interface Component {
  readonly where: string;
  readonly got: unknown;
  readonly want: number;
}

/** Relative error, with a floor from the largest component so tiny ones are not over-judged. */
function mismatches(components: readonly Component[], rtol = 1e-5): string[] {
  const scale = Math.max(1e-8, ...components.map((c) => Math.abs(c.want)));
  return components
    .filter(({ got, want }) => {
      if (typeof got !== "number" || !Number.isFinite(want)) return typeof got !== "number" || !Object.is(got, want);
      return Math.abs(got - want) > rtol * (Math.abs(want) + 1e-2 * scale);
    })
    .map(({ where, got, want }) => `${where}: tsgrad ${String(got)}, expected ${want}`);
}

const wrtList = (c: Case): number[] => (typeof c.wrt === "number" ? [c.wrt] : [...c.wrt]);

/** The gradient df returned, split per differentiated argument. */
function gradientsOf(c: Case, label: string): unknown[] {
  const before = c.args.map((a) => numericPaths(a).map((p) => at(a, p)));
  let result = c.df(...c.args);
  const after = c.args.map((a) => numericPaths(a).map((p) => at(a, p)));
  expect(after, `${label}: the gradient call modified its arguments`).toEqual(before);
  if (c.withValue) {
    expect(Array.isArray(result), `${label}: valueAndGrad returns [value, gradient]`).toBe(true);
    const [value, gradient] = result as [unknown, unknown];
    expect(value, `${label}: value differs from f(...args)`).toBe(c.f(...c.args));
    result = gradient;
  }
  return typeof c.wrt === "number" ? [result] : (result as unknown[]);
}

/** Every component of every gradient of the case, against finite differences of f. */
function checkAgainstDifferences(c: Case, label: string): void {
  const gradients = gradientsOf(c, label);
  wrtList(c).forEach((k, n) => {
    const components = numericPaths(c.args[k]).map((p) => ({
      where: `${label} d/d(args[${k}]${show(p)})`,
      got: at(gradients[n], p),
      want: difference(c.f, c.args, k, p),
    }));
    expect(components.length, `${label}: argument ${k} has no numbers`).toBeGreaterThan(0);
    expect(mismatches(components), `${label}: gradient against finite differences`).toEqual([]);
  });
}

// ---------------------------------------------------------------------------
// Values derived by hand, for a few programs: a function of the program's
// exports giving, per case index, the gradient's numeric leaves in argument
// order. They are checked against finite differences of the primal always
// (so the derivation itself is tested while the program is refused) and
// against tsgrad's gradient when the program passes.

type ByHand = (m: Exports) => { readonly case: number; readonly gradient: readonly number[] }[];

const nums = (v: unknown): number[] => numericPaths(v).map((p) => at(v, p) as number);

const byHand: Record<string, ByHand> = {
  // mse = (1/N) sum (w.x + b - y)^2: d/dw = (2/N) sum r x, d/db = (2/N) sum r.
  "linear-regression": (m) => {
    const { w, b } = (m.cases as { args: [{ w: number[]; b: number }, { x: number[]; y: number }[]] }[])[0]!.args[0];
    const data = (m.cases as { args: [unknown, { x: number[]; y: number }[]] }[])[0]!.args[1];
    const dw = w.map(() => 0);
    let db = 0;
    for (const { x, y } of data) {
      const r = w[0]! * x[0]! + w[1]! * x[1]! + b - y;
      dw[0] += (2 * r * x[0]!) / data.length;
      dw[1] += (2 * r * x[1]!) / data.length;
      db += (2 * r) / data.length;
    }
    return [0, 1].map((i) => ({ case: i, gradient: [...dw, db] }));
  },
  // Huber: r inside [-delta, delta] gives r, outside delta * sign(r).
  huber: () => [
    { case: 2, gradient: [0.4] },
    { case: 3, gradient: [-1] },
  ],
};

function handComponents(c: Case, expected: readonly number[], label: string, source: () => unknown[]): Component[] {
  const paths = wrtList(c).flatMap((k) => numericPaths(c.args[k]).map((p) => [k, p] as const));
  expect(paths.length, `${label}: hand-derived gradient has the wrong number of components`).toBe(expected.length);
  const values = source();
  return paths.map(([k, p], n) => ({ where: `${label} d/d(args[${k}]${show(p)})`, got: values[n], want: expected[n]! }));
}

function checkByHand(name: string, exports: Exports, cases: readonly Case[], passes: boolean): void {
  const derive = byHand[name];
  if (!derive) return;
  for (const { case: index, gradient } of derive(exports)) {
    const c = cases[index]!;
    const label = `${name} case ${index} (by hand)`;
    const fd = handComponents(c, gradient, label, () =>
      wrtList(c).flatMap((k) => numericPaths(c.args[k]).map((p) => difference(c.f, c.args, k, p))),
    );
    // Here `got` is the hand value and `want` the difference: the derivation is checked.
    expect(mismatches(fd.map(({ where, got, want }) => ({ where, got: want, want: got as number }))), label).toEqual([]);
    if (passes) {
      const gradients = gradientsOf(c, label);
      const mine = handComponents(c, gradient, label, () =>
        wrtList(c).flatMap((k, n) => numericPaths(c.args[k]).map((p) => at(gradients[n], p))),
      );
      expect(mismatches(mine, 1e-10), label).toEqual([]);
    }
  }
}

// ---------------------------------------------------------------------------
// The summary line: what the corpus says about tsgrad today.

const outcomes = new Map<string, string>();

afterAll(() => {
  const counts = new Map<string, number>();
  let passing = 0;
  for (const outcome of outcomes.values()) {
    if (outcome === "passes") passing++;
    else counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  const groups = [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  const refused = groups.reduce((s, [, n]) => s + n, 0);
  console.log(
    `realworld corpus: ${outcomes.size} programs, ${passing} pass, ${refused} refused` +
      (groups.length ? ` — first refusals: ${groups.map(([g, n]) => `${n} × ${g.replace(/^refused: /, "")}`).join("; ")}` : ""),
  );
});

const codeOf = (s: Status): number | undefined => /^refused: TS(\d+)/.exec(s)?.[1] as unknown as number | undefined;

// ---------------------------------------------------------------------------

describe("the corpus", () => {
  it("has at least 45 programs, each with a status, and no status without a program", () => {
    expect(names.length).toBeGreaterThanOrEqual(45);
    expect(names.filter((n) => !(n in status)), "programs missing from status.ts").toEqual([]);
    expect(Object.keys(status).filter((n) => !names.includes(n)), "status.ts entries without a program").toEqual([]);
  });
});

describe.each(names)("realworld %s", (name) => {
  it(`is as status.ts says (${status[name] ?? "no status"})`, () => {
    const expected = status[name];
    const build = builds.get(name)!;
    if ("crash" in build) throw new Error(`the transformer crashed on ${name}:\n${build.crash}`);
    const { compiled } = build;
    const file = fileOf(name);
    const diagnostics = compiled.diagnostics.filter((d) => d.file?.fileName === file);
    const typeErrors = diagnostics.filter((d) => d.code < 90000);
    expect(formatDiagnostics(typeErrors), `${name} must be valid TypeScript`).toBe("");
    const refusals = diagnostics
      .filter((d) => d.code >= 90000 && d.code < 100000)
      .sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    const text = formatDiagnostics(refusals);
    expect(refusals.every((d) => d.file && d.start !== undefined), `unlocated diagnostic:\n${text}`).toBe(true);
    expect(refusals.filter((d) => d.code === 90099).length, `internal error of tsgrad:\n${text}`).toBe(0);

    if (refusals.length === 0) {
      const exports = loadWith(compiled, file, runtime as unknown as Exports);
      const cases = casesOf(exports, name);
      cases.forEach((c, i) => checkAgainstDifferences(c, `${name} case ${i}`));
      checkByHand(name, exports, cases, true);
      outcomes.set(name, "passes");
      if (expected !== "passes") throw new Error(`${name} now passes: update status.ts (it says "${expected}")`);
      return;
    }

    const first = refusals[0]!;
    const message = ts.flattenDiagnosticMessageText(first.messageText, " ");
    const exports = loadWith(compiled, file, refusedTransforms);
    checkByHand(name, exports, casesOf(exports, name), false);
    const matches = expected !== undefined && expected !== "passes" && Number(codeOf(expected)) === first.code;
    outcomes.set(name, matches ? expected : `TS${first.code} ${message.replace(/^tsgrad: /, "").slice(0, 60)}`);
    if (!matches) {
      throw new Error(`${name} is now refused first with TS${first.code} (status.ts says "${expected}"): update status.ts\n${text}`);
    }
  });
});
