// The transformer never crashes (issue "Never a wrong derivative", item 3).
// test/inputs/robust/ holds programs a user might plausibly write: classes
// (fields, private names, static blocks, accessors), TS 5 decorators, enums,
// namespaces, JSX, .d.ts files, syntax errors, generics, overloads, async
// functions, generators, labels, switch, try, satisfies, using, top-level
// await, and unusual transform calls. Each is compiled as ts-patch does, under
// CommonJS and ES module output. Then:
//   - no exception escapes compile() (nothing here is wrapped in try);
//   - every tsgrad diagnostic has a code in 90001..90099 (never 90099, the
//     internal error), a file and a position, and the list is exactly the
//     expected one, the same for every module kind;
//   - every file without transform calls is emitted byte for byte as plain tsc
//     emits it without the transformer (JavaScript and source maps);
//   - the emitted JavaScript parses (early errors included), and the
//     differentiable calls compute the right values when run.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import tsgradTransformer from "../transformer/index.js";
import { type Compiled, compile, compilerOptions, formatDiagnostics, load, ROOT } from "./harness.js";
import { createProgram } from "./shared-host.js";

const DIR = path.join(ROOT, "test/inputs/robust");
const FILES = fs.readdirSync(DIR).sort().map((f) => path.join(DIR, f));

/** Input files without any transform call: tsc's own output is expected for them. */
const UNTOUCHED = ["ambient.d.ts", "enums-plain.ts", "jsx.d.ts", "plain-broken.cts", "plain-toplevel.mts", "plain-view.tsx", "plain.ts"];
/** Inputs with deliberate syntax errors: their output need not parse. */
const BROKEN = ["broken.cts", "plain-broken.cts"];

/** file:line:column and code of every tsgrad diagnostic the inputs must produce. */
const EXPECTED_DIAGNOSTICS = [
  "accessors.ts:44:3 TS90001", // using declaration in a differentiated function
  "accessors.ts:45:3 TS90001", // void h: every blocker is reported
  "ambient-use.ts:5:10 TS90002", // blackBox(x): declared, no body
  "ambient-use.ts:12:37 TS90006", // grad(blackBox)
  "ambient-use.ts:14:34 TS90006", // grad(Ambient.scale)
  "async.ts:25:38 TS90015", // grad(function* ...)
  "async.ts:29:34 TS90015", // grad(async ...)
  "broken.cts:5:13 TS90011", // x * * 2
  "broken.cts:11:10 TS90011", // if (x > )
  "broken.cts:17:11 TS90011", // const = x
  "broken.cts:18:13 TS90011", // return x +
  "namespaces.ts:17:33 TS90001", // grad(Geometry.area) from outside the namespace
  "namespaces.ts:18:37 TS90001", // grad(Geometry.Deep.cube) from outside the namespace
  "calls.ts:9:33 TS90006", // grad()
  "calls.ts:10:34 TS90006", // grad(...args)
  "calls.ts:12:40 TS90001", // grad(sq, 0, 1)
  "calls.ts:13:43 TS90005", // wrt -1: a literal, not a position
  "calls.ts:14:45 TS90005", // wrt 1.5
  "calls.ts:16:40 TS90005", // wrt []
  "calls.ts:18:34 TS90006", // grad(grad)
  "calls.ts:19:37 TS90006", // grad(Math.sin)
  "calls.ts:42:10 TS90002", // grad(sq)(x) inside a differentiated function
  "calls.ts:53:10 TS90011", // arguments
  "classes.ts:49:17 TS90006", // grad(this.#hidden)
  "classes.ts:53:32 TS90001", // this.#mass in an inline arrow
  "classes.ts:58:36 TS90006", // grad(Particle.kinetic, 1): a static method
  "classes.ts:59:35 TS90006", // grad(new Particle(0).energy): a method
  "classes.ts:60:35 TS90006", // grad(Particle.square): a static arrow field
  "control.ts:26:3 TS90001", // try
  "decorators.ts:50:36 TS90006", // grad(new Model().predict)
  "generics.ts:35:33 TS90006", // grad(area): an overloaded function
];

