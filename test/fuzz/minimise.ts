// Shrinks a failing program to a smallest one that still fails the same way:
// greedy, one simplification at a time (drop a function, a statement, a
// parameter; inline a block; replace an expression or condition by one of its
// parts or by a leaf), keeping a candidate when it is smaller and the failure
// signature is unchanged. Each candidate is compiled alone (compileCached).

import type { Cond, Expr, Fn, Program, Stmt, TopStmt } from "./gen.js";

type Node = Record<string, unknown>;

const EXPR_KINDS = new Set(["lit", "var", "elem", "un", "bin", "m2", "cond", "call", "red"]);
const COND_KINDS = new Set(["cmp", "and", "or", "not"]);
const LEAF: Expr = { k: "var", i: 0 };
const ONE: Expr = { k: "lit", v: 1 };
const SIMPLE_COND: Cond = { k: "cmp", op: "<", l: { k: "var", i: 0 }, r: { k: "lit", v: 0.5 } };

function isExpr(v: unknown): v is Expr {
  return typeof v === "object" && v !== null && EXPR_KINDS.has((v as Node).k as string) && !("then" in (v as Node));
}
function isCond(v: unknown): v is Cond {
  return typeof v === "object" && v !== null && COND_KINDS.has((v as Node).k as string);
}

/** Sub-expressions of an expression. */
function exprChildren(e: Expr): Expr[] {
  switch (e.k) {
    case "un": return [e.e];
    case "bin": return [e.l, e.r];
    case "m2": return e.args;
    case "cond": return [e.t, e.f];
    case "call": return e.args;
    case "red": return [e.body];
    default: return [];
  }
}
function condChildren(c: Cond): Cond[] {
  return c.k === "and" || c.k === "or" ? [c.l, c.r] : c.k === "not" ? [c.c] : [];
}

function blocksOf(s: TopStmt): Stmt[][] {
  switch (s.k) {
    case "if": return s.else ? [s.then, s.else] : [s.then];
    case "for": case "forLength": case "forOf": case "while": return [s.body];
    default: return [];
  }
}

/** Every single-step simplification of a program. Coarse ones first. */
export function* candidates(p: Program): Generator<Program> {
  const clone = (): Program => structuredClone(p);
  // Drop a function (calls re-resolve to the remaining ones).
  for (let k = 0; k < p.fns.length && p.fns.length > 1; k++) {
    const q = clone();
    q.fns.splice(k, 1);
    yield q;
  }
  // Statements: drop one, or replace a compound one by its block(s).
  const lists: (q: Program) => TopStmt[][] = (q) => {
    const out: TopStmt[][] = [];
    const walk = (list: TopStmt[]) => {
      out.push(list);
      for (const s of list) for (const b of blocksOf(s)) walk(b);
    };
    for (const fn of q.fns) walk(fn.body);
    return out;
  };
  const nLists = lists(p).length;
  for (let li = 0; li < nLists; li++) {
    const len = lists(p)[li]!.length;
    for (let si = 0; si < len; si++) {
      const q = clone();
      lists(q)[li]!.splice(si, 1);
      yield q;
      const s = lists(p)[li]![si]!;
      for (const b of blocksOf(s)) {
        const t = clone();
        const tl = lists(t)[li]!;
        tl.splice(si, 1, ...structuredClone(b));
        yield t;
      }
      if (s.k === "if" && s.else) {
        const t = clone();
        (lists(t)[li]![si] as Extract<Stmt, { k: "if" }>).else = null;
        yield t;
      }
    }
  }
  // Function shapes.
  for (let k = 0; k < p.fns.length; k++) {
    const fn = p.fns[k]!;
    type Mutable<T> = { -readonly [K in keyof T]: T[K] };
    const edits: ((f: Mutable<Fn>) => void)[] = [];
    if (fn.array) edits.push((f) => void (f.array = null));
    if (fn.scalars > 0 && (fn.array || fn.scalars > 1)) edits.push((f) => void (f.scalars = fn.scalars - 1));
    if (fn.mix > 0) edits.push((f) => void (f.mix = 0));
    if (fn.arrow) edits.push((f) => void (f.arrow = false));
    if (fn.recursive) edits.push((f) => void (f.recursive = false));
    for (const edit of edits) {
      const q = clone();
      edit(q.fns[k] as Mutable<Fn>);
      yield q;
    }
  }
  if (p.n > 2) {
    const q = clone();
    (q as { n: number }).n = 2;
    yield q;
  }
  // Expressions and conditions, anywhere: by a part, or by a leaf.
  const sites: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (typeof v === "object" && v !== null) {
      if (isExpr(v) || isCond(v)) sites.push(path);
      for (const [key, x] of Object.entries(v)) walk(x, [...path, key]);
    }
  };
  walk(p.fns, ["fns"]);
  for (const path of sites) {
    const node = get(p, path);
    const replacements: unknown[] = isCond(node)
      ? [...condChildren(node), ...(node.k === "cmp" && JSON.stringify(node) !== JSON.stringify(SIMPLE_COND) ? [SIMPLE_COND] : [])]
      : [...exprChildren(node as Expr), ...((node as Expr).k !== "var" && (node as Expr).k !== "lit" ? [LEAF, ONE] : [])];
    for (const r of replacements) {
      const q = clone();
      set(q, path, structuredClone(r));
      yield q;
    }
  }
}

function get(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Node)[k], root);
}
function set(root: unknown, path: string[], value: unknown): void {
  const parent = get(root, path.slice(0, -1)) as Node;
  parent[path[path.length - 1]!] = value;
}

function size(p: Program): number {
  return JSON.stringify(p.fns).length + p.n;
}

/**
 * Greedy shrinking: `stillFails` says whether a candidate fails the same way.
 * Stops after `budget` candidate checks.
 */
export function minimise(p: Program, stillFails: (q: Program) => boolean, budget = 2000, log?: (msg: string) => void): Program {
  let best = p;
  let tries = 0;
  let improved = true;
  while (improved && tries < budget) {
    improved = false;
    for (const q of candidates(best)) {
      if (size(q) >= size(best)) continue;
      if (++tries > budget) break;
      if (stillFails(q)) {
        best = q;
        improved = true;
        log?.(`  shrunk to ${size(best)} (${tries} tries)`);
        break;
      }
    }
  }
  return best;
}
