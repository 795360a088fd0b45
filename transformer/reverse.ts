// Pass 3, reverse mode. Takes: a lowered IR function and the parameter
// positions to differentiate. Guarantees: an IR function that runs the forward
// sweep (the original statements, saving values they overwrite when the
// backward sweep reads them, recording branch decisions and trip counts) and
// then the backward sweep (each statement's adjoint in reverse order,
// restoring saved values as it goes). Inside loops, saved values and
// decisions go to the runtime's stacks; elsewhere to locals.

import { ts } from "./ts.js";
import { activeVariables, usefulVariables } from "./activity.js";
import { readsVaried } from "./stop.js";
import { type ControlConstruct, deadControls } from "./controls.js";
import { Code, fail } from "./diagnostics.js";
import {
  type ArrayType,
  type Expr,
  type Fn,
  type BinaryExpr,
  type FnRef,
  type Param,
  type Stmt,
  type Type,
  assignedIn,
  exprsOf,
  foldLeft,
  inheritOrigin,
  isArrayType,
  isKeyedNumbers,
  isOpaqueType,
  type OpaqueType,
  isRecordsType,
  type RecordsType,
  isStructType,
  isTreesType,
  isUserEffect,
  mentions,
  readsOf,
  rewriteStmts,
  sameExpr,
  v,
  walkExpr,
  walkStmts,
} from "./ir.js";
import { type FuseContext, type Fusion, type Loop, fusion } from "./fuse.js";
import { savedAtIterationEnd } from "./iteration-saves.js";
import { structureLoops } from "./loops.js";
import { refuseComputedFields } from "./types.js";
import { NameScope, adjointName } from "./names.js";
import { singleExit } from "./normalize.js";
import { printStmt } from "./print.js";
import { CHEAP_CALLS, cheapToRecompute, passiveRecomputable } from "./recompute.js";
import { counterEnd } from "./trips.js";
import { restoresUnread } from "./liveness.js";
import { type IterationRows, layRows } from "./rows.js";
import { bindReusedResults, reusesResult } from "./reuse.js";
import { mathRule, powRule } from "./rules/math.js";
import { type RuntimeAdjointApi, runtimeRule } from "./rules/runtime.js";
import { fold, mulf, unreadStatements } from "./simplify.js";
import { unreachedAdjoints } from "./unreached.js";
import { refusePassiveReads } from "./passive-reads.js";
import { float64Reach } from "./float64-reach.js";
import { asDeclared } from "./declared-results.js";

export type ReverseKind = "grad" | "valueAndGrad" | "vjp";

export interface ReverseRequest {
  readonly kind: ReverseKind;
  /** Parameter positions to differentiate. */
  readonly wrt: readonly number[];
  /** Return the gradients as a tuple even when there is one. */
  readonly tuple: boolean;
  readonly name: string;
  /** The plan's handle on the vector-Jacobian product of a callee. */
  vjp(fn: FnRef, active: readonly number[]): FnRef;
  /** The public vjp(f): `[value, gradient]`, the seed a cotangent of f's result type. */
  readonly value?: boolean;
  /** hasAux: f returns `[loss, aux]`; only the loss is differentiated, aux is returned with the gradient. */
  readonly aux?: boolean;
  /** `{ into: true }`: the gradient is written into the caller's buffers, passed after the arguments. */
  readonly into?: boolean;
}

export function reverse(fn: Fn, req: ReverseRequest): Fn {
  // The ordinary reversal first: a sum-of-terms loop is fused (fuse.ts) only where it
  // leaves work in the forward sweep that fusion saves (see fuse.ts's opening comment).
  const ordinary = new Reverse(fn, req, () => false);
  let plain: Fn;
  try {
    plain = ordinary.run();
  } catch (refused) {
    // Whatever the ordinary reversal refused, the fused one says for itself (or does).
    try {
      return new Reverse(fn, req, () => true).run();
    } catch (e) {
      throw e instanceof FusedTooEarly ? refused : e;
    }
  }
  const paying = ordinary.fusionsThatPay();
  if (paying.size === 0) return plain;
  try {
    return new Reverse(fn, req, (k) => paying.has(k)).run();
  } catch (e) {
    if (e instanceof FusedTooEarly) return plain;
    throw e;
  }
}

/** Marks `stmts` (nested ones included) as the backward sweep's, for held-values.ts. */
function markBackward(stmts: readonly Stmt[]): void {
  walkStmts(stmts, (s) => {
    s.backward = true;
  });
}

/** Whether a statement's expressions read any of `names`. */
function readsAnyOf(s: Stmt, names: ReadonlySet<string>): boolean {
  return exprsOf(s).some((e) => [...readsOf(e)].some((name) => names.has(name)));
}

/** A fused loop would add to an adjoint buffer made only after the forward sweep: that loop stays unfused. */
class FusedTooEarly extends Error {}

/** A value the forward sweep saves before overwriting it; dropped if the backward sweep never reads it. */
interface SaveSlot {
  readonly variable: string;
  readonly save: Stmt;
  readonly restore: Stmt;
  /** A restore that runs only when this test holds reads what the test reads. */
  readonly test?: Expr;
}

interface Sweeps {
  fwd: Stmt[];
  /** Already in backward order. */
  bwd: Stmt[];
}

/** Where a statement sits: how deep in branches and loops. */
interface Place {
  readonly depth: number;
  readonly loops: number;
}

const TOP: Place = { depth: 0, loops: 0 };
const num = (value: number): Expr => ({ kind: "num", value });
const runtime = (name: string, ...args: Expr[]): Expr => ({ kind: "call", callee: { kind: "runtime", name }, args });
const plus = (left: Expr, right: Expr): Expr => ({ kind: "binary", op: "+", left, right });

class Reverse {
  private readonly names: NameScope;
  private readonly active: Set<string>;
  /** Variables that depend on the differentiated parameters, useful or not. */
  private readonly varied: Set<string>;
  private readonly reassigned: Set<string>;
  /** Variables a `?:` tests: its adjoint tests them again in the backward sweep, so they are restored there. */
  private readonly testedBackward = new Set<string>();
  /** Variables only ever changed by `v = v ± integer` from integer values: their updates are undone, not saved. */
  private readonly counters: Set<string>;
  private readonly types = new Map<string, Type>();
  /** The local holding each field of each structured parameter. */
  private readonly fields = new Map<string, Map<string, string>>();
  /** The adjoint columns of each active array of records, by field (`bodies_x_bar`). */
  private readonly columns = new Map<string, Map<string, string>>();
  /** Each active variable's adjoint, `x_bar` unless the user already has that name. */
  private readonly bars = new Map<string, string>();
  /** Declarations moved to the top so both sweeps can see variables declared in nested blocks. */
  private readonly hoisted: Stmt[] = [];
  private readonly slots: SaveSlot[] = [];
  /** Saves of `a[i] += v` (candidates for dropCoveredIncrements), and the saves it dropped. */
  private readonly increments = new Set<SaveSlot>();
  private readonly dropped = new Set<SaveSlot>();
  /** `if (x loses to the extremum) {} else { adjoint }`: its test matters only to the adjoint code inside. */
  private readonly guards = new Set<Stmt>();
  /** Ifs and loops as they were reversed, innermost first (controls.ts drops those left empty). */
  private readonly controls: ControlConstruct[] = [];
  /** The size expression of each local `new Float64Array(size)`. */
  private readonly sizes = new Map<string, Expr>();
  /** Arrays assigned or aliased (`u = next`, `const tmp = u`): each object's adjoint buffer travels with it. */
  private readonly shared = new Set<string>();
  private readonly sharedGroups: Set<string>[] = [];
  /** Shared arrays (and their buffers) declared at the top level, where both sweeps see them. */
  private readonly topLevelArrays = new Set<string>();
  /** The stack keeping the arrays each shared or per-iteration array variable held, by variable. */
  private readonly keptStacks = new Map<string, string>();
  /** Arrays declared inside a branch: their adjoint buffers are allocated where they are. */
  private readonly nestedArrays = new Set<string>();
  /** The buffers of number[] arrays made in a loop, sized again where the backward sweep starts (arrayPerIteration). */
  private readonly grown: Stmt[] = [];
  /** The statements that build the returned arrays of records from their adjoint columns (`gradientOf`). */
  private readonly recordsOut: Stmt[] = [];
  /** Loop-body declarations recomputed backward instead of saved. */
  private readonly recomputed = new Set<Stmt>();
  /** Loops that rewrite a whole array at the top of a loop body, recomputed backward: the array they rewrite. */
  private readonly recomputedRewrites = new Map<Stmt, string>();
  /** Loops rewriting whole arrays that get a row per iteration of the loop around (rows.ts): the arrays, and the saves they made. */
  private readonly rowRewrites = new Map<Stmt, Map<string, SaveSlot[]>>();
  /** The loops being fused (fuse.ts): each iteration's adjoint runs right after its forward. */
  private readonly fusing = new Set<Stmt>();
  /** The loops the statement being reversed sits in, outermost first. */
  private readonly enclosing: Extract<Stmt, { kind: "loop" }>[] = [];
  /** Variables declared inside a loop (each iteration assigns them anew). */
  private readonly declaredInLoops = new Set<string>();
  /**
   * The loops being reversed, innermost last, with the numbers declared at the top level of
   * each body whose save is made at the iteration's end (iteration-saves.ts): those saves, and
   * their restores in the order the reversed iteration runs them (first popped first).
   */
  private readonly iterationEnds: { place: Place; names: ReadonlySet<string>; saves: Stmt[]; restores: Stmt[] }[] = [];
  /** Restores of stored array elements: their index expressions are read by the backward sweep. */
  private readonly restores = new Set<Stmt>();
  /** Fused loops (fuse.ts) and the halves of their bodies: the adjoint half is backward code that runs inside the forward sweep. */
  /** Fused loops, with the numbers their body declares as the user wrote it (some are hoisted out of it since). */
  private readonly fused: { loop: Loop; forward: Stmt[]; backward: Stmt[]; declares: ReadonlySet<string> }[] = [];
  /** Loops fuse.ts could fuse that were reversed the ordinary way: their position, and their forward copies. */
  private readonly fusable: { at: number; forward: Stmt[] }[] = [];
  /** Of those, the ones whose forward copy the ordinary reversal still runs (fusionsThatPay). */
  private readonly paying = new Set<number>();
  private readonly seed: Expr;
  private readonly seedParam: Param | undefined;
  private resultName: string | undefined;
  /** The statements that set resultName (one per return): an array they hold may need copying (see run). */
  private readonly resultSets: Stmt[] = [];
  /** `{ into: true }`: the parameter holding the caller's gradient buffers. */
  private readonly intoParam: Param | undefined;
  private readonly body: Stmt[];
  /** While emitting the adjoint of `name = call`: the call whose result `name` holds (reuse.ts). */
  private reused: { call: Expr; holder: Expr } | undefined;

  constructor(
    private readonly fn: Fn,
    private readonly req: ReverseRequest,
    /** Whether to fuse the sum-of-terms loop at this position of the body (fuse.ts), when it is one. */
    private readonly fuseAt: (k: number) => boolean,
  ) {
    // Reverse over code that itself uses the runtime stacks would interleave its own
    // saves with the inner sweep's on the same stacks: refuse rather than be wrong.
    walkStmts(fn.body, (s) => {
      for (const e of exprsOf(s)) {
        walkExpr(e, (x) => {
          if (x.kind === "call" && x.callee.kind === "runtime" && /^(push|pop)(Value|Control)$/.test(x.callee.name)) {
            fail(Code.Unsupported, undefined, "reverse mode over a generated adjoint with loops (grad(grad(f)) where f loops) is not supported; use jvp(grad(f)) or hessian(f) for second derivatives.");
          }
        });
      }
    });
    const taken = new Set<string>();
    const collect = (stmts: readonly Stmt[]): void =>
      walkStmts(stmts, (s) => {
        if (s.kind === "let") {
          taken.add(s.name);
          this.types.set(s.name, s.type);
          if (s.init?.kind === "alloc") this.sizes.set(s.name, s.init.size);
        }
        for (const e of exprsOf(s)) walkExpr(e, (x) => takenBy(x, taken));
      });
    for (const p of fn.params) {
      taken.add(p.name);
      this.types.set(p.name, p.type);
    }
    collect(fn.body);
    this.names = new NameScope(taken);
    // A generated function differentiated again (grad(grad(f))): its backward sweep is this one's forward.
    const structured = singleExit(structureLoops(rewriteStmts(fn.body, (e) => e, ({ backward: _, ...s }) => [s as Stmt]), this.names));
    // An element keeps a Math result only in an array no other name shares (see store).
    const sharing = new Set(sharedArrays(structured, this.types).flatMap((group) => [...group]));
    this.body = bindReusedResults(structured, this.names, (array) => !sharing.has(array));
    collect(this.body);
    for (const i of req.wrt) {
      const p = fn.params[i];
      if (!p || !(p.type === "number" || isArrayType(p.type) || isStructType(p.type) || isRecordsType(p.type) || isTreesType(p.type) || isKeyedNumbers(p.type))) {
        fail(Code.WrtInvalid, fn.origin, `parameter ${i} cannot be differentiated; select a number, array or object parameter.`);
      }
      refuseComputedFields(p, fn);
    }
    walkStmts(this.body, (s) => {
      if (s.kind === "let" && s.init?.kind === "field" && s.init.object.kind === "var") {
        const fields = this.fields.get(s.init.object.name) ?? new Map<string, string>();
        fields.set(s.init.name, s.name);
        this.fields.set(s.init.object.name, fields);
      }
    });
    const aliases = sharedArrays(this.body, this.types);
    const varied = activeVariables(this.body, req.wrt.map((i) => fn.params[i]!.name), aliases);
    refusePassiveReads(this.body, varied);
    const useful = usefulVariables(this.body, aliases);
    // Parameters keep their adjoints (they are the result), useful or not.
    this.varied = varied;
    this.active = new Set([...varied].filter((name) => useful.has(name) || req.wrt.some((i) => fn.params[i]!.name === name)));
    // A structured parameter's fields are useful when the parameter is.
    const fieldsOfWrt = this.fieldsOfWrt(fn, req);
    for (const name of varied) if (fieldsOfWrt.has(name)) this.active.add(name);
    // A field that is a constant (`user.id`, a string) has no adjoint: the gradient keeps its value.
    for (const name of this.active) if (isOpaqueType(this.types.get(name))) this.active.delete(name);
    this.reassigned = assignedIn(this.body);
    // The adjoint of `c ? a : b` tests c again in the backward sweep.
    walkStmts(this.body, (s) => {
      for (const e of exprsOf(s)) walkExpr(e, (x) => x.kind === "cond" && readsOf(x.test, this.testedBackward));
    });
    walkStmts(this.body, (x) => {
      if (x.kind === "loop") walkStmts(x.body, (y) => y.kind === "let" && this.declaredInLoops.add(y.name));
    });
    this.counters = integerCounters(this.body, fn.params);
    // Arrays that share objects (`u = next`, `const tmp = u`) share adjoint buffers: all of a group, or none, have one.
    for (const group of sharedArrays(this.body, this.types)) {
      this.sharedGroups.push(group);
      for (const name of group) this.shared.add(name);
      if ([...group].some((name) => this.active.has(name))) for (const name of group) this.active.add(name);
    }
    for (const name of this.active) {
      const type = this.types.get(name);
      if (isRecordsType(type)) {
        this.columns.set(name, new Map(type.records.map((field) => [field, this.names.fresh(adjointName(`${name}_${type.isTuple ? `c${field}` : field}`))])));
      } else if ((isStructType(type) && this.fields.has(name)) || isKeyedNumbers(type)) {
        // A record read through field locals has no adjoint of its own: its fields have theirs
        // (a record keyed by strings, the array of its values).
        continue;
      } else {
        this.bars.set(name, this.names.fresh(adjointName(name)));
      }
    }
    if (req.kind === "vjp") {
      this.seedParam = { name: this.names.fresh(`${fn.name}_bar`), type: fn.returnType };
      this.seed = v(this.seedParam.name);
    } else {
      this.seed = num(1);
    }
    this.intoParam = req.into && !this.scalarInto() ? { name: this.names.fresh("into"), type: this.gradientsType() } : undefined;
  }

