// `tsgrad/vite`: the transformer as a Vite plugin, used the three ways a Vite
// project meets it:
//   1. Vitest: `vitest run --root test/vite-project` in a child process; that
//      project's config loads the plugin and its spec asserts gradients.
//   2. `vite build` (the JS API, in process) of a library entry that prints
//      gradients; the bundle is run with node. Without the plugin, the same
//      bundle throws (grad reached at run time untransformed).
//   3. A build whose entry differentiates Math.random() fails with a Vite error
//      naming the file, line and TS90003.
// and the dev server: modules transformed on request, edits picked up, and a
// file that gains a generated adjoint because another file changed is reloaded.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, createServer, type HmrContext, type InlineConfig, type ModuleNode, type ViteDevServer } from "vite";
import tsgrad from "../transformer/vite.js";

const ROOT = path.resolve(__dirname, "..");
const PROJECT = path.join(ROOT, "test/vite-project");
const RUNTIME = path.join(ROOT, "runtime/index.ts");

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-vite-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly output: string;
}

/** The environment for child processes: none of this run's Vitest/npm variables, no colours. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|VITE_|npm_|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)) continue;
    env[k] = v;
  }
  // The project's config imports the plugin's ES-module sources from this
  // CommonJS package, which Vite's (future) native config loader warns about.
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" };
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** A library build of `entry` (relative to the test project) into `outDir`, as main.mjs. */
function libraryBuild(entry: string, outDir: string, withPlugin = true): InlineConfig {
  return {
    configFile: false,
    root: PROJECT,
    logLevel: "silent",
    plugins: withPlugin ? [tsgrad()] : [],
    resolve: { alias: [{ find: /^tsgrad$/, replacement: RUNTIME }] },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      lib: { entry: path.join(PROJECT, entry), formats: ["es"], fileName: () => "main.mjs" },
    },
  };
}

