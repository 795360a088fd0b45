// End to end, as a user meets tsgrad: `npm pack` this repository, install the
// tarball into fresh projects next to a real TypeScript + ts-patch toolchain,
// build with `tspc` from the tsconfig "plugins" line, run the output with node.
//
// The routes, each in a project of its own, run side by side:
// - the tsconfig plugin with tspc: typescript 6.0 and 5.9 with ts-patch 3.3 (what
//   npm picks on Node 20), and typescript 6.0 with ts-patch 4 on Node >= 22.15;
// - a TypeScript 7 project (tsgo type-checks, tsgrad brings its own 6.0):
//   `tsgrad build` (-p, --outDir, -b, --watch), the Node loader and Vite;
// - the bundler plugins (esbuild, Rollup, webpack, Rspack), sharing one project.
// One installed project per toolchain is shared by all its cases (the other
// project variants link to its node_modules).
// The projects live under os.tmpdir(), away from this repository's own
// node_modules, so a dependency missing from the tarball cannot be found by
// walking up the directory tree. Set TSGRAD_E2E_KEEP=1 to keep them.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distIsStale } from "./built.js";

const ROOT = path.resolve(__dirname, "..");
const SECOND = 1000;
const TEST_TIMEOUT = 180 * SECOND;

const EXPECTED_MAIN = '[18,38,[43,20],[27,18]]\n[[30,0,30],[2,4],{"w":[2,4],"b":3},[27,18],[[4,2],[2,0]],7]';
const EXPECTED_CROSS = "[30,[75,30]]";
const PLUGINS_LINE = `"plugins": [{ "transform": "tsgrad/transformer", "transformProgram": true }]`;

interface Toolchain {
  readonly name: string;
  /** Names this toolchain's project folders. */
  readonly id: string;
  readonly typescript: string;
  /** What the install line asks for, as a user writes it. */
  readonly tsPatchSpec: string;
  /** What npm must pick for it on this Node. */
  readonly tsPatch: RegExp;
}

const NODE = process.versions.node.split(".").map(Number) as [number, number, number];
/** ts-patch 4 declares node >= 22.15; on older Node npm picks ts-patch 3.3, as a user's install does. */
const TS_PATCH_4 = NODE[0] > 22 || (NODE[0] === 22 && NODE[1] >= 15);
/** Plain `ts-patch`, as the README's install line: ts-patch 3.3 on Node 20, 4 from Node 22.15. */
const TS_PATCH_DEFAULT = TS_PATCH_4 ? /^4\./ : /^3\.3\./;

const TOOLCHAINS: readonly Toolchain[] = [
  {
    name: `typescript 6.0.3 + ts-patch (${TS_PATCH_4 ? "4" : "3.3"}, as npm picks on Node ${NODE[0]})`,
    id: "ts-6.0.3",
    typescript: "6.0.3",
    tsPatchSpec: "ts-patch",
    tsPatch: TS_PATCH_DEFAULT,
  },
  {
    name: "typescript 5.9.3 + ts-patch 3.3",
    id: "ts-5.9.3",
    typescript: "5.9.3",
    tsPatchSpec: "ts-patch@~3.3.0",
    tsPatch: /^3\.3\./,
  },
  // On Node 22.15+ the default above is ts-patch 4; ts-patch 3.3 with TypeScript 6 is then covered here.
  ...(TS_PATCH_4
    ? [{ name: "typescript 6.0.3 + ts-patch 3.3", id: "ts-6.0.3-tsp3", typescript: "6.0.3", tsPatchSpec: "ts-patch@~3.3.0", tsPatch: /^3\.3\./ }]
    : []),
];

