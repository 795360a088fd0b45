// Passive code over a differentiated parameter. Takes: an IR body and the
// variables that depend on the differentiated parameters. Guarantees: no
// passive expression (desugar/passive.ts) whose value holds numbers reads one
// of them, and no integer function of Math (Math.imul, the hash of a seeded
// generator) is given one: such code runs as data, so the derivative its
// numbers carry would be lost; it is refused where the user wrote it instead.

import { ts } from "./ts.js";
import { Code, fail } from "./diagnostics.js";
import { type Stmt, exprsOf, walkExpr, walkStmts } from "./ir.js";
import { readsVaried } from "./stop.js";

export function refusePassiveReads(body: readonly Stmt[], varied: ReadonlySet<string>): void {
  walkStmts(body, (s) => {
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind === "call" && x.callee.kind === "math" && x.callee.node && x.args.some((a) => readsVaried(a, varied))) refuseInteger(x.callee.name, x.callee.node);
        if (x.kind !== "call" || x.callee.kind !== "passive" || !x.callee.numeric) return;
        if (!x.args.some((a) => readsVaried(a, varied))) return;
        const node = ts.getOriginalNode(x.callee.node);
        const text = node.pos >= 0 && node.getSourceFile() ? node.getText().replace(/\s+/g, " ") : "this expression";
        fail(
          Code.Unsupported,
          node,
          `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}' runs as written over data that is differentiated here, so the derivative of the numbers it gives would be lost; test the constants inside the loop or method that reads the numbers (for (const t of tokens) if (t.text !== PAD) s += t.weight), or differentiate another parameter.`,
        );
      });
    }
  });
}

/** `Math.imul(x, k)` of a differentiated `x`: the bits it mixes have no derivative tsgrad would stand behind. */
function refuseInteger(name: string, at: ts.Node): never {
  const node = ts.getOriginalNode(at);
  const text = node.pos >= 0 && node.getSourceFile() ? node.getText().replace(/\s+/g, " ") : `Math.${name}(...)`;
  return fail(
    Code.UnknownMath,
    node,
    `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}' is given a value computed from the differentiated parameters; Math.${name} is an integer operation, which tsgrad runs only on values that do not depend on them (the state of a seeded random generator, a counter). Compute its arguments from those alone, or wrap the value in stopGradient(...) if a zero derivative is what you mean.`,
  );
}
