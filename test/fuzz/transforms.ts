// The transforms beyond grad and valueAndGrad, over the same generated
// programs (gen.ts): each program's entry point f is also
//   - packed into a structured parameter (a record, a tuple or a class
//     instance with a getter and a method), S(p) = f(p.x0, p.a1, ...) + extras,
//     and differentiated by grad, valueAndGrad and jvp;
//   - composed with a customGrad function: S(p) = cg(f(...), c0);
//   - extended by a long expression of hundreds of terms: L(x) = f(x) + t1 + ... + tK;
//   - differentiated by jvp, by hessian (through H(a) = f(a[0], a[1], ...))
//     and twice by grad(grad(f)).
// transforms-check.ts checks them.

import fc from "fast-check";
import type { Feature, GenConfig, ParamKind } from "./gen.js";
import { type MoreExtras, moreApplicable, moreArbitrary, moreFeatures, moreSource, NO_MORE } from "./more-transforms.js";

type LongFn = "lin" | "prod" | "sin" | "cos" | "cube" | "tanh";
export interface LongTerm {
  readonly fn: LongFn;
  readonly i: number;
  readonly j: number;
  readonly c: number;
}

/** Which extra transforms a program gets (see the list above). */
export interface Extras {
  readonly pack: "none" | "record" | "tuple" | "class" | "rows" | "records" | "trees" | "keyed";
  readonly getter: boolean;
  readonly method: boolean;
  /** S computes its value in a helper returning a tuple or a record (kept as locals, its call inlined). */
  readonly result: "none" | "tuple" | "record";
  readonly custom: boolean;
  readonly jvp: boolean;
  readonly hessian: boolean;
  readonly nested: boolean;
  /** The terms of L, none when the program has no long expression. */
  readonly long: readonly LongTerm[];
  /** vjp, Jacobians, hasAux, into, checkpoint, jvp(grad), jacobian(grad) (more-transforms.ts). */
  readonly more: MoreExtras;
}

export const NO_EXTRAS: Extras = { pack: "none", getter: false, method: false, result: "none", custom: false, jvp: false, hessian: false, nested: false, long: [], more: NO_MORE };

export function extrasArbitrary(cfg: GenConfig): fc.Arbitrary<Extras> {
  const on = (f: Feature): boolean => cfg.features.has(f);
  const packs: Extras["pack"][] = ["none"];
  if (on("struct-record")) packs.push("record");
  if (on("struct-tuple")) packs.push("tuple");
  if (on("struct-class")) packs.push("class");
  if (on("nested-rows")) packs.push("rows");
  if (on("nested-records")) packs.push("records");
  if (on("keyed-record")) packs.push("keyed");
  const maybe = (f: Feature, freq = 0.5): fc.Arbitrary<boolean> => (on(f) ? fc.double({ min: 0, max: 1, noNaN: true }).map((u) => u < freq) : fc.constant(false));
  const term = fc.record({
    fn: fc.constantFrom<LongFn>("lin", "prod", "sin", "cos", "cube", "tanh"),
    i: fc.nat({ max: 63 }),
    j: fc.nat({ max: 63 }),
    c: fc.integer({ min: -20, max: 20 }).map((k) => k / 8),
  });
  // One program in twenty has a long expression, of 100 to 300 terms (each costs
  // the transformer time that grows faster than its length: issue 11, finding 3).
  const long = on("long-expression")
    ? fc.oneof({ arbitrary: fc.constant<LongTerm[]>([]), weight: 19 }, { arbitrary: fc.array(term, { minLength: 100, maxLength: 300 }), weight: 1 })
    : fc.constant<LongTerm[]>([]);
  return fc.record({
    pack: fc.constantFrom(...packs),
    getter: maybe("class-getter"),
    method: maybe("class-method"),
    result: on("helper-struct-result") ? fc.constantFrom<Extras["result"]>("none", "tuple", "record") : fc.constant<Extras["result"]>("none"),
    custom: maybe("custom-grad", 0.3),
    jvp: maybe("jvp"),
    hessian: maybe("hessian", 0.3),
    nested: maybe("nested-grad", 0.3),
    long,
    more: moreArbitrary(cfg),
  });
}

// ---------------------------------------------------------------- source

