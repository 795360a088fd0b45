// The `tsgrad` command line, run as users run it: the built dist/bin/tsgrad.js
// in a subprocess, on small programs written to a temporary directory.

import { execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "dist/bin/tsgrad.js");

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` in `cwd`; never rejects, whatever the exit status. */
function tsgrad(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" } },
      (err, stdout, stderr) => {
        const status = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

const GOOD = `import { grad } from "tsgrad";
function f(x: number): number {
  return 3 * x ** 2;
}
export const df = grad(f);
`;

const RANDOM = `import { grad } from "tsgrad";
function noisy(x: number): number {
  return x * Math.random();
}
export const dn = grad(noisy);
`;

const PLAIN = `export const answer: number = 42;\n`;

const TYPE_ERROR = `import { grad } from "tsgrad";
function f(x: number): number {
  return x * x;
}
export const df = grad(f);
export const s: string = 1;
`;

let dir: string;
let bare: string;

function write(at: string, name: string, text: string): void {
  fs.writeFileSync(path.join(at, name), text);
}

beforeAll(() => {
  // Always rebuild: the CLI under test is the compiled one. Other parts of the
  // repository may be mid-edit, so only errors in bin/ fail the suite.
  try {
    execFileSync(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", ROOT],
      { encoding: "utf8" },
    );
  } catch (e) {
    const out = String((e as { stdout?: string }).stdout ?? e);
    const ours = out.split("\n").filter((l) => l.startsWith("bin/"));
    if (ours.length > 0 || !fs.existsSync(CLI)) {
      throw new Error(`building the CLI failed:\n${out}`);
    }
  }

  fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".tmp", "cli-"));
  const compilerOptions = {
    strict: true,
    target: "ES2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    skipLibCheck: true,
    paths: { tsgrad: [path.join(ROOT, "runtime/index.ts")] },
  };
  write(dir, "tsconfig.json", JSON.stringify({ compilerOptions }, null, 2));
  write(dir, "good.ts", GOOD);
  write(dir, "random.ts", RANDOM);
  write(dir, "plain.ts", PLAIN);
  write(dir, "typeError.ts", TYPE_ERROR);
  write(dir, "notes.txt", "not code\n");
  fs.mkdirSync(path.join(dir, "folder.ts"));

  // A directory with no tsconfig.json above it, for the default options.
  bare = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-cli-"));
  write(bare, "implicitAny.ts", `export function g(x) {\n  return x;\n}\n`);
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (bare) fs.rmSync(bare, { recursive: true, force: true });
});

describe("tsgrad emit", () => {
  it.concurrent(
    "prints the generated code with the line of each call",
    async () => {
      const r = await tsgrad(["emit", "good.ts"], dir);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("// grad(f) at good.ts:5 -> f_grad");
      expect(r.stdout).toContain("function f_grad(x: number): number");
    },
  );

  it.concurrent(
    "writes DIR/<name>.grad.ts with --out, creating DIR",
    async () => {
      const r = await tsgrad(["emit", "good.ts", "--out", "out/nested"], dir);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const written = path.join("out", "nested", "good.grad.ts");
      expect(r.stdout.trim()).toBe(written);
      const code = fs.readFileSync(path.join(dir, written), "utf8");
      expect(code).toContain("function f_grad(x: number): number");
      expect(code).toContain("// grad(f) at good.ts:5");
    },
  );

  it.concurrent(
    "says so on stderr when the file has no transform calls",
    async () => {
      const r = await tsgrad(["emit", "plain.ts"], dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("no grad/valueAndGrad calls in plain.ts");
    },
  );

  it.concurrent("reports tsgrad diagnostics with exit status 1", async () => {
    const r = await tsgrad(["emit", "random.ts"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^random\.ts\(3,14\): error TS90003: tsgrad: Math\.random\(\)/m,
    );
  });

  it.concurrent(
    "reports TypeScript errors, file names relative to the current directory",
    async () => {
      const sub = path.basename(dir);
      const r = await tsgrad(
        ["emit", path.join(sub, "typeError.ts")],
        path.dirname(dir),
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^${sub}/typeError\\.ts\\(6,14\\): error TS2322:`, "m"),
      );
      // The calls that did differentiate are still printed.
      expect(r.stdout).toContain(
        `// grad(f) at ${sub}/typeError.ts:5 -> f_grad`,
      );
    },
  );
});

