// Every message tsgrad can produce is for users (issue 11, finding 6): it names
// the construct as the user wrote it, never a compiler node kind, and says what
// to do. The messages are found where they are made: every fail(...) and
// new DiffError(...) in transformer/, and the message builders they call.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./harness.js";

interface Message {
  readonly where: string;
  /** The message with each interpolation as «…». */
  readonly text: string;
  /** The source of the expressions it interpolates. */
  readonly parts: readonly string[];
}

const DIR = path.join(ROOT, "transformer");
const files = fs.readdirSync(DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => path.join(DIR, f));

/** The message texts an expression can evaluate to. */
function texts(e: ts.Expression, file: ts.SourceFile, seen: Set<string>): { text: string; parts: string[] }[] {
  if (ts.isParenthesizedExpression(e)) return texts(e.expression, file, seen);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ text: e.text, parts: [] }];
  if (ts.isTemplateExpression(e)) {
    const parts = e.templateSpans.map((s) => s.expression.getText(file));
    return [{ text: e.head.text + e.templateSpans.map((s) => `«…»${s.literal.text}`).join(""), parts }];
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = texts(e.left, file, seen);
    const right = texts(e.right, file, seen);
    return left.flatMap((l) => right.map((r) => ({ text: l.text + r.text, parts: [...l.parts, ...r.parts] })));
  }
  if (ts.isConditionalExpression(e)) return [...texts(e.whenTrue, file, seen), ...texts(e.whenFalse, file, seen)];
  if (ts.isCallExpression(e)) {
    // A message builder (`runtimeMisuse(name)`, `this.opaqueCall(e)`): every string it returns.
    const name = ts.isIdentifier(e.expression) ? e.expression.text : ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : "";
    if (!name || seen.has(name)) return [];
    seen.add(name);
    const out: { text: string; parts: string[] }[] = [];
    const visit = (n: ts.Node): void => {
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name?.getText(file) === name && n.body) {
        const collect = (m: ts.Node): void => {
          if (ts.isReturnStatement(m) && m.expression) out.push(...texts(m.expression, file, seen));
          if (!ts.isFunctionLike(m) || m === n) ts.forEachChild(m, collect);
        };
        collect(n.body);
      }
      ts.forEachChild(n, visit);
    };
    visit(file);
    return out;
  }
  return [{ text: "«…»", parts: [e.getText(file)] }];
}

const messages: Message[] = [];
for (const fileName of files) {
  const file = ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (n: ts.Node): void => {
    const isFail = ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "fail";
    const isNew = ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "DiffError";
    const message = isFail || isNew ? (n as ts.CallExpression | ts.NewExpression).arguments?.[2] : undefined;
    // fail's own declaration forwards its parameter; that is no message.
    const forwarded = message && ((ts.isIdentifier(message) && message.text === "message") || (ts.isPropertyAccessExpression(message) && message.name.text === "message"));
    if (message && !forwarded) {
      const line = file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;
      for (const t of texts(message, file, new Set())) messages.push({ where: `${path.relative(ROOT, fileName)}:${line}`, ...t });
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
}

/** TypeScript's node kinds of two or more words (LabeledStatement, SpreadElement, ...). */
const NODE_KINDS = new Set(Object.keys(ts.SyntaxKind).filter((k) => /^[A-Z][a-z]+[A-Z]/.test(k)));

/** Verbs that open an instruction: a message says what to do. */
const DO = /(^|[;.:]\s+|,\s+|\(|\bor\s+|\band\s+|\bthen\s+|\bso\s+)(use|write|pass|build|fix|call|declare|move|make|keep|remove|copy|return|select|rewrite|wrap|compute|give|store|index|initialise|differentiate|draw|please report|assign|type|allocate|read|add|take|create|check|destructure|break|accumulate|choose|put|start|name|see|fill|nest|replace|draw|restructure|define|mark|compare)\b/i;

describe("every message tsgrad can produce", () => {
  it("is found", () => {
    // The count only guards the finder itself: it must see the messages of every pass.
    expect(messages.length).toBeGreaterThan(100);
    for (const f of ["lower.ts", "plan.ts", "reverse.ts", "forward.ts", "types.ts"]) expect(messages.some((m) => m.where.includes(f))).toBe(true);
  });

  it.each(messages.map((m) => [m.where, m] as const))("%s names constructs as written", (_w, m) => {
    const words = m.text.match(/\b[A-Z][A-Za-z]+\b/g) ?? [];
    expect(words.filter((w) => NODE_KINDS.has(w)), m.text).toEqual([]);
    // No interpolated node kind (ts.SyntaxKind[...], an IR node's .kind).
    expect(m.parts.filter((p) => /SyntaxKind|\.kind\b/.test(p)), m.text).toEqual([]);
  });

  it.each(messages.map((m) => [m.where, m] as const))("%s says what to do", (_w, m) => {
    expect(DO.test(m.text), m.text).toBe(true);
  });

  it("says nothing known to be false", () => {
    for (const m of messages) {
      // A call made for its effect is kept (console.log) or refused for what it does.
      expect(m.text).not.toMatch(/only side effects/);
    }
    // "makes an array" is said of the runtime's array constructors only.
    const arrays = messages.filter((m) => /makes an array/.test(m.text));
    expect(arrays.every((m) => m.where.includes("lower.ts"))).toBe(true);
  });
});
