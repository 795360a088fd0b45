// Whether a tail of generated code can run again and again after the code
// before it ran once. Takes: the statements that run once (`once`), the tail
// (`again`) and the function's parameters. Guarantees: `true` only if every
// run of the tail sees, in everything it reads, what the first run saw; that
// is, the tail changes nothing it reads that it did not make itself. Used by
// jacobian.ts: the forward sweep runs once and the backward sweep once per
// row, which is right only when a backward sweep leaves the forward sweep's
// values as it found them. A backward sweep that pops a tape, restores an
// overwritten variable or array element, or overwrites a forward value kept in
// a gradient buffer does not (`x_bar[i] = _exp0` forward, read and then
// overwritten backward).
//
// Exact where it says yes, conservative elsewhere:
// - a variable made before the tail that the tail assigns must be assigned on
//   every path before the tail reads it (a loop counter the backward sweep
//   sets before its loop, a value it recomputes before using);
// - an array (or record) made before the tail that the tail changes in place
//   (a store, a runtime helper that adds into its first argument, a callee
//   that writes its parameter) must not be read by the tail at all, through
//   any name that may hold the same array (aliases are followed through
//   assignments, fields, rows and calls that may return an argument; array
//   parameters count as one, since a caller may pass one array twice);
// - the tail uses no stack of the runtime (kept arrays), calls no customGrad
//   rule and no function of the environment; it pops the tape only if it
//   starts by rewinding it (`rewindTape(mark)`, to where the code before left
//   it) and pushes nothing, so each run pops the same values.

import { type Callee, type Expr, type FnRef, type Param, type Stmt, type Type, exprsOf, isArrayType, readsOf, walkExpr, walkStmts } from "./ir.js";

/** Runtime helpers that change none of their arguments and keep no state. */
const PURE = new Set([
  "sum", "mean", "dot", "prod", "max", "min", "norm", "hypot", "logSumExp",
  "zerosLike", "zerosOf", "zeros", "ones", "full", "arange", "tensor", "map", "map2", "filled",
  "linspace", "linspaceAdjoint", "sliceOf", "sliceToArray", "sortedOf", "sortedTangent", "reversedOf", "copyOf", "toRow", "zeroRow", "emptyRows",
  "jacobianRows", "zerosRows", "zerosTree", "keyedValues", "keyIndex", "keySlot", "keyAt", "keyedTangent", "keyedRecord",
  "keyedRows", "keyedRowsRecord", "stopGradient", "refused",
  "prodTangent", "maxTangent", "minTangent", "normTangent", "logSumExpTangent", "tapeMark", "intoRows", "intoColumn",
  "outputs", "leafCount", "unitLike", "unflattenLike", "rowsLike", "jacobiansOf", "asArray",
]);

/** Runtime helpers that return a new value, never one of their arguments. */
const FRESH = new Set([
  "zerosLike", "zerosOf", "zeros", "ones", "full", "arange", "tensor", "map", "map2", "filled", "linspace", "linspaceAdjoint",
  "sliceOf", "sliceToArray", "sortedOf", "sortedTangent", "reversedOf", "copyOf", "toRow", "zeroRow", "emptyRows", "jacobianRows", "zerosRows", "zerosTree",
  "keyedValues", "keyedTangent", "keyedRecord", "refused", "outputs", "unitLike", "unflattenLike", "rowsLike", "jacobiansOf",
  "lendSeed",
]);

/** Runtime helpers that return their first argument (the caller's buffer, checked or zeroed) or a new array: never another argument. */
const RETURNS_FIRST = new Set(["zeroed", "zeroedLike", "checkedInto", "apartInto", "intoColumn", "intoRows", "copyColumn"]);

/** Runtime helpers that add into, or fill, their first argument and touch nothing else. */
const INTO_FIRST = new Set([
  "sumAdjoint", "meanAdjoint", "dotAdjoint", "prodAdjoint", "maxAdjoint", "minAdjoint", "normAdjoint", "logSumExpAdjoint",
  "addScaled", "sliceAdjoint", "sortedAdjoint", "zeroed", "zeroedLike", "checkedInto", "apartInto", "setColumn", "setField",
  "addRows", "addRecords", "addTuples", "addTree", "prodAdjointTangent", "normAdjointTangent", "logSumExpAdjointTangent",
  "copyColumn",
]);

