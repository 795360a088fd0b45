// A one-line rendering of IR, for the `// adjoint of:` comment above the
// adjoint of a statement that tsgrad generated itself (second derivatives).

import type { BinaryExpr, Expr, Stmt } from "./ir.js";
import { OPERATORS } from "./rules/math.js";
import { printedAsWritten } from "./passive.js";
import { ts } from "./ts.js";

const PRECEDENCE: Record<string, number> = {
  "||": 1, "&&": 2, "===": 3, "!==": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "**": 7,
};

export function printExpr(e: Expr, outer = 0): string {
  switch (e.kind) {
    case "num":
      return e.value < 0 ? `(${e.value})` : String(e.value);
    case "bool":
      return String(e.value);
    case "literal":
      return e.value === undefined ? "undefined" : JSON.stringify(e.value);
    case "var":
    case "free":
      return e.name;
    case "neg":
      return `-${printExpr(e.arg, 8)}`;
    case "not":
      return `!${printExpr(e.arg, 8)}`;
    case "binary": {
      // Down a chain's left operands in a loop (it may nest thousands deep), then
      // out again, parenthesising each operation that binds looser than the one around it.
      const chain: BinaryExpr[] = [e];
      let leaf = e.left;
      for (; leaf.kind === "binary"; leaf = leaf.left) chain.push(leaf);
      let text = printExpr(leaf, PRECEDENCE[chain[chain.length - 1]!.op]!);
      for (let i = chain.length - 1; i >= 0; i--) {
        const node = chain[i]!;
        const p = PRECEDENCE[node.op]!;
        text = `${text} ${node.op} ${printExpr(node.right, p + 1)}`;
        if (p < (i > 0 ? PRECEDENCE[chain[i - 1]!.op]! : outer)) text = `(${text})`;
      }
      return text;
    }
    case "cond": {
      const text = `${printExpr(e.test, 1)} ? ${printExpr(e.then)} : ${printExpr(e.else)}`;
      return outer > 0 ? `(${text})` : text;
    }
    case "call": {
      const args = e.args.map((a) => printExpr(a)).join(", ");
      if (e.callee.kind === "math") {
        if (e.callee.name === "~") return `~${printExpr(e.args[0]!, 8)}`;
        if (OPERATORS.has(e.callee.name)) return `${printExpr(e.args[0]!, 7)} ${e.callee.name} ${printExpr(e.args[1]!, 7)}`;
        return `Math.${e.callee.name}(${args})`;
      }
      if (e.callee.kind === "passive") return passiveText(e.callee.node, e.callee.holes, e.args);
      const name = e.callee.kind === "runtime" || e.callee.kind === "global" ? e.callee.name : e.callee.kind === "rule" ? `${e.callee.fn.name}.rule` : e.callee.fn.name;
      return `${name}(${args})`;
    }
    case "index":
      return `${printExpr(e.array, 9)}[${printExpr(e.index)}]`;
    case "length":
      return `${printExpr(e.array, 9)}.length`;
    case "alloc":
      return `new ${e.records ? "Array" : "Float64Array"}(${printExpr(e.size)})`;
    case "tuple":
      return `[${e.items.map((x) => printExpr(x)).join(", ")}]`;
    case "function":
      return e.fn.name;
    case "field":
      return /^\d+$/.test(e.name) ? `${printExpr(e.object, 9)}[${e.name}]` : `${printExpr(e.object, 9)}.${e.name}`;
    case "object":
      return e.isTuple
        ? `[${e.fields.map(([, x]) => printExpr(x)).join(", ")}]`
        : `{ ${e.fields.map(([k, x]) => `${k}: ${printExpr(x)}`).join(", ")} }`;
  }
}

export function printStmt(s: Stmt): string {
  switch (s.kind) {
    case "let":
      return `${s.mutable ? "let" : "const"} ${s.name}${s.init ? ` = ${printExpr(s.init)}` : ""}`;
    case "assign":
      return `${s.name} = ${printExpr(s.value)}`;
    case "if":
      return `if (${printExpr(s.test)})`;
    case "return":
      return `return ${printExpr(s.value)}`;
    case "store":
      return `${s.array}[${printExpr(s.index)}] = ${printExpr(s.value)}`;
    case "effect":
      return printExpr(s.call);
    case "loop":
      return s.doWhile ? `do ... while (${printExpr(s.test)})` : `loop while (${printExpr(s.test)})`;
    case "throw":
      return `throw new ${s.error}(${s.args.map((a) => printExpr(a)).join(", ")})`;
    case "break":
    case "continue":
      return s.kind;
  }
}

/**
 * Code that runs as written (desugar/passive.ts): the user's text, or for code
 * a pass built (`universe.get(key)` of desugar/record-maps.ts, which has no
 * position) that code with each hole replaced by its argument, so that two
 * lookups with different keys do not print alike.
 */
function passiveText(node: ts.Expression, holes: ReadonlyMap<ts.Identifier, number>, args: readonly Expr[]): string {
  if (node.pos >= 0 && (node.getSourceFile() as ts.SourceFile | undefined)) return node.getText();
  const given = args.map((a) => ts.factory.createIdentifier(printExpr(a)));
  const printer = ts.createPrinter({ removeComments: true });
  return printer.printNode(ts.EmitHint.Expression, printedAsWritten(node, holes, given), ts.createSourceFile("passive.ts", "", ts.ScriptTarget.Latest));
}
