// Source maps of generated code: compiled with `sourceMap: true`, every line of
// every generated function (forward sweep, tape pushes and pops, backward
// sweep, bookkeeping) maps into the user function it differentiates, and each
// `// adjoint of: S` block maps to S itself. An exception raised inside a
// generated adjoint, run with `node --enable-source-maps`, names the user's line.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT, compilerOptions, formatDiagnostics } from "./harness.js";
import { FIXTURES, fixtureNames, fixturesCompiled } from "./fixture-program.js";
import { compileWithMaps, decodeMappings, decodeVlq, type GeneratedExtent, generatedLines } from "./sourcemap.js";

describe("the VLQ decoder", () => {
  it("decodes the examples of the source map specification", () => {
    expect(decodeVlq("A")).toEqual([0]);
    expect(decodeVlq("C")).toEqual([1]);
    expect(decodeVlq("D")).toEqual([-1]);
    expect(decodeVlq("gB")).toEqual([16]);
    expect(decodeVlq("AAgBC")).toEqual([0, 0, 16, 1]);
    expect(decodeVlq("2HwcqxB")).toEqual([123, 456, 789]);
    expect(decodeVlq("3HxcrxB")).toEqual([-123, -456, -789]);
  });
  it("accumulates fields across segments and lines, resetting only the column", () => {
    expect(decodeMappings("AAAA,EAAC;;ACDE")).toEqual([
      [{ column: 0, source: 0, line: 0, sourceColumn: 0 }, { column: 2, source: 0, line: 0, sourceColumn: 1 }],
      [],
      [{ column: 0, source: 1, line: -1, sourceColumn: 3 }],
    ]);
  });
});

const DIR = FIXTURES;
const names = fixtureNames.map((n) => `${n}.ts`);
// Shared with the other test files of this worker that read the fixtures (test/fixture-program.ts).
const compiled = fixturesCompiled();
const extents = generatedLines(compiled);
const texts = new Map<string, string>();
const textOf = (file: string): string => {
  let text = texts.get(file);
  if (text === undefined) texts.set(file, (text = fs.readFileSync(file, "utf8")));
  return text;
};

/**
 * The line ranges of the functions, methods and getters of `file` whose name
 * the lines `from`-`to` mention: code tsgrad inlines (a getter read as
 * `p.length`, a helper that logs) maps to the helper's own lines, as a
 * debugger shows an inlined function.
 */
function inlinedRanges(file: string, from: number, to: number): Array<[number, number]> {
  const sf = ts.createSourceFile(file, textOf(file), ts.ScriptTarget.Latest, true);
  const lines = textOf(file).split("\n");
  const namesIn = (a: number, b: number): string[] => lines.slice(a - 1, b).join("\n").match(/[A-Za-z_$][\w$]*/g) ?? [];
  // A helper is a function declaration, a method, a getter or a `const` bound to an arrow (`const cmul = ([a, b], [c, d]) => ...`).
  const helpers = new Map<string, Array<[number, number]>>();
  // A `const` array of functions (`const STEPS = [double, softsign]`) is walked by unrolling: the helpers it names are inlined.
  const arrays = new Map<string, [number, number]>();
  const visit = (n: ts.Node): void => {
    const name = (n as { name?: ts.Node }).name;
    const arrow = ts.isVariableDeclaration(n) && !!n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer));
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || arrow) && name && ts.isIdentifier(name)) {
      const range: [number, number] = [sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1];
      helpers.set(name.text, [...(helpers.get(name.text) ?? []), range]);
    }
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isArrayLiteralExpression(n.initializer)) {
      arrays.set(n.name.text, [sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // Helpers the function names, and the helpers those name in turn (`hinge` inlined with the `softPlus` it calls).
  const out: Array<[number, number]> = [];
  const seen = new Set<string>();
  const pending = namesIn(from, to);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const [a, b] of helpers.get(name) ?? []) {
      out.push([a, b]);
      pending.push(...namesIn(a, b));
    }
    const array = arrays.get(name);
    if (array) pending.push(...namesIn(...array));
  }
  return out;
}