interface Config {
  readonly name: string;
  readonly options: ts.CompilerOptions;
  /** Whether the harness's CommonJS loader can run the output. */
  readonly runnable: boolean;
}

const CONFIGS: Config[] = [
  {
    name: "CommonJS (module NodeNext), jsx react-jsx",
    options: { ...compilerOptions, jsx: ts.JsxEmit.ReactJSX },
    runnable: true,
  },
  {
    name: "CommonJS (module CommonJS, resolution Bundler), jsx preserve, source maps",
    options: {
      ...compilerOptions,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      sourceMap: true,
    },
    runnable: false,
  },
  {
    name: "ES modules (module ESNext, resolution Bundler), jsx react-jsx, source maps",
    options: {
      ...compilerOptions,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      sourceMap: true,
    },
    runnable: false,
  },
];

const builds = new Map<Config, Compiled>();
/** The inputs compiled through tsgrad, once per configuration; an exception fails the test that first asks. */
function build(config: Config): Compiled {
  let c = builds.get(config);
  if (!c) {
    c = compile(FILES, config.options);
    builds.set(config, c);
  }
  return c;
}

/** Every output file (.js, .cjs, .mjs, .jsx, .map), keyed "source -> output". */
type Outputs = Map<string, string>;

function emitAll(program: ts.Program, withTsgrad: boolean): Outputs {
  const out: Outputs = new Map();
  const before = withTsgrad ? [tsgradTransformer(program, {}, {})] : [];
  program.emit(
    undefined,
    (name, text, _bom, _onError, sources) => {
      const source = sources?.[0]?.fileName ?? "?";
      out.set(`${path.relative(ROOT, source)} -> ${path.basename(name)}`, text);
    },
    undefined,
    false,
    { before },
  );
  return out;
}

const isTsgrad = (d: ts.Diagnostic): boolean => d.source === "tsgrad" || (d.code >= 90000 && d.code < 100000);

function located(d: ts.Diagnostic): string {
  const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
  return `${path.basename(d.file!.fileName)}:${line + 1}:${character + 1} TS${d.code}`;
}

/** Sorts "file:line:col ..." by file, then numerically by line and column. */
function byPosition(a: string, b: string): number {
  const [fa, la, ca] = a.split(/[: ]/);
  const [fb, lb, cb] = b.split(/[: ]/);
  return fa!.localeCompare(fb!) || Number(la) - Number(lb) || Number(ca) - Number(cb);
}