/** What the extras of one program need: its entry's name and parameter kinds, and its rendered TypeScript. */
export interface EntryInfo {
  readonly name: string;
  readonly kinds: readonly ParamKind[];
  /** The program's TypeScript (for reductions forward mode refuses). */
  readonly source: string;
  readonly n: number;
  /** How many functions f may call (the program's helpers). */
  readonly helpers: number;
}

export const paramName = (kind: ParamKind, i: number): string => (kind === "num" ? `x${i}` : kind === "count" ? `n${i}` : `a${i}`);
const typeName = (kind: ParamKind): string => (kind === "f64" ? "Float64Array" : kind === "arr" ? "number[]" : "number");

/** The fields S packs: every parameter of f, in order (a recursion count too, as a number). */
export function packed(kinds: readonly ParamKind[]): { name: string; kind: ParamKind; at: number }[] {
  return kinds.map((kind, at) => ({ name: paramName(kind, at), kind, at }));
}

/** The coordinates of f's arguments as expressions over `read(name)`, in argsOf's order. */
function coordinateExprs(kinds: readonly ParamKind[], n: number, read: (name: string) => string): string[] {
  return kinds.flatMap((kind, i) => {
    if (kind === "num" || kind === "count") return [read(paramName(kind, i))];
    return Array.from({ length: n }, (_, k) => `${read(paramName(kind, i))}[${k}]`);
  });
}

/** Which of f's coordinates are numbers that S packs (the ones the extras may read). */
export function scalarCoordinates(kinds: readonly ParamKind[], n: number): number[] {
  const out: number[] = [];
  let c = 0;
  for (const kind of kinds) {
    if (kind === "num") out.push(c);
    c += kind === "num" || kind === "count" ? 1 : n;
  }
  return out;
}

/** Whether forward mode can take f: it goes through every runtime function now (prod, norm and logSumExp by the tangents of their adjoints). */
function forwardable(_info: EntryInfo): boolean {
  return true;
}

