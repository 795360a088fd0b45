// Pass 4a, array elements in locals. Takes: a simplified IR function.
// Guarantees: the same values, in the same order of operations, with each
// array element a loop only touches at one index that the loop does not change
// held in a local for the duration of the loop:
//
//   let xcentered_bar_a = xcentered_bar[a];
//   const xcentered_a = xcentered[a];
//   while (b !== a + 1) { ...; xcentered_bar_a += _d1 * icf[idx]; ... _d1 * xcentered_a ... }
//   xcentered_bar[a] = xcentered_bar_a;
//
// Why: V8 cannot tell two typed arrays apart (they may share a buffer), so
// after every store to one it reloads elements of the others, and an adjoint
// accumulated into `a_bar[i]` inside a loop is a load and a store per
// iteration. A person writing the adjoint keeps it in a local; so does this.
//
// When it is sound: the element is read (and, for one kept and written back,
// written) only at that index inside the loop, through an array no call in
// the loop receives; every array the loop stores into was created by this
// function (parameters are never written, and arrays created here share no
// buffer), so no other store reaches the element; the loop has no `return`
// that would skip the write-back. Only Float64Arrays are written back (a store
// past the end of one is ignored, as it was inside the loop).

import type { Expr, Fn, Stmt, Type } from "./ir.js";
import { assignedIn, exprsOf, isArrayType, isElementAccumulation, mapExpr, mentions, namesUsed, readsOf, rewriteStmts, sameExpr, walkExpr, walkStmts } from "./ir.js";
import { NameScope } from "./names.js";
import { swapStatements } from "./swaps.js";
import { slideWindows } from "./window.js";
import { saveBlocks } from "./blocks.js";

export function scalarize(fn: Fn): Fn {
  const types = new Map<string, Type>();
  const created = new Set<string>();
  for (const p of fn.params) types.set(p.name, p.type);
  walkStmts(fn.body, (s) => {
    if (s.kind !== "let") return;
    types.set(s.name, s.type);
    // Arrays this function allocates (or gets fresh from the runtime, like zerosLike).
    if (isArrayType(s.type) && s.init && (s.init.kind === "alloc" || s.init.kind === "tuple" || (s.init.kind === "call" && s.init.callee.kind === "runtime"))) {
      created.add(s.name);
    }
  });
  // Two arrays of this function's own that only trade places (`tmp = u; u = next; next = tmp`)
  // never name the same object: only the temporary names one of them.
  const swaps = swapStatements(fn.body, types).filter((w) => created.has(w.a) && created.has(w.b));
  const inSwaps = new Set(swaps.flatMap((w) => w.stmts));
  // Array variables that may name the same object as another (`u = next`, `const tmp = u`) share buffers.
  walkStmts(fn.body, (s) => {
    const value = s.kind === "assign" ? s.value : s.kind === "let" ? s.init : undefined;
    if ((s.kind === "assign" || s.kind === "let") && value?.kind === "var" && isArrayType(types.get(s.name))) {
      if (inSwaps.has(s)) {
        for (const w of swaps) if (w.stmts.includes(s)) created.delete(w.tmp);
        return;
      }
      created.delete(s.name);
      created.delete(value.name);
    }
  });
  // An array grown by push (`xs[xs.length] = v`) has no fixed element a loop could keep in a local.
  walkStmts(fn.body, (s) => {
    if (s.kind === "store" && s.index.kind === "length") created.delete(s.array);
  });
  const names = new NameScope(namesUsed(fn));
  // Arrays nothing writes and that exist from their declaration on: parameters,
  // and locals declared with a value and never assigned (one declared without a
  // value is assigned later, maybe on one path only, so it may be undefined before).
  const readOnlyArrays = new Set<string>(fn.params.filter((p) => isArrayType(p.type) && !p.type.rows).map((p) => p.name));
  walkStmts(fn.body, (s) => {
    if (s.kind === "let" && s.init && isArrayType(s.type) && !s.type.rows) readOnlyArrays.add(s.name);
  });
  walkStmts(fn.body, (s) => {
    if (s.kind === "store" || s.kind === "assign") readOnlyArrays.delete(s.kind === "store" ? s.array : s.name);
  });
  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    loadOnce(
      accumulateInLocals(
        stmts.flatMap((s): Stmt[] => {
          if (s.kind === "if") return [{ ...s, then: rewrite(s.then), else: rewrite(s.else) }];
          if (s.kind !== "loop") return [s];
          // A stencil's accumulations slide along in locals first (window.ts); the body's own runs are seen after.
          return slideWindows(s, types, created, names).flatMap((x) =>
            x.kind === "loop" ? keepInLocals({ ...x, body: rewrite(x.body) }, types, created, names) : [x],
          );
        }),
        types,
        created,
        names,
      ),
      (array) => readOnlyArrays.has(array),
      names,
    );
  // Elements a loop overwrites one each are saved and restored as one block (blocks.ts), before the loops change shape.
  const body = saveBlocks(fn.body, types, created);
  return { ...fn, body: firstWrites(rewrite(body), types) };
}