/** Where a generated line points, as `file:line`, or why it is wrong for the function it belongs to. */
function misplaced(g: GeneratedExtent): string[] {
  const wrong: string[] = [];
  const inlined = inlinedRanges(g.user.file, g.user.from, g.user.to);
  for (const l of g.lines) {
    const at = `${g.name} line ${l.line} \`${l.text.trim()}\``;
    if (!l.to) wrong.push(`${at}: no mapping`);
    else if (l.to.file === g.user.file && inlined.some(([a, b]) => l.to!.line >= a && l.to!.line <= b)) continue;
    else if (l.to.file !== g.user.file || l.to.line < g.user.from || l.to.line > g.user.to) {
      wrong.push(`${at}: maps to ${path.relative(ROOT, l.to.file)}:${l.to.line}, outside ${path.relative(ROOT, g.user.file)}:${g.user.from}-${g.user.to}`);
    }
  }
  return wrong;
}

describe("source maps of the golden fixtures", () => {
  it("compile without diagnostics", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });

  it.each(names.map((n) => [n, path.join(DIR, n)] as const))("every generated line of %s maps into the user function it differentiates", (_n, file) => {
    const mine = extents.filter((g) => g.file === file);
    const lines = mine.reduce((n, g) => n + g.lines.length, 0);
    expect(lines, "the fixture's JavaScript has generated functions").toBeGreaterThan(0);
    expect(mine.flatMap(misplaced)).toEqual([]);
  });

  it("maps each `// adjoint of:` block to the user statement that holds what its comment names", () => {
    // `!` and layout are dropped from notes; `const y = e` is noted `y = e`; a reused call is noted `e, kept in _e0`.
    const norm = (s: string): string => s.replace(/!/g, "").replace(/\s+/g, " ").trim();
    let checked = 0;
    const wrong: string[] = [];
    for (const g of extents) {
      const file = ts.createSourceFile(g.user.file, textOf(g.user.file), ts.ScriptTarget.Latest, true);
      const userFunction = norm(file.text.split("\n").slice(g.user.from - 1, g.user.to).join("\n"));
      for (const l of g.lines) {
        const note = /^adjoint of: (.*)$/.exec(l.comment ?? "")?.[1];
        if (!note || !l.to) continue;
        const core = norm(note.replace(/, kept in \w+$/, "").replace(/\.\.\.$/, "").replace(/^(const|let|return) /, ""));
        // A statement tsgrad wrote itself (a second derivative's, a loop exit flag's) is not in the user's text.
        if (!userFunction.includes(core)) continue;
        const offset = file.getPositionOfLineAndCharacter(l.to.line - 1, l.to.column);
        const mapped = largestNodeAt(file, offset);
        if (mapped && norm(mapped.getText()).includes(core)) checked++;
        else wrong.push(`${g.name} line ${l.line} (${note}) maps to \`${mapped?.getText().slice(0, 60)}\``);
      }
    }
    // Known gaps, each a block whose comment names an inlined statement while it maps to the statement that called it.
    // (The counter of the loop that copies a spread array is tsgrad's, `i++`, and maps to the spread `...xs` it copies.)
    const KNOWN = [/^piecewise_grad line \d+ \(return a - 0\.5\)/, /^\w+ line \d+ \(i\+\+\) maps to `\.\.\.\w+`$/, /^mapped_grad_0_1 line \d+ \(return Math\.tanh\(k \* v\)\)/, /^mapped_grad_0_1 line \d+ \(Math\.tanh\(k \* v\), kept in _tanh0\)/];
    expect(wrong.filter((w) => !KNOWN.some((k) => k.test(w)))).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});

/** The largest node that starts at `offset` (the user statement a mapping points at). */
function largestNodeAt(file: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(file) === offset && (!found || n.end > found.end) && !ts.isSourceFile(n)) found = n;
    if (n.pos <= offset && offset < n.end) ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

describe("an exception inside a generated adjoint", () => {
  /** Compiles `source` through the transformer with source maps, writes it with the runtime beside it, runs it with node. */
  function run(source: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-sourcemaps-"));
    try {
      const user = path.join(dir, "user.ts");
      fs.writeFileSync(user, source);
      const result = compileWithMaps([user], { ...compilerOptions, noEmitOnError: true });
      expect(formatDiagnostics(result.diagnostics)).toBe("");
      const runtime = path.join(dir, "node_modules/tsgrad");
      fs.mkdirSync(runtime, { recursive: true });
      fs.writeFileSync(path.join(runtime, "package.json"), JSON.stringify({ name: "tsgrad", main: "index.js" }));
      for (const [file, js] of result.js) {
        if (file === user) continue;
        fs.writeFileSync(path.join(runtime, path.basename(file).replace(/\.ts$/, ".js")), js);
      }
      fs.writeFileSync(path.join(dir, "user.js"), result.js.get(user)!);
      fs.writeFileSync(path.join(dir, "user.js.map"), JSON.stringify(result.maps.get(user)!));
      try {
        execFileSync(process.execPath, ["--enable-source-maps", path.join(dir, "user.js")], { stdio: "pipe", encoding: "utf8" });
      } catch (e) {
        return String((e as { stderr: string }).stderr);
      }
      throw new Error("the program did not throw");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The 1-based line of `source` holding `text`. */
  const lineOf = (source: string, text: string): number => source.split("\n").findIndex((l) => l.includes(text)) + 1;

  it("in the forward sweep, reports the user's statement", () => {
    const source = [
      `import { grad } from "tsgrad";`,
      ``,
      `export function total(xs: number[], w: number): number {`,
      `  let s = 0;`,
      `  for (let i = 0; i < xs.length; i++) {`,
      `    s = s + Math.sin(w * xs[i]!);`,
      `  }`,
      `  return s;`,
      `}`,
      ``,
      `grad(total, 1)(JSON.parse("null") as number[], 2);`,
      ``,
    ].join("\n");
    const stderr = run(source);
    expect(stderr).toContain("TypeError");
    expect(stderr).toMatch(new RegExp(`user\\.ts:${lineOf(source, "for (let i")}:\\d+\\)?\\n`));
    expect(stderr).toMatch(/at total_grad_1 /);
  });

  it("in the backward sweep, reports the user's statement whose adjoint is running", () => {
    const source = [
      `import { customGrad, grad } from "tsgrad";`,
      ``,
      `const fragile = customGrad(`,
      `  (x: number) => Math.exp(x),`,
      `  (_x: number, _out: number, _dout: number): number => {`,
      `    throw new Error("no adjoint here");`,
      `  },`,
      `);`,
      ``,
      `export function model(x: number): number {`,
      `  let y = x * x;`,
      `  y = Math.sin(y) + x;`,
      `  const z = fragile(y) * 3;`,
      `  return z + y;`,
      `}`,
      ``,
      `grad(model)(0.5);`,
      ``,
    ].join("\n");
    const stderr = run(source);
    expect(stderr).toContain("no adjoint here");
    // The rule itself, then the adjoint generated for `fragile` at its declaration, then model's at the user's call.
    expect(stderr).toMatch(new RegExp(`user\\.ts:${lineOf(source, "throw new Error")}:\\d+`));
    expect(stderr).toMatch(new RegExp(`at fragile_vjp \\(.*user\\.ts:${lineOf(source, "const fragile")}:\\d+\\)`));
    expect(stderr).toMatch(new RegExp(`at model_grad \\(.*user\\.ts:${lineOf(source, "const z = fragile")}:\\d+\\)`));
  });
});