  run(): Fn {
    const { fwd, bwd } = this.sweep(this.body, TOP);
    // Accumulations of a zero seed (a value that did not reach the result) are dead: saves only they read are too.
    const unreached = new Set<Stmt>();
    // An adjoint a fused loop adds into is not 0 when the backward sweep starts.
    const fusedInto = assignedIn(this.fused.flatMap((f) => f.backward));
    const numberAdjoints = [...this.bars].filter(([name]) => (this.types.get(name) ?? "number") === "number" && !this.nestedArrays.has(name)).map(([, bar]) => bar).filter((bar) => !fusedInto.has(bar));
    unreachedAdjoints([...this.hoisted, ...fwd], bwd, numberAdjoints, unreached);
    for (const { loop, forward, backward, declares } of this.fused) {
      // Adjoints of the numbers an iteration declares are 0 when it starts (its adjoint resets each),
      // those declared before the loop since (`const q = x / i`, hoisted to a `let q` the body assigns) too.
      const declared = new Set<string>(declares);
      walkStmts(loop.body, (x) => x.kind === "let" && declared.add(x.name));
      const numbers = [...this.bars].filter(([name]) => (this.types.get(name) ?? "number") === "number" && !this.nestedArrays.has(name));
      unreachedAdjoints([...this.hoisted, ...forward], backward, numbers.filter(([name]) => declared.has(name)).map(([, bar]) => bar), unreached, numbers.map(([, bar]) => bar));
      loop.body = [...forward, ...backward];
      markBackward(backward);
    }
    markBackward(bwd);
    const dead = new Set<Stmt>(unreached);
    this.settleDead(bwd, dead);
    const buffers = this.intoBuffers();
    const adjoints: Stmt[] = [...this.active].filter((name) => !this.nestedArrays.has(name)).flatMap((name): Stmt[] => {
      const type = this.types.get(name) ?? "number";
      if ((isStructType(type) && this.fields.has(name)) || isKeyedNumbers(type)) return [];
      const columns = this.columns.get(name);
      if (columns) {
        // One flat buffer per field of an array of records.
        const size: Expr = { kind: "alloc", size: { kind: "length", array: v(name) } };
        return [...columns.values()].map((column) => ({ kind: "let", name: column, type: { array: "f64" }, init: size, mutable: false }));
      }
      if (isArrayType(type) && type.rows) return [{ kind: "let", name: this.bar(name), type, init: runtime("zerosRows", v(name)), mutable: false }];
      // An array of records holding more than numbers: a copy with its numbers zeroed, its constants kept.
      if (isTreesType(type)) return [{ kind: "let", name: this.bar(name), type, init: runtime("zerosTree", v(name)), mutable: false }];
      const given = buffers.get(name);
      return [isArrayType(type)
        ? { kind: "let", name: this.bar(name), type, init: given ? runtime("zeroed", given, v(name)) : runtime("zerosLike", v(name)), mutable: false }
        : { kind: "let", name: this.bar(name), type: "number", init: num(0), mutable: true }];
    });
    const result = this.result();
    const body = [...this.hoisted, ...this.beforeFusedLoops(fwd, adjoints), ...this.grown, ...bwd, ...this.writeInto(), ...this.recordsOut, { kind: "return", value: result } as Stmt];
    // A construct left computing only values nobody reads (a replayed `while` undoing `hi++` on a `hi`
    // restored right after it) goes too, with the trip count its forward sweep recorded.
    this.settleDead(bwd, dead, unreadStatements(prune(body, dead)));
    this.copyRestoredResults(bwd, dead);
    this.declaredResults(body);
    // An adjoint's declaration maps to its variable's, the gradients' return to the function (its parameters).
    const declared = new Map<string, ts.Node | undefined>();
    walkStmts(this.body, (x) => x.kind === "let" && !declared.has(x.name) && declared.set(x.name, x.origin));
    const adjointOf = new Map([...this.bars, ...[...this.columns].flatMap(([name, columns]) => [...columns.values()].map((c) => [name, c] as const))].map(([name, bar]) => [bar, name]));
    for (const a of adjoints) if (a.kind === "let") a.origin = declared.get(adjointOf.get(a.name)!) ?? this.fn.origin;
    inheritOrigin(body, this.fn.origin);
    const params = [...this.fn.params, ...(this.seedParam ? [this.seedParam] : []), ...(this.intoParam ? [this.intoParam] : [])];
    const copies = new Map<Stmt, Stmt>();
    const kept = prune(body, dead, copies);
    if (this.fusable.length > 0) {
      // A forward copy the dead-code pass (simplify.ts) keeps: its loop still runs forward (to save, or for the value).
      const unread = unreadStatements(kept);
      for (const { at, forward } of this.fusable) if (forward.some((x) => !dead.has(x) && !unread.has(copies.get(x) ?? x))) this.paying.add(at);
    }
    return { name: this.req.name, params, returnType: this.resultType(), body: layRows(kept, this.fn.origin), origin: this.fn.origin };
  }

  /**
   * After run, without fusing: the positions of the sum-of-terms loops whose
   * ordinary reversal still runs them forward, before the backward sweep
   * runs them again (pushing what the backward sweep pops, or computing the
   * value returned, which the backward sweep recomputes from scratch): fused,
   * their iterations run once. The others were reversed as one backward loop
   * that recomputes each iteration, the work a fused loop does, without its
   * forward loop's test and with the windows a backward loop gets (window.ts).
   */
  fusionsThatPay(): ReadonlySet<number> {
    return this.paying;
  }

  /**
   * The forward sweep with the adjoints' declarations: after it, or, when it
   * has fused loops (whose iterations add into them), before the first, except
   * those of arrays declared after it.
   */
  private beforeFusedLoops(fwd: readonly Stmt[], adjoints: readonly Stmt[]): Stmt[] {
    // Each adjoint buffer is made before the first fused loop that can see what it is made from: a fused
    // iteration adds to the adjoints of what it reads (`rel_bar[i] += 2 * r` of a `rel` made after an
    // earlier fused loop) during the forward sweep, so a buffer made after it would lose those additions.
    const out: Stmt[] = [];
    let pending = [...adjoints];
    fwd.forEach((x, i) => {
      if (pending.length > 0 && this.fused.some((f) => f.loop === x)) {
        const later = new Set<string>();
        for (const y of fwd.slice(i)) if (y.kind === "let") later.add(y.name);
        const ready = pending.filter((a) => !readsAnyOf(a, later));
        out.push(...ready);
        pending = pending.filter((a) => !ready.includes(a));
      }
      out.push(x);
    });
    // One still to make after every fused loop must be one no fused loop adds to (else the ordinary reversal).
    const late = new Set(pending.flatMap((a) => (a.kind === "let" ? [a.name] : [])));
    for (const { loop } of this.fused) {
      walkStmts([loop], (y) => {
        const touches = (y.kind === "store" && late.has(y.array)) || (y.kind === "assign" && late.has(y.name)) || readsAnyOf(y, late);
        if (touches) throw new FusedTooEarly();
      });
    }
    return [...out, ...pending];
  }

  /** The locals holding fields of differentiated structured parameters. */
  private fieldsOfWrt(fn: Fn, req: ReverseRequest): Set<string> {
    const found = new Set<string>();
    // Fields of fields too (`segment.from[0]`): the prologue reads an outer field before its own.
    walkStmts(fn.body, (s) => {
      if (s.kind === "let" && s.init?.kind === "field" && s.init.object.kind === "var") {
        const object = s.init.object.name;
        if (found.has(object) || req.wrt.some((i) => fn.params[i]!.name === object)) found.add(s.name);
      }
    });
    return found;
  }

  private bar(name: string): string {
    const bar = this.bars.get(name);
    // An array of records has columns, not one adjoint: a read no rule maps to them is refused, never dropped.
    if (bar === undefined) return this.unreachable(v(name));
    return bar;
  }

  /** A parameter's gradient: its adjoint, or for a structured one an object of its fields' adjoints. */
  private gradientOf(p: Param): Expr {
    const columns = this.columns.get(p.name);
    if (columns && isRecordsType(p.type)) {
      // The flat columns, as records (or tuples) of the parameter's shape, each made by a
      // literal as hand-written code makes them: one shape V8 knows, where the runtime's
      // generic `records` stored every field by name (a tenth of n-body's gradient). The array
      // is made at its length, as `[]` grown by the stores reallocated it (12 B per element).
      const out = this.names.fresh(adjointName(p.name));
      const k = this.names.numbered("_k");
      const n: Expr = { kind: "length", array: v(p.name) };
      const element: Expr = { kind: "object", isTuple: p.type.isTuple, fields: [...columns].map(([field, column]) => [field, { kind: "index", array: v(column), index: v(k) }] as const) };
      this.recordsOut.push(
        { kind: "let", name: out, type: mutableRecords(p.type), init: { kind: "alloc", size: n, records: true }, mutable: false, note: `the gradient of ${p.name}, one ${p.type.isTuple ? "tuple" : "record"} per element` },
        {
          kind: "loop",
          init: { kind: "let", name: k, type: "number", init: num(0), mutable: true },
          test: { kind: "binary", op: "<", left: v(k), right: n },
          update: [{ kind: "assign", name: k, value: plus(v(k), num(1)) }],
          body: [{ kind: "store", array: out, index: v(k), value: element }],
          doWhile: false,
        },
      );
      return v(out);
    }
    if (isKeyedNumbers(p.type)) return this.keyedGradient(p.name, p.type);
    return this.structGradient(p.name, p.type);
  }

  /** A record keyed by strings: its values' (or rows') adjoint as a record of the same keys (zeros when no value was read). */
  private keyedGradient(name: string, type: OpaqueType): Expr {
    const taken = type.keyedRows ? "keyedRows" : "keyedValues";
    let values: string | undefined;
    walkStmts(this.body, (s) => {
      if (s.kind === "let" && s.init?.kind === "call" && s.init.callee.kind === "runtime" && s.init.callee.name === taken && s.init.args[0]?.kind === "var" && s.init.args[0].name === name) values = s.name;
    });
    const bar = values === undefined ? undefined : this.bars.get(values);
    return runtime(type.keyedRows ? "keyedRowsRecord" : "keyedRecord", v(name), ...(bar ? [v(bar)] : []));
  }

  /** The gradient of a value read through field locals: its adjoint, or an object (tuple) of its fields' gradients, nested as it is. */
  private structGradient(name: string, type: Type): Expr {
    // A field that is a record keyed by strings (`users: Record<string, number[]>`): built from its values' adjoint.
    if (isKeyedNumbers(type)) return this.keyedGradient(name, type);
    // A constant field (`id: string`) is in the gradient as it is in the value, as JAX keeps static leaves.
    if (isOpaqueType(type)) return v(name);
    if (!isStructType(type)) return v(this.bar(name));
    const fields = this.fields.get(name)!;
    const optional = type.optional ?? [];
    const object: Expr = { kind: "object", isTuple: type.isTuple, fields: type.struct.filter(([field]) => !optional.includes(field)).map(([field, t]) => [field, this.structGradient(fields.get(field)!, t)] as const) };
    if (optional.length === 0) return object;
    // A field the value may lack (`k1?: number`) is in the gradient exactly when it is in the value.
    const out = this.names.fresh(adjointName(name));
    this.recordsOut.push({ kind: "let", name: out, type, init: object, mutable: false });
    for (const field of optional) {
      const present: Expr = { kind: "binary", op: "!==", left: v(fields.get(field)!), right: { kind: "literal", value: undefined } };
      this.recordsOut.push({ kind: "if", test: present, then: [{ kind: "store", array: out, index: { kind: "literal", value: field }, value: v(this.bar(fields.get(field)!)) }], else: [] });
    }
    return v(out);
  }

  private gradients(): Expr {
    const items = this.req.wrt.map((i) => this.gradientOf(this.fn.params[i]!));
    return this.req.tuple || items.length !== 1 ? { kind: "tuple", items } : items[0]!;
  }

  private result(): Expr {
    // With into, the caller's buffers (one array's adjoint is that buffer itself).
    const gradients = this.intoParam && !this.intoIsOneArray() ? v(this.intoParam.name) : this.gradients();
    if (this.req.kind !== "valueAndGrad" && !this.req.value) {
      // hasAux: [gradient, aux].
      return this.req.aux ? { kind: "tuple", items: [gradients, { kind: "field", object: v(this.resultName!), name: "1" }] } : gradients;
    }
    return { kind: "tuple", items: [v(this.resultName!), gradients] };
  }

  private resultType(): Type {
    const grads = this.gradientsType();
    if (this.req.kind !== "valueAndGrad" && !this.req.value) return this.req.aux ? { tuple: [grads, auxType(this.fn.returnType)] } : grads;
    return { tuple: [this.fn.returnType, grads] };
  }

  private gradientsType(): Type {
    const types = this.req.wrt.map((i) => this.fn.params[i]!.type);
    return this.req.tuple || types.length !== 1 ? { tuple: types } : types[0]!;
  }

  /** `{ into: true }` with one number parameter: nothing to write into, the gradient is returned. */
  private scalarInto(): boolean {
    return !this.req.tuple && this.req.wrt.length === 1 && this.fn.params[this.req.wrt[0]!]!.type === "number";
  }

  /** Where in the caller's `into` each gradient lives: `into`, `into[1]`, `into.w`, ... */
  private intoPlaces(): { param: Param; at: Expr }[] {
    const into = this.intoParam;
    if (!into) return [];
    const several = this.req.tuple || this.req.wrt.length !== 1;
    return this.req.wrt.map((i, k) => ({ param: this.fn.params[i]!, at: several ? { kind: "field", object: v(into.name), name: String(k) } : v(into.name) }));
  }

  /** The caller's buffer each array adjoint of a differentiated parameter (or of its array fields) starts from. */
  private intoBuffers(): Map<string, Expr> {
    const out = new Map<string, Expr>();
    for (const { param, at } of this.intoPlaces()) {
      if (isArrayType(param.type)) out.set(param.name, at);
      if (isStructType(param.type)) {
        const fields = this.fields.get(param.name)!;
        for (const [field, type] of param.type.struct) if (isArrayType(type)) out.set(fields.get(field)!, { kind: "field", object: at, name: field });
      }
    }
    return out;
  }

  /** `{ into: true }` for one array parameter: its adjoint buffer is the caller's, returned as it is. */
  private intoIsOneArray(): boolean {
    return !this.req.tuple && this.req.wrt.length === 1 && isArrayType(this.fn.params[this.req.wrt[0]!]!.type);
  }

  /**
   * The gradients `{ into: true }` writes into the caller's tuple or record:
   * numbers, and the arrays accumulated in place (writing an array back
   * into its own place changes nothing, and keeps it in the result).
   */
  private writeInto(): Stmt[] {
    const into = this.intoParam;
    if (!into || this.intoIsOneArray()) return [];
    const out: Stmt[] = [];
    const several = this.req.tuple || this.req.wrt.length !== 1;
    for (const [k, { param }] of this.intoPlaces().entries()) {
      if (!isStructType(param.type)) {
        out.push({ kind: "store", array: into.name, index: num(k), value: v(this.bar(param.name)) });
        continue;
      }
      const fields = this.fields.get(param.name)!;
      for (const [field, type] of param.type.struct) {
        if (isStructType(type)) {
          return fail(Code.Unsupported, this.fn.origin, `{ into: true } writes the gradient of a record whose fields are numbers and arrays, and ${param.name}.${field} is a record itself; call the gradient without into (it returns a new gradient of the same shape).`);
        }
        const value = v(this.bar(fields.get(field)!));
        // A record inside the tuple of gradients is written through the runtime (a store needs a name).
        if (several) out.push({ kind: "effect", call: runtime("setField", { kind: "field", object: v(into.name), name: String(k) }, { kind: "literal", value: field }, value) });
        else out.push({ kind: "store", array: into.name, index: { kind: "literal", value: field }, value });
      }
    }
    return out;
  }

  /**
   * Adds to `dead` the saves (with their restores) of values the backward sweep
   * never reads, then the control constructs left with nothing inside but
   * statements in `dead` or `unread` (controls.ts), then the saves only those
   * constructs read (a `for` loop's counter, stepped back by a reversed loop that
   * went): until nothing more dies.
   */
  private settleDead(bwd: readonly Stmt[], dead: Set<Stmt>, unread: ReadonlySet<Stmt> = new Set()): void {
    for (let size = -1; size !== dead.size; ) {
      size = dead.size;
      const read = this.readBackward(bwd, dead);
      const unreadRestores = restoresUnread(bwd, dead, this.scalarRestores(dead));
      for (const slot of this.slots) {
        if (!read.has(slot.variable) || this.dropped.has(slot) || unreadRestores.has(slot.restore)) {
          dead.add(slot.save);
          dead.add(slot.restore);
        }
      }
      deadControls(this.controls, dead, unread);
    }
  }

  /**
   * The restores of locals holding a number or a boolean, by the variable each
   * assigns (liveness.ts asks which are read before being overwritten). Not one
   * of a variable a fused loop's adjoint reads: that runs inside the forward sweep.
   */
  private scalarRestores(dead: ReadonlySet<Stmt>): Map<Stmt, string> {
    const fusedReads = new Set<string>();
    for (const { backward } of this.fused) walkStmts(backward, (x) => exprsOf(x).forEach((e) => readsOf(e, fusedReads)));
    const out = new Map<Stmt, string>();
    for (const slot of this.slots) {
      if (dead.has(slot.restore) || fusedReads.has(slot.variable) || !this.isScalarRestore(slot)) continue;
      out.set(slot.restore, slot.variable);
    }
    return out;
  }