describe("tsgrad/vite", () => {
  // Started first, checked last: the child process runs while this one builds.
  let vitestRun: Promise<Run>;
  beforeAll(() => {
    vitestRun = run("npx", ["vitest", "run", "--root", "test/vite-project"], ROOT);
  });

  it("builds a library with vite build; the bundle prints the gradients", async () => {
    const out = path.join(tmp, "lib");
    await build(libraryBuild("src/main.ts", out));
    const bundle = fs.readFileSync(path.join(out, "main.mjs"), "utf8");
    // The calls were replaced by the generated adjoints, which are in the bundle.
    expect(bundle).toMatch(/function f_grad\(/);
    expect(bundle).toMatch(/function weightedSquares_grad\(/);
    expect(fs.existsSync(path.join(out, "main.mjs.map"))).toBe(true);
    const r = await run(process.execPath, [path.join(out, "main.mjs")], tmp);
    expect(r.status, r.output).toBe(0);
    expect(JSON.parse(r.output)).toEqual({ f: 18, h: [43, 20], loop: [2, 2, 12], valueAndGrad: [27, 18] });
  });

  it("without the plugin the same bundle throws: grad was not compiled", async () => {
    const out = path.join(tmp, "plain");
    await build(libraryBuild("src/main.ts", out, false));
    const r = await run(process.execPath, [path.join(out, "main.mjs")], tmp);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/tsgrad transformer did not run/);
  });

  it("fails the build on a tsgrad diagnostic, with file, line and code", async () => {
    interface BuildError {
      message: string;
      id?: string;
      loc?: { file?: string; line: number; column: number };
      errors?: BuildError[];
    }
    const error = await build(libraryBuild("src/noisy.ts", path.join(tmp, "noisy"))).then(
      () => undefined,
      (e: unknown) => e as BuildError,
    );
    expect(error, "the build succeeded").toBeDefined();
    // As tsc prints it, relative to Vite's root; Vite adds the plugin, the location and a code frame.
    expect(error!.message).toMatch(/src\/noisy\.ts\(6,24\): error TS90003: tsgrad: Math\.random\(\)/);
    expect(error!.message).toMatch(/\[plugin tsgrad\] .*src\/noisy\.ts:6:23/);
    const first = error!.errors?.[0] ?? error!;
    expect(first.id).toBe(path.join(PROJECT, "src/noisy.ts"));
    expect(first.loc).toEqual({ file: path.join(PROJECT, "src/noisy.ts"), line: 6, column: 23 });
  });

  it("runs a Vitest project whose tests call grad", async () => {
    const r = await vitestRun;
    expect(r.output, r.output).toMatch(/Tests\s+5 passed \(5\)/);
    expect(r.status, r.output).toBe(0);
  }, 60_000);
});

describe("tsgrad/vite dev server", () => {
  let dir: string;
  let server: ViteDevServer;
  const plugin = tsgrad();

  const write = (name: string, text: string): void => fs.writeFileSync(path.join(dir, name), text);
  const freshLoad = async (url: string): Promise<Record<string, unknown>> => {
    server.moduleGraph.invalidateAll();
    return server.ssrLoadModule(url);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(tmp, "dev-"));
    write("tsconfig.json", JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "bundler", strict: true, types: [], paths: { tsgrad: [RUNTIME] } },
      include: ["*.ts"],
    }));
    write("b.ts", "export function f(x: number): number {\n  return x * x;\n}\n\nexport function g(x: number): number {\n  return Math.exp(x);\n}\n");
    write("a.ts", 'import { grad } from "tsgrad";\nimport { f } from "./b.js";\n\nexport const df = grad(f);\n');
    server = await createServer({
      configFile: false,
      root: dir,
      logLevel: "silent",
      appType: "custom",
      plugins: [plugin],
      resolve: { alias: [{ find: /^tsgrad$/, replacement: RUNTIME }] },
      server: { middlewareMode: true, hmr: false, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("transforms on request and follows edits", async () => {
    const a = await freshLoad("/a.ts");
    expect((a.df as (x: number) => number)(3)).toBe(6);
    // The adjoint lives next to f, in b.ts, exported for a.ts.
    const b = await server.transformRequest("/b.ts");
    expect(b?.code).toMatch(/export function f_grad\(/);

    write("b.ts", "export function f(x: number): number {\n  return x * x * x;\n}\n\nexport function g(x: number): number {\n  return Math.exp(x);\n}\n");
    const edited = await freshLoad("/a.ts");
    expect((edited.df as (x: number) => number)(3)).toBe(27);
  });

  it("reloads the files whose generated code an edit changes", async () => {
    const text = 'import { grad } from "tsgrad";\nimport { f, g } from "./b.js";\n\nexport const df = grad(f);\nexport const dg = grad(g);\n';
    write("a.ts", text);
    const aModules = [...(server.moduleGraph.getModulesByFile(path.join(dir, "a.ts").replace(/\\/g, "/")) ?? [])];
    const hook = plugin.handleHotUpdate as (ctx: HmrContext) => Promise<ModuleNode[] | void>;
    const ctx: HmrContext = { file: path.join(dir, "a.ts"), timestamp: Date.now(), modules: aModules, read: () => text, server };
    const modules = (await hook.call({} as never, ctx)) ?? [];
    // g_grad is now generated into b.ts, which a.ts did not touch: b.ts must be reloaded too.
    expect(modules.map((m) => path.basename(m.file ?? ""))).toEqual(expect.arrayContaining(["a.ts", "b.ts"]));
    const a = await freshLoad("/a.ts");
    expect((a.dg as (x: number) => number)(1)).toBeCloseTo(Math.E, 14);
  });

  it("fails a module whose grad call differentiates a non-differentiable function of another file", async () => {
    write("d.ts", "export function r(x: number): number {\n  return x * Math.random();\n}\n");
    write("c.ts", 'import { grad } from "tsgrad";\nimport { r } from "./d.js";\n\nexport const dr = grad(r);\n');
    // Both files are new to the tsconfig's "include": tell the plugin, as Vite's watcher does.
    for (const f of ["c.ts", "d.ts"]) await (plugin.watchChange as (id: string, change: { event: "create" }) => void).call({} as never, path.join(dir, f), { event: "create" });
    await expect(server.transformRequest("/c.ts")).rejects.toThrow(/d\.ts\(2,14\): error TS90003/);
    await expect(server.transformRequest("/d.ts")).rejects.toThrow(/d\.ts\(2,14\): error TS90003/);
  });
});
