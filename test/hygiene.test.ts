// Hygiene, determinism and source maps (issue "Never a wrong derivative",
// item 4). test/inputs/hygiene/ holds programs whose names look like the ones
// tsgrad generates (x_bar, y_bar_1, _t0, _d0, _b0, _n0, _i0, _r0, result,
// f_grad, f_vjp, tsgrad), a user function called `grad`, tsgrad's transforms
// imported under other names, a file-level `Math` that is not the built-in,
// inline arrows reading variables of their scope, and several files
// differentiating the same imported functions. Each is compiled to CommonJS
// and to ES modules, run, and every gradient compared with finite differences.
// Then: the same program built twice, and in a fresh node process, gives the
// same bytes; and the source map of a generated adjoint points each statement
// back at the user statement it differentiates.

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import tsgradTransformer from "../transformer/index.js";
import { type Compiled, compile, compilerOptions, formatDiagnostics, load, ROOT } from "./harness.js";
import { argumentGradient, flatten } from "./numeric.js";
import { createProgram } from "./shared-host.js";

const DIR = path.join(ROOT, "test/inputs/hygiene");
const FILES = fs.readdirSync(DIR).sort().map((f) => path.join(DIR, f));
const input = (name: string): string => path.join(DIR, name);

const ESM: ts.CompilerOptions = {
  ...compilerOptions,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

type Module = Record<string, any>;
type Fn = (...args: any[]) => any;

/**
 * Runs emitted ES modules: each is lowered to CommonJS by TypeScript (a pure
 * syntax change: a name that is not in scope stays unbound) and run in memory.
 */
function loadEsm(compiled: Compiled, file: string): Module {
  const cache = new Map<string, Module>();
  const run = (fileName: string): Module => {
    const cached = cache.get(fileName);
    if (cached) return cached;
    const code = compiled.js.get(fileName);
    if (code === undefined) throw new Error(`no emitted JavaScript for ${fileName}`);
    const cjs = ts.transpileModule(code, {
      fileName: fileName.replace(/\.ts$/, ".js"),
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const module = { exports: {} as Module };
    cache.set(fileName, module.exports);
    const require = (spec: string): unknown => {
      if (spec === "tsgrad") return runtime;
      if (spec.startsWith(".")) return run(path.resolve(path.dirname(fileName), spec).replace(/\.js$/, ".ts"));
      throw new Error(`unknown module ${spec}`);
    };
    new Function("require", "module", "exports", cjs)(require, module, module.exports);
    cache.set(fileName, module.exports);
    return module.exports;
  };
  return run(path.resolve(file));
}

/** Throws a SyntaxError (early errors such as a redeclared const included) unless `code` compiles. */
function parse(fileName: string, code: string, esm: boolean): void {
  const script = esm
    ? ts.transpileModule(code, {
        fileName: fileName.replace(/\.ts$/, ".js"),
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText
    : code;
  new vm.Script(`(function (exports, require, module) {\n${script}\n})`, { filename: fileName });
}

/** Every number of `got` (a gradient) is within 1e-7 (relative) of central differences of f. */
function expectGradient(f: Fn, args: readonly unknown[], wrt: readonly number[], got: unknown): void {
  const want = wrt.flatMap((i) => argumentGradient(f, args as never[], i));
  const have = flatten(got);
  expect(have, `gradient at ${JSON.stringify(args)}`).toHaveLength(want.length);
  have.forEach((g, i) => {
    const w = want[i]!;
    expect(Math.abs(g - w), `component ${i} at ${JSON.stringify(args)}: ${g} vs ${w}`).toBeLessThanOrEqual(
      1e-7 * Math.max(1, Math.abs(w)),
    );
  });
}

const REFUSED = /^tsgrad refused .* — TS9\d{4}[ :]/;

// What each input must compute, whatever the module format.
const checks = {
  names(m: Module): void {
    for (const [x, xb] of [[1.3, 0.7], [-0.4, 1.1], [0.2, -0.9]] as const) {
      expectGradient(m.f, [x, xb], [0, 1], m.dfAll(x, xb));
      expectGradient(m.f, [x, xb], [0], m.df0(x, xb));
      const [value, gradient] = m.vgf(x, xb);
      expect(Object.is(value, m.f(x, xb))).toBe(true);
      expectGradient(m.f, [x, xb], [0, 1], gradient);
      expectGradient(m.g, [x, xb], [0, 1], m.dg(x, xb));
      const [gValue, gGradient] = m.vgg(x, xb);
      expect(Object.is(gValue, m.g(x, xb))).toBe(true);
      expectGradient(m.g, [x, xb], [1], gGradient);
    }
    // The user's own `tsgrad` and `result` are untouched.
    expect(m.tsgrad).toBe(7);
    expect(m.constants).toEqual([7, 1.5]);
  },
  aliases(m: Module): void {
    expect(m.userGrad).toBe(20);
    for (const x of [3, -1.5, 0.25]) {
      expect(m.df(x)).toBe(20 * x);
      expect(m.vgf(x)).toEqual([10 * x * x, 20 * x]);
      expect(m.d2f(x)).toBe(20);
    }
  },
  calleesD0AndResult(m: Module): void {
    for (const x of [0.7, -1.3]) {
      expectGradient(m.usesD0, [x], [0], m.dD0(x));
      expect(m.dResult(x)).toBe(6 * x);
    }
  },
  calleesXBarAndT0(m: Module): void {
    for (const x of [0.7, -1.3]) {
      expect(m.dXBar(x)).toBeCloseTo(3 * x * x, 12);
      expectGradient(m.usesT0, [x], [0], m.dT0(x));
    }
  },
  capture(m: Module): void {
    expect(m.slopeAt(1.3)).toBe(1.3);
    expect(m.sumOfSlopes([1, 2, 3])).toBe(12);
  },
  shadowSin(m: Module, c: Compiled): void {
    const ours = c.diagnostics.filter((d) => d.file?.fileName === input("shadow-math.ts"));
    expect(ours.map((d) => `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1} TS${d.code}`)).toContain("14 TS90002");
    expect(() => m.dSin()(1)).toThrow(REFUSED);
  },
  /** Generated code needs ln and trunc: a refusal (a diagnostic) or the right value, never the user's Math. */
  shadowGenerated(m: Module, c: Compiled): void {
    const lines = c.diagnostics
      .filter((d) => d.file?.fileName === input("shadow-math.ts"))
      .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
    if (lines.includes(29) || lines.includes(19)) expect(() => m.dPower()(2, 3)).toThrow(REFUSED);
    else expect(m.dPower()(2, 3)).toBeCloseTo(8 * Math.LN2, 12);
    if (lines.includes(30) || lines.includes(24)) expect(() => m.dRemainder()(7.5, 2)).toThrow(REFUSED);
    else expect(m.dRemainder()(7.5, 2)).toBe(-3);
  },
  crossFile(a: Module, b: Module, cc: Module, model: Module): void {
    for (const x of [2, -0.5, 0.3]) {
      for (const d of [a.dPoly, b.dPoly, cc.dPoly]) expect(d(x)).toBeCloseTo(3 * x * x - 2, 12);
      expectGradient(model.default, [x], [0], a.dDefault(x));
    }
    for (const [x, w] of [[0.3, 0.8], [-0.5, 1.2], [1.1, -0.4]] as const) {
      expectGradient(model.model, [x, w], [0], a.dModelX(x, w));
      expectGradient(model.model, [x, w], [1], b.dModelW(x, w));
      expectGradient(model.model, [x, w], [0, 1], cc.dModel(x, w));
      const [value, gradient] = b.vgModel(x, w);
      expect(Object.is(value, model.model(x, w))).toBe(true);
      expectGradient(model.model, [x, w], [1, 0], gradient);
    }
  },
  aliasCallee(m: Module, helpers: Module, model: Module): void {
    for (const x of [0.3, -1.2]) {
      // d/dx [sin(poly(x)) + 0 * x] = cos(poly(x)) * (3x² - 2).
      expect(m.df(x)).toBeCloseTo(Math.cos(model.poly(x)) * (3 * x * x - 2), 12);
      expectGradient(m.h, [x], [0], m.dh(x));
      expectGradient((v: number) => Math.exp(helpers.softplus(v)), [x], [0], m.dh(x));
    }
  },
};

interface Format {
  readonly name: string;
  readonly options: ts.CompilerOptions;
  readonly esm: boolean;
  readonly load: (c: Compiled, file: string) => Module;
}

const CJS: Format = { name: "CommonJS", options: compilerOptions, esm: false, load };
const ES: Format = { name: "ES modules", options: ESM, esm: true, load: loadEsm };

const builds = new Map<Format, Compiled>();
function build(format: Format): Compiled {
  let c = builds.get(format);
  if (!c) {
    c = compile(FILES, format.options);
    builds.set(format, c);
  }
  return c;
}

function common(format: Format): void {
  const run = (file: string): Module => format.load(build(format), input(file));

  it("reports only the refused Math.sin of the file-level Math", () => {
    const c = build(format);
    const diagnostics = c.diagnostics.map((d) => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1} TS${d.code}`);
    expect(diagnostics, formatDiagnostics(c.diagnostics)).toEqual(["shadow-math.ts:14 TS90002"]);
  });

  it("keeps a user function named grad and differentiates through tsgrad's grad imported as g", () => {
    checks.aliases(run("aliases.ts"));
  });

  it("calls user functions named _d0 and result from generated code", () => {
    checks.calleesD0AndResult(run("callees.ts"));
  });

  // Regression test (fixed): generated locals are named without looking at the user functions the
  // differentiated function calls, so they shadow them. Minimal reproducer:
  // `function x_bar(v: number) { return v * v; }  function f(x: number) { return x_bar(x) * x; }
  // grad(f)(0.7)`: f_grad declares the adjoint `x_bar` and calls `x_bar(x)` in its scope
  // (ReferenceError: cannot access 'x_bar' before initialization, or TypeError: x_bar is
  // not a function); likewise a function named _t0 once a saved value is named `_t0`.
  it("calls user functions named x_bar and _t0 from generated code", () => {
    checks.calleesXBarAndT0(run("callees.ts"));
  });

  // Regression test (fixed): see test/robustness.test.ts: an inline arrow's adjoint is placed outside
  // the scope of the enclosing arrow's parameters and of a braceless loop's variable.
  // Minimal reproducer: `export const slopeAt = (y: number) => grad((x: number) => x * y)(2);
  // export const y = 100;` gives slopeAt(1.3) = 100 in ES modules (the module-level y)
  // and a ReferenceError in CommonJS.
  it("differentiates inline arrows that read variables of their own scope, not same-named outer ones", () => {
    checks.capture(run("capture.ts"));
  });

  it("refuses Math.sin of a file-level Math with a diagnostic, leaving the call as written", () => {
    checks.shadowSin(run("shadow-math.ts"), build(format));
  });

  // Regression test (fixed): derivative rules emit `Math.log`, `Math.trunc`, `Math.cos`... as plain
  // names, which resolve to a user's file-level `Math`. Minimal reproducer:
  // `const Math = { ...globalThis.Math, log: globalThis.Math.log2 };
  // grad((a: number, b: number) => a ** b, 1)(2, 3)` returns 8 (8 log2 2) instead of
  // 8 ln 2 = 5.545; with a `Math` lacking trunc, grad of `a % b` throws TypeError.
  it("never calls a user's file-level Math from derivative code", () => {
    checks.shadowGenerated(run("shadow-math.ts"), build(format));
  });

  it("differentiates the same imported functions from several files, with different wrt", () => {
    checks.crossFile(run("use-a.ts"), run("use-b.ts"), run("use-c.ts"), run("model.ts"));
  });

  it.each(FILES.map((f) => path.basename(f)).filter((f) => !(f === "names.ts" && !format.esm)))(
    "emits %s as JavaScript that compiles (no colliding declarations)",
    (file) => {
      const code = build(format).js.get(input(file));
      expect(code).toBeDefined();
      parse(file, code!, format.esm);
    },
  );
}

describe("CommonJS", () => {
  common(CJS);

  // Regression test (fixed): the runtime namespace import is named `tsgrad_1` when the file has its
  // own identifier `tsgrad`, which is also the name TypeScript's CommonJS emit gives
  // the user's `import { grad } from "tsgrad"`. Minimal reproducer:
  // `import { grad } from "tsgrad"; const tsgrad = 1; function f(x: number) { let y = x;
  // for (let i = 0; i < 2; i++) y = y * x; return y; } grad(f)` emits
  // `const tsgrad_1 = require("tsgrad"); const tsgrad_1 = __importStar(require("tsgrad"));`:
  // SyntaxError: Identifier 'tsgrad_1' has already been declared.
  it("emits names.ts (a module-level const tsgrad) as JavaScript that compiles", () => {
    parse("names.ts", build(CJS).js.get(input("names.ts"))!, false);
  });

  // Regression test (fixed): the tsgrad_1 collision above: names.ts does not load.
  it("gives correct gradients for locals and module consts named like generated code", () => {
    checks.names(run("names.ts"));
  });

  it("calls an imported callee through its alias, next to a local function with its original name", () => {
    checks.aliasCallee(run("alias-callee.ts"), run("helpers.ts"), run("model.ts"));
  });

  function run(file: string): Module {
    return load(build(CJS), input(file));
  }
});

describe("ES modules", () => {
  common(ES);

  it("gives correct gradients for locals and module consts named like generated code", () => {
    checks.names(run("names.ts"));
  });

  // Regression test (fixed): a callee imported under an alias is called by its declared name in the
  // forward sweep, which only CommonJS emit rewrites to the import. Minimal reproducer:
  // `import { poly as p } from "./model.js"; function poly(x: number) { return 0 * x; }
  // function f(x: number) { return Math.sin(p(x)) + poly(x); }  grad(f)` emits
  // `Math.cos(poly(x))` in f_grad: the local poly, a silently wrong gradient (and a
  // ReferenceError when there is no local of that name: `Math.exp(sp(x))` -> `softplus`).
  it("calls an imported callee through its alias, next to a local function with its original name", () => {
    checks.aliasCallee(run("alias-callee.ts"), run("helpers.ts"), run("model.ts"));
  });

  function run(file: string): Module {
    return loadEsm(build(ES), input(file));
  }
});

describe("determinism", () => {
  it("gives byte-identical JavaScript when the same program is built twice", () => {
    for (const format of [CJS, ES]) {
      const again = compile(FILES, format.options);
      const first = build(format);
      expect([...again.js.keys()].sort()).toEqual([...first.js.keys()].sort());
      for (const [file, code] of first.js) expect(again.js.get(file), `${format.name} ${file}`).toBe(code);
    }
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-hygiene-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("gives byte-identical JavaScript in a fresh node process", () => {
    // The transformer's sources, compiled file by file to CommonJS for plain node.
    const sources = path.join(ROOT, "transformer");
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !e.name.startsWith("vite") ? [path.join(dir, e.name)] : [],
      );
    for (const file of walk(sources)) {
      const out = path.join(tmp, "transformer", path.relative(sources, file)).replace(/\.ts$/, ".js");
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      fs.writeFileSync(out, js);
    }
    // Where this process found typescript: the child's transformer requires the same one.
    const nodeModules = path.dirname(path.dirname(createRequire(path.join(ROOT, "package.json")).resolve("typescript/package.json")));
    const child = `
      const ts = require("typescript");
      const tsgrad = require(process.argv[1]).default;
      const { files, configs } = JSON.parse(process.argv[2]);
      const out = configs.map((options) => {
        const program = ts.createProgram(files, options);
        const js = {};
        program.emit(undefined, (name, text, _bom, _onError, sources) => {
          if (name.endsWith(".js") && sources && sources[0]) js[sources[0].fileName] = text;
        }, undefined, false, { before: [tsgrad(program, {}, {})] });
        return js;
      });
      process.stdout.write(JSON.stringify(out));
    `;
    const result = spawnSync(
      process.execPath,
      ["-e", child, path.join(tmp, "transformer/index.js"), JSON.stringify({ files: FILES, configs: [CJS.options, ES.options] })],
      { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, NODE_PATH: nodeModules } },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const [cjs, esm] = JSON.parse(result.stdout) as [Record<string, string>, Record<string, string>];
    for (const [format, fresh] of [[CJS, cjs], [ES, esm]] as const) {
      const here = build(format).js;
      expect(Object.keys(fresh).sort()).toEqual([...here.keys()].sort());
      for (const [file, code] of here) expect(fresh[file], `${format.name} ${file}`).toBe(code);
    }
  });
});

// ---------------------------------------------------------------------------
// Source maps: a ~40-line decoder of the "mappings" field (base64 VLQ).

interface Segment {
  readonly column: number;
  readonly source?: number;
  readonly line?: number;
  readonly sourceColumn?: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`bad base64 digit ${ch}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Segments per generated line; source, line and column are absolute (decoded from deltas). */
function decodeMappings(mappings: string): Segment[][] {
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  return mappings.split(";").map((text) => {
    let column = 0;
    return text
      .split(",")
      .filter((s) => s !== "")
      .map((s) => {
        const [dc, ds, dl, dcol] = decodeVlq(s);
        column += dc!;
        if (ds === undefined) return { column };
        source += ds;
        line += dl!;
        sourceColumn += dcol!;
        return { column, source, line, sourceColumn };
      });
  });
}

describe("source maps", () => {
  const file = input("mapped.ts");
  interface Emitted {
    readonly js: string[];
    readonly lines: Segment[][];
    readonly sources: string[];
    readonly source: string[];
  }
  let emitted: Emitted | undefined;
  const build = (): Emitted => {
    if (emitted) return emitted;
    const program = createProgram([file], { ...compilerOptions, sourceMap: true });
    const out = new Map<string, string>();
    program.emit(undefined, (name, text) => out.set(path.basename(name), text), undefined, false, {
      before: [tsgradTransformer(program, {}, {})],
    });
    const map = JSON.parse(out.get("mapped.js.map")!) as { sources: string[]; mappings: string };
    emitted = {
      js: out.get("mapped.js")!.split("\n"),
      lines: decodeMappings(map.mappings),
      sources: map.sources,
      source: fs.readFileSync(file, "utf8").split("\n"),
    };
    return emitted;
  };

  /** Line indices [start, end] of the function declared by the line starting with `header`. */
  const range = (lines: readonly string[], header: string): [number, number] => {
    const start = lines.findIndex((l) => l.startsWith(header));
    expect(start, header).toBeGreaterThanOrEqual(0);
    return [start, lines.findIndex((l, i) => i > start && l === "}")];
  };

  /** The user lines (0-based) the segments of generated line `i` map to. */
  const mapped = (i: number): number[] => {
    const segments = (build().lines[i] ?? []).filter((s) => s.line !== undefined);
    expect(new Set(segments.map((s) => s.source)), `sources of line ${i + 1}`).toEqual(new Set(segments.length ? [0] : []));
    return [...new Set(segments.map((s) => s.line!))];
  };

  /** The statement text a `// adjoint of:` note names, as it appears on a user line (no const/let, no ;). */
  const statementOf = (line: string): string => line.trim().replace(/^(const|let) /, "").replace(/;$/, "");

  interface Block {
    readonly statement: string;
    /** The user line of that statement. */
    readonly user: number;
    /** Generated statement lines under the note. */
    readonly lines: number[];
  }

  /**
   * The `// adjoint of: S` blocks of generated function `name`, each with the user
   * line of S in `user` (the function named so in mapped.ts). A statement that
   * occurs more than once is matched by order: the backward sweep runs backwards.
   */
  const blocks = (name: string, user: string): Block[] => {
    const { js, source } = build();
    const [start, end] = range(js, `function ${name}(`);
    const [userStart, userEnd] = range(source, `export function ${user}(`);
    const found: { statement: string; lines: number[] }[] = [];
    for (let i = start + 1; i < end; i++) {
      const text = js[i]!.trim();
      const note = /^\/\/ adjoint of: (.*)$/.exec(text);
      if (note) found.push({ statement: note[1]!, lines: [] });
      else if (found.length > 0 && !(i === end - 1 && text.startsWith("return "))) found[found.length - 1]!.lines.push(i);
    }
    const seen = new Map<string, number>();
    return found.map((b) => {
      const occurrences = source.flatMap((l, i) => (i > userStart && i < userEnd && statementOf(l) === b.statement ? [i] : []));
      const k = seen.get(b.statement) ?? 0;
      seen.set(b.statement, k + 1);
      const total = found.filter((x) => x.statement === b.statement).length;
      expect(occurrences, `user statement '${b.statement}'`).toHaveLength(total);
      return { ...b, user: occurrences[total - 1 - k]! };
    });
  };

  const userLine = (text: string, occurrence = 0): number => build().source.flatMap((l, i) => (l.trim() === text ? [i] : []))[occurrence]!;

  it("maps to the user's file", () => {
    expect(build().sources).toEqual(["mapped.ts"]);
  });

  it("maps `y_bar += _d0 * x`, the adjoint of the first `y = y * x`, to that statement's line", () => {
    const { js } = build();
    const [start, end] = range(js, "function cube_grad(");
    const at = js.flatMap((l, i) => (i > start && i < end && /^y_bar \+?= _d0 \* x;$/.test(l.trim()) ? [i] : []));
    expect(at).toHaveLength(1);
    expect(mapped(at[0]!)).toEqual([userLine("y = y * x;", 0)]);
    expect(userLine("y = y * x;", 1)).toBe(userLine("y = y * x;", 0) + 1);
  });

  it.each([["cube_grad", "cube"], ["wave_grad_0_1", "wave"]])(
    "maps each statement of an `// adjoint of:` block in %s to that statement's line, and no other",
    (name, user) => {
      const found = blocks(name, user);
      expect(found.length).toBeGreaterThanOrEqual(3);
      for (const b of found) {
        for (const i of b.lines) {
          const lines = mapped(i);
          if (lines.length > 0) expect(lines, `'${build().js[i]!.trim()}' under 'adjoint of: ${b.statement}'`).toEqual([b.user]);
        }
      }
      // Not vacuous: every user statement but the return has a block with a mapped line.
      const mappedBlocks = found.filter((b) => b.lines.some((i) => mapped(i).length > 0));
      expect(mappedBlocks.length).toBeGreaterThanOrEqual(found.length - 1);
    },
  );

  it("maps the forward sweep's statements to the user's", () => {
    const { js } = build();
    const [start] = range(js, "function wave_grad_0_1(");
    expect(js[start + 1]!.trim()).toBe("const s = Math.sin(w * x);");
    expect(mapped(start + 1)).toEqual([userLine("const s = Math.sin(w * x);")]);
    expect(mapped(start + 2)).toEqual([userLine("const c = s * s + x;")]);
  });

  it.each([["cube_grad", "cube"], ["wave_grad_0_1", "wave"]])(
    "maps every statement of every `// adjoint of:` block in %s, declarations and the seed included",
    (name, user) => {
      for (const b of blocks(name, user)) {
        for (const i of b.lines) expect(mapped(i), `'${build().js[i]!.trim()}' under 'adjoint of: ${b.statement}'`).toEqual([b.user]);
      }
    },
  );

  it("still maps the user's own function to itself", () => {
    const { js } = build();
    const [start] = range(js, "function wave(");
    expect(js[start + 3]!.trim()).toBe("return c / w;");
    expect(mapped(start + 3)).toEqual([userLine("return c / w;")]);
  });
});
