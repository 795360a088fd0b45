// Pass 4a (with scalarize.ts), a window of accumulated elements that slides
// with the counter. Takes: a loop of a simplified IR function whose body starts
// by stepping its counter by one (a reversed loop, `while (i !== 1) { i -= 1; ... }`)
// and accumulates into one array only at the counter plus constants, the
// adjoint of a stencil (`u_bar[i - 1] += d1; u_bar[i] += d0 - 2 * d1; u_bar[i + 1] += d1`).
// Guarantees: the same sums, each element's terms added in the same order,
// with the elements the window covers held in locals: each iteration loads the
// one element it touches first and stores the one it touches last.
//
//   let u_bar_i = u_bar[i - 1];
//   let u_bar_ip1 = u_bar[i];
//   while (i !== 1) {
//     i -= 1;
//     let u_bar_im1 = u_bar[i - 1];
//     ...; u_bar_im1 += _d1; u_bar_i -= 2 * _d1; u_bar_ip1 += _d1;
//     u_bar[i + 1] = u_bar_ip1;
//     u_bar_ip1 = u_bar_i;
//     u_bar_i = u_bar_im1;
//   }
//   u_bar[i] = u_bar_ip1;
//   u_bar[i - 1] = u_bar_i;
//
// Why: every element of a stencil's adjoint is accumulated in three successive
// iterations, each a load that waits for the previous iteration's store (V8
// cannot keep it in a register: another typed array may share the buffer).
// Held in locals, the chain of additions runs in registers; the hand-written
// adjoint of the heat equation gathers for the same reason.
//
// When it is sound: the array is a Float64Array this function created (no
// other store in the loop reaches it: every array the loop writes was created
// here too), the loop does not rebind it, pass it to a call, or read it
// otherwise, nothing in the loop leaves an iteration early (break, continue,
// return) and no inner loop touches it. Before the loop the window holds the
// elements the first iteration finds there; after it, the elements the last
// one left there (a loop that runs no iteration stores back what it loaded; a
// store past the end of a Float64Array is ignored, as in the loop). Every
// iteration accumulates at both ends of the window, so the window reads no
// element the loop would not read (a read past the end would put `undefined`
// in a local that V8 should keep as a double).

import type { Expr, Stmt, Type } from "./ir.js";
import { assignedIn, exprsOf, isArrayType, isElementAccumulation, rewriteStmts, walkExpr, walkStmts } from "./ir.js";
import type { NameScope } from "./names.js";

type Loop = Extract<Stmt, { kind: "loop" }>;

/** The widest window kept in locals (offsets from the counter, last minus first). */
const MAX_SPAN = 4;

/** `loop` with the accumulations of each eligible array in a sliding window, and the loads and stores around it. */
export function slideWindows(loop: Loop, types: ReadonlyMap<string, Type>, created: ReadonlySet<string>, names: NameScope): Stmt[] {
  const step = bodyStep(loop);
  if (!step) return [loop];
  let leaves = false;
  walkStmts(loop.body, (s) => {
    if (s.kind === "break" || s.kind === "continue" || s.kind === "return" || s.kind === "throw") leaves = true;
  });
  if (leaves) return [loop];
  const stored = new Set<string>();
  walkStmts([loop], (s) => s.kind === "store" && stored.add(s.array));
  // Another array written in the loop could share a buffer with a parameter.
  if ([...stored].some((a) => !created.has(a))) return [loop];
  const rebound = new Set<string>();
  walkStmts([loop], (s) => (s.kind === "let" || s.kind === "assign") && rebound.add(s.name));

  let before: Stmt[] = [];
  let after: Stmt[] = [];
  let current = loop;
  for (const array of stored) {
    const type = types.get(array);
    if (!isArrayType(type) || type.array !== "f64" || type.rows || rebound.has(array)) continue;
    const offsets = windowOffsets(current, array, step.counter);
    if (!offsets) continue;
    const slid = slide(current, array, offsets, step, names);
    before = [...before, ...slid.before];
    after = [...slid.after, ...after];
    current = slid.loop;
  }
  return current === loop ? [loop] : [...before, current, ...after];
}

interface Step {
  readonly counter: string;
  /** How the counter moves from one iteration to the next: +1 or -1. */
  readonly by: 1 | -1;
}

/** A loop `while (...) { i = i ± 1; ... }` whose counter nothing else in it changes. */
function bodyStep(loop: Loop): Step | undefined {
  if (loop.update.length !== 0 || loop.init || loop.doWhile) return undefined;
  const first = loop.body[0];
  if (first?.kind !== "assign" || first.value.kind !== "binary" || (first.value.op !== "+" && first.value.op !== "-")) return undefined;
  const { left, right } = first.value;
  if (left.kind !== "var" || left.name !== first.name || right.kind !== "num" || right.value !== 1) return undefined;
  const rest = loop.body.slice(1);
  if (assignedIn(rest).has(first.name)) return undefined;
  let declared = false;
  walkStmts(rest, (s) => void (s.kind === "let" && s.name === first.name && (declared = true)));
  if (declared) return undefined;
  return { counter: first.name, by: first.value.op === "+" ? 1 : -1 };
}

/** `counter + k` as k; anything else as undefined. */
function offsetOf(index: Expr, counter: string): number | undefined {
  if (index.kind === "var") return index.name === counter ? 0 : undefined;
  if (index.kind !== "binary" || (index.op !== "+" && index.op !== "-")) return undefined;
  if (index.left.kind !== "var" || index.left.name !== counter || index.right.kind !== "num" || !Number.isInteger(index.right.value)) return undefined;
  return index.op === "+" ? index.right.value : -index.right.value;
}