  /** `v = saved`, or `if (test) v = saved`, where `v` holds a number or a boolean. */
  private isScalarRestore(slot: SaveSlot): boolean {
    const type = this.types.get(slot.variable);
    if (type !== "number" && type !== "boolean") return false;
    const r = slot.restore.kind === "if" && slot.restore.then.length === 1 && slot.restore.else.length === 0 ? slot.restore.then[0]! : slot.restore;
    return r.kind === "assign" && r.name === slot.variable;
  }

  /** The variables the live statements of the backward sweep read (a restore reads only where it stores). */
  private readBackward(bwd: readonly Stmt[], dead: ReadonlySet<Stmt>): Set<string> {
    const read = new Set<string>();
    const walk = (stmts: readonly Stmt[]): void => {
      for (const s of stmts) {
        if (dead.has(s)) continue;
        if (s.kind === "if") {
          walk(s.then);
          walk(s.else);
        } else if (s.kind === "loop") {
          if (s.init) walk([s.init]);
          walk(s.body);
          walk(s.update);
        }
        if (this.restores.has(s)) {
          if (s.kind === "store") readsOf(s.index, read);
          continue;
        }
        if (s.kind === "if" && this.guards.has(s) && s.else.every((x) => this.restores.has(x))) continue;
        for (const e of exprsOf(s)) readsOf(e, read);
      }
    };
    walk(bwd);
    for (const { backward } of this.fused) walk(backward);
    // A kept restore's test must see the values it compares: keep what it reads too.
    for (let grew = true; grew; ) {
      grew = false;
      for (const slot of this.slots) {
        if (!slot.test || !read.has(slot.variable)) continue;
        for (const name of readsOf(slot.test)) {
          if (!read.has(name)) {
            read.add(name);
            grew = true;
          }
        }
      }
    }
    // A store through one name of a shared array changes what the others read.
    for (const group of this.sharedGroups) if ([...group].some((name) => read.has(name))) for (const name of group) read.add(name);
    return read;
  }

  /**
   * The value a vjp returns is read after the backward sweep, which restores
   * the elements arrays had before the forward sweep overwrote them: an array
   * of the result that is restored is copied when the result is set.
   */
  private copyRestoredResults(bwd: readonly Stmt[], dead: ReadonlySet<Stmt>): void {
    if (this.resultSets.length === 0) return;
    const restored = new Set<string>();
    walkStmts(bwd, (x) => {
      if (this.restores.has(x) && !dead.has(x)) walkStmts([x], (y) => y.kind === "store" && restored.add(y.array));
    });
    const copy = (e: Expr): Expr => {
      if (e.kind === "var" && restored.has(e.name)) return runtime("copyOf", e);
      if (e.kind === "object") return { ...e, fields: e.fields.map(([k, x]) => [k, copy(x)] as const) };
      return e;
    };
    for (const s of this.resultSets) {
      if (s.kind === "let" && s.init) s.init = copy(s.init);
      if (s.kind === "assign") s.value = copy(s.value);
    }
  }

  /** The value returned, and hasAux's aux, with the array kinds f's type says (declared-results.ts). */
  private declaredResults(body: readonly Stmt[]): void {
    if (this.resultSets.length === 0) return;
    const { mayBeFloat64 } = float64Reach({ params: this.fn.params, body });
    for (const s of this.resultSets) {
      if (s.kind === "let" && s.init) s.init = asDeclared(s.init, this.fn.returnType, mayBeFloat64);
      if (s.kind === "assign") s.value = asDeclared(s.value, this.fn.returnType, mayBeFloat64);
    }
  }

  /** `slotsOf` hears the saves each statement of `stmts` made, nested ones included. */
  private sweep(stmts: readonly Stmt[], at: Place, slotsOf: SaveSlot[][] = []): Sweeps {
    const fwd: Stmt[] = [];
    const bwd: Stmt[][] = [];
    for (let k = 0; k < stmts.length; k++) {
      const s = stmts[k]!;
      const back: Stmt[] = [];
      const first = this.slots.length;
      const [fwdFrom, hoistedFrom] = [fwd.length, this.hoisted.length];
      const swap = at.depth > 0 ? this.arraySwap(stmts, k) : undefined;
      if (swap) {
        // `const tmp = u; u = next; next = tmp` as one: swapped again backward (a swap undoes itself), nothing kept.
        this.swap(swap, fwd, back);
        for (const made of [fwd.slice(fwdFrom), this.hoisted.slice(hoistedFrom), back]) inheritOrigin(made, s.origin);
        bwd.push(back, [], []);
        slotsOf.push([], [], []);
        k += 2;
        continue;
      }
      const fusable = stmts === this.body && s.kind === "loop" ? fusion(stmts, k, this.fuseContext()) : undefined;
      if (fusable && this.fuseAt(k)) this.fusedLoop(s as Loop, fusable, at, fwd);
      else this.statement(s, at, fwd, back);
      if (fusable && !this.fuseAt(k)) this.fusable.push({ at: k, forward: fwd.slice(fwdFrom).filter((x) => x.kind === "loop") });
      // Elements of a fresh array that the loop writes once each had nothing worth keeping.
      for (const array of this.freshWrites(stmts, k)) for (const slot of this.slots.slice(first)) if (slot.variable === array) this.dropped.add(slot);
      // Whatever the statement became (its forward copy, saves, hoisted declarations, its adjoint) maps to it.
      for (const made of [fwd.slice(fwdFrom), this.hoisted.slice(hoistedFrom), back]) inheritOrigin(made, s.origin);
      bwd.push(back);
      slotsOf.push(this.slots.slice(first));
    }
    this.dropCoveredIncrements(stmts, bwd, slotsOf);
    return { fwd, bwd: bwd.reverse().flat() };
  }

  private fuseContext(): FuseContext {
    return { varied: this.varied, reassigned: this.reassigned, seed: this.seed, returnType: this.fn.returnType, params: this.fn.params.map((p) => p.name), isArray: (name) => isArrayType(this.types.get(name)) };
  }

  /**
   * A sum-of-terms loop (fuse.ts): each iteration's adjoint runs right after
   * its forward, from the adjoints its accumulators will have at the loop's
   * end; nothing of the loop is kept for the backward sweep, or in it.
   */
  private fusedLoop(s: Loop, fused: Fusion, at: Place, fwd: Stmt[]): void {
    const outer = new Map<string, string>();
    for (const [acc, seed] of fused.seeds) {
      const bar = this.bars.get(acc);
      if (bar === undefined) continue;
      const end = this.names.fresh(`${bar}_end`);
      fwd.push({ kind: "let", name: end, type: "number", init: seed, mutable: false, note: `the adjoint of ${acc} when the loop ends, known before it runs` });
      outer.set(acc, bar);
      this.bars.set(acc, end);
    }
    // What a number the body declares held before is no iteration's: nothing to save when it is declared.
    for (const x of s.body) if (x.kind === "let" && x.type === "number" && this.declaredOnce(x.name)) this.recomputed.add(x);
    // An accumulator keeps what the iterations added: no iteration's adjoint may undo (`s -= 4`) or restore it.
    const counters = [...fused.seeds.keys()].filter((acc) => this.counters.delete(acc));
    this.fusing.add(s);
    this.enclosing.push(s);
    const slotsOf: SaveSlot[][] = [];
    const grownBefore = this.grown.length;
    const body = this.sweep(s.body, { depth: at.depth + 1, loops: at.loops + 1 }, slotsOf);
    this.enclosing.pop();
    // A number[] the body grows after making it (`logits = []`, then `logits[c] = z`) takes its adjoint
    // buffer at its final length where this iteration's adjoint starts, not after the whole forward sweep.
    const grown = this.grown.splice(grownBefore);
    for (const acc of counters) this.counters.add(acc);
    for (const slot of slotsOf.flat()) if (fused.seeds.has(slot.variable)) this.dropped.add(slot);
    // Nor what the statements up to a whole fill of an array overwrite in it: another iteration's values, or ones no read sees.
    for (const [array, filled] of fused.filledAt) for (const slot of slotsOf.slice(0, filled + 1).flat()) if (slot.variable === array) this.dropped.add(slot);
    for (const [acc, bar] of outer) this.bars.set(acc, bar);
    const backward = [...grown, ...body.bwd];
    const first = backward[0];
    if (first) first.note = `the iteration's adjoint${first.note ? `; ${first.note}` : ""}`;
    const loop: Loop = { kind: "loop", init: s.init, test: s.test, update: s.update, body: [...body.fwd, ...backward], doWhile: s.doWhile, note: s.note, fused: true, origin: s.origin };
    const declares = new Set<string>();
    walkStmts(s.body, (x) => x.kind === "let" && declares.add(x.name));
    this.fused.push({ loop, forward: body.fwd, backward, declares });
    fwd.push(loop);
  }

  /**
   * The arrays the loop at `k` fills first: declared earlier in the same block
   * with fresh zeros (`const hidden = p.W1.map(...)`, `errors` of `X.map`),
   * mentioned nowhere in between, and written by the loop only as `a[i] = e`
   * at its top level, i its counter stepping by one from 0 (each element once;
   * e does not read a), or as `a[i * n + j] = e` in a loop over j < n at its
   * top level (a matrix filled row by row). The zeros those stores overwrite need no saving: no
   * statement before the loop reads the array, and after it the elements hold
   * what the loop wrote until later statements (which save their own) change
   * them. (The map/reduce MLP saved every hidden activation's zero.)
   */
  private freshWrites(stmts: readonly Stmt[], k: number): string[] {
    const loop = stmts[k];
    if (loop?.kind !== "loop") return [];
    const out: string[] = [];
    for (const x of onceEach(loop)) {
      if (readsOf(x.value).has(x.array) || this.shared.has(x.array)) continue;
      const array = x.array;
      let uses = 0;
      walkStmts([loop], (y) => (y.kind === "store" && y.array === array) || exprsOf(y).some((e) => readsOf(e).has(array)) ? uses++ : 0);
      if (uses !== 1) continue;
      let declared = k - 1;
      while (declared >= 0 && !(stmts[declared]!.kind === "let" && (stmts[declared] as Extract<Stmt, { kind: "let" }>).name === array)) declared--;
      const decl = stmts[declared];
      if (decl?.kind !== "let" || !decl.init || !freshZeros(decl.init)) continue;
      if (stmts.slice(declared + 1, k).some((y) => mentions(y, array))) continue;
      if (!out.includes(array)) out.push(array);
    }
    return out;
  }

  /**
   * `const tmp = a; a = b; b = tmp` of two array variables at `k`, where tmp is
   * mentioned nowhere else (its value is never needed once the swap is done):
   * the names it swaps, for `swap`. Undefined for anything else.
   */
  private arraySwap(stmts: readonly Stmt[], k: number): { tmp: string; a: string; b: string; type: ArrayType; stmts: Stmt[] } | undefined {
    const [s0, s1, s2] = [stmts[k], stmts[k + 1], stmts[k + 2]];
    if (s0?.kind !== "let" || s0.init?.kind !== "var" || !isArrayType(s0.type) || s0.type.rows) return undefined;
    const [tmp, a] = [s0.name, s0.init.name];
    if (s1?.kind !== "assign" || s1.name !== a || s1.value.kind !== "var" || s1.value.name === a) return undefined;
    const b = s1.value.name;
    if (s2?.kind !== "assign" || s2.name !== b || s2.value.kind !== "var" || s2.value.name !== tmp) return undefined;
    const kind = s0.type.array;
    if (![tmp, a, b].every((name) => { const t = this.types.get(name); return this.shared.has(name) && isArrayType(t) && !t.rows && t.array === kind; })) return undefined;
    // One adjoint buffer per array: all three are active, or none is.
    if (new Set([tmp, a, b].map((name) => this.active.has(name))).size !== 1) return undefined;
    // tmp is written by the swap's declaration only and read by its last assignment only.
    let [writes, reads] = [0, 0];
    walkStmts(this.body, (x) => {
      if (((x.kind === "let" || x.kind === "assign") && x.name === tmp) || (x.kind === "store" && x.array === tmp)) writes++;
      for (const e of exprsOf(x)) if (readsOf(e).has(tmp)) reads++;
    });
    if (writes !== 1 || reads !== 1) return undefined;
    return { tmp, a, b, type: s0.type, stmts: [s0, s1, s2] };
  }

  /** The swap `arraySwap` found, with the arrays' adjoint buffers swapped alongside; backward, the same swap again. */
  private swap(w: { tmp: string; a: string; b: string; type: ArrayType; stmts: Stmt[] }, fwd: Stmt[], back: Stmt[]): void {
    const names = this.active.has(w.a) ? [[w.tmp, w.a, w.b], [w.tmp, w.a, w.b].map((n) => this.bar(n))] : [[w.tmp, w.a, w.b]];
    for (const [tmp, a, b] of names) {
      this.hoist(tmp!, w.type);
      const swapped: Stmt[] = [
        { kind: "assign", name: tmp!, value: v(a!) },
        { kind: "assign", name: a!, value: v(b!) },
        { kind: "assign", name: b!, value: v(tmp!) },
      ];
      fwd.push(...swapped);
      back.push(...swapped.map((x) => ({ ...x })));
    }
    // Their buffers are made with them (as for any array assigned in a loop), not with the other adjoints.
    for (const n of [w.tmp, w.a, w.b]) if (this.active.has(n)) this.nestedArrays.add(n);
    back[0]!.note = `swap back: ${w.stmts.map(describe).join("; ")}`;
    for (const x of back) x.origin ??= w.stmts[0]!.origin;
  }

  /**
   * An element incremented (`a[i] += v`) after an earlier statement of the same
   * block rewrote every element of `a` need not be saved when nothing between
   * them reads `a` backward: the earlier statement's restores bring back the
   * values anything before it reads. (GMM's Q·x accumulations.) The same holds
   * for a number accumulated (`s += v`) after being set (`s = 0`).
   */
  private dropCoveredIncrements(stmts: readonly Stmt[], bwd: readonly Stmt[][], slotsOf: readonly SaveSlot[][]): void {
    stmts.forEach((w, k) => {
      const scalar = this.scalarRewrite(w);
      // A loop may rewrite several arrays in full (GMM's x − μₖ and its diagonal scaling, in one loop).
      for (const array of scalar ? [scalar] : this.fullRewrites(w)) {
        const readBackward = (j: number): boolean => {
          const reads = new Set<string>();
          walkStmts(bwd[j]!, (x) => {
            if (this.restores.has(x)) return;
            for (const e of exprsOf(x)) readsOf(e, reads);
          });
          return reads.has(array);
        };
        // The rewrite's own adjoint may read the value it wrote (reuse.ts).
        if (readBackward(k)) continue;
        for (let j = k + 1; j < stmts.length; j++) {
          if (readBackward(j)) break;
          for (const slot of slotsOf[j]!) {
            if (slot.variable === array && this.increments.has(slot)) this.dropped.add(slot);
          }
        }
      }
    });
  }

  /** The variable `v = e` (or `let v = e`) sets without reading it, if it is a number. */
  private scalarRewrite(s: Stmt): string | undefined {
    if (s.kind !== "let" && s.kind !== "assign") return undefined;
    const value = s.kind === "let" ? s.init : s.value;
    if (!value || this.types.get(s.name) !== "number" || readsOf(value).has(s.name)) return undefined;
    return s.name;
  }

  /** The array a loop `for (j = 0; j < n; j++) { ... a[j] = e ... }` writes in full (n its length), if it is one. */
  private fullRewrite(s: Stmt): string | undefined {
    return this.fullRewrites(s)[0];
  }

  /** Every array a loop `for (j = 0; j < n; j++) { ... a[j] = e ... }` writes in full (n its length), in the order of its stores. */
  private fullRewrites(s: Stmt): string[] {
    if (s.kind !== "loop" || s.doWhile || !s.init || s.update.length !== 1) return [];
    const counter = s.init.kind === "let" ? s.init.name : s.init.kind === "assign" ? s.init.name : undefined;
    const start = s.init.kind === "let" ? s.init.init : s.init.kind === "assign" ? s.init.value : undefined;
    const step = s.update[0]!;
    const test = s.test;
    if (!counter || start?.kind !== "num" || start.value !== 0) return [];
    if (step.kind !== "assign" || step.name !== counter || !sameExpr(step.value, { kind: "binary", op: "+", left: v(counter), right: num(1) })) return [];
    if (test.kind !== "binary" || test.op !== "<" || test.left.kind !== "var" || test.left.name !== counter) return [];
    if (assignedIn(s.body).has(counter)) return [];
    const arrays: string[] = [];
    for (const x of s.body) {
      if (x.kind !== "store" || x.index.kind !== "var" || x.index.name !== counter || readsOf(x.value).has(x.array)) continue;
      const size = this.sizes.get(x.array);
      const bound = test.right;
      const covers = (size && sameExpr(size, bound)) || (bound.kind === "length" && bound.array.kind === "var" && bound.array.name === x.array);
      if (covers && !arrays.includes(x.array)) arrays.push(x.array);
    }
    return arrays;
  }