/** Runtime helpers with a stack: a function's own pushes and pops balance, a tail run twice pops twice. */
const STACKS = new Set(["keepArray", "restoreArray", "popElement"]);

/** Pushes onto the tape: a tail that rewinds the tape must not write over what the code before it saved. */
const PUSHES = new Set(["pushValue", "pushControl", "pushBlock", "pushBlockTangents"]);

/** The tape's helpers: a generated function pops what it pushed before it returns. */
const TAPE = new Set(["pushValue", "popValue", "pushControl", "popControl", "pushBlock", "saveBlock", "pushBlockTangents", "saveBlockTangents", "growTape", "tape"]);

const scalar = (t: Type | undefined): boolean => t === "number" || t === "boolean";

export function repeatable(once: readonly Stmt[], again: readonly Stmt[], params: readonly Param[]): boolean {
  const made = new Set<string>();
  walkStmts(again, (s) => s.kind === "let" && made.add(s.name));
  const before = new Set(params.map((p) => p.name));
  walkStmts(once, (s) => s.kind === "let" && before.add(s.name));
  // Names are unique within a function; a tail declaring one made before it would shadow it.
  for (const name of made) if (before.has(name)) return false;
  const types = typesOf([...once, ...again], params);
  const holders = new Holders();
  const arrays = params.filter((p) => !scalar(p.type));
  for (const p of arrays) holders.join(p.name, arrays[0]!.name);
  holders.follow([...once, ...again], types);
  // A tail that starts by rewinding the tape to where the code before it left it pops the same values each run.
  const first = again[0];
  const rewound = first?.kind === "effect" && first.call.kind === "call" && first.call.callee.kind === "runtime" && first.call.callee.name === "rewindTape";
  const changes = changed(again, holders, rewound);
  if (!changes) return false;
  // An array made before, changed in place: nothing the tail reads may share it.
  const earlier = new Set([...before].map((name) => holders.find(name)));
  const read = new Set<string>();
  walkStmts(again, (s) => exprsOf(s).forEach((e) => readsOf(e, read)));
  for (const name of read) {
    const group = holders.find(name);
    if (earlier.has(group) && changes.inPlace.has(group)) return false;
  }
  // Assigned: every read of a value made before comes after the tail's own assignment.
  const exposed = new Set<string>();
  block(again, new Set(made), exposed);
  for (const name of changes.assigned) if (!made.has(name) && exposed.has(name)) return false;
  return true;
}

/**
 * The numbers and booleans made before `again` that it assigns and may read
 * before assigning (a value restored by the backward sweep, `t = tape[--top]`,
 * read at the top of the reversed loop): kept after `once`, they can be put
 * back before each run.
 */
export function restoredScalars(once: readonly Stmt[], again: readonly Stmt[], params: readonly Param[]): string[] {
  const made = new Set<string>();
  walkStmts(again, (s) => s.kind === "let" && made.add(s.name));
  const types = typesOf([...once, ...again], params);
  const exposed = new Set<string>();
  block(again, new Set(made), exposed);
  const out: string[] = [];
  walkStmts(again, (s) => {
    if (s.kind === "assign" && !made.has(s.name) && exposed.has(s.name) && scalar(types.get(s.name)) && !out.includes(s.name)) out.push(s.name);
  });
  return out;
}

/** The type of every local and parameter. */
function typesOf(stmts: readonly Stmt[], params: readonly Param[]): Map<string, Type> {
  const types = new Map<string, Type>(params.map((p) => [p.name, p.type]));
  walkStmts(stmts, (s) => s.kind === "let" && types.set(s.name, s.type));
  return types;
}

