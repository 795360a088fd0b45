// End to end, as a user meets tsgrad: `npm pack` this repository, install the
// tarball into fresh projects next to a real TypeScript + ts-patch toolchain,
// build with `tspc` from the tsconfig "plugins" line, run the output with node.
//
// Two toolchains: typescript 6.0 + ts-patch 4 and typescript 5.9 + ts-patch 3.
// One installed project per toolchain is shared by all its cases (the other
// project variants link to its node_modules), and the two toolchains run side
// by side, so the file takes about a minute on two idle cores.
// The projects live under os.tmpdir(), away from this repository's own
// node_modules, so a dependency missing from the tarball cannot be found by
// walking up the directory tree. Set TSGRAD_E2E_KEEP=1 to keep them.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const SECOND = 1000;
const TEST_TIMEOUT = 180 * SECOND;

const EXPECTED_MAIN = '[18,38,[43,20],[27,18]]\n[[30,0,30],[2,4],{"w":[2,4],"b":3},[27,18],[[4,2],[2,0]],7]';
const EXPECTED_CROSS = "[30,[75,30]]";
const PLUGINS_LINE = `"plugins": [{ "transform": "tsgrad/transformer", "transformProgram": true }]`;

interface Toolchain {
  readonly name: string;
  readonly typescript: string;
  readonly tsPatch: string;
}

const TOOLCHAINS: readonly Toolchain[] = [
  {
    name: "typescript 6.0.3 + ts-patch 4.0.1",
    typescript: "6.0.3",
    tsPatch: "4.0.1",
  },
  {
    name: "typescript 5.9.3 + ts-patch 3.3.0",
    typescript: "5.9.3",
    tsPatch: "3.3.0",
  },
];

// ---------------------------------------------------------------------------
// Processes

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The whole story, for assertion messages. */
  readonly log: string;
}