// Said in the test report, not only here, so a run on Node 20 shows what it did not cover.
describe.skipIf(TS_PATCH_4)(
  `typescript 6.0.3 + ts-patch 4: needs Node >= 22.15, this is Node ${process.versions.node}`,
  () => {
    it.skip("skipped: ts-patch 4 declares node >= 22.15 (run the suite on Node 22.15+ to cover it)", () => {});
  },
);

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
// the bins must come from the project's own node_modules. Each project's first
// build goes through npx, as users type it; the others run the same bin from
// node_modules/.bin, where npx finds it: npx costs a second of CPU (npm's
// start-up) per call, some 25 s over this file.
const npx = (cwd: string, bin: string, args: readonly string[]) => run("npx", ["--no", "--", bin, ...args], cwd);
const bin = (cwd: string, name: string, args: readonly string[]) => run(path.join(cwd, "node_modules", ".bin", name), args, cwd);
const tspc = (cwd: string) => bin(cwd, "tspc", ["-p", "."]);
const tsc = (cwd: string) => bin(cwd, "tsc", ["-p", "."]);
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
      // TypeScript's own lib.*.d.ts go unchecked (checking them took 4 of a
      // build's 6 s of CPU, some 90 s over this file); tsgrad's declarations
      // are still checked, under the project's strict options.
      skipDefaultLibCheck: true,
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

/** What test/e2e/transforms-app.ts checks, each against finite differences. */
const TRANSFORMS_CHECKED = [
  "checkpoint",
  "customGrad",
  "grad",
  "grad of a const-bound grad",
  "grad(grad(f))",
  "hasAux",
  "hessian",
  "jacfwd",
  "jacobian",
  "jacobian(grad(f))",
  "jvp",
  "jvp(grad(f))",
  "stopGradient",
  "valueAndGrad",
  "vjp",
  "{ into: true }",
].sort();

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

/** The version of a package installed in this repository (the npm cache has it). */
const installed = (name: string) =>
  (readJson(path.join(ROOT, "node_modules", name, "package.json")) as { version: string }).version;

const npmInstall = (dir: string, packages: readonly string[]) =>
  ok("npm", ["install", "-D", ...packages, "--no-audit", "--no-fund", "--prefer-offline"], dir, TEST_TIMEOUT);

/** What a fresh install must not say: a peer conflict, an engine mismatch, a deprecation of ours. */
const INSTALL_WARNING = /ERESOLVE|EBADENGINE|peer dep|tsgrad.*deprecated/i;

let work = "";
let tarball = "";

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-e2e-"));
  // `npm test` has just built dist/ (what `prepack` runs): packed as it is, not rebuilt
  // under a test file that may be loading it at the same time.
  if (distIsStale()) await ok("npm", ["run", "build"], ROOT);
  const packed = await ok("npm", ["pack", "--ignore-scripts", "--pack-destination", work], ROOT);
  const name = packed.stdout.trim().split("\n").pop()!.trim();
  expect(name, packed.log).toBe("tsgrad-0.1.0.tgz");
  tarball = path.join(work, name);
  expect(fs.existsSync(tarball), packed.log).toBe(true);
}, TEST_TIMEOUT);

// The projects hold a few hundred MB of node_modules: removing them takes a while on a busy disk.
afterAll(async () => {
  if (work && !process.env.TSGRAD_E2E_KEEP)
    await fs.promises.rm(work, { recursive: true, force: true });
}, TEST_TIMEOUT);