/** Which names may hold the same array or record: a union of the names each assignment joins. */
class Holders {
  private readonly parent = new Map<string, string>();
  find(name: string): string {
    let root = name;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    return root;
  }
  join(a: string, b: string): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.parent.set(x, y);
  }
  /** Every non-number local joined with the names its values may share an array with. */
  follow(stmts: readonly Stmt[], types: ReadonlyMap<string, Type>): void {
    walkStmts(stmts, (s) => {
      // An array stored as an element of another (a row of rows), or as a record's field.
      if (s.kind === "store" && mayHoldArray(s.value, types)) for (const root of sharedBy(s.value)) this.join(s.array, root);
      if (s.kind === "effect" && s.call.kind === "call" && s.call.callee.kind === "runtime" && s.call.callee.name === "setField") {
        const [record, , value] = s.call.args;
        if (record && value) for (const root of [...sharedBy(record), ...sharedBy(value)]) this.join(root, [...sharedBy(record)][0] ?? root);
      }
      const value = s.kind === "let" ? s.init : s.kind === "assign" ? s.value : undefined;
      if (!value || (s.kind !== "let" && s.kind !== "assign") || scalar(types.get(s.name))) return;
      for (const root of sharedBy(value)) this.join(s.name, root);
    });
  }
}

/** Whether `e`'s value may be an array or a record (a number read from a flat array is not). */
function mayHoldArray(e: Expr, types: ReadonlyMap<string, Type>): boolean {
  switch (e.kind) {
    case "num":
    case "bool":
    case "literal":
    case "binary":
    case "neg":
    case "not":
    case "length":
      return false;
    case "var":
      return !scalar(types.get(e.name));
    case "index": {
      const t = e.array.kind === "var" ? types.get(e.array.name) : undefined;
      return !(isArrayType(t) && !t.rows);
    }
    case "call":
      return !(e.callee.kind === "math" || (e.callee.kind === "passive" && e.callee.numeric));
    case "cond":
      return mayHoldArray(e.then, types) || mayHoldArray(e.else, types);
    default:
      return true;
  }
}

/** The variables whose arrays `e`'s value may be, or hold. */
export function sharedBy(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case "var":
      into.add(e.name);
      break;
    case "field":
      sharedBy(e.object, into);
      break;
    case "index":
      sharedBy(e.array, into);
      break;
    case "cond":
      sharedBy(e.then, into);
      sharedBy(e.else, into);
      break;
    case "tuple":
      e.items.forEach((x) => sharedBy(x, into));
      break;
    case "object":
      e.fields.forEach(([, x]) => sharedBy(x, into));
      break;
    case "call":
      if (e.callee.kind === "math" || (e.callee.kind === "runtime" && FRESH.has(e.callee.name)) || (e.callee.kind === "passive" && e.callee.numeric)) break;
      if (e.callee.kind === "runtime" && RETURNS_FIRST.has(e.callee.name)) {
        if (e.args[0]) sharedBy(e.args[0], into);
        break;
      }
      // A callee may return an argument, or part of one.
      e.args.forEach((x) => sharedBy(x, into));
      break;
    default:
      break;
  }
  return into;
}

interface Changes {
  /** The holder groups (Holders.find) of arrays changed in place. */
  readonly inPlace: Set<string>;
  /** Variables assigned. */
  readonly assigned: Set<string>;
}

/** What `stmts` change; undefined when they use a runtime stack or call what may change anything. */
function changed(stmts: readonly Stmt[], holders: Holders, rewound: boolean): Changes | undefined {
  const inPlace = new Set<string>();
  const assigned = new Set<string>();
  const writes = (e: Expr | undefined): void => {
    if (e) for (const name of sharedBy(e)) inPlace.add(holders.find(name));
  };
  let ok = true;
  walkStmts(stmts, (s) => {
    if (s.kind === "assign") assigned.add(s.name);
    if (s.kind === "store") inPlace.add(holders.find(s.array));
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind !== "call") return;
        if (x.callee.kind === "runtime" && ["popValue", "popControl", "rewindTape"].includes(x.callee.name)) {
          if (!rewound) ok = false;
          return;
        }
        if (x.callee.kind === "runtime" && PUSHES.has(x.callee.name)) ok = false;
        const touched = argumentsChanged(x.callee, x.args.length);
        if (touched === undefined) ok = false;
        else touched.forEach((i) => writes(x.args[i]));
      });
    }
  });
  return ok ? { inPlace, assigned } : undefined;
}