/** The runtime calls that give an array of zeros: a fresh one, or `{ into: true }`'s buffer cleared. */
const ZERO_BUFFERS: ReadonlySet<string> = new Set(["zerosLike", "zeroed"]);

/**
 * An adjoint array fresh from `zerosLike`, or the caller's buffer from `zeroed`
 * (all zeros either way), whose first use is a
 * loop that accumulates into element i, i its counter, which steps by one each
 * iteration (so never repeats): that accumulation is the element's first
 * write, `a_bar[i] = e` instead of `a_bar[i] += e`: no load of a zero. (The
 * sign of a zero adjoint may differ, as for scalar adjoints known to be zero.)
 */
function firstWrites(body: Stmt[], types: Map<string, Type>): Stmt[] {
  const out = [...body];
  out.forEach((s, at) => {
    if (s.kind !== "let" || !s.init || s.init.kind !== "call" || s.init.callee.kind !== "runtime" || !ZERO_BUFFERS.has(s.init.callee.name)) return;
    const type = types.get(s.name);
    if (!isArrayType(type) || type.rows) return;
    const array = s.name;
    const next = out.findIndex((x, k) => k > at && mentions(x, array));
    const loop = out[next];
    if (loop?.kind !== "loop") return;
    const counter = steppingCounter(loop);
    if (!counter) return;
    // Every access in the loop is at [counter], and the first is an accumulation at the body's top level.
    const atCounter = (index: Expr): boolean => index.kind === "var" && index.name === counter;
    let sameIndex = true;
    walkStmts([loop], (x) => {
      if (x.kind === "store" && x.array === array && !atCounter(x.index)) sameIndex = false;
      for (const e of exprsOf(x)) {
        walkExpr(e, (y) => {
          if (y.kind === "index" && y.array.kind === "var" && y.array.name === array && !atCounter(y.index)) sameIndex = false;
        });
        // The array as a whole (passed to a call).
        if (countWhole(e, array) > 0) sameIndex = false;
      }
    });
    if (!sameIndex) return;
    const first = loop.body.findIndex((x) => mentions(x, array));
    const target = loop.body[first];
    if (!target || !isElementAccumulation(target) || target.array !== array) return;
    const value: Expr = target.value.op === "+" ? target.value.right : { kind: "neg", arg: target.value.right };
    const body2 = [...loop.body];
    body2[first] = { ...target, value };
    out[next] = { ...loop, body: body2 };
  });
  return out;
}

/** The counter of a loop that moves it by exactly one each iteration and nowhere else (its values never repeat). */
function steppingCounter(loop: Extract<Stmt, { kind: "loop" }>): string | undefined {
  const step = (x: Stmt | undefined): string | undefined =>
    x?.kind === "assign" && x.value.kind === "binary" && (x.value.op === "+" || x.value.op === "-") &&
    x.value.left.kind === "var" && x.value.left.name === x.name && x.value.right.kind === "num" && x.value.right.value === 1
      ? x.name
      : undefined;
  // for (...; ...; i++) { body }, or while (...) { i -= 1; body } (a reversed loop).
  const byUpdate = loop.update.length === 1 ? step(loop.update[0]) : undefined;
  const byBody = loop.update.length === 0 ? step(loop.body[0]) : undefined;
  const counter = byUpdate ?? byBody;
  if (!counter) return undefined;
  const rest = byUpdate ? loop.body : loop.body.slice(1);
  return assignedIn(rest).has(counter) || rest.some((x) => x.kind === "let" && x.name === counter) ? undefined : counter;
}

/** How often `e` uses `array` other than as `array[...]`. */
function countWhole(e: Expr, array: string): number {
  let all = 0;
  let indexed = 0;
  walkExpr(e, (y) => {
    if (y.kind === "var" && y.name === array) all++;
    if (y.kind === "index" && y.array.kind === "var" && y.array.name === array) indexed++;
  });
  return all - indexed;
}