/** Whether reverse over reverse can take f: no loops, calls, local arrays or reductions (known gaps, gaps.ts). */
function simple(info: EntryInfo): boolean {
  const gap = /\b(for|while|do)\b|(?<![\w.])(map2?|sum|mean|dot|norm|logSumExp|prod|max|min|zeros|ones|full|linspace|arange|tensor)\(|new Float64Array|= \[|_f\d+\(/;
  return info.helpers === 0 && !gap.test(info.source);
}

/** Which transforms apply to this entry, after the features asked for. */
export function applicable(x: Extras, info: EntryInfo, cfg: GenConfig): Extras {
  const kinds = info.kinds;
  const arrays = kinds.some((k) => k === "f64" || k === "arr");
  let pack = arrays && !cfg.features.has("struct-array-field") && x.pack !== "rows" ? "none" : x.pack;
  // Rows are number[] (a Float64Array parameter of f cannot take one); records hold numbers only.
  if (pack === "rows" && kinds.includes("f64")) pack = "none";
  if ((pack === "records" || pack === "keyed") && arrays) pack = "none";
  // Half of the arrays of records (those of f's with an odd number of parameters, so the random
  // stream stays the same) also hold an id, a tuple and an array nobody reads: differentiated in place.
  if (pack === "records" && kinds.length % 2 === 1) pack = "trees";
  return {
    pack,
    getter: pack === "class" && x.getter,
    method: pack === "class" && x.method,
    // A record keyed by strings is read by key where it is a parameter, not passed whole to a helper.
    result: pack !== "none" && pack !== "keyed" ? x.result : "none",
    custom: pack !== "none" && x.custom,
    jvp: x.jvp && forwardable(info),
    hessian: x.hessian && forwardable(info) && kinds.every((k) => k === "num" || k === "count") && kinds.some((k) => k === "num"),
    nested: x.nested && forwardable(info) && kinds[0] === "num" && (cfg.features.has("nested-grad-general") || simple(info)),
    long: x.long,
    more: moreApplicable(x.more, { kinds, nestable: forwardable(info) && (cfg.features.has("nested-grad-general") || simple(info)) }),
  };
}

/** The features a program's extras use. */
export function extrasFeatures(x: Extras): Feature[] {
  const out: Feature[] = [];
  if (x.pack !== "none") out.push(PACK_FEATURE[x.pack]);
  if (x.getter) out.push("class-getter");
  if (x.method) out.push("class-method");
  if (x.result !== "none") out.push("helper-struct-result");
  if (x.custom) out.push("custom-grad");
  if (x.jvp) out.push("jvp");
  if (x.hessian) out.push("hessian");
  if (x.nested) out.push("nested-grad");
  if (x.long.length > 0) out.push("long-expression");
  out.push(...moreFeatures(x.more));
  return out;
}

const PACK_FEATURE: Record<Exclude<Extras["pack"], "none">, Feature> = {
  record: "struct-record",
  tuple: "struct-tuple",
  class: "struct-class",
  rows: "nested-rows",
  records: "nested-records",
  trees: "nested-records",
  keyed: "keyed-record",
};

/** How S reads field `at` (a parameter of f) of its packed parameter p. */
function packedRead(pack: Extras["pack"], fields: readonly { name: string; kind: ParamKind }[], at: number, id: string): string {
  const fl = fields[at]!;
  // A key that is data: an element of a constant list of the field names.
  if (pack === "keyed") return `p[${id}_keys[${at}]]`;
  if (pack === "tuple") return `p[${at}]`;
  if (pack === "rows") return fl.kind === "arr" ? `p[${at}]` : `p[${at}][0]`;
  if (pack === "records") return `p[${at}].v`;
  if (pack === "trees") return `p[${at}].v[0]`;
  return `p.${fl.name}`;
}

function longTerm(t: LongTerm, vars: readonly string[]): string {
  const a = vars[t.i % vars.length]!;
  const b = vars[t.j % vars.length]!;
  const c = t.c < 0 ? `(${t.c})` : String(t.c);
  switch (t.fn) {
    case "lin": return `${c} * ${a}`;
    case "prod": return `${c} * ${a} * ${b}`;
    case "sin": return `${c} * Math.sin(${a})`;
    case "cos": return `${c} * Math.cos(${a})`;
    case "cube": return `${c} * ${a} * ${a} * ${a}`;
    case "tanh": return `${c} * Math.tanh(${a})`;
  }
}

/** d term / d vars[k], at the values `at` of vars. */
export function longTermGradient(t: LongTerm, at: readonly number[], into: number[]): void {
  const i = t.i % at.length;
  const j = t.j % at.length;
  const a = at[i]!;
  switch (t.fn) {
    case "lin": into[i]! += t.c; return;
    case "prod": into[i]! += t.c * at[j]!; into[j]! += t.c * a; return;
    case "sin": into[i]! += t.c * Math.cos(a); return;
    case "cos": into[i]! -= t.c * Math.sin(a); return;
    case "cube": into[i]! += 3 * t.c * a * a; return;
    case "tanh": into[i]! += t.c * (1 - Math.tanh(a) ** 2); return;
  }
}

/**
 * The TypeScript of the extras of program `id`: declarations to put after
 * its functions, and entries for its exported thunk.
 */
export function extrasSource(x: Extras, id: string, info: EntryInfo): { code: string; parts: string[] } {
  const code: string[] = [];
  const parts: string[] = [];
  const f = info.name;
  const kinds = info.kinds;
  const params = kinds.map((k, i) => `${paramName(k, i)}: ${typeName(k)}`).join(", ");
  const all = `[${kinds.map((_, i) => i).join(", ")}]`;
  if (x.pack !== "none") {
    const fields = packed(kinds);
    const read = (name: string): string => packedRead(x.pack, fields, fields.findIndex((fl) => fl.name === name), id);
    const args = kinds.map((k, i) => read(paramName(k, i))).join(", ");
    const firstField = read(fields[0]!.name) + (fields[0]!.kind === "num" ? "" : "[0]");
    let type: string;
    if (x.pack === "record") type = `{ ${fields.map((fl) => `${fl.name}: ${typeName(fl.kind)}`).join("; ")} }`;
    else if (x.pack === "tuple") type = `[${fields.map((fl) => typeName(fl.kind)).join(", ")}]`;
    else if (x.pack === "rows") type = "number[][]";
    else if (x.pack === "records") type = "{ v: number; w: number }[]";
    else if (x.pack === "trees") type = "{ id: string; v: [number, number]; w: number[] }[]";
    else if (x.pack === "keyed") {
      type = "Record<string, number>";
      code.push(`const ${id}_keys: readonly string[] = [${fields.map((fl) => `"${fl.name}"`).join(", ")}];`);
    }
    else {
      type = `${id}_C`;
      const self = `this.${fields[0]!.name}${fields[0]!.kind === "num" ? "" : "[0]"}`;
      code.push(
        [
          `export class ${id}_C {`,
          `  constructor(${fields.map((fl) => `public ${fl.name}: ${typeName(fl.kind)}`).join(", ")}) {}`,
          `  get g(): number {`,
          `    return ${self} * ${self};`,
          `  }`,
          // A method with statements calling another method and a static one: all inlined with \`this\` bound.
          `  m(k: number): number {`,
          `    const t = this.h(k);`,
          `    return ${id}_C.unit() * t;`,
          `  }`,
          `  h(k: number): number {`,
          `    return ${self} * k;`,
          `  }`,
          `  static unit(): number {`,
          `    return 1;`,
          `  }`,
          `}`,
        ].join("\n"),
      );
      parts.push(`C: ${id}_C`);
    }
    if (x.custom) {
      code.push(
        `const ${id}_cg = customGrad(\n  (u: number, v: number) => u * Math.sin(v),\n  (u, v, _out, d): [number, number] => [d * Math.sin(v), d * u * Math.cos(v)],\n);`,
      );
    }
    let body = x.custom ? `${id}_cg(${f}(${args}), ${firstField})` : `${f}(${args})`;
    if (x.getter) body += " + 0.5 * p.g";
    if (x.method) body += " + p.m(0.3)";
    if (x.result === "none") code.push(`function ${id}_S(p: ${type}): number {\n  return ${body};\n}`);
    else {
      // 3u - v with v = 2u is u again (its gradient exactly so), computed through the helper's structured result.
      const tuple = x.result === "tuple";
      const returns = tuple ? "[number, number]" : "{ u: number; v: number }";
      code.push(`function ${id}_R(p: ${type}): ${returns} {\n  const u = ${body};\n  return ${tuple ? "[u, 2 * u]" : "{ u, v: 2 * u }"};\n}`);
      const read = tuple ? `  const [u, v] = ${id}_R(p);\n  return 3 * u - v;` : `  const r = ${id}_R(p);\n  return 3 * r.u - r.v;`;
      code.push(`function ${id}_S(p: ${type}): number {\n${read}\n}`);
    }
    parts.push(`S: ${id}_S`, `Sgrad: grad(${id}_S)`, `SvalueAndGrad: valueAndGrad(${id}_S)`);
    if (x.pack === "tuple" || x.pack === "record") {
      // f's parameters packed by a literal at the call (`S([x0, a1])`, `S({ x0, a1 })`), as application code passes a point to a helper.
      const names = fields.map((fl) => fl.name).join(", ");
      parts.push(`Pgrad: grad((${params}) => ${id}_S(${x.pack === "tuple" ? `[${names}]` : `{ ${names} }`}), ${all})`);
    }
    if (x.jvp) parts.push(`Sjvp: jvp(${id}_S)`);
  }
  if (x.jvp) parts.push(`jvp: jvp(${f})`);
  if (x.hessian) {
    const nums = kinds.map((_, i) => `a[${i}]`).join(", ");
    code.push(`function ${id}_H(a: number[]): number {\n  return ${f}(${nums});\n}`);
    parts.push(`H: hessian(${id}_H)`);
  }
  if (x.nested) parts.push(`nested: grad(grad(${f}))`);
  // The mixed second derivative d/d(array) of df/dx0, where f also takes an array.
  const arrayParam = kinds.findIndex((k) => k === "f64" || k === "arr");
  if (x.nested && arrayParam >= 0) parts.push(`mixed: grad(grad(${f}), ${arrayParam})`);
  if (x.long.length > 0) {
    const vars = coordinateExprs(kinds, info.n, (name) => name);
    const call = `${f}(${kinds.map((k, i) => paramName(k, i)).join(", ")})`;
    const terms = x.long.map((t) => longTerm(t, vars));
    code.push(`function ${id}_L(${params}): number {\n  return ${[call, ...terms].join(" + ")};\n}`);
    parts.push(`L: ${id}_L`, `Lgrad: grad(${id}_L, ${all})`);
  }
  const more = moreSource(x.more, id, f, kinds, params, kinds.map((k, i) => paramName(k, i)));
  code.push(...more.code);
  parts.push(...more.parts);
  return { code: code.join("\n\n"), parts };
}

