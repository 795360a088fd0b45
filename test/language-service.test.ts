// The language-service plugin, driven as an editor drives it: tsserver started
// from a TypeScript package, talking its protocol, in a small project whose
// tsconfig names { "name": "tsgrad/language-service" } and which has tsgrad
// linked into its node_modules. Once with TypeScript 6.0 (the plugin reads
// tsserver's own program) and once with TypeScript 5.9 (another version than
// tsgrad's: the plugin reads a program of its own).

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distIsStale } from "./built.js";
import { TsServer } from "./tsserver.js";

const ROOT = path.resolve(__dirname, "..");

const MODEL = `import { grad } from "tsgrad";

export function f(x: number): number {
  return 3 * x * x;
}

export const df = grad(f);

export function noisy(x: number): number {
  return x * Math.random();
}

export const dn = grad(noisy);

export const d2 = grad(grad(f));
`;

let tmp: string;
let project: string;

beforeAll(() => {
  fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  tmp = fs.mkdtempSync(path.join(ROOT, ".tmp", "ls-"));
  // The package as npm would lay it out (package.json beside dist/), built into
  // its own folder (dist/ copied, or built there when a source is newer).
  const pkg = path.join(tmp, "tsgrad");
  fs.mkdirSync(pkg);
  for (const f of ["package.json", "language-service.js"]) fs.copyFileSync(path.join(ROOT, f), path.join(pkg, f));
  if (distIsStale()) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", ROOT, "--outDir", path.join(pkg, "dist")], { encoding: "utf8" });
  } else {
    fs.cpSync(path.join(ROOT, "dist"), path.join(pkg, "dist"), { recursive: true });
  }

  project = path.join(tmp, "project");
  fs.mkdirSync(path.join(project, "src"), { recursive: true });
  fs.mkdirSync(path.join(project, "node_modules"));
  fs.symlinkSync(pkg, path.join(project, "node_modules", "tsgrad"), "dir");
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "ls-project", private: true }));
  const compilerOptions = {
    strict: true,
    target: "ES2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    skipLibCheck: true,
    types: [],
    plugins: [{ transform: "tsgrad/transformer" }, { name: "tsgrad/language-service" }],
  };
  fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  fs.writeFileSync(path.join(project, "src", "model.ts"), MODEL);
}, 180_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** 1-based line and offset of the `occurrence`-th `needle` in `text`, plus `shift` characters. */
function locate(text: string, needle: string, occurrence = 1, shift = 0): { line: number; offset: number } {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' #${occurrence} is not in the text`);
  }
  at += shift;
  const before = text.slice(0, at).split("\n");
  return { line: before.length, offset: before[before.length - 1]!.length + 1 };
}

interface ProtocolDiagnostic {
  readonly code: number;
  readonly text: string;
  readonly start: { line: number; offset: number };
}

interface QuickInfo {
  readonly displayString: string;
  readonly documentation: string;
}

interface RefactorInfo {
  readonly name: string;
  readonly actions: readonly { name: string; description: string }[];
}

interface RefactorEdits {
  readonly edits: readonly { fileName: string; textChanges: readonly { start: { line: number; offset: number }; newText: string }[] }[];
}

const SERVERS = [
  { typescript: "6.0", tsserver: "typescript/lib/tsserver.js" },
  { typescript: "5.9", tsserver: "typescript59/lib/tsserver.js" },
];