// The two toolchains run side by side (concurrent suites); the cases of one
// toolchain run in order, one after the other.
describe.each(TOOLCHAINS)(
  "packed tsgrad with $name",
  { concurrent: true },
  (tc) => {
    let project = "";
    let install: Run;

    beforeAll(async () => {
      project = path.join(work, tc.id);
      write(project, {
        "package.json": json({
          name: "tsgrad-e2e-user",
          version: "1.0.0",
          private: true,
        }),
      });
      install = await npmInstall(project, [tarball, `typescript@${tc.typescript}`, tc.tsPatchSpec]);
    }, TEST_TIMEOUT);

    describe.sequential("cases", () => {
      it(
        "installs the tarball with its built JS and .d.ts, next to the exact toolchain",
        async ({ expect }) => {
          const nm = path.join(project, "node_modules");
          expect(
            readJson(path.join(nm, "typescript/package.json")).version,
          ).toBe(tc.typescript);
          expect(readJson(path.join(nm, "ts-patch/package.json")).version).toMatch(
            tc.tsPatch,
          );
          expect(install.stdout + install.stderr, install.log).not.toMatch(INSTALL_WARNING);
          expect(readJson(path.join(nm, "tsgrad/package.json")).version).toBe(
            "0.1.0",
          );
          // tsgrad's own TypeScript never takes the place of the project's tsc.
          const version = await npx(project, "tsc", ["--version"]);
          expect(version.stdout, version.log).toBe(`Version ${tc.typescript}\n`);
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
          const build = await npx(project, "tspc", ["-p", "."]);
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
        "every transform (vjp, jacobian, jacfwd, hessian, hasAux, stopGradient, checkpoint, into, nestings) builds with tspc and agrees with finite differences",
        async ({ expect }) => {
          const dir = variant(project, path.join(work, `${tc.id}-transforms`), { name: "tsgrad-e2e-transforms", version: "1.0.0", private: true }, {
            "tsconfig.json": tsconfig("commonjs"),
            "src/app.ts": fs.readFileSync(path.join(ROOT, "test/e2e/transforms-app.ts"), "utf8"),
          });
          const build = await tspc(dir);
          expect(build.status, build.log).toBe(0);
          expect((build.stdout + build.stderr).trim(), build.log).toBe("");
          const app = await node(dir, "dist/app.js");
          expect(app.status, app.log).toBe(0);
          const errors = JSON.parse(app.stdout) as Record<string, number>;
          expect(Object.keys(errors).sort(), app.log).toEqual(TRANSFORMS_CHECKED);
          for (const [transform, error] of Object.entries(errors)) expect(error, `${transform}: ${app.log}`).toBeLessThan(1e-6);
        },
        TEST_TIMEOUT,
      );

      it.runIf(tc.typescript.startsWith("6."))(
        "`tsgrad build --outDir` writes the same files as tspc",
        async ({ expect }) => {
          const build = await bin(project, "tsgrad", ["build", "--outDir", "dist-build"]);
          expect(build.status, build.log).toBe(0);
          expect((build.stdout + build.stderr).trim(), build.log).toBe("");
          const files = (dir: string) => fs.readdirSync(path.join(project, dir)).sort();
          expect(files("dist-build")).toEqual(files("dist"));
          for (const f of files("dist")) {
            expect(fs.readFileSync(path.join(project, "dist-build", f), "utf8"), f).toBe(
              fs.readFileSync(path.join(project, "dist", f), "utf8"),
            );
          }
        },
        TEST_TIMEOUT,
      );

      it(
        'works in an ES module project ("type": "module", "module": "nodenext")',
        async ({ expect }) => {
          const dir = variant(
            project,
            path.join(work, `${tc.id}-esm`),
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
            path.join(work, `${tc.id}-error`),
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
            path.join(work, `${tc.id}-noplugin`),
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
          const patch = await bin(project, "ts-patch", ["install"]);
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

// ---------------------------------------------------------------------------
// Routes that do not need the project's TypeScript: a TypeScript 7 project.

const MODEL_TS = `export function loss(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i]! - i) ** 2;
  return s;
}
`;
const APP_TS = `import { grad, map, sum } from "tsgrad";
import { loss } from "./model.js";
const cube = (x: Float64Array) => sum(map(x, (xi) => 10 * xi ** 3));
console.log(JSON.stringify([Array.from(grad(loss)(Float64Array.from([1, 1, 1]))), Array.from(grad(cube)(Float64Array.from([1, 2])))]));
`;
const APP_OUT = "[[2,0,-2],[30,120]]\n";

// Every transform the runtime exports, with the result types annotated, so that
// tsgo checks tsgrad's declarations (skipLibCheck off) and the inferred types.
const ALL_TRANSFORMS_TS = `import { customGrad, grad, hessian, jacfwd, jacobian, jvp, valueAndGrad, vjp } from "tsgrad";
function f(x: number, y: number): number { return x * x * y; }
function total(xs: number[]): number { let s = 0; for (const v of xs) s += v * v; return s; }
function polar(r: number, t: number): [number, number] { return [r * Math.cos(t), r * Math.sin(t)]; }
function field(xs: number[]): number[] { return [xs[0]! * xs[1]!, xs[1]!]; }
function aux(xs: number[]): [number, string] { return [xs[0]! * xs[0]!, "ok"]; }
const pb: [[number, number], [number, number]] = vjp(polar, [0, 1])(1, 2, [1, 0]);
const tp: [[number, number], [number, number]] = jvp(polar)(1, 2, 1, 0);
const jr: number[][] = jacobian(field)([1, 2]);
const jf: number[][] = jacfwd(field)([1, 2]);
const ga: [number[], string] = grad(aux, 0, { hasAux: true })([3, 1]);
const gi: number[] = grad(total, 0, { into: true })([1, 2], [0, 0]);
const vi: [[number, string], number[]] = valueAndGrad(aux, 0, { hasAux: true, into: true })([3, 1], [0, 0]);
const dx: (x: number, y: number) => number = grad(f);
const dxy: (x: number, y: number) => [number, number] = grad(f, [0, 1]);
const vg: [number, number] = valueAndGrad(f)(1, 2);
const t: [number, number] = jvp(f)(1, 2, 1, 0);
const h: number[][] = hessian(total)([1, 2]);
const sq = customGrad((x: number) => x * x, (x, _out, d) => 2 * x * d);
const ds: number = grad(sq)(3);
export const all = [dx(1, 2), dxy(1, 2), vg, t, h, ds, pb, tp, jr, jf, ga, gi, vi];
`;

describe("packed tsgrad in a TypeScript 7 project", { concurrent: true }, () => {
  let project = "";
  let install: Run;

  beforeAll(async () => {
    project = path.join(work, "ts7");
    write(project, {
      "package.json": json({ name: "tsgrad-e2e-ts7", version: "1.0.0", private: true, type: "module" }),
      "tsconfig.json": json({
        compilerOptions: { strict: true, target: "ES2022", module: "nodenext", rootDir: "src", outDir: "dist", skipLibCheck: false, skipDefaultLibCheck: true, types: [] },
        include: ["src"],
      }),
      "src/model.ts": MODEL_TS,
      "src/main.ts": APP_TS,
      "src/all.ts": ALL_TRANSFORMS_TS,
    });
    install = await npmInstall(project, [tarball, "typescript@7.0.2", `vite@${installed("vite")}`]);
  }, TEST_TIMEOUT);

  describe.sequential("cases", () => {
    it("installs beside typescript 7 with no warning, and the project's tsc stays TypeScript 7", async ({ expect }) => {
      expect(readJson(path.join(project, "node_modules/typescript/package.json")).version).toBe("7.0.2");
      expect(readJson(path.join(project, "node_modules/tsgrad/node_modules/typescript/package.json")).version).toBe("6.0.3");
      expect(install.stdout + install.stderr, install.log).not.toMatch(INSTALL_WARNING);
      const version = await npx(project, "tsc", ["--version"]);
      expect(version.stdout, version.log).toMatch(/^Version 7\.0\.2/);
    }, TEST_TIMEOUT);

    it("tsgo (tsc 7) type-checks a project using every transform against tsgrad's declarations", async ({ expect }) => {
      const check = await bin(project, "tsc", ["--noEmit", "-p", "."]);
      expect(check.stdout + check.stderr, check.log).toBe("");
      expect(check.status, check.log).toBe(0);
    }, TEST_TIMEOUT);

    it("`tsgrad build` compiles it with the transform, and the output runs", async ({ expect }) => {
      const build = await npx(project, "tsgrad", ["build"]);
      expect(build.status, build.log).toBe(0);
      expect((build.stdout + build.stderr).trim(), build.log).toBe("");
      const out = await node(project, "dist/main.js");
      expect(out.stdout, out.log).toBe(APP_OUT);
    }, TEST_TIMEOUT);

    it("`tsgrad build` fails on a tsgrad diagnostic, as tspc does", async ({ expect }) => {
      const dir = variant(project, path.join(work, "ts7-error"), { name: "e", private: true }, {
        "tsconfig.json": tsconfig("commonjs"),
        "src/bad.ts": BAD_TS,
      });
      const build = await bin(dir, "tsgrad", ["build"]);
      expect(build.status, build.log).toBe(1);
      expect(build.stdout + build.stderr, build.log).toMatch(/src\/bad\.ts\(2,\d+\): error TS90003: /);
      expect(build.stdout + build.stderr, build.log).not.toMatch(/^\s+at /m);
    }, TEST_TIMEOUT);

    it("`tsgrad build -b` builds project references in order", async ({ expect }) => {
      const dir = variant(project, path.join(work, "ts7-refs"), { name: "refs", private: true }, {
        "lib/tsconfig.json": json({
          compilerOptions: { composite: true, strict: true, target: "ES2022", module: "commonjs", rootDir: "src", outDir: "dist", skipDefaultLibCheck: true },
          include: ["src"],
        }),
        "lib/src/index.ts": `import { grad } from "tsgrad";\nexport function cube(x: number): number { return x ** 3; }\nexport const dcube = grad(cube);\n`,
        "app/tsconfig.json": json({
          compilerOptions: { strict: true, target: "ES2022", module: "commonjs", rootDir: "src", outDir: "dist", skipDefaultLibCheck: true },
          include: ["src"],
          references: [{ path: "../lib" }],
        }),
        "app/src/main.ts": `import { grad } from "tsgrad";\nimport { dcube } from "../../lib/dist/index";\nconst sq = (x: number) => x * x;\nconsole.log(JSON.stringify([grad(sq)(3), dcube(2)]));\n`,
      });
      const build = await bin(dir, "tsgrad", ["build", "-b", "app"]);
      expect(build.status, build.log).toBe(0);
      expect(fs.existsSync(path.join(dir, "lib/dist/index.d.ts")), build.log).toBe(true);
      const out = await node(dir, "app/dist/main.js");
      expect(out.stdout, out.log).toBe("[6,12]\n");
    }, TEST_TIMEOUT);

    it("`tsgrad build --watch` rebuilds on an edit", async ({ expect }) => {
      const dir = variant(project, path.join(work, "ts7-watch"), { name: "w", private: true }, {
        "tsconfig.json": tsconfig("commonjs", false),
        "src/main.ts": `import { grad } from "tsgrad";\nconsole.log(grad((x: number) => x ** 2)(3));\n`,
      });
      // node itself, not npx, so that killing the child stops the watcher.
      const bin = path.join(dir, "node_modules/tsgrad/dist/bin/tsgrad.js");
      const child = spawn(process.execPath, [bin, "build", "--watch"], { cwd: dir, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
      const until = async (what: () => boolean, label: string) => {
        for (const started = Date.now(); !what(); await new Promise((r) => setTimeout(r, 200))) {
          if (Date.now() - started > 120 * SECOND) throw new Error(`watch: no ${label} after 120 s:\n${output}`);
        }
      };
      try {
        const ran = async () => (await node(dir, "dist/main.js")).stdout;
        const builds = () => (output.match(/found 0 errors/g) ?? []).length;
        await until(() => builds() === 1, "first build");
        expect(await ran()).toBe("6\n");
        fs.writeFileSync(path.join(dir, "src/main.ts"), `import { grad } from "tsgrad";\nconsole.log(grad((x: number) => x ** 3)(3));\n`);
        await until(() => builds() === 2, "rebuild");
        expect(await ran(), output).toBe("27\n");
      } finally {
        child.kill("SIGTERM");
      }
    }, TEST_TIMEOUT);

    it("`node --import tsgrad/register` runs the TypeScript entry with the transform, then again from the disk cache", async ({ expect }) => {
      const first = await run(process.execPath, ["--import", "tsgrad/register", "src/main.ts"], project);
      expect(first.stdout, first.log).toBe(APP_OUT);
      expect(first.stderr, first.log).toBe("");
      const cache = path.join(project, "node_modules/.cache/tsgrad");
      expect(fs.readdirSync(cache).filter((f) => f.endsWith(".json")), first.log).toHaveLength(1);
      const second = await run(process.execPath, ["--import", "tsgrad/register", "src/main.ts"], project);
      expect(second.stdout, second.log).toBe(APP_OUT);
      // An edit is seen: the cache entry no longer matches the file.
      fs.writeFileSync(path.join(project, "src/model.ts"), MODEL_TS.replace("(w[i]! - i) ** 2", "(w[i]! - 2 * i) ** 2"));
      try {
        const edited = await run(process.execPath, ["--import", "tsgrad/register", "src/main.ts"], project);
        expect(edited.stdout, edited.log).toBe("[[2,-2,-6],[30,120]]\n");
      } finally {
        fs.writeFileSync(path.join(project, "src/model.ts"), MODEL_TS);
      }
    }, TEST_TIMEOUT);

    it("the loader refuses a program with a tsgrad diagnostic, quoting it, and runs nothing", async ({ expect }) => {
      write(project, { "src/bad.ts": `console.log("ran");\n${BAD_TS}` });
      try {
        const r = await run(process.execPath, ["--import", "tsgrad/register", "src/bad.ts"], project);
        expect(r.status, r.log).toBe(1);
        expect(r.stdout, r.log).toBe("");
        expect(r.stderr, r.log).toMatch(/src\/bad\.ts\(3,\d+\): error TS90003: /);
      } finally {
        fs.rmSync(path.join(project, "src/bad.ts"));
      }
    }, TEST_TIMEOUT);

    const node22 = process.env.TSGRAD_NODE22 ?? (NODE[0] >= 22 ? process.execPath : undefined);
    it.skipIf(!node22)(
      node22 ? "the loader on Node 22+" : `the loader on Node 22+: skipped, no Node 22 here (Node ${process.versions.node}; set TSGRAD_NODE22=/path/to/node22)`,
      async ({ expect }) => {
        const r = await run(node22!, ["--import", "tsgrad/register", "src/main.ts"], project);
        expect(r.stdout, r.log).toBe(APP_OUT);
      },
      TEST_TIMEOUT,
    );

    it("`vite build` with tsgrad/vite bundles the app, and the bundle prints the gradients", async ({ expect }) => {
      write(project, {
        "vite.config.mjs": `import { defineConfig } from "vite";
import tsgrad from "tsgrad/vite";
export default defineConfig({
  plugins: [tsgrad()],
  build: { lib: { entry: "src/main.ts", formats: ["es"], fileName: "main" }, outDir: "dist-vite", minify: false },
});
`,
      });
      const build = await bin(project, "vite", ["build"]);
      expect(build.status, build.log).toBe(0);
      const out = await node(project, "dist-vite/main.js");
      expect(out.stdout, out.log).toBe(APP_OUT);
    }, TEST_TIMEOUT);
  });
});

// ---------------------------------------------------------------------------
// The bundler plugins, each building the same app in one shared project, as
// its users write their config or build script.

describe("packed tsgrad with every bundler", { concurrent: true }, () => {
  let project = "";

  beforeAll(async () => {
    project = path.join(work, "bundlers");
    write(project, {
      // No "type": "module": webpack would then demand extensions on relative imports.
      "package.json": json({ name: "tsgrad-e2e-bundlers", version: "1.0.0", private: true }),
      "tsconfig.json": json({
        compilerOptions: { strict: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true },
        include: ["src"],
      }),
      "src/model.ts": MODEL_TS,
      "src/main.ts": APP_TS.replace('"./model.js"', '"./model"'),
    });
    await npmInstall(project, [
      tarball,
      ...["esbuild", "rollup", "@rollup/plugin-node-resolve", "webpack", "@rspack/core"].map((p) => `${p}@${installed(p)}`),
    ]);
  }, TEST_TIMEOUT);

  const bundle = async (script: string, file: string, out: string) => {
    write(project, { [file]: script });
    const build = await run(process.execPath, [file], project);
    expect(build.status, build.log).toBe(0);
    const r = await node(project, out);
    expect(r.stdout, r.log).toBe(APP_OUT);
  };

  describe.sequential("cases", () => {
    it("esbuild with tsgrad/esbuild", async () => {
      await bundle(
        `import * as esbuild from "esbuild";
import tsgrad from "tsgrad/esbuild";
await esbuild.build({ entryPoints: ["src/main.ts"], bundle: true, platform: "node", format: "esm", outfile: "dist/esbuild.mjs", plugins: [tsgrad()] });
`,
        "esbuild.mjs",
        "dist/esbuild.mjs",
      );
    }, TEST_TIMEOUT);

    it("esbuild fails the build on a tsgrad diagnostic, naming file, line and code", async ({ expect }) => {
      write(project, {
        "src/bad.ts": BAD_TS,
        "esbuild-bad.mjs": `import * as esbuild from "esbuild";
import tsgrad from "tsgrad/esbuild";
await esbuild.build({ entryPoints: ["src/bad.ts"], bundle: true, platform: "node", format: "esm", outfile: "dist/bad.mjs", plugins: [tsgrad()], logLevel: "error" });
`,
      });
      const build = await run(process.execPath, ["esbuild-bad.mjs"], project);
      expect(build.status, build.log).not.toBe(0);
      expect(build.stderr, build.log).toMatch(/bad\.ts\(2,\d+\): error TS90003/);
    }, TEST_TIMEOUT);

    it("Rollup with tsgrad/rollup (rollup -c)", async ({ expect }) => {
      write(project, {
        "rollup.config.mjs": `import { nodeResolve } from "@rollup/plugin-node-resolve";
import tsgrad from "tsgrad/rollup";
export default {
  input: "src/main.ts",
  external: ["tsgrad"],
  output: { file: "dist/rollup.mjs", format: "es" },
  plugins: [tsgrad(), nodeResolve({ extensions: [".ts", ".js"] })],
};
`,
      });
      const build = await npx(project, "rollup", ["-c"]);
      expect(build.status, build.log).toBe(0);
      const r = await node(project, "dist/rollup.mjs");
      expect(r.stdout, r.log).toBe(APP_OUT);
    }, TEST_TIMEOUT);

    const packConfig = (name: string) => `{
  mode: "production",
  target: "node",
  entry: "./src/main.ts",
  resolve: { extensions: [".ts", ".js"] },
  output: { path: path.resolve("dist"), filename: "${name}.cjs" },
  optimization: { minimize: false },
  plugins: [tsgrad()],
}`;
    // webpack's entry is CommonJS (a default import); Rspack's is an ES module with a named export.
    const runPack = (importLine: string, name: string) => `import * as path from "node:path";
${importLine}
import tsgrad from "tsgrad/${name}";
${name}(${packConfig(name)}, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString("errors-only"));
    process.exitCode = 1;
  }
});
`;

    it("webpack with tsgrad/webpack", async () => {
      await bundle(runPack(`import webpack from "webpack";`, "webpack"), "webpack.mjs", "dist/webpack.cjs");
    }, TEST_TIMEOUT);

    it("Rspack with tsgrad/rspack", async () => {
      await bundle(runPack(`import { rspack } from "@rspack/core";`, "rspack"), "rspack.mjs", "dist/rspack.cjs");
    }, TEST_TIMEOUT);
  });
});
