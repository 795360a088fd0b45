// tsgrad as a GradBench tool: reads the protocol's messages from stdin, one JSON
// object per line, and writes one response line each to stdout. Nothing else
// goes to stdout; diagnostics go to stderr. Exits when stdin ends.
//
//   node gradbench/dist/run.mjs
import { createInterface } from "node:readline";
import { modules } from "./modules/index.mjs";
import type { Message, Runs, Timing } from "./protocol.mjs";

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `message.function` once untimed, then at least min_runs times and until the timed runs add up to min_seconds. */
function evaluate(message: Message): object {
  const mod = message.module === undefined ? undefined : modules[message.module];
  if (mod === undefined) return { success: false, error: `tsgrad does not implement module ${JSON.stringify(message.module)}` };
  const fn = message.function === undefined || !Object.hasOwn(mod, message.function) ? undefined : mod[message.function];
  if (fn === undefined) {
    return {
      success: false,
      error: `module ${message.module} has no function ${JSON.stringify(message.function)} (it has ${Object.keys(mod).join(", ")})`,
    };
  }
  const input = message.input;
  const runs: Runs = typeof input === "object" && input !== null ? (input as Runs) : {};
  const minRuns = Math.max(1, Math.floor(runs.min_runs ?? 1));
  const minNanoseconds = BigInt(Math.round((runs.min_seconds ?? 0) * 1e9));

  const prepared = fn(input);
  // One untimed run first, reported as a "warmup" timing, as GradBench's Julia tools do
  // (GradBench.jl's `run`: preprocess, one "warmup" call, then the "evaluate" loop): GradBench
  // averages only the "evaluate" timings, and a JIT's first call of a function (here V8's
  // interpreter, then on-stack replacement into optimised code) is compilation, not the
  // function. A workload of ~100 ms gets only a few runs in min_seconds, so that first call
  // would otherwise weigh in the mean.
  const warmupStart = process.hrtime.bigint();
  let result: unknown = prepared.run();
  const timings: Timing[] = [{ name: "warmup", nanoseconds: Number(process.hrtime.bigint() - warmupStart) }];
  let evaluated = 0;
  let total = 0n;
  do {
    const start = process.hrtime.bigint();
    result = prepared.run();
    const elapsed = process.hrtime.bigint() - start;
    total += elapsed;
    evaluated++;
    timings.push({ name: "evaluate", nanoseconds: Number(elapsed) });
  } while (evaluated < minRuns || total < minNanoseconds);
  return { success: true, output: prepared.output(result), timings };
}

function respond(line: string): object | undefined {
  let message: Message;
  try {
    message = JSON.parse(line) as Message;
  } catch (e) {
    process.stderr.write(`tsgrad: ignoring a line that is not JSON: ${errorMessage(e)}\n`);
    return undefined;
  }
  const id = message.id;
  switch (message.kind) {
    case "start":
      return { id, tool: "tsgrad" };
    case "define": {
      const known = message.module !== undefined && Object.hasOwn(modules, message.module);
      return known ? { id, success: true } : { id, success: false, error: `tsgrad does not implement module ${JSON.stringify(message.module)}` };
    }
    case "evaluate":
      try {
        return { id, ...evaluate(message) };
      } catch (e) {
        process.stderr.write(`tsgrad: ${message.module}.${message.function} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
        return { id, success: false, error: errorMessage(e) };
      }
    default:
      return { id };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
lines.on("line", (line) => {
  if (line.trim() === "") return;
  const response = respond(line);
  if (response !== undefined) process.stdout.write(JSON.stringify(response) + "\n");
});
// When stdin ends, readline closes and nothing keeps the process alive: it exits
// once stdout has drained (process.exit here could cut off a long last line, as
// writes to a pipe may be asynchronous).
