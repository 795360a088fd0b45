// Issues 12 and 13 from the packed tarball, as a user meets them: `npm pack`
// this repository, install the tarball with TypeScript 6.0 and ts-patch into a
// fresh project under os.tmpdir(), build test/e2e-syntax/ with `tspc` from the
// tsconfig "plugins" line, and run it with node. model.ts uses every construct
// of issue 12's nine items (destructuring, parameters of every kind, control
// flow, integer operations, outside constants, spread, inner functions, a
// console.log); data.ts every data shape of issue 13's seven (nested arrays,
// arrays of records and tuples, local arrays, array methods, helpers returning
// structures, classes, functions as arguments). check.ts and check-data.ts
// compare each gradient with central differences of the function itself
// (finite.ts); check.ts also checks the throw and counts the log lines.
// blockers.ts must fail the build with every one of its blockers, the refused
// field named.
// Set TSGRAD_E2E_KEEP=1 to keep the project.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distIsStale } from "./built.js";

const ROOT = path.resolve(__dirname, "..");
const SOURCES = path.join(__dirname, "e2e-syntax");
const SECOND = 1000;
const TIMEOUT = 300 * SECOND;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly log: string;
}

/** The environment for child processes, without the npm_* variables of this repository's own `npm test`. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== "INIT_CWD") env[key] = value;
  env.NO_COLOR = "1";
  return env;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT);
    const finish = (status: number | null) => {
      clearTimeout(timer);
      resolve({ status, stdout, log: `$ ${command} ${args.join(" ")} (in ${cwd}, exit ${status})\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}` });
    };
    child.on("error", () => finish(null));
    child.on("close", finish);
  });
}

async function ok(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const r = await run(command, args, cwd);
  if (r.status !== 0) throw new Error(`command failed:\n${r.log}`);
  return r;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

function tsconfig(files: string[]): string {
  return json({
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module: "commonjs",
      rootDir: "src",
      outDir: "dist",
      skipLibCheck: true,
      plugins: [{ transform: "tsgrad/transformer", transformProgram: true }],
    },
    files: files.map((f) => `src/${f}`),
  });
}

const PROGRAMS = ["finite.ts", "model.ts", "check.ts", "data.ts", "check-data.ts"];

let work = "";
let project = "";

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-e2e-syntax-"));
  // The package is staged in a copy of its root (its dist/ copied, or built there:
  // what `prepack` runs), so this test never writes the repository's dist/.
  const stage = path.join(work, "package");
  fs.mkdirSync(stage);
  for (const file of ["package.json", "README.md", "language-service.js"]) fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
  // dist/ as `npm test` just built it is copied; built into the copy when a source is newer.
  if (distIsStale()) await ok(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.json"), "--outDir", path.join(stage, "dist")], ROOT);
  else fs.cpSync(path.join(ROOT, "dist"), path.join(stage, "dist"), { recursive: true });
  const packed = await ok("npm", ["pack", "--ignore-scripts", "--pack-destination", work], stage);
  const tarball = path.join(work, packed.stdout.trim().split("\n").pop()!.trim());
  project = path.join(work, "app");
  fs.mkdirSync(path.join(project, "src"), { recursive: true });
  fs.writeFileSync(path.join(project, "package.json"), json({ name: "tsgrad-e2e-syntax", version: "1.0.0", private: true }));
  for (const file of [...PROGRAMS, "blockers.ts"]) fs.copyFileSync(path.join(SOURCES, file), path.join(project, "src", file));
  fs.writeFileSync(path.join(project, "tsconfig.json"), tsconfig(PROGRAMS));
  fs.writeFileSync(path.join(project, "tsconfig.blockers.json"), tsconfig(["blockers.ts"]));
  await ok("npm", ["install", "-D", tarball, "typescript@6.0.3", "ts-patch", "--no-audit", "--no-fund", "--prefer-offline"], project);
}, TIMEOUT);

afterAll(async () => {
  if (work && !process.env.TSGRAD_E2E_KEEP) await fs.promises.rm(work, { recursive: true, force: true });
}, TIMEOUT);

interface Result {
  readonly name: string;
  readonly count?: number;
  readonly worst?: number;
  readonly threw?: string | false;
  readonly lines?: number;
}

describe.sequential("issues 12 and 13 from the packed tarball (typescript 6.0.3 + ts-patch)", () => {
  let results: Result[] = [];
  let dataResults: Result[] = [];

  it("tspc builds programs using every issue-12 construct and every issue-13 data shape without a diagnostic", async () => {
    const build = await run("npx", ["--no", "--", "tspc", "-p", "."], project);
    expect(build.status, build.log).toBe(0);
    const out = await run(process.execPath, ["dist/check.js"], project);
    expect(out.status, out.log).toBe(0);
    results = out.stdout.trim().split("\n").map((line) => JSON.parse(line) as Result);
  }, TIMEOUT);

  const GRADIENTS = ["destructured", "huber", "huber, defaults omitted", "activate", "searchGrid", "bits", "constants", "spreads", "closures", "recursive"];
  it.each(GRADIENTS)("the gradient of %s agrees with central differences", (name) => {
    const r = results.find((x) => x.name === name);
    expect(r, `no result for ${name}`).toBeDefined();
    expect(r!.count).toBeGreaterThan(0);
    expect(r!.worst, JSON.stringify(r)).toBeLessThan(1e-6);
  });

  it("a throw in the differentiated function throws from the gradient, with its message", () => {
    expect(results.find((x) => x.name === "throw")).toEqual({ name: "throw", threw: "unknown activation gelu" });
  });

  it("console.log runs once per gradient call, also when the tape had to grow", () => {
    expect(results.find((x) => x.name === "logging")).toEqual({ name: "logging", lines: 2 });
  });

  it("the same build gives every issue-13 data shape a gradient", async () => {
    const out = await run(process.execPath, ["dist/check-data.js"], project);
    expect(out.status, out.log).toBe(0);
    dataResults = out.stdout.trim().split("\n").map((line) => JSON.parse(line) as Result);
  }, TIMEOUT);

  const DATA = ["nested", "potential", "heat", "methods", "helpers", "vectors", "modelLoss", "chosen"];
  it.each(DATA)("the gradient of %s (issue 13) agrees with central differences", (name) => {
    const r = dataResults.find((x) => x.name === name);
    expect(r, `no result for ${name}`).toBeDefined();
    expect(r!.count).toBeGreaterThan(0);
    expect(r!.worst, JSON.stringify(r)).toBeLessThan(1e-6);
  });

  it("a function with several blockers fails the build with every one, located, and names the refused field", async () => {
    const build = await run("npx", ["--no", "--", "tspc", "-p", "tsconfig.blockers.json"], project);
    expect(build.status, build.log).not.toBe(0);
    const errors = build.stdout.split("\n").filter((l) => / error TS9\d{4}: /.test(l));
    expect(errors.map((l) => l.replace(/: tsgrad: .*/, "")), build.log).toEqual([
      "src/blockers.ts(11,14): error TS90003",
      "src/blockers.ts(16,3): error TS90001",
      "src/blockers.ts(21,3): error TS90001",
      "src/blockers.ts(25,27): error TS90005",
    ]);
    expect(errors[3]).toContain("its field m.labels: string[]");
    // Each message says what to write instead.
    for (const e of errors) expect(e).toMatch(/; [a-z]/);
  }, TIMEOUT);
});
