// The `tsgrad` entry exports every runtime function, each as a plain data
// property of the CommonJS build (a getter would keep V8 from inlining the
// calls generated backward sweeps make in their hottest loops).

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as adjoints from "../runtime/adjoints.js";
import * as reductions from "../runtime/reductions.js";
import * as stack from "../runtime/stack.js";
import * as tangents from "../runtime/tangents.js";
import * as tensor from "../runtime/tensor.js";
import * as transforms from "../runtime/transforms.js";
import { ROOT } from "./harness.js";

const modules = { adjoints, reductions, stack, tangents, tensor, transforms };

describe("the tsgrad entry", () => {
  const built = path.join(ROOT, "dist/runtime/index.js");
  const descriptors = JSON.parse(
    execFileSync(process.execPath, [
      "-e",
      `const m = require(${JSON.stringify(built)}); console.log(JSON.stringify(Object.fromEntries(Object.keys(m).map((k) => { const d = Object.getOwnPropertyDescriptor(m, k); return [k, "value" in d ? typeof d.value : "getter"]; }))))`,
    ]).toString(),
  ) as Record<string, string>;

  for (const [name, mod] of Object.entries(modules)) {
    it(`exports every function of runtime/${name}.ts as a plain property`, () => {
      for (const [key, value] of Object.entries(mod)) {
        if (typeof value !== "function") continue;
        expect(descriptors[key], `${key} from ${name}`).toBe("function");
      }
    });
  }

  it("has no getters", () => {
    expect(Object.entries(descriptors).filter(([, kind]) => kind === "getter")).toEqual([]);
  });
});
