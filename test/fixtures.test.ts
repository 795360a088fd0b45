// Golden fixtures: each fixtures/<name>.ts is compiled through the transformer;
// the code `tsgrad emit` prints for it must equal fixtures/<name>.grad.ts to the
// letter, and every gradient it declares (fixtures/check.ts) is checked against
// finite differences and known values. `npm run fixtures:update` rewrites the
// golden files after an intended change to the emitted code.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { Arg, Check } from "../fixtures/check.js";
import { emitted, formatDiagnostics, load } from "./harness.js";
import { FIXTURES, fixtureNames, fixturesCompiled } from "./fixture-program.js";
import { argumentGradient, leaves } from "./numeric.js";
import { stackDepth } from "../runtime/index.js";

const DIR = FIXTURES;
const UPDATE = process.env.UPDATE_FIXTURES === "1";
const names = fixtureNames;

// Shared with the other test files of this worker that read the fixtures (test/fixture-program.ts).
const compiled = fixturesCompiled();

describe("fixtures compile without diagnostics", () => {
  it("has no errors", () => {
    expect(formatDiagnostics(compiled.diagnostics)).toBe("");
  });
});

describe.each(names)("fixture %s", (name) => {
  const file = path.join(DIR, `${name}.ts`);
  const golden = path.join(DIR, `${name}.grad.ts`);

  it("emits the golden code", async () => {
    const code = await emitted(compiled, file);
    if (UPDATE) {
      if (code) fs.writeFileSync(golden, code);
      else if (fs.existsSync(golden)) fs.rmSync(golden);
      return;
    }
    const expected = fs.existsSync(golden) ? fs.readFileSync(golden, "utf8") : "";
    expect(code).toBe(expected);
  });

  let checks: Check[] = [];
  let loadError: unknown;
  try {
    checks = (load(compiled, file).checks ?? []) as Check[];
  } catch (e) {
    loadError = e;
  }
  it("runs", () => {
    if (loadError) throw loadError;
  });
  it.each(checks.map((c) => [c.name, c] as const))("gradient of %s", (_n, check) => {
    check.at.forEach((point, p) => {
      const call = check.grad as (...args: Arg[]) => unknown;
      const f = check.f as (...args: Arg[]) => number;
      const out = call(...point);
      // Every value the forward sweep saved, the backward sweep read back.
      expect(stackDepth(), `runtime stacks after ${check.name}`).toEqual({ values: 0, control: 0 });
      let gradient: unknown = out;
      if (check.kind === "valueAndGrad") {
        const [value, g] = out as [number, unknown];
        expect(Object.is(value, f(...point)), `value of ${check.name} at ${point}`).toBe(true);
        gradient = g;
      }
      // Each gradient has its parameter's kind: number, number[] or Float64Array.
      check.wrt.forEach((w, i) => {
        const arg = point[w]!;
        const tuple = check.wrt.length > 1 || check.tuple === true;
        const part = tuple ? (gradient as unknown[])[i] : gradient;
        expect(sameShape(part, arg), `gradient ${i} of ${check.name} has the shape of its parameter`).toBe(true);
      });
      const got = leaves(gradient);
      const known = check.expect?.[p];
      if (known) {
        expect(got).toHaveLength(known.length);
        known.forEach((k, i) => {
          const g = got[i]!;
          if (!Number.isFinite(k)) expect(g, `${check.name} at ${point}`).toBe(k);
          else expect(Math.abs(g - k), `${check.name}[${i}] at ${point}: ${g} vs ${k}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(k)));
        });
      }
      if (check.finiteDifferences !== false) {
        const fd = check.wrt.flatMap((w) => argumentGradient(f, point, w));
        expect(got).toHaveLength(fd.length);
        fd.forEach((d, i) => {
          const g = got[i]!;
          expect(Math.abs(g - d), `${check.name} component ${i} at ${JSON.stringify(point)}: ${g} vs finite differences ${d}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(d)));
        });
      }
    });
  });
});

/** Whether a gradient has its parameter's structure and array kinds. */
function sameShape(g: unknown, arg: unknown): boolean {
  if (typeof arg === "number") return typeof g === "number";
  // A record's constants (an id, a flag) are in its gradient as they are in the argument.
  if (typeof arg === "string" || typeof arg === "boolean") return g === arg;
  if (arg instanceof Float64Array) return g instanceof Float64Array && g.length === arg.length;
  if (Array.isArray(arg)) {
    return Array.isArray(g) && g.length === arg.length && arg.every((a, i) => sameShape(g[i], a));
  }
  if (arg && typeof arg === "object" && g && typeof g === "object") {
    const keys = Object.keys(arg);
    return keys.length === Object.keys(g).length && keys.every((k) => sameShape((g as Record<string, unknown>)[k], (arg as Record<string, unknown>)[k]));
  }
  return false;
}
