// transformer/repeatable.ts on small hand-made IR: whether a backward sweep
// may run once per Jacobian row after one forward sweep. Each "no" is a case
// where running the tail twice would read what its first run changed.

import { describe, expect, it } from "vitest";
import { type Expr, type Param, type Stmt, num, v } from "../transformer/ir.js";
import { repeatable, restoredScalars } from "../transformer/repeatable.js";

const rt = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const F64 = { array: "f64" } as const;
const letNum = (name: string, init: Expr): Stmt => ({ kind: "let", name, type: "number", init, mutable: true });
const letArr = (name: string, init: Expr): Stmt => ({ kind: "let", name, type: F64, init, mutable: false });
const assign = (name: string, value: Expr): Stmt => ({ kind: "assign", name, value });
const store = (array: string, index: Expr, value: Expr): Stmt => ({ kind: "store", array, index, value });
const at = (a: string, i: Expr): Expr => ({ kind: "index", array: v(a), index: i });
const plus = (left: Expr, right: Expr): Expr => ({ kind: "binary", op: "+", left, right });
const params: Param[] = [{ name: "x", type: F64 }];
const forward: Stmt[] = [letArr("a", { kind: "alloc", size: num(3) }), letNum("t", num(2)), letArr("seed", rt("zerosLike", v("a")))];

describe("repeatable", () => {
  it("yes: adjoints made in the tail, a counter assigned before it is read", () => {
    const tail = [letArr("x_bar", rt("zerosLike", v("x"))), assign("t", num(0)), store("x_bar", num(0), plus(at("seed", num(0)), v("t")))];
    expect(repeatable(forward, tail, params)).toBe(true);
  });
  it("no: a number read, then restored (the next run reads the restored value)", () => {
    const tail = [letArr("x_bar", rt("zerosLike", v("x"))), store("x_bar", num(0), v("t")), assign("t", num(1))];
    expect(repeatable(forward, tail, params)).toBe(false);
    // Put back before the tail, it is assigned before every read.
    expect(restoredScalars(forward, tail, params)).toEqual(["t"]);
    expect(repeatable(forward, [assign("t", num(2)), ...tail], params)).toBe(true);
  });
  it("no: an element of an array from before restored and read", () => {
    const tail = [letNum("r", at("a", num(1))), store("a", num(1), num(0))];
    expect(repeatable(forward, tail, params)).toBe(false);
  });
  it("no: the same array changed through another name for it", () => {
    const tail = [letArr("b", v("a")), store("b", num(1), num(0)), letNum("r", at("a", num(1)))];
    expect(repeatable(forward, tail, params)).toBe(false);
    // Through a helper that adds into its first argument.
    const added = [{ kind: "effect", call: rt("addScaled", v("a"), num(1), v("seed")) } as Stmt, letNum("r", at("a", num(0)))];
    expect(repeatable(forward, added, params)).toBe(false);
  });
  it("yes: an array from before changed but never read by the tail", () => {
    expect(repeatable(forward, [store("a", num(1), num(0))], params)).toBe(true);
  });
  it("pops the tape only after rewinding it, and never pushes", () => {
    const marked = [...forward, letNum("mark", rt("tapeMark"))];
    const pop = assign("t", rt("popValue"));
    const rewind: Stmt = { kind: "effect", call: rt("rewindTape", v("mark")) };
    expect(repeatable(marked, [pop], params)).toBe(false);
    expect(repeatable(marked, [rewind, pop], params)).toBe(true);
    expect(repeatable(marked, [rewind, { kind: "effect", call: rt("pushValue", num(1)) }, pop], params)).toBe(false);
  });
  it("no: a stack of kept arrays, or an unknown runtime helper", () => {
    expect(repeatable(forward, [assign("t", rt("restoreArray", v("a")))], params)).toBe(false);
    expect(repeatable(forward, [{ kind: "effect", call: rt("somethingNew", v("a")) }], params)).toBe(false);
  });
  it("no: a tail declaring a name made before it", () => {
    expect(repeatable(forward, [letNum("t", num(0))], params)).toBe(false);
  });
});
