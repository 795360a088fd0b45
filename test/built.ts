// Whether dist/ holds the build of the current sources. `npm test` builds
// first, so the tests that need the compiled package (the CLI, the packed
// tarball, the language service) use dist/ as it is, and build only when run
// on their own after an edit: rebuilding dist/ in a test cost a whole tsc run
// each, and rewrote files another test file running at the same time loads.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** The folders tsconfig.json compiles, and an output of each that every build writes. */
const BUILT: readonly (readonly [string, string])[] = [
  ["transformer", "dist/transformer/index.js"],
  ["runtime", "dist/runtime/index.js"],
  ["bin", "dist/bin/tsgrad.js"],
  ["loader", "dist/loader/register.js"],
];

function newest(dir: string): number {
  let time = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(file));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".mts"))
      time = Math.max(time, fs.statSync(file).mtimeMs);
  }
  return time;
}

/** True when an output is missing or older than a source (or tsconfig.json, package.json). */
export function distIsStale(): boolean {
  const outputs = BUILT.map(([, out]) => path.join(ROOT, out));
  if (outputs.some((out) => !fs.existsSync(out))) return true;
  const built = Math.min(...outputs.map((out) => fs.statSync(out).mtimeMs));
  const sources = Math.max(
    ...BUILT.map(([dir]) => newest(path.join(ROOT, dir))),
    ...["tsconfig.json", "package.json"].map(
      (f) => fs.statSync(path.join(ROOT, f)).mtimeMs,
    ),
  );
  return sources > built;
}
