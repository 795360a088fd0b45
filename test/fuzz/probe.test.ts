import * as fs from "node:fs";
import * as path from "node:path";
import { it } from "vitest";
import { formatDiagnostics, load } from "../harness.js";
import { compileCached } from "./compile.js";
it("probe", () => {
  const dir = process.env.PROBE_DIR ?? "/tmp/fz";
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort().map((f) => path.join(dir, f));
  for (const f of files) {
    console.log(`==== ${path.basename(f)}`);
    let c;
    try {
      c = compileCached([f]);
    } catch (e) {
      console.log("CRASH", String(e).slice(0, 300));
      continue;
    }
    const d = formatDiagnostics(c.diagnostics);
    if (d) console.log(d);
    if (process.env.PROBE_JS) console.log(c.js.get(f));
    try {
      const m = load(c, f);
      const run = m.run as (() => unknown) | undefined;
      if (run) console.log(JSON.stringify(run()));
    } catch (e) { console.log("run error", String(e).slice(0, 200)); }
  }
});
