// Reads the source maps tsc writes for a program compiled through the
// transformer: a Base64 VLQ decoder for the `mappings` field (source map v3),
// and, for every generated function, where each of its JavaScript lines points.

import * as path from "node:path";
import * as ts from "typescript";
import tsgradTransformer from "../transformer/index.js";
import { planFor } from "../transformer/pipeline.js";
import { compilerOptions } from "./harness.js";
import { createProgram } from "./shared-host.js";

/** One segment of a mapped line: generated column, and where it points (0-based line and column). */
export interface Segment {
  readonly column: number;
  readonly source?: number;
  readonly line?: number;
  readonly sourceColumn?: number;
}

export interface RawSourceMap {
  readonly version: number;
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The VLQ numbers of one segment (`AAgBC` is [0, 0, 16, 1]). */
export function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`not a Base64 digit: ${ch}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    // The lowest bit is the sign.
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error(`unterminated VLQ: ${text}`);
  return out;
}

/** The segments of every generated line: fields are deltas, reset per line for the column only. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  for (const text of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const part of text.split(",")) {
      if (part === "") continue;
      const [dc, ds, dl, dsc] = decodeVlq(part);
      column += dc!;
      if (ds === undefined) {
        segments.push({ column });
        continue;
      }
      source += ds;
      line += dl!;
      sourceColumn += dsc!;
      segments.push({ column, source, line, sourceColumn });
    }
    lines.push(segments);
  }
  return lines;
}

export interface MappedProgram {
  readonly program: ts.Program;
  readonly js: Map<string, string>;
  readonly maps: Map<string, RawSourceMap>;
  readonly diagnostics: readonly ts.Diagnostic[];
}

/** Emits `files` through the transformer, as ts-patch does, with `sourceMap: true`. */
export function compileWithMaps(files: readonly string[], options: ts.CompilerOptions = compilerOptions): MappedProgram {
  const program = createProgram(files.map((f) => path.resolve(f)), { ...options, sourceMap: true });
  const diagnostics: ts.Diagnostic[] = [...ts.getPreEmitDiagnostics(program)];
  const js = new Map<string, string>();
  const maps = new Map<string, RawSourceMap>();
  const transformer = tsgradTransformer(program, {}, { addDiagnostic: (d) => void diagnostics.push(d) });
  program.emit(
    undefined,
    (name, text, _bom, _onError, sources) => {
      const source = sources?.[0]?.fileName;
      if (!source) return;
      if (name.endsWith(".js.map")) maps.set(source, JSON.parse(text) as RawSourceMap);
      else if (name.endsWith(".js")) js.set(source, text);
    },
    undefined,
    false,
    { before: [transformer] },
  );
  return { program, js, maps, diagnostics };
}

/** A line of a generated function in the JavaScript, and the user line it maps to (1-based). */
export interface GeneratedLine {
  readonly line: number;
  readonly text: string;
  /** Absent when the line has no mapping with a source. */
  readonly to?: { readonly file: string; readonly line: number; readonly column: number };
  /** The comment on the line above, if any (`// adjoint of: ...`). */
  readonly comment?: string;
}

export interface GeneratedExtent {
  readonly name: string;
  /** The file whose JavaScript holds it. */
  readonly file: string;
  /** The user function it differentiates: its file and its lines (1-based, inclusive). */
  readonly user: { readonly file: string; readonly from: number; readonly to: number };
  readonly lines: readonly GeneratedLine[];
}

/**
 * Every generated function the plan emitted into each file, found by name in
 * that file's JavaScript, with each of its lines that holds code (not a
 * comment) and the first source position mapped on that line.
 */
export function generatedLines(compiled: MappedProgram): GeneratedExtent[] {
  const plan = planFor(compiled.program);
  const out: GeneratedExtent[] = [];
  for (const [file, functions] of plan.emitted) {
    const code = compiled.js.get(file.fileName);
    const map = compiled.maps.get(file.fileName);
    if (code === undefined || map === undefined) continue;
    const segments = decodeMappings(map.mappings);
    const mapDir = path.dirname(file.fileName);
    const js = ts.createSourceFile("out.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const textLines = code.split("\n");
    const byName = new Map<string, ts.Node>();
    const find = (n: ts.Node): void => {
      if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) && n.name && !byName.has(n.name.text)) {
        byName.set(n.name.text, n);
      }
      ts.forEachChild(n, find);
    };
    find(js);
    for (const g of functions) {
      const node = byName.get(g.name);
      if (!node) throw new Error(`${g.name} is not in the JavaScript for ${file.fileName}`);
      const decl = "decl" in g.root ? g.root.decl : g.root.node.parent;
      const userFile = decl.getSourceFile();
      const lineOf = (pos: number): number => userFile.getLineAndCharacterOfPosition(pos).line + 1;
      const first = js.getLineAndCharacterOfPosition(node.getStart(js)).line;
      const last = js.getLineAndCharacterOfPosition(node.end).line;
      const lines: GeneratedLine[] = [];
      for (let l = first; l <= last; l++) {
        const text = textLines[l]!;
        if (/^\s*(\/\/.*)?$/.test(text)) continue;
        const s = (segments[l] ?? []).find((x) => x.source !== undefined);
        const to = s && { file: path.resolve(mapDir, map.sourceRoot ?? "", map.sources[s.source!]!), line: s.line! + 1, column: s.sourceColumn! };
        const comment = /^\s*\/\/ ?(.*)$/.exec(textLines[l - 1] ?? "")?.[1];
        lines.push({ line: l + 1, text, to, comment });
      }
      out.push({
        name: g.name,
        file: file.fileName,
        user: { file: userFile.fileName, from: lineOf(decl.getStart()), to: lineOf(decl.end) },
        lines,
      });
    }
  }
  return out;
}