/**
 * An element of an array nothing writes (a parameter, or a constant local),
 * read more than once in a run of statements that leave its index alone, is
 * read once into a local (`const x_i = x[i]`). V8 reloads such an element after
 * every store to another typed array (they might share a buffer); a person
 * writing the adjoint reads it once. The read moves before the first statement
 * that uses it: reading a typed array or array cannot throw, even out of range.
 */
function loadOnce(stmts: Stmt[], readOnly: (array: string) => boolean, names: NameScope): Stmt[] {
  let out = stmts;
  for (let k = 0; k < out.length; k++) {
    // Each element once, however often the statement reads it: every candidate
    // costs a walk of the statements after it, and a long expression reads the
    // same few elements thousands of times.
    const seen = new Map<string, Extract<Expr, { kind: "index" }>>();
    walkStmts([out[k]!], (x) => {
      for (const e of exprsOf(x)) {
        walkExpr(e, (y) => {
          if (y.kind !== "index" || y.array.kind !== "var" || !readOnly(y.array.name) || !plain(y.index)) return;
          const key = `${y.array.name}[${plainKey(y.index)}]`;
          if (!seen.has(key)) seen.set(key, y);
        });
      }
    });
    for (const element of seen.values()) {
      const array = (element.array as { name: string }).name;
      const reads = readsOf(element.index);
      const changes = (x: Stmt): boolean => {
        // A constant index (`w[3]`) no statement changes.
        if (reads.size === 0) return false;
        const assigned = assignedIn([x]);
        walkStmts([x], (y) => y.kind === "let" && assigned.add(y.name));
        return [...reads].some((name) => assigned.has(name));
      };
      if (changes(out[k]!)) continue;
      // An array declared inside the statement (a branch's own array) cannot be read before it.
      let declaredInside = false;
      walkStmts([out[k]!], (y) => void (y.kind === "let" && y.name === array && (declaredInside = true)));
      if (declaredInside) continue;
      let end = k;
      while (end + 1 < out.length && !changes(out[end + 1]!)) end++;
      let count = 0;
      walkStmts(out.slice(k, end + 1), (x) => {
        for (const e of exprsOf(x)) walkExpr(e, (y) => (count += isElement(y, array, element.index) ? 1 : 0));
      });
      if (count < 2) continue;
      const local = names.fresh(`${array}_${indexName(element.index)}`);
      let run = replaceElement(out.slice(k, end + 1), array, element.index, local);
      // An inner block that already read the element once (`const x_i = x[i]`, now `= local`) uses local itself.
      const aliases = new Set<string>();
      walkStmts(run, (x) => {
        if (x.kind === "let" && !x.mutable && x.init?.kind === "var" && x.init.name === local) aliases.add(x.name);
      });
      if (aliases.size > 0) run = dropAliases(run, aliases, local);
      const load: Stmt = { kind: "let", name: local, type: "number", init: element, mutable: false };
      out = [...out.slice(0, k), load, ...run, ...out.slice(end + 1)];
      k++;
    }
  }
  return out;
}

/**
 * `stmts` without the declarations of `aliases` (copies of `local`) and with
 * their uses reading `local`. Names are unique within a function, so every use
 * of an alias is inside `stmts`.
 */
function dropAliases(stmts: readonly Stmt[], aliases: ReadonlySet<string>, local: string): Stmt[] {
  const rename = (e: Expr): Expr => mapExpr(e, (y) => (y.kind === "var" && aliases.has(y.name) ? { kind: "var", name: local } : undefined));
  return rewriteStmts(stmts, rename, (x) => (x.kind === "let" && aliases.has(x.name) ? [] : [x]));
}

/** An index expression made of variables, numbers and arithmetic only. */
function plain(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (x.kind !== "var" && x.kind !== "num" && !(x.kind === "binary" && ["+", "-", "*"].includes(x.op))) ok = false;
  });
  return ok;
}

/** A plain index as text: two plain indices are the same expression exactly when their keys are equal. */
function plainKey(e: Expr): string {
  // Down left operands in a loop, as sameExpr does: an index may be a long chain.
  const rights: string[] = [];
  while (e.kind === "binary") {
    rights.push(`${e.op}${plainKey(e.right)})`);
    e = e.left;
  }
  const leaf = e.kind === "var" ? e.name : e.kind === "num" ? (Object.is(e.value, -0) ? "-0" : String(e.value)) : "?";
  return "(".repeat(rights.length) + leaf + rights.reverse().join("");
}

const isElement = (e: Expr, array: string, index: Expr): boolean =>
  e.kind === "index" && e.array.kind === "var" && e.array.name === array && sameExpr(e.index, index);

