#!/usr/bin/env node
// `npm run gradbench`: GradBench's own evals (its Python programs, validators on) against
// tsgrad's tool and GradBench's hand-written C++ tool (`manual`) in one run, then the tables:
// per workload and geometric means of D/P, and every output compared with manual's.
//
// It drives the stand-in for GradBench's Rust runner and Docker set-up kept in
// ../shared/gradbench (see its README): run.sh builds a copy of this project, sets GradBench
// up from a git directory of its repository and runs each eval against each tool.
//
// Environment (all optional):
//   GB_GIT         a git directory (or a clone) of github gradbench/gradbench holding commit
//                  f26651a7; default ../gradbench.git, then ../.mirror/gradbench+gradbench/repo,
//                  relative to the project
//   GB_SCRIPTS     the stand-in's folder; default ../shared/gradbench relative to the project
//   GB_EVALS       default "hello gmm lse llsq lstm ba"
//   GB_TOOLS       default "tsgrad manual" (add tensorflow-js for GradBench's TF.js tool)
//   GB_ARGS_<eval> options of that eval, e.g. GB_ARGS_gmm="-d 2 10 -k 5"
//   GB_WORK        where GradBench, its venv and the logs go; default $TMPDIR/tsgrad-gradbench
//   GB_TIMEOUT, GB_MAX_SECONDS, GB_SAVE: passed to run.sh as they are
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const GRADBENCH_COMMIT = "f26651a7bcc120654fa895adecaf371b8cc059c5";
const project = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  process.stderr.write(`npm run gradbench: ${message}\n`);
  process.exit(2);
}

/** The git directory behind `dir` (a bare repository, a .git folder or a clone), if it has GradBench's commit. */
function gradbenchGitDir(dir) {
  if (!existsSync(dir)) return undefined;
  const gitDir = spawnSync("git", ["-C", dir, "rev-parse", "--absolute-git-dir"], { encoding: "utf8" });
  if (gitDir.status !== 0) return undefined;
  const found = gitDir.stdout.trim();
  const commit = spawnSync("git", ["--git-dir", found, "cat-file", "-e", `${GRADBENCH_COMMIT}^{commit}`]);
  return commit.status === 0 ? found : undefined;
}

function findGradbench() {
  const howToGet = `git clone --bare https://github.com/gradbench/gradbench ${resolve(project, "../gradbench.git")} (or set GB_GIT to a copy that has commit ${GRADBENCH_COMMIT.slice(0, 8)})`;
  if (process.env.GB_GIT) {
    const dir = resolve(process.env.GB_GIT);
    return gradbenchGitDir(dir) ?? fail(`GB_GIT=${dir} is not a git directory of GradBench with commit ${GRADBENCH_COMMIT.slice(0, 8)}; get one with ${howToGet}`);
  }
  for (const candidate of ["../gradbench.git", "../.mirror/gradbench+gradbench/repo"]) {
    const found = gradbenchGitDir(resolve(project, candidate));
    if (found !== undefined) return found;
  }
  return fail(`no git copy of GradBench found (GB_GIT unset; looked in ../gradbench.git and ../.mirror/gradbench+gradbench/repo); get one with ${howToGet}`);
}

function findScripts() {
  const dir = resolve(process.env.GB_SCRIPTS ?? join(project, "../shared/gradbench"));
  for (const script of ["run.sh", "setup.sh", "forward.py", "table.py", "strict_check.py", "summary.py"]) {
    if (!existsSync(join(dir, script))) {
      fail(`GradBench's stand-in runner is not in ${dir} (no ${script}); it lives in ../shared/gradbench beside the project, or set GB_SCRIPTS to its folder`);
    }
  }
  return dir;
}

const scripts = findScripts();
const gbGit = findGradbench();
const work = resolve(process.env.GB_WORK ?? join(tmpdir(), "tsgrad-gradbench"));
const save = resolve(process.env.GB_SAVE ?? join(work, "saved"));
const env = {
  ...process.env,
  GB_GIT: gbGit,
  GB_WORK: work,
  GB_SAVE: save,
  GB_EVALS: process.env.GB_EVALS ?? "hello gmm lse llsq lstm ba",
  GB_TOOLS: process.env.GB_TOOLS ?? "tsgrad manual",
};
console.log(`GradBench ${GRADBENCH_COMMIT.slice(0, 8)} from ${gbGit}; evals: ${env.GB_EVALS}; tools: ${env.GB_TOOLS}; work: ${work}`);

// table.py tabulates every eval folder under out/: clear the previous run's, or a run of a few
// evals would print stale tables for the others.
rmSync(join(work, "out"), { recursive: true, force: true });

// run.sh ends with the path of the tables and a one-line summary: print the tables first, the summary last.
const run = spawn("bash", [join(scripts, "run.sh"), project], { env, stdio: ["ignore", "pipe", "inherit"] });
let summary = "";
createInterface({ input: run.stdout }).on("line", (line) => {
  if (line.startsWith("gradbench: valid")) summary = line;
  else if (!line.startsWith("tables: ")) console.log(line);
});
run.on("close", (code) => {
  const tables = join(save, "tables.md");
  if (code !== 0 || !existsSync(tables) || summary === "") {
    process.stderr.write(`npm run gradbench: run.sh failed (exit ${code}); logs in ${join(work, "out")}\n`);
    process.exit(1);
  }
  console.log(`\n${readFileSync(tables, "utf8").trimEnd()}\n\n(tables saved in ${tables})\n${summary}`);
  // Exit 1 when GradBench rejected an output or the run had failures (a crash, a timeout, a failed evaluation).
  const [, passed, total] = /valid (\d+)\/(\d+)/.exec(summary) ?? [];
  const anomalies = readFileSync(tables, "utf8").split("## Failures and anomalies")[1]?.split("\n## ")[0]?.trim();
  process.exit(passed === total && anomalies === "none" ? 0 : 1);
});