  private statement(s: Stmt, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    switch (s.kind) {
      case "let":
        return this.declaration(s, at, fwd, bwd);
      case "assign":
        if (this.shared.has(s.name)) return this.arrayAssignment(s, fwd, bwd);
        return this.assignment(s, at, fwd, bwd);
      case "store":
        return this.store(s, at, fwd, bwd);
      case "if":
        return this.branch(s, at, fwd, bwd);
      case "loop": {
        const first = this.slots.length;
        this.loop(s, at, fwd, bwd);
        // A rewrite recomputed at the top of each reversed iteration needs none of its saves.
        const array = this.recomputedRewrites.get(s);
        if (array) for (const slot of this.slots.slice(first)) if (slot.variable === array) this.dropped.add(slot);
        // Those of an array given a row per iteration are dropped if the rows are laid (loop).
        for (const [rowed, saves] of this.rowRewrites.get(s) ?? []) for (const slot of this.slots.slice(first)) if (slot.variable === rowed) saves.push(slot);
        return;
      }
      case "return":
        return this.ret(s, at, fwd, bwd);
      case "effect":
        this.refuseAccumulation(s);
        // The user's own effects (console.log) ran when the caller computed this callee's value (the public vjp(f) runs them: it is the call).
        if (this.req.kind === "vjp" && !this.req.value && isUserEffect(s)) return;
        fwd.push(s);
        return;
      case "throw":
        // The forward sweep throws as the function would; no backward sweep runs after it.
        fwd.push(s);
        return;
      case "break":
      case "continue":
        return fail(Code.Internal, this.fn.origin, "a break or continue was left outside its loop while differentiating; please report this with the function.");
    }
  }

  /**
   * An adjoint helper of a generated gradient (`sumAdjoint(x_bar, seed)`, ...)
   * adds into an array adjoint; reversing it would need the helper's own
   * adjoint, which tsgrad does not have. When the array reaches the result and
   * the amount added depends on the parameters (reverse over reverse through a
   * reduction), refuse rather than leave that term out of the derivative.
   */
  private refuseAccumulation(s: Extract<Stmt, { kind: "effect" }>): void {
    const call = s.call;
    if (call.kind !== "call" || call.callee.kind !== "runtime" || !/Adjoint$|^addScaled$/.test(call.callee.name)) return;
    const [buffer, ...rest] = call.args;
    if (buffer?.kind !== "var" || !this.active.has(buffer.name)) return;
    if (!rest.some((a) => [...readsOf(a)].some((name) => this.varied.has(name)))) return;
    fail(
      Code.Unsupported,
      this.fn.origin,
      `reverse mode over a generated gradient through ${call.callee.name.replace(/Adjoint$/, "")}(...) of an array (grad(grad(f)) where f reduces an array that depends on the parameter) is not supported; use jvp(grad(f)) or hessian(f) for second derivatives.`,
    );
  }

  /** Declares a generated variable where both sweeps see it: in place at the top level, hoisted otherwise. */
  private define(name: string, type: Type, init: Expr, at: Place, fwd: Stmt[], note?: string): void {
    if (at.depth === 0) {
      fwd.push({ kind: "let", name, type, init, mutable: this.reassigned.has(name), note });
    } else {
      this.hoist(name, type);
      fwd.push({ kind: "assign", name, value: init, note });
    }
  }

  private hoist(name: string, type: Type): void {
    if (this.hoisted.some((h) => h.kind === "let" && h.name === name)) return;
    // An array starts empty: TypeScript cannot see that the backward sweep reads it only on the path that assigned it.
    const init: Expr | undefined = type === "number" ? num(0) : type === "boolean" ? { kind: "bool", value: false } : isArrayType(type) && !type.rows ? emptyArray(type) : undefined;
    this.hoisted.push({ kind: "let", name, type, init, mutable: true });
  }

  /**
   * Hoists an adjoint buffer that `zeroedLike` reuses, so it must hold an array
   * from the start: once, even where the same array is declared twice (a
   * switch case's body copied into the case falling through to it).
   */
  private hoistBuffer(name: string, type: ArrayType, init: Expr): void {
    const at = this.hoisted.findIndex((h) => h.kind === "let" && h.name === name);
    if (at < 0) this.hoisted.push({ kind: "let", name, type, init, mutable: true });
    else if (!(this.hoisted[at] as Extract<Stmt, { kind: "let" }>).init) this.hoisted[at] = { ...(this.hoisted[at] as Extract<Stmt, { kind: "let" }>), init, mutable: true };
  }