/** The argument positions a call may change; undefined when it may change what no argument says (a stack). */
function argumentsChanged(callee: Callee, count: number): number[] | undefined {
  const all = [...Array(count).keys()];
  switch (callee.kind) {
    case "math":
      return [];
    case "passive":
      return callee.mutates === undefined ? [] : [callee.mutates];
    case "runtime":
      if (PURE.has(callee.name)) return [];
      if (INTO_FIRST.has(callee.name)) return [0];
      return undefined;
    case "fn":
      return callee.fn.custom ? all : [...parametersChanged(callee.fn, new Set())];
    case "rule":
    case "global":
      return undefined;
  }
}

/**
 * The parameters a function may change in place (directly, or by passing them
 * to what changes its argument). Its own stack pushes and pops balance, so
 * only its parameters matter; a recursive cycle counts as changing them all.
 */
function parametersChanged(fn: FnRef, visiting: Set<FnRef>): Set<number> {
  const ir = fn.ir();
  const all = new Set(ir.params.map((_, i) => i));
  if (visiting.has(fn)) return all;
  visiting.add(fn);
  const types = typesOf(ir.body, ir.params);
  const holders = new Holders();
  holders.follow(ir.body, types);
  const inPlace = new Set<string>();
  const writes = (e: Expr | undefined): void => {
    if (e) for (const name of sharedBy(e)) inPlace.add(holders.find(name));
  };
  let everything = false;
  walkStmts(ir.body, (s) => {
    if (s.kind === "store") inPlace.add(holders.find(s.array));
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind !== "call") return;
        const c = x.callee;
        if (c.kind === "runtime" && STACKS.has(c.name)) return writes(x.args[0]);
        if (c.kind === "runtime" && TAPE.has(c.name)) return; // its own pushes and pops
        if (c.kind === "fn") {
          const changedThere = c.fn.custom ? new Set(x.args.keys()) : parametersChanged(c.fn, visiting);
          return changedThere.forEach((i) => writes(x.args[i]));
        }
        const touched = argumentsChanged(c, x.args.length);
        if (touched === undefined) everything = true;
        else touched.forEach((i) => writes(x.args[i]));
      });
    }
  });
  visiting.delete(fn);
  if (everything) return all;
  return new Set(ir.params.flatMap((p, i) => (!scalar(p.type) && inPlace.has(holders.find(p.name)) ? [i] : [])));
}

// Reads that may see a value from before `stmts` ran: a read of a name not
// assigned on every path to it. `defined` grows with what is assigned for sure.

function use(e: Expr, defined: ReadonlySet<string>, exposed: Set<string>): void {
  for (const name of readsOf(e)) if (!defined.has(name)) exposed.add(name);
}

function block(stmts: readonly Stmt[], defined: Set<string>, exposed: Set<string>): void {
  for (const s of stmts) statement(s, defined, exposed);
}

function statement(s: Stmt, defined: Set<string>, exposed: Set<string>): void {
  switch (s.kind) {
    case "let":
      if (s.init) use(s.init, defined, exposed);
      defined.add(s.name);
      return;
    case "assign":
      use(s.value, defined, exposed);
      defined.add(s.name);
      return;
    case "store":
      use(s.index, defined, exposed);
      use(s.value, defined, exposed);
      if (!defined.has(s.array)) exposed.add(s.array);
      return;
    case "effect":
      use(s.call, defined, exposed);
      return;
    case "return":
      use(s.value, defined, exposed);
      return;
    case "throw":
      s.args.forEach((e) => use(e, defined, exposed));
      return;
    case "if": {
      use(s.test, defined, exposed);
      const [then, otherwise] = [new Set(defined), new Set(defined)];
      block(s.then, then, exposed);
      block(s.else, otherwise, exposed);
      // A branch that jumps away assigns no less on the path that goes on.
      for (const name of then) if (otherwise.has(name)) defined.add(name);
      return;
    }
    case "loop": {
      if (s.init) statement(s.init, defined, exposed);
      // The test and the update may run before the body's assignments (no iteration, a `continue`).
      use(s.test, defined, exposed);
      block(s.body, new Set(defined), exposed);
      block(s.update, new Set(defined), exposed);
      return;
    }
    case "break":
    case "continue":
      return;
  }
}