/**
 * The environment for child processes: this file may run under `npm test`, which
 * exports npm_config_* / npm_package_* variables describing *this* repository;
 * a nested npm must not inherit them. No colours, so output is plain text.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "INIT_CWD") continue;
    env[key] = value;
  }
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  return env;
}

/** Runs a command to completion (asynchronously, so the toolchains can overlap). */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 150 * SECOND,
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let problem = "";
    child.stdout
      .setEncoding("utf8")
      .on("data", (chunk: string) => (stdout += chunk));
    child.stderr
      .setEncoding("utf8")
      .on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      problem = `timed out after ${timeoutMs / SECOND} s`;
      child.kill("SIGKILL");
    }, timeoutMs);
    const finish = (status: number | null, signal: string | null) => {
      clearTimeout(timer);
      const seconds = ((Date.now() - started) / SECOND).toFixed(1);
      const log =
        `$ ${command} ${args.join(" ")}   (in ${cwd}, ${seconds} s, exit ${status}` +
        (signal ? `, signal ${signal}` : "") +
        (problem ? `, ${problem}` : "") +
        `)\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
      if (process.env.TSGRAD_E2E_VERBOSE) console.log(log);
      resolve({ status: problem ? null : status, stdout, stderr, log });
    };
    child.on("error", (e) => {
      problem ||= e.message;
      finish(null, null);
    });
    child.on("close", (status, signal) => finish(status, signal));
  });
}

/** Runs a command that must succeed; throws with its whole output otherwise. */
async function ok(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs?: number,
): Promise<Run> {
  const r = await run(command, args, cwd, timeoutMs);
  if (r.status !== 0) throw new Error(`command failed:\n${r.log}`);
  return r;
}

// `npx --no`: never download a package called "tspc"/"tsc" from the registry;
// the bins must come from the project's own node_modules.
const tspc = (cwd: string) =>
  run("npx", ["--no", "--", "tspc", "-p", "."], cwd);
const tsc = (cwd: string) => run("npx", ["--no", "--", "tsc", "-p", "."], cwd);
const node = (cwd: string, file: string) =>
  run(process.execPath, [file], cwd, 60 * SECOND);

// ---------------------------------------------------------------------------
// Projects

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

function tsconfig(module: "commonjs" | "nodenext", plugin = true): string {
  return json({
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module,
      // TypeScript 6 requires rootDir when the sources are not at the project
      // root (TS5011); with it the output lands at dist/main.js on 5.9 and 6.0.
      rootDir: "src",
      outDir: "dist",
      ...(plugin ? { plugins: [{ transform: "tsgrad/transformer", transformProgram: true }] } : {}),
    },
    include: ["src"],
  });
}

// Exactly what a user writes. `f` is exported so that cross.ts can import it.
const MAIN_TS = `import { customGrad, dot, grad, hessian, jvp, linspace, map, sum, valueAndGrad } from "tsgrad";
export function f(x: number): number { return 3 * x ** 2; }
const g = (x: number) => 6 * x ** 2 + 2 * x + 4;
function h(u: number, v: number): number { return u ** 3 + v ** 2 + 4 * u * v; }
console.log(JSON.stringify([grad(f)(3), grad(g)(3), grad(h, [0, 1])(3, 4), valueAndGrad(f)(3)]));

// Arrays, loops, the runtime, structured parameters, forward mode, Hessians, customGrad.
function total(x: Float64Array): number { return sum(map(x, (xi) => 10 * xi ** 3)); }
function squares(xs: number[]): number { let s = 0; for (const v of xs) s += v * v; return s; }
function model(p: { w: Float64Array; b: number }): number { return dot(p.w, p.w) + 3 * p.b; }
function bend(x: number[]): number { return x[0]! * x[0]! * x[1]!; }
const sq = customGrad((x: number) => x * x, (x, _out, d) => 2 * x * d);
const m = grad(model)({ w: Float64Array.from([1, 2]), b: 0.5 });
console.log(JSON.stringify([Array.from(grad(total)(linspace(-1, 1, 3))), grad(squares)([1, 2]), { w: Array.from(m.w), b: m.b },
  jvp(f)(3, 1), hessian(bend)([1, 2]), grad((x: number) => sq(x) + x)(3)]));
`;

// grad of a function imported from another file; the annotations make tspc
// check the inferred types (number, and a [value, gradient] tuple).
const crossTs = (
  specifier: string,
) => `import { grad, valueAndGrad } from "tsgrad";
import { f } from "${specifier}";
const d: number = grad(f)(5);
const vg: [number, number] = valueAndGrad(f)(5);
console.log(JSON.stringify([d, vg]));
`;

const BAD_TS = `import { grad } from "tsgrad";
export const noisy = grad((x: number) => x * Math.random());
console.log(noisy(2));
`;

/** A project variant sharing the installed node_modules of `installed`. */
function variant(
  installed: string,
  dir: string,
  packageJson: object,
  files: Record<string, string>,
): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(
    path.join(installed, "node_modules"),
    path.join(dir, "node_modules"),
    "dir",
  );
  write(dir, { "package.json": json(packageJson), ...files });
  return dir;
}

const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

// ---------------------------------------------------------------------------

let work = "";
let tarball = "";

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-e2e-"));
  await ok("npm", ["run", "build"], ROOT);
  const packed = await ok("npm", ["pack", "--pack-destination", work], ROOT);
  const name = packed.stdout.trim().split("\n").pop()!.trim();
  expect(name, packed.log).toBe("tsgrad-0.1.0.tgz");
  tarball = path.join(work, name);
  expect(fs.existsSync(tarball), packed.log).toBe(true);
}, TEST_TIMEOUT);

afterAll(() => {
  if (work && !process.env.TSGRAD_E2E_KEEP)
    fs.rmSync(work, { recursive: true, force: true });
});

// The two toolchains run side by side (concurrent suites); the cases of one
// toolchain run in order, one after the other.
describe.each(TOOLCHAINS)(
  "packed tsgrad with $name",
  { concurrent: true },
  (tc) => {
    let project = "";

    beforeAll(async () => {
      project = path.join(work, `ts-${tc.typescript}`);
      write(project, {
        "package.json": json({
          name: "tsgrad-e2e-user",
          version: "1.0.0",
          private: true,
        }),
      });
      await ok(
        "npm",
        [
          "install",
          tarball,
          `typescript@${tc.typescript}`,
          `ts-patch@${tc.tsPatch}`,
          "--no-audit",
          "--no-fund",
          "--prefer-offline",
        ],
        project,
      );
    }, TEST_TIMEOUT);

    describe.sequential("cases", () => {
      it(
        "installs the tarball with its built JS and .d.ts, next to the exact toolchain",
        async ({ expect }) => {
          const nm = path.join(project, "node_modules");
          expect(
            readJson(path.join(nm, "typescript/package.json")).version,
          ).toBe(tc.typescript);
          expect(readJson(path.join(nm, "ts-patch/package.json")).version).toBe(
            tc.tsPatch,
          );
          expect(readJson(path.join(nm, "tsgrad/package.json")).version).toBe(
            "0.1.0",
          );
          for (const file of [
            "dist/runtime/index.js",
            "dist/runtime/index.d.ts",
            "dist/transformer/index.js",
            "dist/transformer/index.d.ts",
          ]) {
            expect(
              fs.existsSync(path.join(nm, "tsgrad", file)),
              `${file} in the tarball`,
            ).toBe(true);
          }
        },
        TEST_TIMEOUT,
      );

      it(
        "tspc applies the transformer: grad, grad of an arrow, grad wrt [0, 1], valueAndGrad, and grad of an imported f (CommonJS)",
        async ({ expect }) => {
          write(project, {
            "tsconfig.json": tsconfig("commonjs"),
            "src/main.ts": MAIN_TS,
            "src/cross.ts": crossTs("./main"),
          });
          const build = await tspc(project);
          expect(build.status, build.log).toBe(0);
          expect((build.stdout + build.stderr).trim(), build.log).toBe("");

          const main = await node(project, "dist/main.js");
          expect(main.status, main.log).toBe(0);
          expect(main.stdout, main.log).toBe(EXPECTED_MAIN + "\n");

          // cross.js loads main.js, which prints its own line first.
          const cross = await node(project, "dist/cross.js");
          expect(cross.status, cross.log).toBe(0);
          expect(cross.stdout, cross.log).toBe(
            EXPECTED_MAIN + "\n" + EXPECTED_CROSS + "\n",
          );
        },
        TEST_TIMEOUT,
      );

      it(
        'works in an ES module project ("type": "module", "module": "nodenext")',
        async ({ expect }) => {
          const dir = variant(
            project,
            path.join(work, `ts-${tc.typescript}-esm`),
            {
              name: "tsgrad-e2e-esm",
              version: "1.0.0",
              private: true,
              type: "module",
            },
            {
              "tsconfig.json": tsconfig("nodenext"),
              "src/main.ts": MAIN_TS,
              "src/cross.ts": crossTs("./main.js"),
            },
          );
          const build = await tspc(dir);
          expect(build.status, build.log).toBe(0);
          expect((build.stdout + build.stderr).trim(), build.log).toBe("");
          // really ESM output, not CommonJS
          expect(
            fs.readFileSync(path.join(dir, "dist/main.js"), "utf8"),
          ).toMatch(/^import .* from "tsgrad";$/m);

          const main = await node(dir, "dist/main.js");
          expect(main.status, main.log).toBe(0);
          expect(main.stdout, main.log).toBe(EXPECTED_MAIN + "\n");

          const cross = await node(dir, "dist/cross.js");
          expect(cross.status, cross.log).toBe(0);
          expect(cross.stdout, cross.log).toBe(
            EXPECTED_MAIN + "\n" + EXPECTED_CROSS + "\n",
          );
        },
        TEST_TIMEOUT,
      );

      it(
        "an incremental build: after main.ts starts calling grad(sq), lib.js gains sq_grad and main.js runs",
        async ({ expect }) => {
          const config = JSON.parse(tsconfig("commonjs")) as { compilerOptions: object };
          const dir = variant(
            project,
            path.join(work, `ts-${tc.typescript}-incremental`),
            { name: "tsgrad-e2e-incremental", version: "1.0.0", private: true },
            {
              "tsconfig.json": json({ ...config, compilerOptions: { ...config.compilerOptions, incremental: true } }),
              "src/lib.ts": "export function sq(x: number): number {\n  return x * x;\n}\n",
              "src/main.ts": 'import { grad } from "tsgrad";\nimport { sq } from "./lib";\nconsole.log(sq(2));\n',
            },
          );
          const first = await tspc(dir);
          expect(first.status, first.log).toBe(0);
          write(dir, { "src/main.ts": 'import { grad } from "tsgrad";\nimport { sq } from "./lib";\nconsole.log(grad(sq)(2));\n' });
          const second = await tspc(dir);
          expect(second.status, second.log).toBe(0);
          const main = await node(dir, "dist/main.js");
          expect(main.status, main.log).toBe(0);
          expect(main.stdout, main.log).toBe("4\n");
        },
        TEST_TIMEOUT,
      );

      it(
        "a construct outside the subset (Math.random) fails the tspc build with error TS90003 at its line",
        async ({ expect }) => {
          const dir = variant(
            project,
            path.join(work, `ts-${tc.typescript}-error`),
            { name: "tsgrad-e2e-error", version: "1.0.0", private: true },
            { "tsconfig.json": tsconfig("commonjs"), "src/bad.ts": BAD_TS },
          );
          const build = await tspc(dir);
          const output = build.stdout + build.stderr;
          expect(build.status, build.log).not.toBe(0);
          expect(build.status, build.log).not.toBeNull();
          expect(output, build.log).toMatch(
            /src\/bad\.ts\(2,\d+\): error TS90003: /,
          );
          // a diagnostic, not a crash of the transformer or of tspc
          expect(output, build.log).not.toMatch(/^\s+at /m);
        },
        TEST_TIMEOUT,
      );

      it(
        "without the plugins line (plain tsc), grad throws at run time and shows the plugins line",
        async ({ expect }) => {
          const dir = variant(
            project,
            path.join(work, `ts-${tc.typescript}-noplugin`),
            { name: "tsgrad-e2e-noplugin", version: "1.0.0", private: true },
            {
              "tsconfig.json": tsconfig("commonjs", false),
              "src/main.ts": MAIN_TS,
            },
          );
          const build = await tsc(dir);
          expect(build.status, build.log).toBe(0);

          const r = await node(dir, "dist/main.js");
          expect(r.status, r.log).toBe(1);
          expect(r.stdout, r.log).toBe("");
          expect(r.stderr, r.log).toMatch(
            /^Error: .*tsgrad.*transformer did not run/m,
          );
          expect(r.stderr, r.log).toContain(PLUGINS_LINE);
        },
        TEST_TIMEOUT,
      );

      // Last: `ts-patch install` patches this project's typescript in place.
      it(
        "`ts-patch install` then plain tsc applies the transformer too",
        async ({ expect }) => {
          const patch = await run(
            "npx",
            ["--no", "--", "ts-patch", "install"],
            project,
          );
          expect(patch.status, patch.log).toBe(0);
          fs.rmSync(path.join(project, "dist"), {
            recursive: true,
            force: true,
          });
          const build = await tsc(project);
          expect(build.status, build.log).toBe(0);
          expect((build.stdout + build.stderr).trim(), build.log).toBe("");
          const cross = await node(project, "dist/cross.js");
          expect(cross.stdout, cross.log).toBe(
            EXPECTED_MAIN + "\n" + EXPECTED_CROSS + "\n",
          );
        },
        TEST_TIMEOUT,
      );
    });
  },
);

// The Vite plugin from the tarball: a fresh ES-module project built by `vite
// build` with `tsgrad/vite`, no tspc, then the bundle run with node.
describe("packed tsgrad with vite", () => {
  it(
    "builds a Vite library whose code calls grad, and the bundle prints the gradients",
    async () => {
      const project = path.join(work, "vite");
      write(project, {
        "package.json": json({ name: "tsgrad-e2e-vite", version: "1.0.0", private: true, type: "module" }),
        "tsconfig.json": json({
          compilerOptions: { strict: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true },
          include: ["src"],
        }),
        "vite.config.mjs": `import { defineConfig } from "vite";
import tsgrad from "tsgrad/vite";
export default defineConfig({
  plugins: [tsgrad()],
  build: { lib: { entry: "src/main.ts", formats: ["es"], fileName: "main" }, minify: false },
});
`,
        "src/model.ts": `export function loss(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i]! - i) ** 2;
  return s;
}
`,
        "src/main.ts": `import { grad, sum, map } from "tsgrad";
import { loss } from "./model";
const cube = (x: Float64Array) => sum(map(x, (xi) => 10 * xi ** 3));
console.log(JSON.stringify([Array.from(grad(loss)(Float64Array.from([1, 1, 1]))), Array.from(grad(cube)(Float64Array.from([1, 2])))]));
`,
      });
      const vite = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/vite/package.json"), "utf8")) as { version: string };
      await ok("npm", ["install", tarball, "typescript@6.0.3", `vite@${vite.version}`, "--no-audit", "--no-fund", "--prefer-offline"], project);
      const build = await run("npx", ["--no", "--", "vite", "build"], project);
      expect(build.status, build.log).toBe(0);
      const out = await node(project, path.join(project, "dist/main.js"));
      expect(out.stdout, out.log).toBe("[[2,0,-2],[30,120]]\n");
    },
    TEST_TIMEOUT,
  );
});