/** `stmts` with every read of array[index] replaced by `local`. */
function replaceElement(stmts: readonly Stmt[], array: string, index: Expr, local: string): Stmt[] {
  return rewriteStmts(stmts, (e) => mapExpr(e, (y) => (isElement(y, array, index) ? { kind: "var", name: local } : undefined)));
}

/** `i + c` as [i, c]; other expressions as [e, 0]. */
function offset(e: Expr): [Expr, number] {
  if (e.kind === "binary" && (e.op === "+" || e.op === "-") && e.right.kind === "num") return [e.left, e.op === "+" ? e.right.value : -e.right.value];
  return [e, 0];
}

/** Indices that can never be equal: the same expression plus different constants. */
function distinct(a: Expr, b: Expr): boolean {
  const [x, c] = offset(a);
  const [y, d] = offset(b);
  return c !== d && sameExpr(x, y);
}

/**
 * Within one straight run of statements, several accumulations into the same
 * element (`x_bar[i] -= b_bar; x_bar[i + 1] += a_bar; x_bar[i] -= ...`, the
 * adjoints of the statements that read `x[i]`) go into a local, loaded before
 * the first and stored after the last. The run must not change the index, not
 * touch the array otherwise except at indices that differ by a constant, and
 * store only into arrays this function created.
 */
function accumulateInLocals(stmts: Stmt[], types: Map<string, Type>, created: Set<string>, names: NameScope): Stmt[] {
  for (let first = 0; first < stmts.length; first++) {
    const s = stmts[first]!;
    if (!isElementAccumulation(s) || !created.has(s.array)) continue;
    const type = types.get(s.array);
    if (!isArrayType(type) || type.array !== "f64" || type.rows) continue;
    let hasCall = false;
    walkExpr(s.index, (x) => {
      if (x.kind === "call" || x.kind === "index") hasCall = true;
    });
    if (hasCall) continue;
    const group: number[] = [first];
    const indexReads = readsOf(s.index);
    for (let j = first + 1; j < stmts.length; j++) {
      const t = stmts[j]!;
      if (isElementAccumulation(t) && t.array === s.array && sameExpr(t.index, s.index)) {
        group.push(j);
        continue;
      }
      // Anything else must leave the element and its index alone; the run ends at the first that does not.
      if (t.kind === "if" || t.kind === "loop" || t.kind === "return" || t.kind === "break" || t.kind === "continue") break;
      if ((t.kind === "let" || t.kind === "assign") && (indexReads.has(t.name) || t.name === s.array)) break;
      if (t.kind === "store" && !created.has(t.array)) break;
      const other = t.kind === "store" && t.array === s.array;
      if (other && !(isElementAccumulation(t) && distinct(t.index, s.index))) break;
      let reads = false;
      for (const e of other ? [(t as { value: Extract<Expr, { kind: "binary" }> }).value.right, t.index] : exprsOf(t)) {
        if (readsOf(e).has(s.array)) reads = true;
      }
      if (reads) break;
    }
    if (group.length < 2) continue;
    const last = group[group.length - 1]!;
    const local = names.fresh(`${s.array}_${indexName(s.index)}`);
    const element: Expr = { kind: "index", array: { kind: "var", name: s.array }, index: s.index };
    const load: Stmt = { kind: "let", name: local, type: "number", init: element, mutable: true, note: s.note, origin: s.origin };
    const run = stmts.slice(first, last + 1).map((t, k): Stmt => {
      if (!group.includes(first + k) || !isElementAccumulation(t)) return t;
      const value: Expr = { ...t.value, left: { kind: "var", name: local } };
      return { kind: "assign", name: local, value, note: k === 0 ? undefined : t.note, origin: t.origin, adjoint: t.adjoint };
    });
    const store: Stmt = { kind: "store", array: s.array, index: s.index, value: { kind: "var", name: local } };
    stmts = [...stmts.slice(0, first), load, ...run, store, ...stmts.slice(last + 1)];
    first = last + 2;
  }
  return stmts;
}

interface Access {
  readonly array: string;
  /** One index, or several distinct constant ones (`ab_bar[0]` and `ab_bar[1]`: separate elements). */
  readonly indices: Expr[];
  written: boolean;
  /** Some access uses another index, or the array is passed to a call: leave it. */
  mixed: boolean;
}

