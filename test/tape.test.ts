// When a generated function may keep the runtime's tape in locals (tape.ts):
// the cases no program in the fixtures reaches are built here as IR directly.
import { describe, expect, it } from "vitest";
import type { Expr, Fn, FnRef, Stmt } from "../transformer/ir.js";
import { tapeLayout } from "../transformer/tape.js";

const v = (name: string): Expr => ({ kind: "var", name });
const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const push = (e: Expr): Stmt => ({ kind: "effect", call: runtime("pushValue", e) });
const pop = (name: string): Stmt => ({ kind: "assign", name, value: runtime("popValue") });
const call = (fn: Fn): Expr => ({ kind: "call", callee: { kind: "fn", fn: ref(fn) }, args: [v("x")] });
const ref = (fn: Fn): FnRef => ({ key: fn.name, name: fn.name, ir: () => fn });
const fn = (name: string, body: Stmt[]): Fn => ({ name, params: [{ name: "x", type: "number" }], returnType: "number", body });
const ret: Stmt = { kind: "return", value: v("x") };

/** A function that saves on the tape, as a callee. */
const saver = fn("saver", [push(v("x")), pop("x"), ret]);
/** A function that does not. */
const plain = fn("plain", [ret]);

describe("tapeLayout", () => {
  it("splits after the last push, and names its locals apart from the function's names", () => {
    const f = fn("f", [{ kind: "let", name: "tape", type: "number", init: v("x"), mutable: true }, push(v("x")), push(v("tape")), pop("x"), pop("x"), ret]);
    expect(tapeLayout(f)).toEqual({ tape: "tape_1", top: "top", split: 3, publish: false, checked: false });
  });

  it("does nothing for a function that saves nothing", () => {
    expect(tapeLayout(fn("f", [ret]))).toBeUndefined();
  });

  it("keeps the runtime calls when a pop comes before a push", () => {
    expect(tapeLayout(fn("f", [push(v("x")), pop("x"), push(v("x")), pop("x"), ret]))).toBeUndefined();
  });

  it("keeps the runtime calls when the function returns from more than one place", () => {
    const early: Stmt = { kind: "if", test: v("x"), then: [ret], else: [] };
    expect(tapeLayout(fn("f", [push(v("x")), early, pop("x"), ret]))).toBeUndefined();
  });

  it("keeps the runtime calls when a call before the last push saves (running the forward sweep again would repeat it)", () => {
    const callSaver: Stmt = { kind: "assign", name: "x", value: call(saver) };
    expect(tapeLayout(fn("f", [callSaver, push(v("x")), pop("x"), ret]))).toBeUndefined();
    // ... also through a function that calls one that saves.
    const relay = fn("relay", [{ kind: "return", value: call(saver) }]);
    expect(tapeLayout(fn("g", [{ kind: "assign", name: "x", value: call(relay) }, push(v("x")), pop("x"), ret]))).toBeUndefined();
    // A call that saves nothing is fine there.
    expect(tapeLayout(fn("h", [{ kind: "assign", name: "x", value: call(plain) }, push(v("x")), pop("x"), ret]))?.publish).toBe(false);
    // After the last push (and the length check) a call that saves is fine: the function publishes its top first.
    expect(tapeLayout(fn("k", [push(v("x")), callSaver, pop("x"), ret]))).toEqual({ tape: "tape", top: "top", split: 1, publish: true, checked: false });
  });

  it("lets a fused loop pop in the forward sweep what each of its iterations pushed (fuse.ts), and checks nothing after the sweep when fused loops made every push", () => {
    const loop = (fused: boolean): Stmt => ({ kind: "loop", test: v("x"), update: [], body: [push(v("x")), pop("x")], doWhile: false, fused });
    expect(tapeLayout(fn("f", [loop(true), ret]))).toEqual({ tape: "tape", top: "top", split: 1, publish: false, checked: true });
    // Another push after it is checked after the sweep, as always.
    expect(tapeLayout(fn("g", [loop(true), push(v("x")), pop("x"), ret]))?.checked).toBe(false);
    // A loop that is not fused pops values pushed before it: no tape in locals.
    expect(tapeLayout(fn("h", [loop(false), ret]))).toBeUndefined();
  });

  it("publishes its top when the backward sweep calls a function that saves", () => {
    const f = fn("f", [push(v("x")), pop("x"), { kind: "assign", name: "x", value: call(saver) }, ret]);
    expect(tapeLayout(f)?.publish).toBe(true);
  });

  it("terminates on recursive callees", () => {
    const loopA: Fn = fn("loopA", []);
    const loopB: Fn = fn("loopB", [{ kind: "return", value: call(loopA) }]);
    loopA.body.push({ kind: "return", value: call(loopB) });
    expect(tapeLayout(fn("f", [push(v("x")), { kind: "assign", name: "x", value: call(loopA) }, pop("x"), ret]))?.publish).toBe(false);
  });
});