/**
 * The offsets at which the loop body accumulates into `array`, when every use
 * of `array` in the loop is such an accumulation outside inner loops, there
 * are at least two within MAX_SPAN of each other, and every iteration
 * accumulates at the lowest and the highest; otherwise undefined.
 */
function windowOffsets(loop: Loop, array: string, counter: string): number[] | undefined {
  const offsets = new Set<number>();
  let ok = true;
  let accumulations = 0;
  // Offsets every iteration accumulates into (not under an `if`).
  const always = new Set<number>();
  const visit = (stmts: readonly Stmt[], top: boolean): void => {
    for (const s of stmts) {
      if (s.kind === "loop") {
        let touches = false;
        walkStmts([s], (x) => {
          if (x.kind === "store" && x.array === array) touches = true;
          for (const e of exprsOf(x)) walkExpr(e, (y) => void (y.kind === "var" && y.name === array && (touches = true)));
        });
        if (touches) ok = false;
        continue;
      }
      if (s.kind === "if") {
        if (readsArray(s.test, array)) ok = false;
        visit(s.then, false);
        visit(s.else, false);
        continue;
      }
      if (isElementAccumulation(s) && s.array === array) {
        const k = offsetOf(s.index, counter);
        if (k === undefined) ok = false;
        else offsets.add(k);
        if (k !== undefined && top) always.add(k);
        accumulations++;
        continue;
      }
      if (s.kind === "store" && s.array === array) ok = false;
      for (const e of exprsOf(s)) if (readsArray(e, array)) ok = false;
    }
  };
  if (readsArray(loop.test, array)) return undefined;
  visit(loop.body, true);
  if (!ok || offsets.size < 2 || accumulations < 2) return undefined;
  const sorted = [...offsets].sort((a, b) => a - b);
  const [low, high] = [sorted[0]!, sorted[sorted.length - 1]!];
  // The window loads i + low .. i + high, which the loop itself reads when it
  // touches both ends every iteration: no load past the array's end that the
  // loop would not make (that would put undefined in a local V8 keeps as a double).
  if (!always.has(low) || !always.has(high)) return undefined;
  return high - low <= MAX_SPAN ? sorted : undefined;
}

function readsArray(e: Expr, array: string): boolean {
  let found = false;
  walkExpr(e, (x) => void (x.kind === "var" && x.name === array && (found = true)));
  return found;
}

/** `counter + k`, folded. */
function at(counter: string, k: number): Expr {
  const i: Expr = { kind: "var", name: counter };
  if (k === 0) return i;
  return { kind: "binary", op: k > 0 ? "+" : "-", left: i, right: { kind: "num", value: Math.abs(k) } };
}

function localName(array: string, counter: string, k: number): string {
  return `${array}_${counter}${k === 0 ? "" : k > 0 ? `p${k}` : `m${-k}`}`;
}

function slide(loop: Loop, array: string, offsets: readonly number[], step: Step, names: NameScope): { before: Stmt[]; loop: Loop; after: Stmt[] } {
  const { counter, by } = step;
  const [low, high] = [offsets[0]!, offsets[offsets.length - 1]!];
  // Moving down, an iteration touches i + low first and i + high last; moving up, the other way round.
  const lead = by < 0 ? low : high;
  const trail = by < 0 ? high : low;
  const span: number[] = [];
  for (let k = low; k <= high; k++) span.push(k);
  const local = new Map(span.map((k) => [k, names.fresh(localName(array, counter, k))]));
  const element = (k: number): Expr => ({ kind: "index", array: { kind: "var", name: array }, index: at(counter, k) });
  const v = (k: number): Expr => ({ kind: "var", name: local.get(k)! });
  // Outside the loop the counter is one step short of (before) or at (after) the
  // value the iteration saw, whose window is i + k: the element of i + k + by.
  const carried = span.filter((k) => k !== lead);
  const before: Stmt[] = carried.map((k) => ({ kind: "let", name: local.get(k)!, type: "number", init: element(k + by), mutable: true }));
  const range = (k: number): string => (k === 0 ? counter : `${counter} ${k > 0 ? "+" : "-"} ${Math.abs(k)}`);
  before[0]!.note = `${array}[${range(low)} .. ${range(high)}] in locals that move with ${counter}`;
  const after: Stmt[] = carried.map((k) => ({ kind: "store", array, index: at(counter, k + by), value: v(k) }));
  const body = rewriteStmts(
    loop.body.slice(1),
    (e) => e,
    (s) => {
      if (!isElementAccumulation(s) || s.array !== array) return [s];
      const k = offsetOf(s.index, counter)!;
      const value: Expr = { ...s.value, left: v(k) };
      return [{ kind: "assign", name: local.get(k)!, value, note: s.note, origin: s.origin, adjoint: s.adjoint }];
    },
  );
  const load: Stmt = { kind: "let", name: local.get(lead)!, type: "number", init: element(lead), mutable: true };
  const store: Stmt = { kind: "store", array, index: at(counter, trail), value: v(trail) };
  // Each local takes its neighbour's value, from the trailing end to the leading one.
  const shift: Stmt[] = [];
  for (let k = trail; k !== lead; k += by < 0 ? -1 : 1) shift.push({ kind: "assign", name: local.get(k)!, value: v(by < 0 ? k - 1 : k + 1) });
  return { before, loop: { ...loop, body: [loop.body[0]!, load, ...body, store, ...shift] }, after };
}