describe("tsgrad check", () => {
  it.concurrent("passes good files", async () => {
    const r = await tsgrad(["check", "good.ts", "plain.ts"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("tsgrad: no problems in 2 file(s)\n");
  });

  it.concurrent(
    "fails on a tsgrad diagnostic in any of the files",
    async () => {
      const r = await tsgrad(["check", "good.ts", "random.ts"], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/error TS90003:/);
      expect(r.stderr).toContain("tsgrad: found 1 error");
    },
  );

  it.concurrent(
    "uses strict defaults when there is no tsconfig.json",
    async () => {
      // Only meaningful if nothing above the temporary directory has a tsconfig.json.
      if (ts.findConfigFile(bare, ts.sys.fileExists)) return;
      const r = await tsgrad(["check", "implicitAny.ts"], bare);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/implicitAny\.ts\(1,19\): error TS7006:/);
    },
  );
});

describe("usage", () => {
  it.each([
    ["--help"],
    ["-h"],
    ["emit", "--help"],
    ["check", "--help"],
    ["check", "-h", "does-not-matter.ts"],
  ])("tsgrad %s prints usage and exits 0", async (...args) => {
    const r = await tsgrad(args, dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage:|\nUsage:/);
    expect(r.stderr).toBe("");
  });

  it("tsgrad emit --help describes --out", async () => {
    const r = await tsgrad(["emit", "--help"], dir);
    expect(r.stdout).toContain("--out DIR");
  });

  it("tsgrad --version prints the package version", async () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.join(ROOT, "package.json"), "utf8"),
    ) as { version: string };
    const r = await tsgrad(["--version"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it.each([
    [[], "no command given"],
    [["frob", "good.ts"], "unknown command 'frob'"],
    [["emit", "good.ts", "--bogus"], "unknown option '--bogus'"],
    [["check", "-x", "good.ts"], "unknown option '-x'"],
    [["emit"], "emit needs a FILE.ts"],
    [["check"], "check needs a FILE.ts"],
    [["emit", "good.ts", "--out"], "--out needs a directory"],
    [["emit", "--out", "--help", "good.ts"], "--out needs a directory"],
    [["emit", "missing.ts"], "file 'missing.ts' does not exist"],
    [["check", "good.ts", "missing.ts"], "file 'missing.ts' does not exist"],
    [["emit", "notes.txt"], "'notes.txt' is not a TypeScript file"],
    [["emit", "folder.ts"], "'folder.ts' is not a file"],
    [["emit", "good.ts", "plain.ts"], "emit takes one FILE.ts, got 2"],
    [["check", "good.ts", "--out", "out"], "--out is only for tsgrad emit"],
  ] as const)("tsgrad %j exits 2 saying %s", async (args, message) => {
    const r = await tsgrad(args, dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toContain("run tsgrad --help");
  });
});

// The command line's own I/O (issue 11, finding 7): a path the system will not
// take is the user's to fix, said in one line with exit status 2, never an
// "internal error" and never a hang (node's recursive mkdir loops forever
// under /proc). The tests run as root, so a file in the way and /proc stand in
// for a directory without permission.
describe("unwritable output", () => {
  /** stderr is one line saying what was wrong, exit 2, nothing written to stdout. */
  const oneLine = (r: Run, what: RegExp): void => {
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(what);
  };

  it.concurrent("--out naming a file", async () => {
    write(dir, "in-the-way", "a file\n");
    oneLine(await tsgrad(["emit", "good.ts", "--out", "in-the-way"], dir), /^tsgrad: 'in-the-way' is a file, not a directory/);
  });

  it.concurrent("--out below a file", async () => {
    write(dir, "in-the-way-2", "a file\n");
    oneLine(await tsgrad(["emit", "good.ts", "--out", "in-the-way-2/sub/dir"], dir), /^tsgrad: 'in-the-way-2' is a file, not a directory/);
  });

  it.concurrent("--out where the system refuses a directory (/proc)", async () => {
    if (!fs.existsSync("/proc/self")) return;
    oneLine(await tsgrad(["emit", "good.ts", "--out", "/proc/tsgrad-out/sub"], dir), /^tsgrad: cannot create the directory '\/proc\/tsgrad-out' \(ENOENT/);
    oneLine(await tsgrad(["emit", "good.ts", "--out", "/proc/self"], dir), /^tsgrad: cannot write '\/proc\/self\/good\.grad\.ts' \(/);
  }, 60_000);

  it.concurrent("--out where a directory stands in the file's place", async () => {
    fs.mkdirSync(path.join(dir, "taken", "good.grad.ts"), { recursive: true });
    oneLine(await tsgrad(["emit", "good.ts", "--out", "taken"], dir), /^tsgrad: cannot write 'taken\/good\.grad\.ts' \(EISDIR/);
  });

  it.concurrent("standard output on a full disk", async () => {
    if (!fs.existsSync("/dev/full")) return;
    const r = await new Promise<Run>((resolve) => {
      const out = fs.openSync("/dev/full", "w");
      const child = spawn(process.execPath, [CLI, "check", "good.ts"], { cwd: dir, stdio: ["ignore", out, "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => {
        fs.closeSync(out);
        resolve({ status: status ?? -1, stdout: "", stderr });
      });
    });
    oneLine(r, /^tsgrad: cannot write to standard output \(ENOSPC/);
  });

  it.concurrent("a reader that stops early: the rest is dropped quietly, the exit status kept", async () => {
    // More than a pipe holds, so the CLI is still writing when the reader goes.
    const terms = Array.from({ length: 1500 }, (_, i) => `${(i % 7) + 1} * x * y`).join(" + ");
    write(dir, "long-output.ts", `import { grad } from "tsgrad";\nfunction f(x: number, y: number): number {\n  return ${terms};\n}\nexport const g = grad(f, [0, 1]);\n`);
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [CLI, "emit", "long-output.ts"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stdout.once("data", () => child.stdout.destroy());
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status: status ?? -1, stdout: "", stderr }));
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);
});