/** Throws a SyntaxError (early errors included) if `code` is not a valid script or module. */
function parse(outputName: string, code: string): void {
  if (outputName.endsWith(".jsx")) {
    // vm cannot read JSX: TypeScript's parser checks the syntax instead.
    const result = ts.transpileModule(code, {
      fileName: outputName,
      reportDiagnostics: true,
      compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true, target: ts.ScriptTarget.ESNext },
    });
    expect(formatDiagnostics(result.diagnostics ?? []), outputName).toBe("");
    return;
  }
  // ES module syntax is lowered to CommonJS first; everything else is compiled by V8 as written.
  const script = /^\s*(import|export)\b/m.test(code) || outputName.endsWith(".mjs")
    ? ts.transpileModule(code, {
        fileName: outputName.replace(/\.m?js$/, ".js"),
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText
    : code;
  new vm.Script(`(async function (exports, require, module, __filename, __dirname) {\n${script}\n})`, {
    filename: outputName,
  });
}

describe.each(CONFIGS)("$name", (config) => {
  let transformed: Outputs | undefined;
  const outputs = (): Outputs => (transformed ??= emitAll(build(config).program, true));

  it("compiles every input without an exception escaping compile()", () => {
    const c = build(config);
    expect(c.program.getRootFileNames()).toHaveLength(FILES.length);
  });

  it("reports tsgrad diagnostics with codes 90001..90099, located, never TS90099", () => {
    const ours = build(config).diagnostics.filter(isTsgrad);
    expect(ours.length).toBeGreaterThan(0);
    for (const d of ours) {
      const where = d.file ? located(d) : formatDiagnostics([d]);
      expect(d.code, where).toBeGreaterThanOrEqual(90001);
      expect(d.code, where).toBeLessThanOrEqual(90099);
      expect(d.code, `internal error: ${formatDiagnostics([d])}`).not.toBe(90099);
      expect(d.category, where).toBe(ts.DiagnosticCategory.Error);
      expect(d.source, where).toBe("tsgrad");
      expect(d.file, where).toBeDefined();
      expect(FILES, where).toContain(d.file!.fileName);
      expect(d.start, where).toBeGreaterThanOrEqual(0);
      // A node the parser invented for a syntax error may have no width.
      if (!BROKEN.includes(path.basename(d.file!.fileName))) expect(d.length, where).toBeGreaterThan(0);
      else expect(d.length, where).toBeGreaterThanOrEqual(0);
      expect(d.start! + d.length!, where).toBeLessThanOrEqual(d.file!.text.length);
      expect(ts.flattenDiagnosticMessageText(d.messageText, "\n"), where).toMatch(/^tsgrad: \S/);
    }
  });

  it("reports exactly the expected tsgrad diagnostics", () => {
    const got = build(config).diagnostics.filter(isTsgrad).map(located).sort(byPosition);
    expect(got).toEqual([...EXPECTED_DIAGNOSTICS].sort(byPosition));
  });

  it("reports the syntax errors of the broken inputs and no others", () => {
    const syntactic = build(config).program.getSyntacticDiagnostics();
    const files = new Set(syntactic.map((d) => path.basename(d.file!.fileName)));
    expect([...files].sort()).toEqual(BROKEN);
  });

  it("emits files without transform calls byte for byte as tsc does without tsgrad", () => {
    // Keep the list honest: exactly the inputs that do not import tsgrad.
    const importsTsgrad = (f: string): boolean => /from "tsgrad"/.test(fs.readFileSync(path.join(DIR, f), "utf8"));
    expect(UNTOUCHED).toEqual(FILES.map((f) => path.basename(f)).filter((f) => !importsTsgrad(f)));

    const plain = emitAll(createProgram(FILES, config.options), false);
    const ours = outputs();
    const source = (key: string): string => key.split(" -> ")[0]!;
    const inputs = [...plain.keys()].filter((k) => UNTOUCHED.map((f) => `test/inputs/robust/${f}`).includes(source(k)));
    // plain.ts, enums-plain.ts, plain-view.tsx, plain-broken.cts, plain-toplevel.mts (and their maps)
    expect(inputs.length).toBe(config.options.sourceMap ? 10 : 5);
    // tsgrad's own runtime is in the program too, without transform calls.
    const runtime = [...plain.keys()].filter((k) => source(k).startsWith("runtime/"));
    expect(runtime.length).toBeGreaterThan(0);
    for (const key of [...inputs, ...runtime]) expect(ours.get(key), key).toBe(plain.get(key));
    // And the transformer did run on the others.
    const classes = "test/inputs/robust/classes.ts -> classes.js";
    expect(ours.get(classes)).toBeDefined();
    expect(ours.get(classes)).not.toBe(plain.get(classes));
  });

  it("emits JavaScript that parses, for every input without syntax errors", () => {
    const ours = outputs();
    const scripts = [...ours.keys()].filter((k) => !k.endsWith(".map") && !BROKEN.includes(path.basename(k.split(" -> ")[0]!)));
    expect(scripts.length).toBeGreaterThanOrEqual(15);
    for (const key of scripts) parse(key.split(" -> ")[1]!, ours.get(key)!);
  });

  it.runIf(config.runnable)("runs the differentiable calls; the refused ones throw their diagnostic", async () => {
    const c = build(config);
    const run = (file: string): Record<string, any> => load(c, path.join(DIR, file));
    const refused = /^tsgrad refused .* — TS9\d{4}[ :]/;

    const classes = run("classes.ts");
    expect(classes.Particle.dCube).toBe(12);
    expect(new classes.Particle(1).force(2)).toBe(-12);
    expect(classes.force).toBe(-12);
    expect(classes.valueOfCube).toEqual([8, 12]);
    expect(() => classes.dKinetic()).toThrow(refused);
    expect(() => new classes.Particle(1).dHidden(2)).toThrow(refused);

    const control = run("control.ts");
    expect(control.host([1, 2])).toBe(9);
    expect(control.host([])).toBe(5);
    expect(control.host([3])).toBe(13);
    // switch and labelled loops are desugared (transformer/desugar/): pick = x * x at k = 1, labelled = x^4.
    expect(control.dPick()).toBe(4);
    expect(control.dLabelled()).toBe(32);

    const decorators = run("decorators.ts");
    expect(decorators.slope).toBe(4);
    expect(decorators.log).toEqual(["class Model", "call loss"]);
    expect(new decorators.Model().weight).toBe(3);

    const enums = run("enums.ts");
    expect(enums.dWeighted).toBe(3);
    // Enum members are constants: a const enum's value is written in place (it does not exist at run time).
    expect(enums.dScaled()).toBe(2);
    expect(enums.dByMode()).toBe(4);

    const namespaces = run("namespaces.ts");
    expect(namespaces.Geometry.dAreaInside).toBe(2 * Math.PI);
    expect(namespaces.Geometry.Deep.dCube).toBe(12);

    const accessors = run("accessors.ts");
    expect(accessors.dCube).toBe(12);
    expect(accessors.dSquare).toBe(6);
    expect(accessors.withHandle(2)).toBe(4);
    expect(() => accessors.dUsing()).toThrow(refused);
    // A getter of a module-level constant is read as a constant.
    expect(accessors.dGetter()).toBe(3);

    const generics = run("generics.ts");
    // T extends number is a number.
    expect(generics.dUsesGeneric()).toBe(12);
    expect(generics.dScaleBy()).toBe(3);

    const calls = run("calls.ts");
    expect(calls.default(3)).toBe(6);
    expect(calls.optionalCall(3)).toBe(6);
    expect(calls.withTypeArguments(3)).toBe(6);
    expect(calls.throughNamespace(3)).toBe(6);
    expect(calls.hexWrt()(3)).toBe(6);
    expect(calls.ofAny()(3)).toBe(6);
    expect(calls.namedExpression(2)).toBe(12);
    expect(calls.constant(3)).toBe(0);
    expect(calls.ignoresArgument(3)).toBe(0);
    expect(calls.ofMutual(1.5, 2)).toBe(3);
    expect(calls.ofMutual(1.5, 3)).toBe(1);
    expect(calls.ofRecursive(1.5, 3)).toBe(3 * 1.5 ** 2);
    expect(new calls.Holder().field).toBe(4);
    expect(calls.Holder.staticField).toEqual([5, 5]);
    expect(new calls.Holder().method()).toBe(6);
    // A parenthesised callee, (grad)(sq), is recognised like grad(sq).
    expect((calls.parenthesised() as unknown as (x: number) => number)(3)).toBe(6);
    expect(() => calls.ofNested()(1)).toThrow(refused);
    // A default parameter and a destructured one (desugar/parameters.ts).
    expect(calls.ofDefault()(3)).toBe(2);
    expect(calls.ofDestructured()({ a: 3 })).toEqual({ a: 6 });

    const plain = run("plain.ts");
    expect(plain.grad(1)).toBe(2);
    expect(plain.classify(5, 0)).toBe("positive");
  });
});

describe("runs what it emits (CommonJS)", () => {
  const config = CONFIGS[0]!;

  // A function in a namespace has its adjoint emitted inside the namespace, so a
  // transform call from outside it is refused (TS90001) and throws that diagnostic when reached.
  it("refuses a namespace's function differentiated from outside the namespace", () => {
    const namespaces = load(build(config), path.join(DIR, "namespaces.ts")) as Record<string, () => number>;
    expect(() => namespaces.dArea!()).toThrow(/^tsgrad refused grad\(.*\) at .*namespaces\.ts:\d+:\d+ — TS90001 at .*: differentiate a function declared in a namespace/);
    expect(() => namespaces.dDeepCube!()).toThrow(/^tsgrad refused .* — TS90001/);
  });

  // Regression test (fixed): an inline arrow's adjoint is placed before the statement that
  // contains it, outside the scope of a loop variable of a loop without braces.
  // Minimal reproducer: `for (const k of ks) total += grad((x: number) => k * x)(1);`
  // emits `function lambda_grad(x) { return k; }` before the loop: `k` is not
  // defined there (ReferenceError; with a module-level `k`, silently the wrong value).
  it("differentiates an inline arrow that reads the loop variable of a for-await without braces", async () => {
    const asyncs = load(build(config), path.join(DIR, "async.ts")) as { consume(): Promise<number> };
    // d/dx (x * x * t) at x = 1 for t = 0, 1, 2, plus the counter's 0 + 1 + 2.
    expect(await asyncs.consume()).toBe(9);
  });

  // Regression test (fixed): the same placement problem for an expression-bodied arrow: its
  // parameters are not in scope where the inline arrow's adjoint is placed.
  // Minimal reproducer: `const slope = (v: number) => grad((x: number) => x * v)(1);`
  // emits `function lambda_grad(x) { return v; }` before `const slope`:
  // ReferenceError: v is not defined (or a module-level `v`, silently).
  it("differentiates an inline arrow that reads a parameter of the arrow it is written in", () => {
    const generics = load(build(config), path.join(DIR, "generics.ts")) as { boxed(): { value: number } };
    expect(generics.boxed().value).toBe(2);
  });
});

describe("a this parameter", () => {
  const file = path.join(ROOT, "test/inputs/bugs/this-parameter.ts");
  let compiled: Compiled | undefined;
  const build = (): Compiled => (compiled ??= compile([file]));
  const diagnosticsOnLines = (lines: number[]): string[] =>
    build()
      .diagnostics.filter((d) => d.file && lines.includes(d.file.getLineAndCharacterOfPosition(d.start!).line + 1))
      .map(located);

  // Regression test (fixed): the `this` parameter is counted as parameter 0, so grad(f) is taken
  // with respect to `this`. Minimal reproducer: `function f(this: void, x: number)
  // { return x * x; }  grad(f)(3)` is refused with TS90011 "parameter 'this' has
  // type 'void'" instead of giving 6.
  it("is not a parameter position: grad(f) of f(this: void, x) is d/dx", () => {
    expect(diagnosticsOnLines([4, 5, 6, 12])).toEqual([]);
    const m = load(build(), file) as Record<string, () => number>;
    expect(m.dUnbound!()).toBe(6);
  });

  // Regression test (fixed): same cause, silently wrong. Minimal reproducer: `function f(this:
  // number, x: number) { return x * 2; }  grad(f)(3)` compiles without a diagnostic
  // and returns 0 (d/dthis) instead of 2. A diagnostic would do as well.
  it("never gives a wrong derivative for f(this: number, x)", () => {
    const refused = diagnosticsOnLines([8, 9, 10, 13]);
    const m = load(build(), file) as Record<string, () => number>;
    if (refused.length > 0) expect(() => m.dTypedThis!()).toThrow(/transformer did not run/);
    else expect(m.dTypedThis!()).toBe(2);
  });
});
