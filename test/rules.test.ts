// Every Math function SPEC §3 lists has a derivative rule, and a numeric check
// in fixtures/math.ts; no rule exists without a check.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { SUPPORTED_MATH, isIntegerMath, mathRule } from "../transformer/rules/math.js";
import { ROOT } from "./harness.js";
import { num } from "../transformer/ir.js";

const SPEC_MATH = [
  "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "cos", "cosh", "exp", "expm1",
  "hypot", "log", "log10", "log1p", "log2", "max", "min", "pow", "sin", "sinh", "sqrt", "tan", "tanh",
  "sign", "floor", "ceil", "round", "trunc",
];

const mathFixture = fs.readFileSync(path.join(ROOT, "fixtures/math.ts"), "utf8");
const checked = new Set([...mathFixture.matchAll(/\{ name: "(\w+)"/g)].map((m) => m[1]));

describe("Math rules", () => {
  it.each(SPEC_MATH)("Math.%s has a rule and a numeric check", (name) => {
    expect(mathRule(name)).toBeDefined();
    expect(mathFixture).toContain(`Math.${name}(`);
    expect(checked.has(name)).toBe(true);
  });

  it("has no rule beyond SPEC §3", () => {
    expect([...SUPPORTED_MATH].sort()).toEqual([...SPEC_MATH].sort());
  });

  it("does not treat Math.random or unknown members as differentiable", () => {
    expect(mathRule("random")).toBeUndefined();
    expect(mathRule("fround")).toBeUndefined();
    expect(mathRule("toString")).toBeUndefined();
  });

  it("runs Math.imul and Math.clz32 as integer operations: derivative 0, passive values only", () => {
    for (const name of ["imul", "clz32"]) {
      expect(isIntegerMath(name)).toBe(true);
      expect(mathRule(name)!.partials([num(3), num(5)], num(15)).every((p) => p === undefined)).toBe(true);
    }
    expect(isIntegerMath("floor")).toBe(false);
  });
});