describe.each(SERVERS)("tsserver of TypeScript $typescript with tsgrad/language-service", ({ tsserver }) => {
  let server: TsServer;
  let file: string;
  let text = MODEL;

  const diagnostics = async (): Promise<ProtocolDiagnostic[]> => {
    const r = await server.request("semanticDiagnosticsSync", { file });
    expect(r.success, r.message).toBe(true);
    return r.body as ProtocolDiagnostic[];
  };
  const quickinfo = async (needle: string, occurrence = 1): Promise<QuickInfo> => {
    const r = await server.request("quickinfo", { file, ...locate(text, needle, occurrence) });
    expect(r.success, r.message).toBe(true);
    return r.body as QuickInfo;
  };
  /** Replaces the first `from` with `to`, as typing does. */
  const type = (from: string, to: string): void => {
    const start = locate(text, from);
    const end = locate(text, from, 1, from.length);
    server.notify("change", { file, line: start.line, offset: start.offset, endLine: end.line, endOffset: end.offset, insertString: to });
    text = text.replace(from, to);
  };

  beforeAll(async () => {
    file = path.join(project, "src", "model.ts");
    server = new TsServer(
      path.join(ROOT, "node_modules", tsserver),
      ["--pluginProbeLocations", project, "--disableAutomaticTypingAcquisition", "--locale", "en", ...(process.env.TSSERVER_LOG ? ["--logVerbosity", "verbose", "--logFile", process.env.TSSERVER_LOG] : [])],
      project,
    );
    server.notify("open", { file, fileContent: MODEL, projectRootPath: project });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it("shows tsgrad's diagnostic as a semantic error at the construct", async () => {
    const all = await diagnostics();
    expect(all.map((d) => d.code)).toEqual([90003]);
    const [random] = all;
    expect(random!.start).toEqual(locate(MODEL, "Math.random()"));
    expect(random!.text).toMatch(/^tsgrad: Math\.random\(\) gives a different value on every call/);
  });

  it("shows the generated function in the quick info of a transform call", async () => {
    const info = await quickinfo("grad(f)");
    expect(info.displayString).toMatch(/grad/);
    expect(info.documentation).toContain("tsgrad generates:\n```ts\nfunction f_grad(x: number): number {");
    expect(info.documentation).toMatch(/const x_bar = .*;\n\s+return x_bar;/);
  });

  it("shows the whole generated code on the inner transform of a nested one", async () => {
    const inner = await quickinfo("grad(f))");
    // d²/dx² of 3x², folded to the constant.
    expect(inner.documentation).toMatch(/function f_grad_grad\(x: number\): number \{\n\s+return 6;\n\}/);
  });

  it("says why in the quick info of a refused call", async () => {
    const info = await quickinfo("grad(noisy)");
    expect(info.documentation).toContain(
      "tsgrad refused this call: tsgrad refused grad(noisy) at src/model.ts:13:19 — TS90003 at src/model.ts:10:14: Math.random() gives",
    );
  });

  it("leaves the quick info of other code alone", async () => {
    const info = await quickinfo("f(x: number)");
    expect(info.displayString).toBe("function f(x: number): number");
    expect(info.documentation).not.toContain("tsgrad");
  });

  it("offers the refactor 'Show generated derivative' on a call, which writes the code above its statement", async () => {
    const at = locate(text, "grad(f)");
    const offered = await server.request("getApplicableRefactors", { file, ...at });
    const ours = (offered.body as RefactorInfo[]).find((r) => r.name === "tsgrad");
    expect(ours?.actions.map((a) => a.description)).toEqual(["Show generated derivative"]);

    const r = await server.request("getEditsForRefactor", { file, ...at, refactor: "tsgrad", action: ours!.actions[0]!.name });
    expect(r.success, r.message).toBe(true);
    const [edit] = (r.body as RefactorEdits).edits;
    expect(edit!.fileName).toBe(file);
    const [change] = edit!.textChanges;
    expect(change!.start).toEqual({ line: locate(text, "export const df").line, offset: 1 });
    expect(change!.newText).toMatch(/^\/\/ tsgrad: the code generated for grad\(f\) .*\n\/\/ function f_grad\(x: number\): number \{\n/);
    expect(change!.newText.split("\n").filter((l) => l !== "").every((l) => l.startsWith("//"))).toBe(true);

    const elsewhere = await server.request("getApplicableRefactors", { file, ...locate(text, "3 * x") });
    expect((elsewhere.body as RefactorInfo[]).some((x) => x.name === "tsgrad")).toBe(false);
  });

  it("updates the diagnostics while the user types", async () => {
    type("Math.random()", "Math.sin(x)");
    expect(await diagnostics()).toEqual([]);
    const info = await quickinfo("grad(noisy)");
    expect(info.documentation).toContain("function noisy_grad(x: number): number");

    type("3 * x * x", "3 * x * Date.now()");
    const now = await diagnostics();
    expect(now.map((d) => d.code)).toEqual([90003]);
    expect(now[0]!.start).toEqual(locate(text, "Date.now()"));
  });
});