  /** `const y = e`: the forward statement, and `e`'s adjoint from `y_bar` in the backward sweep. */
  private declaration(s: Extract<Stmt, { kind: "let" }>, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    if (at.depth > 0) {
      // A declaration in a block is an assignment to a hoisted variable (one per loop iteration).
      if (this.shared.has(s.name) && s.init) {
        this.hoistArray(s.name, s.type as ArrayType);
        return this.arrayAssignment({ kind: "assign", name: s.name, value: s.init, source: s.source, note: s.note }, fwd, bwd);
      }
      if (at.loops > 0 && isArrayType(s.type) && s.init && !this.recomputed.has(s)) return this.arrayPerIteration(s, fwd, bwd);
      this.hoist(s.name, s.type);
      if (!s.init) return;
      if (at.loops === 0 || this.recomputed.has(s)) {
        // Executed once, or recomputed at the top of each reversed iteration: nothing to save.
        fwd.push({ kind: "assign", name: s.name, value: s.init, note: s.note });
        if (!this.active.has(s.name)) return;
        const out: Stmt[] = [];
        if (isArrayType(s.type)) {
          // An array declared on one path only (after an early return): its adjoint buffer is made with it.
          this.nestedArrays.add(s.name);
          this.hoist(this.bar(s.name), s.type);
          fwd.push({ kind: "assign", name: this.bar(s.name), value: runtime("zerosLike", v(s.name)) });
          this.arrayInit(s.init, v(this.bar(s.name)), out);
          annotate(out, describe(s), s);
          bwd.push(...out);
          return;
        }
        this.reusing(s.name, s.init, !this.reassigned.has(s.name), () => this.visit(s.init!, v(this.bar(s.name)), out));
        if (at.loops > 0) out.push({ kind: "assign", name: this.bar(s.name), value: num(0), adjoint: true });
        annotate(out, describe(s), s);
        bwd.push(...out);
        return;
      }
      return this.assignment({ kind: "assign", name: s.name, value: s.init, source: s.source, note: s.note }, at, fwd, bwd, true);
    }
    fwd.push({ ...s, mutable: s.mutable && this.reassigned.has(s.name) });
    if (this.shared.has(s.name)) this.topLevelArrays.add(s.name);
    if (this.shared.has(s.name) && s.init && this.active.has(s.name)) {
      // Its adjoint buffer is made with it (an alias shares its source's), and travels with it.
      const bar = this.bar(s.name);
      this.topLevelArrays.add(bar);
      this.nestedArrays.add(s.name);
      const init = s.init.kind === "var" ? v(this.bar(s.init.name)) : runtime("zerosLike", v(s.name));
      fwd.push({ kind: "let", name: bar, type: s.type, init, mutable: true });
      const out: Stmt[] = [];
      if (s.init.kind !== "var") this.arrayInit(s.init, v(bar), out);
      annotate(out, describe(s), s);
      bwd.push(...out);
      return;
    }
    // A field of a structured parameter: its adjoint is part of the parameter's gradient.
    // (A field of anything else, `p[0].v` of an array of records, passes its adjoint on.)
    if (!s.init || !this.active.has(s.name) || (s.init.kind === "field" && s.init.object.kind === "var" && this.fields.get(s.init.object.name)?.get(s.init.name) === s.name)) return;
    const bar = v(this.bar(s.name));
    const out: Stmt[] = [];
    if (isArrayType(s.type)) this.arrayInit(s.init, bar, out);
    else this.reusing(s.name, s.init, !this.reassigned.has(s.name), () => this.visit(s.init!, bar, out));
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /**
   * `const t = new Float64Array(n)` in a loop body: a new array each iteration.
   * The backward sweep reverses each iteration with the array it ran with, so
   * every one is kept alive on a stack local to the call (runtime/arrays.ts);
   * one adjoint buffer serves them all, zeroed for each reversed iteration (an
   * array declared in the body is not seen by another iteration).
   */
  private arrayPerIteration(s: Extract<Stmt, { kind: "let" }>, fwd: Stmt[], bwd: Stmt[]): void {
    const type = s.type as ArrayType;
    const empty = (): Expr => emptyArray(type);
    const kept = this.hoistArray(s.name, type);
    fwd.push({ kind: "effect", call: runtime("keepArray", v(kept), v(s.name)) }, { kind: "assign", name: s.name, value: s.init!, note: s.note });
    const out: Stmt[] = [];
    if (this.active.has(s.name)) {
      const bar = this.bar(s.name);
      this.nestedArrays.add(s.name);
      this.hoistBuffer(bar, type, empty());
      fwd.push({ kind: "assign", name: bar, value: runtime("zeroedLike", v(bar), v(s.name)) });
      // A number[] may grow after it is made (`logits = []`, then `logits[c] = z`): the first iteration reversed takes a buffer of its final length.
      if (type.array === "js") this.grown.push({ kind: "assign", name: bar, value: runtime("zeroedLike", v(bar), v(s.name)), adjoint: true });
      this.arrayInit(s.init!, v(bar), out);
      out.push({ kind: "assign", name: s.name, value: runtime("restoreArray", v(kept)) });
      out.push({ kind: "assign", name: bar, value: runtime("zeroedLike", v(bar), v(s.name)), adjoint: true });
    } else {
      out.push({ kind: "assign", name: s.name, value: runtime("restoreArray", v(kept)) });
    }
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /**
   * Hoists an array variable assigned in a block, defined from the start
   * (`let t: Float64Array = new Float64Array(0)`, restored last), and the stack
   * keeping the arrays it holds; the stack's name.
   */
  private hoistArray(name: string, type: ArrayType): string {
    let kept = this.keptStacks.get(name);
    if (kept) return kept;
    kept = this.names.fresh(`${name}_kept`);
    this.keptStacks.set(name, kept);
    if (!this.topLevelArrays.has(name) && !this.hoisted.some((h) => h.kind === "let" && h.name === name)) {
      this.hoisted.push({ kind: "let", name, type, init: emptyArray(type), mutable: true });
    }
    this.hoisted.push({ kind: "let", name: kept, type: { opaque: keptType(type), description: "kept arrays" }, init: { kind: "tuple", items: [] }, mutable: false });
    return kept;
  }

  /**
   * `u = next` (or `u = new Float64Array(n)`) of arrays: the variable now names
   * another object. Forward, the array it held and that array's adjoint buffer
   * are kept; the buffer of the new one is its source's (the same object has one
   * buffer) or a fresh one. Backward, the adjoint of a fresh array's initializer,
   * then both restored. No adjoint flows through the assignment itself: reads
   * through either name add into the one buffer.
   */
  private arrayAssignment(s: Extract<Stmt, { kind: "assign" }>, fwd: Stmt[], bwd: Stmt[]): void {
    const type = this.types.get(s.name) as ArrayType;
    const kept = this.hoistArray(s.name, type);
    const active = this.active.has(s.name);
    const bar = active ? this.bar(s.name) : undefined;
    // The buffer has its own stack: a restore the backward sweep does not need is dropped without unbalancing the other.
    const barKept = bar && this.hoistArray(bar, type);
    if (bar) this.nestedArrays.add(s.name);
    fwd.push({ kind: "effect", call: runtime("keepArray", v(kept), v(s.name)) });
    if (bar) fwd.push({ kind: "effect", call: runtime("keepArray", v(barKept!), v(bar)) });
    fwd.push({ kind: "assign", name: s.name, value: s.value, note: s.note });
    const out: Stmt[] = [];
    if (bar) {
      const source = s.value.kind === "var" ? v(this.bar(s.value.name)) : runtime("zerosLike", v(s.name));
      fwd.push({ kind: "assign", name: bar, value: source });
      if (s.value.kind !== "var") this.arrayInit(s.value, v(bar), out);
      out.push({ kind: "assign", name: bar, value: runtime("restoreArray", v(barKept!)) });
    }
    out.push({ kind: "assign", name: s.name, value: runtime("restoreArray", v(kept)) });
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /** The stack that keeps the values a passive local held, one per loop iteration (made on first use). */
  private keptValues(name: string, type: ts.TypeNode): string {
    let kept = this.keptStacks.get(name);
    if (kept) return kept;
    kept = this.names.fresh(`${name}_kept`);
    this.keptStacks.set(name, kept);
    const node = ts.factory.createArrayTypeNode(ts.factory.createParenthesizedType(type));
    this.hoisted.push({ kind: "let", name: kept, type: { opaque: node, description: "kept values" }, init: { kind: "tuple", items: [] }, mutable: false });
    return kept;
  }

  /**
   * Saves `current` before the forward sweep overwrites it, and restores it in the backward sweep
   * (`declares`: the overwrite is the variable's declaration, whose save may move to the iteration's end).
   */
  private save(variable: string, current: Expr, restore: (saved: Expr) => Stmt, at: Place, fwd: Stmt[], bwd: Stmt[], only?: Guard, declares = false): void {
    let save: Stmt;
    let saved: Expr;
    const end = this.iterationEnds.find((e) => e.place === at);
    if (end && !only && declares && end.names.has(variable) && current.kind === "var" && current.name === variable) {
      // Saved where the iteration ends, restored where the reversed one begins (iteration-saves.ts).
      save = { kind: "effect", call: runtime("pushValue", v(variable)) };
      const back = restore(runtime("popValue"));
      this.restores.add(back);
      this.slots.push({ variable, save, restore: back });
      end.saves.push(save);
      end.restores.unshift(back);
      return;
    }
    if (at.loops > 0 && only) {
      // Saved only when the statement changes the value (see extremumGuard).
      save = { kind: "if", test: only.save, then: [{ kind: "effect", call: runtime("pushValue", current) }], else: [] };
      const back: Stmt = { kind: "if", test: only.restore, then: [restore(runtime("popValue"))], else: [] };
      this.restores.add(back);
      this.slots.push({ variable, save, restore: back, test: only.restore });
      fwd.push(save);
      bwd.push(back);
      return;
    }
    const held = heldType(this.types.get(variable));
    if (at.loops > 0 && held) {
      // Passive data overwritten in a loop (`mine = real.filter(...)`, `tokens` of each sentence bound to a
      // helper's parameter) is no number for the tape: each value is kept on a stack of its own.
      const kept = this.keptValues(variable, held);
      save = { kind: "effect", call: runtime("keepArray", v(kept), current) };
      saved = runtime("restoreArray", v(kept));
    } else if (at.loops > 0) {
      save = { kind: "effect", call: runtime("pushValue", current) };
      saved = runtime("popValue");
    } else {
      const name = this.names.numbered("_t");
      const type = current.kind === "var" ? (this.types.get(current.name) ?? "number") : "number";
      if (at.depth === 0) save = { kind: "let", name, type, init: current, mutable: false };
      else {
        this.hoist(name, type);
        save = { kind: "assign", name, value: current };
      }
      saved = v(name);
    }
    const back = restore(saved);
    this.restores.add(back);
    this.slots.push({ variable, save, restore: back });
    fwd.push(save);
    bwd.push(back);
  }

  /** `y = e`: a save, the assignment; backward, a restore and the adjoint of e (`declares`: made from `let y = e`). */
  private assignment(s: Extract<Stmt, { kind: "assign" }>, at: Place, fwd: Stmt[], bwd: Stmt[], declares = false): void {
    const out: Stmt[] = [];
    const undo = this.inverse(s);
    if (undo) {
      fwd.push(s);
      out.push(undo);
      this.restores.add(undo);
    } else if (this.types.get(s.name) === "boolean" && !this.testedBackward.has(s.name)) {
      // A boolean an if statement tests is recorded where the branch is; one a `?:` tests is saved as 1 or 0.
      fwd.push(s);
    } else if (this.types.get(s.name) === "boolean") {
      const bit: Expr = { kind: "cond", test: v(s.name), then: num(1), else: num(0) };
      this.save(s.name, bit, (saved) => ({ kind: "assign", name: s.name, value: { kind: "binary", op: "===", left: saved, right: num(1) } }), at, fwd, bwd);
      fwd.push(s);
    } else {
      // The adjoint of `y = exp(...)` reads y itself, so it goes before y's restore.
      const restore: Stmt[] = [];
      const only = extremumGuard(s);
      this.save(s.name, v(s.name), (saved) => ({ kind: "assign", name: s.name, value: saved }), at, fwd, this.reusable(s.name, s.value) ? restore : out, only, declares);
      fwd.push(s);
      const value = s.value;
      const accumulates = value.kind === "binary" && (value.op === "+" || value.op === "-") && value.left.kind === "var" && value.left.name === s.name && !readsOf(value.right).has(s.name);
      if (accumulates) this.increments.add(this.slots[this.slots.length - 1]!);
      this.adjointOfAssignment(s, out);
      out.push(...restore);
      if (only && at.loops > 0) {
        // An element that loses to the running extremum passes its adjoint on unchanged and gets none.
        const skipped: Stmt[] = [{ kind: "if", test: only.loses, then: [], else: out }];
        this.guards.add(skipped[0]!);
        annotate(skipped, describe(s), s);
        bwd.push(...skipped);
        return;
      }
      annotate(out, describe(s), s);
      bwd.push(...out);
      return;
    }
    this.adjointOfAssignment(s, out);
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  private adjointOfAssignment(s: Extract<Stmt, { kind: "assign" }>, out: Stmt[]): void {
    if (!this.active.has(s.name)) return;
    const bar = this.bar(s.name);
    this.reusing(s.name, s.value, true, () =>
      this.update(s.value, (e) => e.kind === "var" && e.name === s.name, s.name, v(bar), { kind: "assign", name: bar, value: num(0), adjoint: true }, out),
    );
  }

  /** `name = value` where value is a call whose derivative is written with its result (and value does not read name). */
  private reusable(name: string, value: Expr): boolean {
    return reusesResult(value) && !readsOf(value).has(name);
  }

  /**
   * Runs `emit` with the derivative of `value` taken from `name` (holding its
   * result; `holder`, the element `name[i]`, for a store), when `holds` says it
   * still has that value where the adjoint runs.
   */
  private reusing(name: string, value: Expr, holds: boolean, emit: () => void, holder: Expr = v(name)): void {
    if (!holds || !this.reusable(name, value)) return emit();
    this.reused = { call: value, holder };
    try {
      emit();
    } finally {
      this.reused = undefined;
    }
  }

  /** `v = v + k` on an integer counter is undone by `v = v - k`, exactly. */
  private inverse(s: Extract<Stmt, { kind: "assign" }>): Stmt | undefined {
    if (!this.counters.has(s.name)) return undefined;
    const e = s.value;
    if (e.kind !== "binary" || (e.op !== "+" && e.op !== "-") || e.left.kind !== "var" || e.left.name !== s.name || e.right.kind !== "num") {
      return undefined;
    }
    return { kind: "assign", name: s.name, value: { ...e, op: e.op === "+" ? "-" : "+" } };
  }

  /** `a[i] = e`: like an assignment, element-wise. */
  private store(s: Extract<Stmt, { kind: "store" }>, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    if (s.index.kind === "length" && s.index.array.kind === "var" && s.index.array.name === s.array) return this.push(s, fwd, bwd);
    const out: Stmt[] = [];
    const element: Expr = { kind: "index", array: v(s.array), index: s.index };
    // `K[i] = Math.exp(...)` (reuse.ts leaves it whole): the element holds the result its derivative
    // is written with, so its adjoint goes before the element's restore and reads it there.
    const restore: Stmt[] = [];
    // (Not through an array another name shares: a store there changes what that name's reads see.)
    const reusable = this.reusable(s.array, s.value) && !readsOf(s.index).has(s.array) && !this.shared.has(s.array);
    this.save(s.array, element, (saved) => ({ kind: "store", array: s.array, index: s.index, value: saved }), at, fwd, reusable ? restore : out);
    const value = s.value;
    const increment = value.kind === "binary" && (value.op === "+" || value.op === "-") && sameExpr(value.left, element) && !readsOf(value.right).has(s.array);
    if (increment) this.increments.add(this.slots[this.slots.length - 1]!);
    fwd.push(s);
    if (this.active.has(s.array)) {
      const barElement: Expr = { kind: "index", array: v(this.bar(s.array)), index: s.index };
      const same = (e: Expr): boolean => e.kind === "index" && e.array.kind === "var" && e.array.name === s.array && sameExpr(e.index, s.index);
      const reset: Stmt = { kind: "store", array: this.bar(s.array), index: s.index, value: num(0), adjoint: true };
      this.reusing(s.array, s.value, reusable, () => this.update(s.value, same, s.array, barElement, reset, out), element);
    }
    out.push(...restore);
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /**
   * `xs[xs.length] = v`, what `xs.push(v)` lowers to: the array grows (its
   * adjoint buffer too, where the forward sweep already has one). Backward, the
   * element's adjoint flows into v and the array is shortened again, so that
   * its length is the one each earlier statement saw.
   */
  private push(s: Extract<Stmt, { kind: "store" }>, fwd: Stmt[], bwd: Stmt[]): void {
    fwd.push(s);
    const out: Stmt[] = [];
    const last: Expr = { kind: "binary", op: "-", left: { kind: "length", array: v(s.array) }, right: num(1) };
    if (this.active.has(s.array)) {
      const bar = this.bar(s.array);
      if (this.nestedArrays.has(s.array)) fwd.push({ kind: "store", array: bar, index: { kind: "length", array: v(bar) }, value: num(0) });
      const d = this.names.numbered("_d");
      out.push({ kind: "let", name: d, type: "number", init: { kind: "index", array: v(bar), index: last }, mutable: false });
      out.push({ kind: "store", array: bar, index: last, value: num(0), adjoint: true });
      // Shortened before v's adjoint: v was computed at the length before the push
      // (`heights.push(heights[heights.length - 1] + step)` reads the last element there, not the pushed one).
      out.push({ kind: "effect", call: runtime("popElement", v(s.array)) });
      this.visit(s.value, v(d), out);
    } else out.push({ kind: "effect", call: runtime("popElement", v(s.array)) });
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /**
   * The adjoint of `target = value` where `bar` is target's adjoint: `target += e`
   * passes bar on unchanged; otherwise bar flows into value and is then reset.
   */
  private update(value: Expr, isTarget: (e: Expr) => boolean, target: string, bar: Expr, reset: Stmt, out: Stmt[]): void {
    const free = (e: Expr): boolean => !readsOf(e).has(target);
    if (value.kind === "binary" && value.op === "+" && isTarget(value.left) && free(value.right)) {
      this.visit(value.right, bar, out);
    } else if (value.kind === "binary" && value.op === "+" && isTarget(value.right) && free(value.left)) {
      this.visit(value.left, bar, out);
    } else if (value.kind === "binary" && value.op === "-" && isTarget(value.left) && free(value.right)) {
      this.visit(value.right, { kind: "neg", arg: bar }, out);
    } else if (free(value)) {
      this.visit(value, bar, out);
      out.push(reset);
    } else {
      const d = this.names.numbered("_d");
      out.push({ kind: "let", name: d, type: "number", init: bar, mutable: false });
      out.push(reset);
      this.visit(value, v(d), out);
    }
  }

  private branch(s: Extract<Stmt, { kind: "if" }>, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    // The backward sweep re-evaluates a test nothing it reads is ever reassigned;
    // otherwise the forward sweep records the decision: a flag, or on the control
    // stack inside loops (pushed after the branch, so it is popped before it).
    // A boolean declared in a loop body holds the last iteration's value when the
    // backward sweep runs (booleans are never restored), so it is not stable either.
    // In a loop, a test of data and loop counters is evaluated again too (see restoredBackward).
    const stable = [...readsOf(s.test)].every((name) => (!this.reassigned.has(name) && !(this.declaredInLoops.has(name) && this.types.get(name) === "boolean")) || this.restoredBackward(name));
    const inner: Place = { depth: at.depth + 1, loops: at.loops };
    const then = this.branchSweep(s.then, inner);
    const otherwise = this.branchSweep(s.else, inner);
    const needed = then.bwd.length > 0 || otherwise.bwd.length > 0;
    let test = s.test;
    let backTest = s.test;
    const records: Stmt[] = [];
    if (needed && !stable && at.loops > 0) {
      records.push({ kind: "effect", call: runtime("pushControl", num(1)) }, { kind: "effect", call: runtime("pushControl", num(0)) });
      then.fwd.push(records[0]!);
      otherwise.fwd.push(records[1]!);
      backTest = { kind: "binary", op: "===", left: runtime("popControl"), right: num(1) };
    } else if (needed && !stable) {
      const flag = this.names.numbered("_b");
      this.types.set(flag, "boolean");
      this.define(flag, "boolean", test, at, fwd);
      test = backTest = v(flag);
    }
    fwd.push({ kind: "if", test, then: then.fwd, else: otherwise.fwd, note: s.note });
    if (!needed) return;
    const back: Stmt = { kind: "if", test: backTest, then: [...then.recomputation, ...then.bwd], else: [...otherwise.recomputation, ...otherwise.bwd], note: `adjoint of: ${describe(s)}`, origin: s.origin };
    bwd.push(back);
    // Recomputations only feed the adjoint code.
    this.controls.push({ back: [back], records, inner: [...then.bwd, ...otherwise.bwd] });
  }

  // --- Branches in loops, decided and computed again backward -------------------
  //
  // A branch in a loop body whose test reads only data and the loop counters
  // (`if (pts[i].x > 0)`) decides the same way when the backward sweep tests it
  // again, as a recomputed loop local does: nothing is recorded. A `const` at
  // the top of such a branch with a cheap value (`const r = pts[i].y − (a·x +
  // b)`) is evaluated again at the top of the reversed branch instead of saved.
  // A loop left with nothing to save is then dropped from the forward sweep
  // (simplify.ts), as the hand-written adjoint of a filtered sum does.

  /** Names declared by the branches being swept whose declarations are recomputed backward. */
  private readonly recomputedInBranches: string[] = [];

  /**
   * Whether the backward sweep, anywhere inside the loops being reversed, finds
   * `name` holding what it held at the same place forward: a counter of a loop
   * around that its body only steps (the reversal steps it back), or a local
   * recomputed at the top of a reversed loop body or branch around.
   */
  private restoredBackward(name: string): boolean {
    if (this.recomputedInBranches.includes(name)) return true;
    return this.enclosing.some((l) => {
      const counter = l.init?.kind === "let" || l.init?.kind === "assign" ? l.init.name : undefined;
      if (name === counter) return this.counters.has(name) && !assignedIn(l.body).has(name);
      return l.body.some((x) => x.kind === "let" && x.name === name && this.recomputed.has(x)) && !assignedIn(l.body).has(name);
    });
  }

  /** A branch's sweeps, with its recomputed declarations (see above) and their recomputation. */
  private branchSweep(block: readonly Stmt[], at: Place): Sweeps & { recomputation: Stmt[] } {
    const chosen: Extract<Stmt, { kind: "let" }>[] = [];
    if (at.loops > 0) {
      const names = new Set<string>();
      const stable = (name: string): boolean => names.has(name) || (!this.reassigned.has(name) && !this.declaredInLoops.has(name)) || this.restoredBackward(name);
      for (const x of block) {
        if (x.kind === "let" && x.type === "number" && x.init && !this.reassigned.has(x.name) && cheapToRecompute(x.init, stable)) {
          chosen.push(x);
          names.add(x.name);
          this.recomputed.add(x);
        }
      }
    }
    const depth = this.recomputedInBranches.length;
    this.recomputedInBranches.push(...chosen.map((x) => x.name));
    try {
      const swept = this.sweep(block, at);
      const recomputation = swept.bwd.length === 0 ? [] : chosen.map((x): Stmt => ({ kind: "assign", name: x.name, value: x.init!, note: `recompute: ${describe(x)}`, origin: x.origin }));
      return { ...swept, recomputation };
    } finally {
      this.recomputedInBranches.length = depth;
    }
  }

  /**
   * A loop runs forward counting its iterations; backward, the reversed body
   * runs that many times (the count is a local, or on the control stack when
   * the loop is itself inside a loop).
   */
  /**
   * Declarations at the top of a loop body whose value is a cheap load or
   * arithmetic of values the loop does not change (and of the loop's own
   * counter): the backward sweep recomputes them instead of saving them.
   */
  private recomputable(s: Extract<Stmt, { kind: "loop" }>): Stmt[] {
    const changedInBody = assignedIn(s.body);
    const chosen = new Set<string>();
    // The counters of the loops around this one: the reversed sweep has set them back when it runs this body.
    const around = new Set(this.enclosing.map((l) => (l.init?.kind === "let" || l.init?.kind === "assign" ? l.init.name : "")));
    // Declarations the loops around recompute at the top of their reversed bodies (GMM's row
    // offset `xi = ix * d`): set again before this loop's reversal runs, and unchanged inside it.
    const recomputedAround = new Set<string>();
    for (const l of this.enclosing) for (const x of l.body) if (x.kind === "let" && this.recomputed.has(x)) recomputedAround.add(x.name);
    // Numbers declared once, earlier in this body, and never changed: their saves are restored when
    // their declarations are reversed, after the rest of the body's, so at the top of a reversed
    // iteration they hold what that iteration gave them (the knot search's segment `hi`).
    const restoredLater = new Set<string>();
    const stable = (name: string): boolean =>
      chosen.has(name) ||
      restoredLater.has(name) ||
      (recomputedAround.has(name) && !changedInBody.has(name)) ||
      (!this.reassigned.has(name) && !changedInBody.has(name) && !this.declaredInLoops.has(name)) ||
      (this.counters.has(name) && !changedInBody.has(name) && (around.has(name) || s.update.some((u) => u.kind === "assign" && u.name === name))) ||
      this.settledBefore(name, s);
    // One instruction each, or a sin or cos whose partner the loop takes anyway: recomputing it costs less than a save
    // and a restore, and a loop left with nothing to save (n-body's pairs, springs) is dropped from the forward sweep.
    const cheap = (e: Expr): boolean =>
      cheapToRecompute(e, stable, (call) => call.callee.kind === "math" && (CHEAP_CALLS.has(call.callee.name) || this.pairedTrig(call, s.body)));
    const out: Stmt[] = [];
    s.body.forEach((x, at) => {
      // Only a value the body never changes after declaring it is the same when recomputed.
      // A value of no differentiated input is evaluated again whatever it costs (recompute.ts, passiveRecomputable),
      // but not from values restored later: those would be saved for it instead (one save or more for one).
      const passive = (e: Expr): boolean => !this.isActive(e) && passiveRecomputable(e, (name) => !restoredLater.has(name) && stable(name));
      if (x.kind === "let" && x.type === "number" && x.init && !changedInBody.has(x.name) && (cheap(x.init) || passive(x.init))) {
        out.push(x);
        chosen.add(x.name);
        return;
      }
      if (x.kind === "let" && x.type === "number" && x.init && !changedInBody.has(x.name) && this.declaredOnce(x.name)) restoredLater.add(x.name);
      const array = this.recomputableRewrite(s, at, chosen, changedInBody);
      if (array) {
        out.push(x);
        this.recomputedRewrites.set(x, array);
      }
    });
    return out;
  }

  /** Whether the function declares `name` in one place only (a second declaration would be another variable's life). */
  private declaredOnce(name: string): boolean {
    let declarations = 0;
    walkStmts(this.body, (x) => x.kind === "let" && x.name === name && declarations++);
    return declarations === 1;
  }

  /**
   * Whether `name` holds, whenever the reversal of `loop` runs, what it held
   * when the loop ran forward: it is declared in the body of a loop around
   * (a per-iteration array, `const hidden = W1.map(...)`: each reversed
   * iteration sees its own) and only the statements of that body before the
   * one holding `loop` write it. Their writes are undone after `loop` is
   * reversed; nothing after it has changed the value. (The MLP's
   * `hidden.reduce(...)` reads `hidden[h]` again instead of saving it.)
   */
  private settledBefore(name: string, loop: Stmt): boolean {
    return this.enclosing.some((outer) => {
      const at = outer.body.findIndex((x) => x === loop || (x.kind !== "let" && x.kind !== "assign" && x.kind !== "store" && contains(x, loop)));
      if (at < 0) return false;
      const declared = outer.body.findIndex((x) => x.kind === "let" && x.name === name);
      if (declared < 0 || declared > at) return false;
      if (this.shared.has(name) || assignedIn(outer.body.slice(at)).has(name) || assignedIn(outer.update).has(name)) return false;
      // Nor does a runtime helper the statements after it hand the array to (`fill`).
      let handed = false;
      walkStmts([...outer.body.slice(at), ...outer.update], (x) => x.kind === "effect" && readsOf(x.call).has(name) && (handed = true));
      if (handed) return false;
      // Declared once, there (a second declaration elsewhere would be another variable's life).
      let declarations = 0;
      walkStmts(this.body, (x) => x.kind === "let" && x.name === name && declarations++);
      return declarations === 1;
    });
  }

  /**
   * `Math.sin(a)` where the loop body also takes `Math.cos(a)` (or the other
   * way round) of an active `a`: the backward sweep makes both calls anyway
   * (each is the other's derivative), and shared-calls.ts makes each once, so
   * evaluating the value again backward costs no transcendental call. (The
   * two-joint arm's tip: its forward loop is then dropped, as in the
   * hand-written adjoint, which makes the four calls once.)
   */
  private pairedTrig(e: Extract<Expr, { kind: "call" }>, body: readonly Stmt[]): boolean {
    const partner = e.callee.kind === "math" ? ({ sin: "cos", cos: "sin" } as Record<string, string>)[e.callee.name] : undefined;
    const arg = e.args[0];
    if (!partner || e.args.length !== 1 || !arg || !this.isActive(arg)) return false;
    let found = false;
    walkStmts(body, (x) => {
      for (const y of exprsOf(x)) walkExpr(y, (z) => z.kind === "call" && z.callee.kind === "math" && z.callee.name === partner && z.args.length === 1 && sameExpr(z.args[0]!, arg) && (found = true));
    });
    return found;
  }

  /**
   * `for (j = 0; j < n; j++) a[j] = e` at the top of a loop body (the first
   * statement there to touch a, nothing after it writes a, and a used nowhere
   * outside the loop), with e cheap: each reversed iteration runs it again
   * instead of the forward sweep saving every element it overwrites. (GMM's
   * x − μₖ per point and component.) The array it names, if it is one.
   */
  private recomputableRewrite(s: Extract<Stmt, { kind: "loop" }>, at: number, chosen: ReadonlySet<string>, changedInBody: ReadonlySet<string>): string | undefined {
    const w = s.body[at]!;
    const array = this.fullRewrite(w);
    if (!array || w.kind !== "loop" || w.body.length !== 1 || w.body[0]!.kind !== "store" || !w.init) return undefined;
    const counter = w.init.kind === "let" || w.init.kind === "assign" ? w.init.name : undefined;
    if (!counter) return undefined;
    if (s.body.slice(0, at).some((x) => mentions(x, array)) || assignedIn(s.body.slice(at + 1)).has(array) || assignedIn(s.update).has(array)) return undefined;
    if (!this.onlyWithin(array, s)) return undefined;
    // Counters of the loops around (the reversed sweep has set them back) and values nothing reassigns.
    const counters = new Set([s, ...this.enclosing].map((l) => (l.init?.kind === "let" || l.init?.kind === "assign" ? l.init.name : "")));
    const stable = (name: string): boolean =>
      name === counter || chosen.has(name) ||
      (!changedInBody.has(name) && counters.has(name) && this.counters.has(name)) ||
      (!changedInBody.has(name) && !this.reassigned.has(name) && !this.declaredInLoops.has(name));
    let cheap = true;
    const store = w.body[0] as Extract<Stmt, { kind: "store" }>;
    for (const e of [store.value, store.index, w.test]) {
      walkExpr(e, (x) => {
        if (x.kind === "call" || x.kind === "cond" || (x.kind === "var" && !stable(x.name))) cheap = false;
        if (x.kind === "binary" && !["+", "-", "*", "/", "<"].includes(x.op)) cheap = false;
      });
    }
    return cheap ? array : undefined;
  }

  /**
   * The arrays each iteration of `s` rewrites in full (a loop storing every
   * element) before any other statement of the body mentions them, and that can
   * have a row per iteration (rows.ts says when that is sound), by the loop
   * rewriting them. Their saves are set aside (statement), and dropped once the
   * rows are laid (layRowsOf).
   */
  private rowCandidates(s: Loop): Map<Stmt, string[]> {
    const out = new Map<Stmt, string[]>();
    const counter = unitCounter(s);
    if (!counter || this.enclosing.some((l) => !this.fusing.has(l))) return out;
    // The trip count is known before the loop runs: its test reads nothing the body changes.
    const changed = assignedIn(s.body);
    if ([...readsOf(s.test)].some((name) => name !== counter && changed.has(name))) return out;
    let leaves = false;
    walkStmts(s.body, (x) => (x.kind === "break" || x.kind === "continue" || x.kind === "return" || x.kind === "throw") && (leaves = true));
    if (leaves) return out;
    s.body.forEach((w, at) => {
      if (this.recomputedRewrites.has(w)) return;
      const arrays = this.fullRewrites(w).filter((a) => !s.body.slice(0, at).some((x) => mentions(x, a)) && this.rowable(a, s));
      if (arrays.length > 0) out.set(w, arrays);
    });
    return out;
  }

  /**
   * Whether `array` is a local Float64Array of a length the function never
   * changes, declared once, never assigned or aliased, and mentioned only in
   * `loop`, there only as elements (never handed on whole, nor its length read).
   */
  private rowable(array: string, loop: Loop): boolean {
    const size = this.sizes.get(array);
    const type = this.types.get(array);
    if (!size || !isArrayType(type) || type.array !== "f64" || type.rows) return false;
    if (this.shared.has(array) || !this.declaredOnce(array) || !this.onlyWithin(array, loop)) return false;
    let fixed = true;
    walkExpr(size, (x) => {
      if (x.kind === "call" || (x.kind === "var" && (this.reassigned.has(x.name) || this.declaredInLoops.has(x.name)))) fixed = false;
    });
    let whole = false;
    walkStmts([loop], (x) => {
      if (x.kind === "assign" && x.name === array) whole = true;
      for (const e of exprsOf(x)) {
        let uses = 0;
        let elements = 0;
        walkExpr(e, (y) => {
          if (y.kind === "var" && y.name === array) uses++;
          if (y.kind === "index" && y.array.kind === "var" && y.array.name === array) elements++;
        });
        if (uses !== elements) whole = true;
      }
    });
    return fixed && !whole;
  }

  /**
   * Gives the candidates of a loop (rowCandidates) that its backward sweep
   * reads a row per iteration: marks the forward loop (with its trip count, to
   * size the rows) and its reversal for rows.ts, and drops the saves their
   * rewrites made (a row is never overwritten). An array the backward sweep does
   * not read keeps one row: its saves are dropped as unread anyway.
   */
  private layRowsOf(rowed: ReadonlyMap<Stmt, string[]>, counter: string, trips: Expr, reversed: readonly Stmt[], forward: Loop, reversal: Loop): void {
    const rows: IterationRows[] = [];
    for (const w of rowed.keys()) {
      for (const [array, saves] of this.rowRewrites.get(w) ?? []) {
        let read = false;
        walkStmts(reversed, (x) => {
          if (this.restores.has(x)) return;
          for (const e of exprsOf(x)) if (readsOf(e).has(array)) read = true;
        });
        if (!read) continue;
        for (const slot of saves) this.dropped.add(slot);
        rows.push({ array, rows: this.names.fresh(`${array}_rows`), length: this.sizes.get(array)!, counter });
      }
    }
    if (rows.length === 0) return;
    forward.rows = rows.map((r) => ({ ...r, trips }));
    reversal.rows = rows;
  }

  /** Whether every mention of `array` outside `loop` is its declaration. */
  private onlyWithin(array: string, loop: Stmt): boolean {
    let outside = false;
    const visit = (stmts: readonly Stmt[]): void => {
      for (const x of stmts) {
        if (x === loop) continue;
        if (x.kind === "let" && x.name === array) continue;
        if (x.kind === "if" || x.kind === "loop") {
          for (const e of exprsOf(x)) if (readsOf(e).has(array)) outside = true;
          if (x.kind === "loop" && x.init) visit([x.init]);
          visit(x.kind === "if" ? [...x.then, ...x.else] : [...x.body, ...x.update]);
        } else if (mentions(x, array)) outside = true;
      }
    };
    visit(this.body);
    return !outside;
  }

  /**
   * A loop `for (i = start; ...; i += k)` whose body leaves `i` alone and whose
   * start does not change inside it needs no trip count: the backward sweep
   * undoes `i += k` until `i` is back at `start`.
   */
  private drivingCounter(s: Extract<Stmt, { kind: "loop" }>): { name: string; start: Expr } | undefined {
    const init = s.init;
    if (!init || (init.kind !== "let" && init.kind !== "assign")) return undefined;
    const start = init.kind === "let" ? init.init : init.value;
    const step = s.update[0];
    if (!start || s.update.length !== 1 || step?.kind !== "assign" || step.name !== init.name) return undefined;
    if (!this.inverse(step)) return undefined;
    const changed = assignedIn(s.body);
    walkStmts(s.body, (x) => x.kind === "let" && changed.add(x.name));
    if (changed.has(init.name)) return undefined;
    changed.add(init.name);
    let simple = true;
    walkExpr(start, (x) => {
      if (x.kind === "call" || (x.kind === "var" && changed.has(x.name))) simple = false;
    });
    return simple ? { name: init.name, start } : undefined;
  }

  /**
   * For `for (let i = start; i < n; i += s)` with `n` unchanged by the body: the
   * value `i` ends with (trips.ts), so the backward sweep can set it instead of
   * saving it each time the loop starts.
   */
  private finalValue(s: Extract<Stmt, { kind: "loop" }>, counter: { name: string; start: Expr }): Expr | undefined {
    if (s.init?.kind !== "let" || s.doWhile) return undefined;
    const changed = assignedIn(s.body);
    const stable = (bound: Expr): boolean => {
      let unchanged = true;
      walkExpr(bound, (x) => {
        // A counter of a loop around, or a local recomputed there, is back where it was when this loop ran (`row.length`).
        if (x.kind === "call" || (x.kind === "var" && (changed.has(x.name) || this.declaredInLoops.has(x.name)) && !this.restoredBackward(x.name) && !this.settledBefore(x.name, s))) unchanged = false;
      });
      return unchanged;
    };
    const whole = (e: Expr): boolean =>
      e.kind === "length" || (e.kind === "var" && this.counters.has(e.name)) || (e.kind === "num" && Number.isInteger(e.value)) ||
      (e.kind === "binary" && (e.op === "+" || e.op === "-") && whole(e.left) && whole(e.right));
    return counterEnd(s.test, s.update[0], counter, { stable, whole });
  }

  private loop(s: Extract<Stmt, { kind: "loop" }>, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    const firstSlot = this.slots.length;
    const before: Sweeps = s.init ? this.sweep([s.init], at) : { fwd: [], bwd: [] };
    const initSlots = this.slots.slice(firstSlot);
    const inner: Place = { depth: at.depth + 1, loops: at.loops + 1 };
    const recompute = this.recomputable(s);
    for (const x of recompute) if (x.kind === "let") this.recomputed.add(x);
    const rowed = this.rowCandidates(s);
    for (const [rewrite, arrays] of rowed) this.rowRewrites.set(rewrite, new Map(arrays.map((a) => [a, []])));
    this.enclosing.push(s);
    const end = { place: inner, names: savedAtIterationEnd(s, this.body), saves: [] as Stmt[], restores: [] as Stmt[] };
    this.iterationEnds.push(end);
    const body = this.sweep(s.body, inner);
    this.iterationEnds.pop();
    body.fwd.push(...end.saves);
    const update = this.sweep(s.update, inner);
    this.enclosing.pop();
    const counter = this.drivingCounter(s);
    const count = counter ? undefined : this.names.numbered("_n");
    if (count) this.types.set(count, "number");
    const counted = count ? [...body.fwd, { kind: "assign", name: count, value: plus(v(count), num(1)) } as Stmt] : body.fwd;
    fwd.push(...before.fwd.slice(0, -1));
    if (count) this.define(count, "number", num(0), at, fwd);
    let init: Stmt | undefined = before.fwd[before.fwd.length - 1];
    if (init?.kind === "let") {
      // The counter outlives the loop: the backward sweep reads it.
      fwd.push({ kind: "let", name: init.name, type: init.type, mutable: true });
      init = init.init && { kind: "assign", name: init.name, value: init.init };
    }
    const forwardLoop: Loop = { kind: "loop", init, test: s.test, update: update.fwd, body: counted, doWhile: s.doWhile, note: s.note };
    fwd.push(forwardLoop);
    const records: Stmt[] = count && at.loops > 0 ? [{ kind: "effect", call: runtime("pushControl", v(count)) }] : [];
    fwd.push(...records);
    const backFrom = bwd.length;

    const k = this.names.numbered("_i");
    const recomputation: Stmt[] = recompute.map((x): Stmt => {
      const note = `recompute: ${describe(x.kind === "loop" ? x.body[0]! : x)}`;
      if (x.kind === "loop") {
        // The rewrite again, its counter (hoisted) assigned rather than declared.
        const init = x.init?.kind === "let" ? ({ kind: "assign", name: x.init.name, value: x.init.init! } as Stmt) : x.init;
        return { ...x, init, note, origin: x.origin };
      }
      const r = x as Extract<Stmt, { kind: "let" }>;
      return { kind: "assign", name: r.name, value: r.init!, note, origin: r.origin };
    });
    // What the iteration saved at its end comes back first (before the recomputations, which may read it).
    const named = end.restores.flatMap((r) => (r.kind === "assign" ? [r.name] : []));
    if (end.restores[0]) end.restores[0].note = `the ${named.length > 1 ? "values" : "value"} of ${named.join(", ")} the iteration ended with`;
    const reversed = [...update.bwd, ...end.restores, ...recomputation, ...body.bwd];
    if (counter) {
      // The counter itself drives the reversal: step it back until it is where it started.
      const final = this.finalValue(s, counter);
      if (reversed.length > 0) {
        if (final) {
          // Set where the forward loop left it, instead of saving it on every entry.
          for (const slot of initSlots) this.dropped.add(slot);
          bwd.push({ kind: "assign", name: counter.name, value: final, note: `where the loop left ${counter.name}` });
        }
        const test: Expr = { kind: "binary", op: "!==", left: v(counter.name), right: counter.start };
        const reversal: Loop = { kind: "loop", test, update: [], body: reversed, doWhile: false, note: `adjoint of: ${describe(s)}`, origin: s.origin };
        if (final) this.layRowsOf(rowed, counter.name, final, body.bwd, forwardLoop, reversal);
        bwd.push(reversal);
      } else if (final) {
        for (const slot of initSlots) this.dropped.add(slot);
      }
    } else if (reversed.length > 0 || at.loops > 0) {
      bwd.push({
        kind: "loop",
        init: { kind: "let", name: k, type: "number", init: at.loops > 0 ? runtime("popControl") : v(count!), mutable: true },
        test: { kind: "binary", op: ">", left: v(k), right: num(0) },
        update: [{ kind: "assign", name: k, value: { kind: "binary", op: "-", left: v(k), right: num(1) } }],
        body: reversed,
        doWhile: false,
        note: `adjoint of: ${describe(s)}`,
        origin: s.origin,
      });
    }
    // Stepping the counter back is bookkeeping; recomputations only feed the rest.
    const adjointCode = [...update.bwd, ...end.restores, ...body.bwd].filter((x) => !(counter && x.kind === "assign" && x.name === counter.name));
    if (bwd.length > backFrom) this.controls.push({ back: bwd.slice(backFrom), records, inner: adjointCode });
    bwd.push(...before.bwd);
  }

  private ret(s: Extract<Stmt, { kind: "return" }>, at: Place, fwd: Stmt[], bwd: Stmt[]): void {
    if (this.req.kind === "valueAndGrad" || this.req.value || this.req.aux) {
      this.resultName ??= this.names.fresh("result");
      this.define(this.resultName, this.fn.returnType, s.value, at, fwd);
      this.resultSets.push(fwd[fwd.length - 1]!);
    }
    const out: Stmt[] = [];
    if (this.req.aux) {
      // Only the loss of [loss, aux] is differentiated.
      if (s.value.kind !== "object") fail(Code.Unsupported, s.origin ?? this.fn.origin, "with hasAux, return the pair as a literal [loss, aux].");
      this.visit(s.value.fields[0]![1], this.seed, out);
    } else {
      this.visitResult(s.value, this.seed, this.fn.returnType, out);
    }
    annotate(out, describe(s), s);
    bwd.push(...out);
  }

  /**
   * The adjoint of a returned value of any result type, given its cotangent:
   * each number of a tuple or record gets its part of the cotangent, an array
   * its elements.
   */
  private visitResult(e: Expr, seed: Expr, type: Type, out: Stmt[]): void {
    if (isStructType(type)) {
      if (e.kind !== "object") fail(Code.Unsupported, this.fn.origin, "return a tuple or object literal, so tsgrad sees each part of the result.");
      e.fields.forEach(([k, x], i) => this.visitResult(x, { kind: "field", object: seed, name: k }, type.struct[i]![1], out));
      return;
    }
    if (!isArrayType(type)) return this.visit(e, seed, out);
    if (e.kind === "var") {
      if (this.active.has(e.name)) out.push({ kind: "effect", call: runtime("addScaled", v(this.bar(e.name)), num(1), seed) });
      return;
    }
    this.arrayInit(e, seed, out);
  }

  /** Emits the adjoint of `e`, given its output adjoint `adj`, and comments it. */
  private adjoint(e: Expr, adj: Expr, bwd: Stmt[], from: Stmt): void {
    const out: Stmt[] = [];
    this.visit(e, adj, out);
    annotate(out, describe(from), from);
    bwd.push(...out);
  }

  /** The adjoint of an array's initializer, given the array's adjoint buffer `bar`. */
  private arrayInit(init: Expr, bar: Expr, out: Stmt[]): void {
    if (init.kind === "tuple") {
      init.items.forEach((item, i) => this.visit(item, { kind: "index", array: bar, index: num(i) }, out));
      return;
    }
    if (init.kind === "call" && init.callee.kind === "runtime") {
      runtimeRule(init.callee.name)?.(init.args, bar, this.runtimeApi(out));
    }
  }

  private runtimeApi(out: Stmt[]): RuntimeAdjointApi {
    return {
      bar: (array) => {
        if (array.kind === "var") return this.active.has(array.name) ? v(this.bar(array.name)) : undefined;
        if (!this.isActive(array)) return undefined;
        // A row of an active array of arrays (`dot(W[i], x)`): that row of its adjoint.
        return this.adjointRow(array) ?? this.unreachable(array);
      },
      effect: (helper, ...args) => out.push({ kind: "effect", call: runtime(helper, ...args) }),
      scalar: (arg, adjoint) => this.visit(arg, adjoint, out),
      local: (value, type) => {
        const name = this.names.numbered("_r");
        out.push({ kind: "let", name, type: type === "pair" ? { tuple: ["number", "number"] } : "number", init: value, mutable: false });
        return v(name);
      },
    };
  }

  private isActive(e: Expr): boolean {
    return readsVaried(e, this.active);
  }

  /** Binds an adjoint used more than once to a local, unless it is already trivial. */
  private share(adj: Expr, out: Stmt[]): Expr {
    if (adj.kind === "var" || adj.kind === "num" || (adj.kind === "neg" && adj.arg.kind === "var")) return adj;
    const d = this.names.numbered("_d");
    out.push({ kind: "let", name: d, type: "number", init: adj, mutable: false });
    return v(d);
  }

  /** Propagates `adj`, the adjoint of `e`'s value, to the variables `e` reads. */
  private visit(e: Expr, adj: Expr, out: Stmt[]): void {
    if (!this.isActive(e)) return;
    if (this.treeRoot(e)) return this.accumulateTreeLeaf(e, adj, out);
    switch (e.kind) {
      case "var": {
        // Only a number's adjoint is added with `+`; a structured one reaching here is a case not handled above.
        const type = this.types.get(e.name) ?? "number";
        if (type !== "number") return this.unreachable(e);
        const bar = this.bar(e.name);
        out.push({ kind: "assign", name: bar, value: plus(v(bar), fold(adj)), adjoint: true });
        return;
      }
      case "field":
        return this.visitRecordField(e, adj, out);
      case "index": {
        if (e.array.kind === "index") return this.visitNestedIndex(e, e.array, adj, out);
        // x[i] of an active array: x_bar[i] += adj. (An index is an integer: an active
        // one, `x[s * inputs + j]` with `inputs` from an active array's length, passes nothing.)
        if (e.array.kind !== "var" || !this.active.has(e.array.name)) return;
        const bar = this.bar(e.array.name);
        const element: Expr = { kind: "index", array: v(bar), index: e.index };
        out.push({ kind: "store", array: bar, index: e.index, value: plus(element, fold(adj)), adjoint: true });
        return;
      }
      case "length":
        return; // an array's length is not differentiable: it is an integer
      case "not":
        return; // a flag (`test = !(x <= t)` of a generated adjoint): derivative 0, as in forward mode
      case "neg":
        return this.visit(e.arg, { kind: "neg", arg: adj }, out);
      case "cond": {
        const a = this.share(adj, out);
        const then: Stmt[] = [];
        const otherwise: Stmt[] = [];
        this.visit(e.then, a, then);
        this.visit(e.else, a, otherwise);
        out.push({ kind: "if", test: e.test, then, else: otherwise });
        return;
      }
      case "binary":
        return this.visitBinary(e, adj, out);
      case "call":
        if (e.callee.kind === "math") return this.visitMath(e, e.callee.name, adj, out);
        if (e.callee.kind === "runtime") {
          const rule = runtimeRule(e.callee.name);
          if (!rule) return fail(Code.Unsupported, this.fn.origin, `${e.callee.name}() cannot be differentiated here; compute its value outside the differentiated function and pass it in.`);
          return rule(e.args, this.share(adj, out), this.runtimeApi(out));
        }
        return this.visitCall(e, adj, out);
      default:
        return fail(Code.Unsupported, this.fn.origin, "tsgrad cannot yet differentiate through this value; compute it with arithmetic and Math functions, or pass it in as a parameter.");
    }
  }

  /** The active array of records holding more than numbers that `e` reads a part of (`users[i].factors[k]`), if any. */
  private treeRoot(e: Expr): string | undefined {
    let x = e;
    while (x.kind === "index" || x.kind === "field") x = x.kind === "index" ? x.array : x.object;
    return x !== e && x.kind === "var" && isTreesType(this.types.get(x.name)) && this.active.has(x.name) ? x.name : undefined;
  }

  /** The same place in the adjoint of an array of records holding more than numbers: `users[i].factors` -> `users_bar[i].factors`. */
  private treePlace(e: Expr): Expr {
    if (e.kind === "var") return v(this.bar(e.name));
    if (e.kind === "index") return { ...e, array: this.treePlace(e.array) };
    if (e.kind === "field") return { ...e, object: this.treePlace(e.object) };
    return this.unreachable(e);
  }

  /** The type of a place in an array of records holding more than numbers (`users_bar[i]`: a `User`'s fields). */
  private treeTypeAt(e: Expr): Type {
    const outer: Type | undefined =
      e.kind === "var" ? (this.types.get(this.adjointOf(e.name)) ?? this.types.get(e.name)) : e.kind === "index" ? this.treeTypeAt(e.array) : e.kind === "field" ? this.treeTypeAt(e.object) : undefined;
    if (e.kind === "var" && outer) return outer;
    if (isTreesType(outer) && e.kind === "index") return outer.trees;
    if (isStructType(outer)) {
      const key = e.kind === "field" ? e.name : e.kind === "index" && e.index.kind === "num" ? String(e.index.value) : undefined;
      const found = outer.struct.find(([k]) => k === key);
      if (found) return found[1];
      // A tuple of numbers at an index known only at run time (`c[j]`).
      if (outer.isTuple && e.kind === "index" && outer.struct.every(([, t]) => t === "number")) return "number";
    }
    if (isArrayType(outer) && !outer.rows && e.kind === "index") return "number";
    if (isArrayType(outer) && outer.rows) return (outer.depth ?? 1) > 1 ? { ...outer, depth: outer.depth! - 1 } : { array: outer.rows };
    return this.unreachable(e);
  }

  /** How a local naming `place` is declared: one record by the element type the user wrote (`User`), where there is one. */
  private holderType(place: Expr): Type {
    const type = this.treeTypeAt(place);
    if (place.kind !== "index") return type;
    const outer = this.treeTypeAt(place.array);
    if (!isTreesType(outer) || outer.readonlyFields) return type;
    const node = ts.isArrayTypeNode(outer.node) ? outer.node.elementType : ts.isTypeOperatorNode(outer.node) && ts.isArrayTypeNode(outer.node.type) ? outer.node.type.elementType : undefined;
    // (A view is never compared or passed on: its printed type is all that matters here.)
    return node && !ts.isTypeLiteralNode(node) ? { opaque: node, description: "a record" } : type;
  }

  /** The variable whose adjoint `bar` is. */
  private adjointOf(bar: string): string {
    for (const [name, b] of this.bars) if (b === bar) return name;
    return bar;
  }

  /**
   * A number read from an active array of records holding more than numbers:
   * added at the same place of its adjoint, whose parent is named once per
   * statement (`const users_bar_i_factors = users_bar[i].factors; users_bar_i_factors[k] += adj`).
   */
  private accumulateTreeLeaf(e: Expr, adj: Expr, out: Stmt[]): void {
    if (e.kind !== "index" && e.kind !== "field") return this.unreachable(e);
    const place = this.treePlace(e);
    if (this.treeTypeAt(place) !== "number") {
      // A record or array of it (`sq(u.c)` given `users[i].c`): the callee's gradient, added leaf by leaf.
      out.push({ kind: "effect", call: runtime("addTree", place, adj) });
      return;
    }
    const parent = this.treePlace(e.kind === "index" ? e.array : e.object);
    const key: Expr = e.kind === "index" ? e.index : { kind: "literal", value: e.name };
    let holder: string;
    if (parent.kind === "var") {
      holder = parent.name;
    } else {
      const named = out.find((x) => x.kind === "let" && x.init !== undefined && sameExpr(x.init, parent));
      if (named?.kind === "let") {
        holder = named.name;
      } else {
        holder = this.names.fresh(placeName(parent));
        out.push({ kind: "let", name: holder, type: this.holderType(parent), init: parent, mutable: false, adjoint: true });
      }
    }
    const current: Expr = e.kind === "index" ? { kind: "index", array: v(holder), index: key } : { kind: "field", object: v(holder), name: e.name };
    // `detuneCents?: number` of an element: read (so written) only where the element has it.
    const owner = e.kind === "field" ? this.treeTypeAt(parent) : undefined;
    const optional = isStructType(owner) && e.kind === "field" && owner.optional?.includes(e.name) ? ({ optional: true } as const) : {};
    out.push({ kind: "store", array: holder, index: key, value: plus(current, fold(adj)), adjoint: true, ...optional });
  }

  /** `xs[i][j]` of an active array of arrays (`xs_bar[i][j] += adj`), or `obs[i][0]` of an active array of tuples. */
  private visitNestedIndex(e: Extract<Expr, { kind: "index" }>, row: Extract<Expr, { kind: "index" }>, adj: Expr, out: Stmt[]): void {
    if (row.array.kind === "var" && this.columns.has(row.array.name)) {
      if (e.index.kind !== "num") return this.unreachable(e);
      return this.accumulateColumn(row.array.name, String(e.index.value), row.index, adj, out);
    }
    const place = this.adjointRow(row);
    if (!place) return this.unreachable(e);
    // The adjoint row is named once per statement (a view into the adjoint), then written by index.
    const named = out.find((x) => x.kind === "let" && x.init !== undefined && sameExpr(x.init, place));
    let rowBar = named?.kind === "let" ? named.name : undefined;
    if (!rowBar) {
      const root = rootName(place);
      rowBar = this.names.fresh(row.index.kind === "var" ? `${root}_${row.index.name}` : `${root}_row`);
      out.push({ kind: "let", name: rowBar, type: this.rowType(rootName(row)), init: place, mutable: false, adjoint: true });
    }
    const element: Expr = { kind: "index", array: v(rowBar), index: e.index };
    out.push({ kind: "store", array: rowBar, index: e.index, value: plus(element, fold(adj)), adjoint: true });
  }

  /** The type of an argument's gradient: a variable's type, a record or row of nested data, else a number. */
  private argumentType(arg: Expr): Type {
    if (arg.kind === "var") return this.types.get(arg.name) ?? "number";
    // A part of an array of records holding more than numbers (`spheres[i].center`): that part's type.
    if (this.treeRoot(arg)) return this.treeTypeAt(this.treePlace(arg));
    if (arg.kind === "index" && arg.array.kind === "var") {
      const outer = this.types.get(arg.array.name);
      if (isRecordsType(outer)) return { struct: outer.records.map((f) => [f, "number"] as const), isTuple: outer.isTuple };
      if (isArrayType(outer) && outer.rows) return (outer.depth ?? 1) > 1 ? { ...outer, depth: outer.depth! - 1 } : { array: outer.rows };
    }
    return "number";
  }

  /** `bodies[i].x` of an active array of records: `bodies_x_bar[i] += adj`. */
  private visitRecordField(e: Extract<Expr, { kind: "field" }>, adj: Expr, out: Stmt[]): void {
    const record = e.object;
    if (record.kind !== "index" || record.array.kind !== "var" || !this.columns.has(record.array.name)) return this.unreachable(e);
    this.accumulateColumn(record.array.name, e.name, record.index, adj, out);
  }

  private accumulateColumn(name: string, field: string, index: Expr, adj: Expr, out: Stmt[]): void {
    const column = this.columns.get(name)!.get(field);
    if (!column) return this.unreachable({ kind: "var", name });
    const element: Expr = { kind: "index", array: v(column), index };
    out.push({ kind: "store", array: column, index, value: plus(element, fold(adj)), adjoint: true });
  }

  /**
   * `W[i]` (`T[i][j]`, ...) of an active array of arrays: the same place in
   * its adjoint (`W_bar[i]`); undefined for anything else.
   */
  private adjointRow(e: Expr): Expr | undefined {
    if (e.kind !== "index") return undefined;
    let inner: Expr | undefined;
    if (e.array.kind === "var") {
      const type = this.types.get(e.array.name);
      inner = isArrayType(type) && type.rows && this.active.has(e.array.name) ? v(this.bar(e.array.name)) : undefined;
    } else {
      inner = this.adjointRow(e.array);
    }
    return inner && { kind: "index", array: inner, index: e.index };
  }

  /** Whether `a[i]...` is still an array (a row, at any level), not one number of the nested array. */
  private isRowPlace(e: Expr): boolean {
    let levels = 0;
    let x = e;
    while (x.kind === "index") {
      levels++;
      x = x.array;
    }
    const type = x.kind === "var" ? this.types.get(x.name) : undefined;
    return isArrayType(type) && levels > 0 && levels <= (type.depth ?? 1);
  }

  /** Whether `place` (from adjointRow) is a row of numbers rather than an array of rows. */
  private isLeafRow(e: Expr): boolean {
    let levels = 0;
    let x = e;
    while (x.kind === "index") {
      levels++;
      x = x.array;
    }
    const type = x.kind === "var" ? this.types.get(x.name) : undefined;
    return isArrayType(type) && levels === (type.depth ?? 1);
  }

  /** The type of one row of the array of arrays `name`. */
  private rowType(name: string): Type {
    const type = this.types.get(name);
    return isArrayType(type) && type.rows ? { array: type.rows } : { array: "f64" };
  }

  /** An active value read in a way no rule covers: refused, never dropped. */
  private unreachable(e: Expr): never {
    void e;
    return fail(Code.Unsupported, this.fn.origin, "tsgrad cannot yet differentiate through this read of nested data; index the parameter directly (xs[i][j], bodies[i].x).");
  }

  /**
   * Propagates the adjoint of `a op b` to its operands, left then right. A
   * chain `t1 + t2 + ... + tn` nests thousands deep to the left, so it is
   * walked in loops, not by recursion: which operands are active, from the
   * innermost out (each operand looked at once); then the adjoint each
   * operation hands its operands, from the outermost in; then the visits, in
   * the order the recursion would make them (innermost left operand, then
   * the right operands from the innermost out).
   */
  private visitBinary(e: BinaryExpr, adj: Expr, out: Stmt[]): void {
    const chain: BinaryExpr[] = [e];
    let leaf = e.left;
    for (; leaf.kind === "binary"; leaf = leaf.left) chain.push(leaf);
    const activeLeft: boolean[] = [];
    const activeRight: boolean[] = [];
    let active = this.isActive(leaf);
    for (let i = chain.length - 1; i >= 0; i--) {
      activeLeft[i] = active;
      activeRight[i] = this.isActive(chain[i]!.right);
      active ||= activeRight[i]!;
    }
    const rights: [Expr, Expr][] = [];
    let reachesLeaf = true;
    for (let i = 0; i < chain.length && reachesLeaf; i++) {
      const [toLeft, toRight] = this.operandAdjoints(chain[i]!, adj, activeLeft[i]!, activeRight[i]!, out);
      if (toRight) rights.push([chain[i]!.right, toRight]);
      if (toLeft) adj = toLeft;
      else reachesLeaf = false;
    }
    if (reachesLeaf) this.visit(leaf, adj, out);
    for (let i = rights.length - 1; i >= 0; i--) this.visit(rights[i]![0], rights[i]![1], out);
  }

  /** The adjoints `a op b` hands its active operands, given its own (`adj`); undefined for an operand that gets none. */
  private operandAdjoints(e: BinaryExpr, adj: Expr, l: boolean, r: boolean, out: Stmt[]): [Expr | undefined, Expr | undefined] {
    const a = l && r ? this.share(adj, out) : adj;
    switch (e.op) {
      case "+":
        return [l ? a : undefined, r ? a : undefined];
      case "-":
        return [l ? a : undefined, r ? { kind: "neg", arg: a } : undefined];
      case "*":
        return [l ? mulf(a, e.right) : undefined, r ? mulf(a, e.left) : undefined];
      case "/": {
        // -a (l / r) / r, not -a l / (r * r): r * r overflows for |r| > 1e154 (see forward.ts).
        const over = (x: Expr): Expr => ({ kind: "binary", op: "/", left: x, right: e.right });
        const dr: Expr = over(e.left.kind === "num" && e.left.value === 1 ? over({ kind: "neg", arg: a }) : { kind: "binary", op: "*", left: { kind: "neg", arg: a }, right: over(e.left) });
        return [l ? { kind: "binary", op: "/", left: a, right: e.right } : undefined, r ? dr : undefined];
      }
      case "**": {
        const [dl, dr] = powRule.partials([e.left, e.right], e);
        return [l && dl ? mulf(a, dl) : undefined, r && dr ? mulf(a, dr) : undefined];
      }
      default:
        return [undefined, undefined]; // comparisons and logic have no adjoint
    }
  }

  private visitMath(e: Extract<Expr, { kind: "call" }>, name: string, adj: Expr, out: Stmt[]): void {
    const rule = mathRule(name);
    if (!rule) return fail(Code.UnknownMath, this.fn.origin, `Math.${name} has no derivative rule; use one of the Math functions the README lists.`);
    const partials = rule.partials(e.args, this.reused?.call === e ? this.reused.holder : e);
    const activeArgs = e.args.filter((x, i) => this.isActive(x) && partials[i]);
    const a = activeArgs.length > 1 ? this.share(adj, out) : adj;
    e.args.forEach((arg, i) => {
      const p = partials[i];
      if (p && this.isActive(arg)) this.visit(arg, mulf(a, p), out);
    });
  }

  /** A call to a user function: its vjp returns the adjoints of the active arguments. */
  private visitCall(e: Extract<Expr, { kind: "call" }>, adj: Expr, out: Stmt[]): void {
    if (e.callee.kind === "rule") {
      return fail(Code.Unsupported, this.fn.origin, `a customGrad rule (${e.callee.fn.name}.rule) is not itself differentiable, so higher derivatives through customGrad are not supported; take first derivatives through it, or differentiate the original function instead.`);
    }
    if (e.callee.kind !== "fn") return;
    const activeArgs = e.args.flatMap((x, i) => (this.isActive(x) ? [i] : []));
    const vjp = this.req.vjp(e.callee.fn, activeArgs);
    const call: Expr = { kind: "call", callee: { kind: "fn", fn: vjp }, args: [...e.args, adj] };
    const pass = (arg: Expr, adjoint: Expr): void => {
      const type = arg.kind === "var" ? this.types.get(arg.name) : undefined;
      // A structured argument's adjoint comes back with the same fields.
      if (arg.kind === "var" && isStructType(type)) {
        const fields = this.fields.get(arg.name)!;
        const r = this.names.numbered("_r");
        out.push({ kind: "let", name: r, type, init: adjoint, mutable: false });
        for (const [field] of type.struct) pass(v(fields.get(field)!), { kind: "field", object: v(r), name: field });
        return;
      }
      // One record of an array of records (`spring(bodies[i], ...)`): its fields into the columns at i.
      if (arg.kind === "index" && arg.array.kind === "var" && this.columns.has(arg.array.name)) {
        const records = this.types.get(arg.array.name);
        if (!isRecordsType(records)) return this.unreachable(arg);
        const r = this.names.numbered("_r");
        out.push({ kind: "let", name: r, type: { struct: records.records.map((f) => [f, "number"] as const), isTuple: records.isTuple }, init: adjoint, mutable: false });
        for (const field of records.records) this.accumulateColumn(arg.array.name, field, arg.index, { kind: "field", object: v(r), name: field }, out);
        return;
      }
      // One row of an array of arrays (`rowEnergy(W[i], x)`): the callee's buffer, added into that row.
      const row = this.isRowPlace(arg) ? this.adjointRow(arg) : undefined;
      if (row) {
        out.push({ kind: "effect", call: this.isLeafRow(arg) ? runtime("addScaled", row, num(1), adjoint) : runtime("addRows", row, adjoint) });
        return;
      }
      // An array of records: the callee's records, added into the caller's columns.
      const columns = arg.kind === "var" ? this.columns.get(arg.name) : undefined;
      if (columns && isRecordsType(type)) {
        const fields = [...columns].map(([field, column]) => [field, v(column)] as const);
        const into: Expr = type.isTuple ? { kind: "tuple", items: fields.map(([, c]) => c) } : { kind: "object", isTuple: false, fields };
        out.push({ kind: "effect", call: runtime(type.isTuple ? "addTuples" : "addRecords", into, adjoint) });
        return;
      }
      if (arg.kind === "var" && isArrayType(type) && type.rows) {
        out.push({ kind: "effect", call: runtime("addRows", v(this.bar(arg.name)), adjoint) });
        return;
      }
      // An array of records holding more than numbers (`cs: Constituent[]`, maybe a field of a record
      // argument): the callee's gradient tree, added leaf by leaf into the caller's.
      if (arg.kind === "var" && isTreesType(type)) {
        out.push({ kind: "effect", call: runtime("addTree", v(this.bar(arg.name)), adjoint) });
        return;
      }
      // An array argument's adjoint comes back as a buffer, added into the caller's.
      if (arg.kind === "var" && isArrayType(type)) {
        out.push({ kind: "effect", call: runtime("addScaled", v(this.bar(arg.name)), num(1), adjoint) });
      } else {
        this.visit(arg, adjoint, out);
      }
    };
    if (activeArgs.length === 1) {
      pass(e.args[activeArgs[0]!]!, call);
      return;
    }
    const r = this.names.numbered("_r");
    const types = activeArgs.map((i) => this.argumentType(e.args[i]!));
    out.push({ kind: "let", name: r, type: { tuple: types }, init: call, mutable: false });
    activeArgs.forEach((argIndex, k) => pass(e.args[argIndex]!, { kind: "index", array: v(r), index: num(k) }));
  }
}

/** A local's name for a place in an adjoint: `users_bar[i].factors` -> `users_bar_i_factors`. */
function placeName(e: Expr): string {
  if (e.kind === "var") return e.name;
  if (e.kind === "field") return `${placeName(e.object)}_${e.name}`;
  if (e.kind === "index") return `${placeName(e.array)}_${e.index.kind === "var" ? e.index.name : e.index.kind === "num" ? String(e.index.value) : "at"}`;
  return "place";
}

/** The variable at the root of `a[i][j]...`. */
function rootName(e: Expr): string {
  while (e.kind === "index") e = e.array;
  return e.kind === "var" ? e.name : "row";
}

/** Names an expression refers to (variables, free names, called functions): generated locals avoid them. */
export function takenBy(x: Expr, taken: Set<string>): void {
  if (x.kind === "var" || x.kind === "free") taken.add(x.name.split(".")[0]!);
  if (x.kind === "call" && x.callee.kind !== "math" && x.callee.kind !== "passive") {
    taken.add(x.callee.kind === "global" ? x.callee.name.split(".")[0]! : (x.callee.node?.text ?? (x.callee.kind === "runtime" ? x.callee.name : x.callee.fn.name)));
  }
  if (x.kind === "function") taken.add(x.fn.name);
}

/**
 * Variables that only ever hold integers (below 2^53, so `v + k - k === v`
 * exactly): their steps `v = v ± k` are undone rather than saved, so loops do
 * not save every counter value.
 */
/** `{ x: number; y: number }[]` or `[number, number][]`: the type of an array of records the generated code fills (the user's may be readonly). */
function mutableRecords(t: RecordsType): RecordsType {
  const f = ts.factory;
  const num = (): ts.TypeNode => f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword);
  const key = (name: string): ts.PropertyName => (/^[A-Za-z_$][\w$]*$/.test(name) ? f.createIdentifier(name) : f.createStringLiteral(name));
  const element = t.isTuple ? f.createTupleTypeNode(t.records.map(num)) : f.createTypeLiteralNode(t.records.map((name) => f.createPropertySignature(undefined, key(name), undefined, num())));
  return { ...t, node: f.createArrayTypeNode(ts.setEmitFlags(element, ts.EmitFlags.SingleLine)) };
}

/** An array of zeros made here: `new Float64Array(n)`, `tsgrad.zeros(n)`. */
function freshZeros(e: Expr): boolean {
  return e.kind === "alloc" || (e.kind === "call" && e.callee.kind === "runtime" && (e.callee.name === "zeros" || e.callee.name === "zerosLike"));
}

/** Whether `inner` is `s` or nested in it. */
function contains(s: Stmt, inner: Stmt): boolean {
  let found = false;
  walkStmts([s], (x) => x === inner && (found = true));
  return found;
}

/** Math functions cheap enough to evaluate again backward (see `recomputable`). */

function integerCounters(body: readonly Stmt[], params: readonly Param[]): Set<string> {
  const candidates = new Set<string>();
  walkStmts(body, (s) => {
    if (s.kind === "let" && s.type === "number") candidates.add(s.name);
  });
  for (const p of params) candidates.delete(p.name);
  const integral = (e: Expr, ok: Set<string>): boolean => {
    switch (e.kind) {
      case "num":
        return Number.isInteger(e.value);
      case "var":
        return ok.has(e.name);
      case "length":
        return true;
      case "neg":
        return integral(e.arg, ok);
      case "binary":
        return foldLeft(e, (leaf) => integral(leaf, ok), (node, left) => left && (node.op === "+" || node.op === "-" || node.op === "*") && integral(node.right, ok));
      default:
        return false;
    }
  };
  // A variable used as an array index holds an integer (any other index reads
  // undefined, so the primal is already meaningless there).
  const indices = new Set<string>();
  walkStmts(body, (s) => {
    for (const e of exprsOf(s)) walkExpr(e, (x) => x.kind === "index" && x.index.kind === "var" && indices.add(x.index.name));
    if (s.kind === "store" && s.index.kind === "var") indices.add(s.index.name);
  });
  // Greatest fixed point: drop variables given a value that is not an integer.
  let changed = true;
  while (changed) {
    changed = false;
    walkStmts(body, (s) => {
      const name = s.kind === "let" || s.kind === "assign" ? s.name : undefined;
      const value = s.kind === "let" ? s.init : s.kind === "assign" ? s.value : undefined;
      if (!name || !candidates.has(name) || indices.has(name)) return;
      if ((s.kind === "let" && !value) || (value && !integral(value, candidates))) {
        candidates.delete(name);
        changed = true;
      }
    });
  }
  // Steps of these (v = v ± k) are undone exactly; their other assignments are saved as usual.
  return candidates;
}

/** Structural equality for the pure expressions indices and sizes are made of. */
/** When a conditional save must happen (forward) and its restore (backward). */
interface Guard {
  readonly save: Expr;
  readonly restore: Expr;
  /** The new element lost (strictly, neither side NaN): nothing changed and nothing flows to it. */
  readonly loses: Expr;
}

/**
 * `m = Math.max(m, e)` (a running maximum; min alike) changes m only when
 * e >= m, and then m becomes e: the old value is saved only then, and the
 * backward sweep, seeing e === m, knows to restore it. A NaN on either side
 * fails both tests, so save and restore still pair up. LSE's max loop then
 * saves a value only when the maximum grows. Backward, an element that lost
 * (e < m) is skipped: m's adjoint passes on unchanged (its share is 1) and e's
 * share is 0, so e gets nothing, where the general rule would add 0 * m_bar
 * (NaN when m_bar is infinite; PyTorch gives the losing element 0 too).
 */
function extremumGuard(s: Extract<Stmt, { kind: "assign" }>): Guard | undefined {
  const value = s.value;
  if (value.kind !== "call" || value.callee.kind !== "math" || (value.callee.name !== "max" && value.callee.name !== "min") || value.args.length !== 2) return undefined;
  const [a, b] = value.args as [Expr, Expr];
  const self = (x: Expr): boolean => x.kind === "var" && x.name === s.name;
  const other = self(a) ? b : self(b) ? a : undefined;
  if (!other || readsOf(other).has(s.name)) return undefined;
  let pure = true;
  walkExpr(other, (x) => {
    if (x.kind === "call" && x.callee.kind !== "math") pure = false;
  });
  if (!pure) return undefined;
  const max = value.callee.name === "max";
  return {
    save: { kind: "binary", op: max ? ">=" : "<=", left: other, right: v(s.name) },
    restore: { kind: "binary", op: "===", left: other, right: v(s.name) },
    loses: { kind: "binary", op: max ? "<" : ">", left: other, right: v(s.name) },
  };
}

/** The statement as the user wrote it, or as tsgrad printed it when it was generated. */
function describe(s: Stmt): string {
  return s.source ?? printStmt(s);
}

/**
 * Puts `// adjoint of: <statement>` above the first statement of a backward
 * block, and points the block's source maps at the statement it reverses.
 */
function annotate(out: Stmt[], note: string | undefined, from?: Stmt): void {
  if (out[0] && note) out[0].note = `adjoint of: ${note}`;
  if (from?.origin) for (const s of out) s.origin ??= from.origin;
}

/** The counter of `loop` if it steps by one from 0 and its body leaves it alone. */
function unitCounter(loop: Extract<Stmt, { kind: "loop" }>): string | undefined {
  if (loop.doWhile || !loop.init || loop.update.length !== 1) return undefined;
  const counter = loop.init.kind === "let" || loop.init.kind === "assign" ? loop.init.name : undefined;
  const start = loop.init.kind === "let" ? loop.init.init : loop.init.kind === "assign" ? loop.init.value : undefined;
  const step = loop.update[0]!;
  if (!counter || start?.kind !== "num" || start.value !== 0 || assignedIn(loop.body).has(counter)) return undefined;
  if (step.kind !== "assign" || step.name !== counter || !sameExpr(step.value, plus(v(counter), num(1)))) return undefined;
  return counter;
}

/**
 * The stores of `loop` that write an element no other of its iterations writes:
 * `a[i] = e` at its top level (i its counter, see unitCounter), and `a[i * n + j] = e`
 * at the top level of a loop over `j < n` there (n unchanged in the loop).
 */
function onceEach(loop: Extract<Stmt, { kind: "loop" }>): Extract<Stmt, { kind: "store" }>[] {
  const i = unitCounter(loop);
  if (!i) return [];
  const changed = assignedIn([loop]);
  const out: Extract<Stmt, { kind: "store" }>[] = [];
  for (const x of loop.body) {
    if (x.kind === "store" && x.index.kind === "var" && x.index.name === i) out.push(x);
    if (x.kind !== "loop") continue;
    const j = unitCounter(x);
    const test = x.test;
    if (!j || j === i || test.kind !== "binary" || test.op !== "<" || test.left.kind !== "var" || test.left.name !== j || test.right.kind !== "var" || changed.has(test.right.name)) continue;
    const row: Expr = plus({ kind: "binary", op: "*", left: v(i), right: test.right }, v(j));
    for (const y of x.body) if (y.kind === "store" && sameExpr(y.index, row)) out.push(y);
  }
  return out;
}

/** Removes the statements in `dead`, at any depth; a removed statement's comment moves to the next one. */
function prune(stmts: readonly Stmt[], dead: ReadonlySet<Stmt>, copies?: Map<Stmt, Stmt>): Stmt[] {
  const out: Stmt[] = [];
  let orphan: string | undefined;
  for (const s of stmts) {
    if (dead.has(s)) {
      orphan = s.note ?? orphan;
      continue;
    }
    let kept: Stmt = s;
    if (s.kind === "if") kept = { ...s, then: prune(s.then, dead, copies), else: prune(s.else, dead, copies) };
    if (s.kind === "loop") kept = { ...s, body: prune(s.body, dead, copies), update: prune(s.update, dead, copies) };
    if (kept !== s) copies?.set(s, kept);
    // Not onto the function's return: it is no adjoint of what the dead statement was.
    if (orphan && !kept.note && kept.kind !== "return") kept.note = orphan;
    orphan = undefined;
    out.push(kept);
  }
  return out;
}

/** The type of `aux` in a `[loss, aux]` result. */
function auxType(result: Type): Type {
  return isStructType(result) ? result.struct[1]![1] : "number";
}

/** `Float64Array[]` (or `number[][]`): the arrays of every iteration, kept for the backward sweep. */
function keptType(type: ArrayType): ts.TypeNode {
  const f = ts.factory;
  const element = type.array === "f64" ? f.createTypeReferenceNode("Float64Array") : f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword));
  return f.createArrayTypeNode(element);
}

/** An empty array of the kind: what a hoisted array variable holds before its first assignment. */
function emptyArray(type: ArrayType): Expr {
  return type.array === "f64" ? { kind: "alloc", size: num(0) } : { kind: "tuple", items: [] };
}

/**
 * The groups of array variables that may name one object: joined by an
 * assignment or declaration whose value is another array variable (`u = next`,
 * `const tmp = u`), with every array variable assigned at all.
 */
function sharedArrays(body: readonly Stmt[], types: ReadonlyMap<string, Type>): Set<string>[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const add = (x: string): void => void (parent.has(x) || parent.set(x, x));
  walkStmts(body, (s) => {
    const target = s.kind === "assign" ? s.name : s.kind === "let" ? s.name : undefined;
    const value = s.kind === "assign" ? s.value : s.kind === "let" ? s.init : undefined;
    if (!target || !value || !isArrayType(types.get(target))) return;
    if (s.kind === "assign") add(target);
    if (value.kind === "var" && isArrayType(types.get(value.name))) {
      add(target);
      add(value.name);
      parent.set(find(target), find(value.name));
    }
  });
  const groups = new Map<string, Set<string>>();
  for (const x of parent.keys()) {
    const r = find(x);
    groups.set(r, (groups.get(r) ?? new Set<string>()).add(x));
  }
  return [...groups.values()];
}

/**
 * The type of a value the numeric tape cannot hold, for the stack that keeps it
 * instead: passive data, and arrays of records (with or without fields other
 * than numbers), which a local may name in turn. A Float64Array tape would turn
 * such a reference into NaN.
 */
function heldType(t: Type | undefined): ts.TypeNode | undefined {
  if (isOpaqueType(t)) return t.opaque;
  if (isTreesType(t) || isRecordsType(t)) return t.node;
  return undefined;
}
