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
import {
  at,
  casesOf,
  counting,
  difference,
  loadWith,
  mismatches,
  numericPaths,
  refusedTransforms,
  show,
  wrtList,
  type Case,
  type Component,
  type Exports,
} from "./realworld-check.js";
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
// REALWORLD_ONLY=a,b compiles and checks only those programs (while working on them; the whole corpus is one slow program).
const only = process.env.REALWORLD_ONLY?.split(",");
const checked = only ? names.filter((n) => only.includes(n)) : names;

// ---------------------------------------------------------------------------
// Compilation: one ts.Program for the whole corpus. Should the transformer
// throw, each program is compiled on its own so the crash is pinned to the
// program that caused it and the others are still checked.

type Build = { readonly compiled: Compiled } | { readonly crash: string };

function buildCorpus(): Map<string, Build> {
  const builds = new Map<string, Build>();
  try {
    const compiled = compile(checked.map(fileOf));
    for (const name of checked) builds.set(name, { compiled });
  } catch {
    for (const name of checked) {
      try {
        builds.set(name, { compiled: compile([fileOf(name)]) });
      } catch (error) {
        builds.set(name, {
          crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    }
  }
  return builds;
}

const builds = buildCorpus();

/** The gradient df returned, split per differentiated argument. */
function gradientsOf(c: Case, label: string): unknown[] {
  const before = c.args.map((a) => numericPaths(a).map((p) => at(a, p)));
  const call = counting(() => c.df(...c.args));
  const primal = counting(() => c.f(...c.args));
  const after = c.args.map((a) => numericPaths(a).map((p) => at(a, p)));
  expect(after, `${label}: the gradient call modified its arguments`).toEqual(before);
  expect(call.printed, `${label}: console output of one gradient call against one call of f`).toBe(primal.printed);
  let result = call.result;
  if (c.withValue) {
    expect(Array.isArray(result), `${label}: valueAndGrad returns [value, gradient]`).toBe(true);
    const [value, gradient] = result as [unknown, unknown];
    expect(value, `${label}: value differs from f(...args)`).toBe(primal.result);
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
      want: counting(() => difference(c.f, c.args, k, p, c.relativeStep, c.stepFloor)).result,
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

/** The arguments of case i of a program, as it exports them. */
const argsOf = (m: Exports, i: number): readonly unknown[] => (m.cases as { args: unknown[] }[])[i]!.args;

const byHand: Record<string, ByHand> = {
  // mse = (1/N) sum (w.x + b - y)^2: d/dw = (2/N) sum r x, d/db = (2/N) sum r.
  "linear-regression": (m) => {
    const [{ w, b }, data] = argsOf(m, 0) as [{ w: number[]; b: number }, { x: number[]; y: number }[]];
    const dw = w.map(() => 0);
    let db = 0;
    for (const { x, y } of data) {
      const r = w.reduce((s, wi, i) => s + wi * x[i]!, b) - y;
      x.forEach((xi, i) => (dw[i]! += (2 * r * xi) / data.length));
      db += (2 * r) / data.length;
    }
    return [0, 1].map((i) => ({ case: i, gradient: [...dw, db] }));
  },
  // Huber: r inside [-delta, delta] gives r, outside delta * sign(r).
  huber: () => [
    { case: 2, gradient: [0.4] },
    { case: 3, gradient: [-1] },
  ],
  // d/dx_i of sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
  rosenbrock: (m) =>
    [0, 1].map((c) => {
      const [x] = argsOf(m, c) as [number[]];
      const gradient = x.map((xi, i) => {
        let g = 0;
        if (i < x.length - 1) g += -400 * xi * (x[i + 1]! - xi * xi) - 2 * (1 - xi);
        if (i > 0) g += 200 * (xi - x[i - 1]! ** 2);
        return g;
      });
      return { case: c, gradient };
    }),
  // npv = sum c_t (1 + r)^-t: d/dr = sum -t c_t (1 + r)^(-t-1), d/dc_t = (1 + r)^-t.
  "present-value": (m) => {
    const [r, flows] = argsOf(m, 0) as [number, number[]];
    return [
      {
        case: 0,
        gradient: [flows.reduce((s, c, t) => s - t * c * (1 + r) ** (-t - 1), 0)],
      },
      { case: 1, gradient: flows.map((_, t) => (1 + r) ** -t) },
    ];
  },
  // Shoelace area of a counter-clockwise polygon: dA/dx_i = (y_{i+1} - y_{i-1}) / 2,
  // dA/dy_i = (x_{i-1} - x_{i+1}) / 2.
  "polygon-area": (m) => {
    const [v] = argsOf(m, 0) as [[number, number][]];
    const n = v.length;
    const gradient = v.flatMap((_, i) => {
      const [px, py] = v[(i + n - 1) % n]!;
      const [nx, ny] = v[(i + 1) % n]!;
      return [(ny - py) / 2, (px - nx) / 2];
    });
    return [{ case: 0, gradient }];
  },
  // nll = sum log sigma + (x - mu)^2 / (2 sigma^2) + const:
  // d/dmu = -sum (x - mu) / sigma^2, d/dsigma = N / sigma - sum (x - mu)^2 / sigma^3.
  "gaussian-loglik": (m) => {
    const [{ mu, sigma }, xs] = argsOf(m, 0) as [{ mu: number; sigma: number }, number[]];
    const dmu = -xs.reduce((s, x) => s + (x - mu), 0) / sigma ** 2;
    const dsigma = xs.length / sigma - xs.reduce((s, x) => s + (x - mu) ** 2, 0) / sigma ** 3;
    return [{ case: 0, gradient: [dmu, dsigma] }];
  },
  // w' S w with S symmetric: the gradient is 2 S w.
  "portfolio-variance": (m) => {
    const [w] = argsOf(m, 0) as [number[]];
    const S = [
      [0.04, 0.006, 0.002, 0.0],
      [0.006, 0.09, 0.01, 0.004],
      [0.002, 0.01, 0.0225, 0.003],
      [0.0, 0.004, 0.003, 0.0625],
    ];
    return [
      {
        case: 0,
        gradient: S.map((row) => 2 * row.reduce((s, sij, j) => s + sij * w[j]!, 0)),
      },
    ];
  },
};

function handComponents(c: Case, expected: readonly number[], label: string, source: () => unknown[]): Component[] {
  const paths = wrtList(c).flatMap((k) => numericPaths(c.args[k]).map((p) => [k, p] as const));
  expect(paths.length, `${label}: hand-derived gradient has the wrong number of components`).toBe(expected.length);
  const values = source();
  return paths.map(([k, p], n) => ({
    where: `${label} d/d(args[${k}]${show(p)})`,
    got: values[n],
    want: expected[n]!,
  }));
}

function checkByHand(name: string, exports: Exports, cases: readonly Case[], passes: boolean): void {
  const derive = byHand[name];
  if (!derive) return;
  for (const { case: index, gradient } of derive(exports)) {
    const c = cases[index]!;
    const label = `${name} case ${index} (by hand)`;
    const fd = handComponents(c, gradient, label, () =>
      wrtList(c).flatMap((k) =>
        numericPaths(c.args[k]).map((p) => counting(() => difference(c.f, c.args, k, p, c.relativeStep, c.stepFloor)).result),
      ),
    );
    // Here `got` is the hand value and `want` the difference: the derivation is checked.
    expect(
      mismatches(
        fd.map(({ where, got, want }) => ({
          where,
          got: want,
          want: got as number,
        })),
      ),
      label,
    ).toEqual([]);
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
// The summary line: what the corpus says about tsgrad today. With
// UPDATE_STATUS=1, status.ts is rewritten from what was observed: "passes"
// only for a program whose gradients all checked out, a new first refusal
// labelled with its message (to be renamed to a construct by hand); programs
// that failed otherwise (a wrong gradient, a crash) keep their line.

const UPDATE = process.env.UPDATE_STATUS === "1";
const outcomes = new Map<string, Status>();

/** The message of a diagnostic up to its first ";" (what was refused, without the advice). */
const refusedWhat = (message: string): string =>
  message
    .replace(/^tsgrad: /, "")
    .split(";")[0]!
    .slice(0, 70);

function writeStatus(): void {
  const merged = { ...status, ...Object.fromEntries(outcomes) };
  const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
  const body = Object.keys(merged)
    .filter((name) => names.includes(name))
    .sort()
    .map((name) => `  ${key(name)}: ${JSON.stringify(merged[name])},`)
    .join("\n");
  const file = path.join(DIR, "status.ts");
  const text = fs.readFileSync(file, "utf8");
  const head = text.slice(0, text.indexOf("export const status"));
  fs.writeFileSync(file, `${head}export const status: Record<string, Status> = {\n${body}\n};\n`);
}

afterAll(() => {
  if (UPDATE) writeStatus();
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
      (groups.length
        ? ` — first refusals: ${groups.map(([g, n]) => `${n} × ${g.replace(/^refused: /, "")}`).join("; ")}`
        : ""),
  );
});

/** The diagnostic code a "refused: TS900xx ..." status names. */
const codeOf = (s: Status): number => Number(/^refused: TS(\d+)/.exec(s)?.[1]);

// ---------------------------------------------------------------------------

describe("the corpus", () => {
  it("has at least 45 programs, each with a status, and no status without a program", () => {
    expect(names.length).toBeGreaterThanOrEqual(45);
    expect(
      names.filter((n) => !(n in status)),
      "programs missing from status.ts",
    ).toEqual([]);
    expect(
      Object.keys(status).filter((n) => !names.includes(n)),
      "status.ts entries without a program",
    ).toEqual([]);
  });
});

describe.each(checked)("realworld %s", (name) => {
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
    expect(
      refusals.every((d) => d.file && d.start !== undefined),
      `unlocated diagnostic:\n${text}`,
    ).toBe(true);
    expect(refusals.filter((d) => d.code === 90099).length, `internal error of tsgrad:\n${text}`).toBe(0);

    if (refusals.length === 0) {
      const exports = loadWith(compiled, file, runtime as unknown as Exports);
      const cases = casesOf(exports, name);
      cases.forEach((c, i) => checkAgainstDifferences(c, `${name} case ${i}`));
      checkByHand(name, exports, cases, true);
      outcomes.set(name, "passes");
      if (expected !== "passes" && !UPDATE)
        throw new Error(`${name} now passes: update status.ts (it says "${expected ?? "nothing"}")`);
      return;
    }

    const first = refusals[0]!;
    const message = ts.flattenDiagnosticMessageText(first.messageText, " ");
    const exports = loadWith(compiled, file, refusedTransforms);
    checkByHand(name, exports, casesOf(exports, name), false);
    const matches = expected !== undefined && expected !== "passes" && codeOf(expected) === first.code;
    outcomes.set(name, matches ? expected : `refused: TS${first.code} ${refusedWhat(message)}`);
    if (!matches && !UPDATE) {
      const said =
        expected === undefined
          ? "status.ts has no entry"
          : expected === "passes"
            ? "status.ts says it passes"
            : `status.ts says "${expected}"`;
      throw new Error(`${name} is now refused first with TS${first.code} (${said}): update status.ts\n${text}`);
    }
  });
});