function keepInLocals(loop: Extract<Stmt, { kind: "loop" }>, types: Map<string, Type>, created: Set<string>, names: NameScope): Stmt[] {
  const all: Stmt[] = [loop];
  let hasReturn = false;
  walkStmts(all, (s) => {
    if (s.kind === "return") hasReturn = true;
  });
  if (hasReturn) return [loop];
  const changed = assignedIn(all);
  walkStmts(all, (s) => s.kind === "let" && changed.add(s.name));
  const stored = new Set<string>();
  walkStmts(all, (s) => s.kind === "store" && stored.add(s.array));
  // Array variables the loop declares or assigns: another object each time.
  const rebound = new Set<string>();
  walkStmts(all, (s) => (s.kind === "let" || s.kind === "assign") && rebound.add(s.name));
  // Another array written in the loop could be the same buffer as a parameter: then nothing is kept.
  if ([...stored].some((a) => !created.has(a))) return [loop];

  const accesses = new Map<string, Access>();
  const note = (array: string, index: Expr, written: boolean): void => {
    const seen = accesses.get(array);
    if (!seen) accesses.set(array, { array, indices: [index], written, mixed: false });
    else {
      if (!seen.indices.some((i) => sameExpr(i, index))) {
        if ([...seen.indices, index].every((i) => i.kind === "num")) seen.indices.push(index);
        else seen.mixed = true;
      }
      seen.written ||= written;
    }
  };
  const escape = (array: string): void => {
    const seen = accesses.get(array);
    if (seen) seen.mixed = true;
    else accesses.set(array, { array, indices: [], written: false, mixed: true });
  };
  walkStmts(all, (s) => {
    if (s.kind === "store") note(s.array, s.index, true);
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind === "index" && x.array.kind === "var") note(x.array.name, x.index, false);
        // An array handed to a call: a runtime helper may write it.
        if (x.kind === "call") for (const a of x.args) if (a.kind === "var" && isArrayType(types.get(a.name))) escape(a.name);
      });
    }
  });

  const before: Stmt[] = [];
  const after: Stmt[] = [];
  const locals = new Map<string, { index: Expr; local: string }[]>();
  for (const a of accesses.values()) {
    const type = types.get(a.array);
    // An array the loop declares or reassigns is another object each iteration: its element is not invariant.
    if (a.mixed || rebound.has(a.array) || !isArrayType(type) || type.rows || !a.indices.every((i) => invariant(i, changed))) continue;
    if (a.written && (type.array !== "f64" || !created.has(a.array))) continue;
    // Elements only read at several indices are left to loadOnce, which shares them with the code around.
    if (a.indices.length > 1 && !a.written) continue;
    const kept = a.indices.map((index) => ({ index, local: names.fresh(`${a.array}_${indexName(index)}`) }));
    locals.set(a.array, kept);
    for (const { index, local } of kept) {
      const element: Expr = { kind: "index", array: { kind: "var", name: a.array }, index };
      before.push({ kind: "let", name: local, type: "number", init: element, mutable: a.written });
      if (a.written) after.push({ kind: "store", array: a.array, index, value: { kind: "var", name: local } });
    }
  }
  if (locals.size === 0) return [loop];
  return [...before, replaceIn(loop, locals), ...after];
}

/** Reads only variables the loop does not change, and calls nothing (a pop is not invariant). */
function invariant(e: Expr, changed: Set<string>): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (x.kind === "call" || x.kind === "index") ok = false;
  });
  return ok && [...readsOf(e)].every((name) => !changed.has(name));
}

function indexName(e: Expr): string {
  if (e.kind === "var") return e.name;
  if (e.kind === "num" && Number.isInteger(e.value) && e.value >= 0) return String(e.value);
  return "elem";
}

type Locals = ReadonlyMap<string, readonly { index: Expr; local: string }[]>;

/** `s` with the kept elements read from, and written to, their locals. */
function replaceIn(s: Stmt, locals: Locals): Stmt {
  const read = (e: Expr): Expr =>
    mapExpr(e, (y) => {
      const kept = y.kind === "index" && y.array.kind === "var" ? locals.get(y.array.name)?.find((k) => sameExpr(k.index, y.index)) : undefined;
      return kept && { kind: "var", name: kept.local };
    });
  const write = (x: Stmt): Stmt[] => {
    const kept = x.kind === "store" ? locals.get(x.array)?.find((k) => sameExpr(k.index, x.index)) : undefined;
    if (x.kind !== "store" || !kept) return [x];
    return [{ kind: "assign", name: kept.local, value: x.value, note: x.note, origin: x.origin, adjoint: x.adjoint }];
  };
  return rewriteStmts([s], read, write)[0]!;
}
