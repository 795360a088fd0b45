// `npm test`'s first step: the build (tsc -p ., whose dist/ the tests of the
// compiled package use) and the type-check of the tests (tsc -p
// test/tsconfig.json, no output) side by side. Each is one thread, so one
// after the other they left the second core idle for the whole build (some
// 30 s of CPU, against 45 s for the type-check). The type-check reads no file
// the build writes. Each one's output is printed when it ends, under its
// command line; the step fails if either does.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const projects = [".", "test/tsconfig.json"];

const runs = projects.map(
  (project) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [tsc, "-p", project], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk) => (out += chunk));
      child.on("error", (e) => resolve({ project, status: 1, out: `${out}${e.message}\n` }));
      child.on("close", (status) => resolve({ project, status, out }));
    }),
);

let failed = false;
for (const { project, status, out } of await Promise.all(runs)) {
  if (status !== 0 || out) process.stdout.write(`> tsc -p ${project}${status === 0 ? "" : ` (exit ${status})`}\n${out}`);
  failed ||= status !== 0;
}
process.exit(failed ? 1 : 0);
