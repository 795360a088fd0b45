// Side effects in differentiated code (issue 12, item 8): console.log and calls
// made for their effect run in the forward sweep exactly once per gradient
// call: not again when the tape was too short, not again in a callee's adjoint.

import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compile, load, ROOT } from "./harness.js";
import { tape } from "../runtime/index.js";

const file = path.join(ROOT, "fixtures/effects.ts");
const compiled = compile([file]);
const mod = load(compiled, file) as Record<string, (...args: number[]) => unknown>;
const checks = mod.checks as unknown as { name: string; grad: (...args: number[]) => unknown }[];
const gradOf = (name: string) => checks.find((c) => c.name === name)!.grad;

afterEach(() => vi.restoreAllMocks());

/** Every console call `run` makes, as [method, ...args]. */
function consoleCalls(run: () => void): unknown[][] {
  const calls: unknown[][] = [];
  for (const method of ["log", "info", "warn"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void calls.push([method, ...args]));
  }
  run();
  return calls;
}

describe("effects run once per gradient call", () => {
  it("logs each loop iteration once, as f does", () => {
    const expected = consoleCalls(() => mod.iterate!(0.3, 4));
    const got = consoleCalls(() => gradOf("log in a loop")(0.3, 4));
    expect(got).toEqual(expected);
    expect(got).toHaveLength(5);
  });

  it("logs once even when the tape must grow during the forward sweep", () => {
    // A tape far too short for 5000 saved values: a rerun of the forward sweep would log twice.
    const saved = tape.values;
    tape.values = new Float64Array(4);
    try {
      const got = consoleCalls(() => gradOf("log in a loop")(0.3, 5000));
      expect(got.filter(([m]) => m === "log")).toHaveLength(5000);
    } finally {
      // Test files share the runtime (vitest isolate: false): leave its tape as long as it was.
      tape.values = saved;
    }
  });

  it("a callee's adjoint does not log again", () => {
    const expected = consoleCalls(() => mod.outer!(0.5));
    const got = consoleCalls(() => gradOf("callee that logs")(0.5));
    expect(expected).toHaveLength(2);
    expect(got).toEqual(expected);
  });

  it("a helper called for its effect and a branch's warning run as in f", () => {
    for (const x of [1.5, 3]) {
      const expected = consoleCalls(() => mod.checked!(x));
      expect(consoleCalls(() => gradOf("helper for its effect")(x))).toEqual(expected);
    }
  });
});
