// What the classes pass's inliner (classes.ts) binds a name or an expression
// to while it rewrites a function. Takes: nothing; it is the vocabulary the
// files of that pass share. Guarantees: one representation of a value there —
// an expression of the core, an instance or record as its fields, a function
// the compiler can see, or a local array of records as its columns — and the
// marks the pass leaves on the nodes it makes (locals that never change after
// they are set, element accesses written to).

import { ts } from "../ts.js";
import type { FunctionLike } from "../lower.js";

/** What a name or an expression stands for while a function is inlined. */
export type Value =
  /** An expression of the subset (a number, an array, a constant object). */
  | { readonly kind: "expr"; readonly node: ts.Expression }
  /** A class instance (or structured parameter) as its fields; `exact` when its class is known (made by `new`). */
  | {
      readonly kind: "struct";
      readonly type: ts.Type;
      readonly fields: ReadonlyMap<string, Value>;
      readonly exact: boolean;
      /** The parameter of the differentiated function it is, read field by field where it is used. */
      readonly param?: ts.Identifier;
      /** The local or parameter it is kept in, for naming what its getters compute (`s_length`). */
      readonly name?: string;
      /** For a record or tuple: the expression it is read from (a parameter, a constant, a literal), used where the whole value is passed on. */
      readonly source?: ts.Expression;
      /** An element of an array kept as columns (`particles_x[k]`, ...): read and written in place, never copied. */
      readonly element?: boolean;
    }
  /** A function the compiler can see, or a Math function, named by `ref` at the site it came from. */
  | {
      readonly kind: "fn";
      readonly decl: FunctionLike | undefined;
      readonly ref: ts.Expression;
      readonly frame?: Frame;
      /** `robust ? cauchy : huber`: a call runs the one the test chooses, each inlined in its branch. */
      readonly choice?: { readonly test: ts.Expression; readonly then: Value & { kind: "fn" }; readonly otherwise: Value & { kind: "fn" } };
      /** What the names it reads were bound to where it was written: a closure a helper returns reads the helper's parameters after the helper's call. */
      readonly captured?: ReadonlyMap<Key, Value>;
    }
  /**
   * A local array of records of numbers, kept as one array per field (`trajectory_s`, `trajectory_i`), as RecordsType does for parameters;
   * a record field's numbers each have a column of their own, keyed by their path (`position.x`: `bodies_position_x`).
   */
  | { readonly kind: "columns"; readonly type: ts.Type; readonly element: ts.Type; readonly columns: ReadonlyMap<string, ts.Identifier> };

export type Key = ts.Symbol | ts.Identifier;

/** An inlined body: what `this` is, and where its result goes. */
export interface Frame {
  readonly self: Value | undefined;
  /** Locals are renamed (the body is copied into another function); false for the differentiated function itself. */
  readonly rename: boolean;
  /** Where `return` stores its value in a body with statements. */
  result?: Value;
  /** The body's value is not kept (a void method, or a call made as a statement): a return only ends it. */
  discards?: boolean;
}

/** A place for statements an expression needs before it; undefined where none may go (a loop test, a ?: branch). */
export type Sink = ts.Statement[] | undefined;

/** Element accesses written to (`t[i] = v`, `t[i]++`): never read through a choice of elements. */
export const assignTargets = new WeakSet<ts.Node>();

/** Locals this pass declared whose value never changes after it is set (consts, and the results of inlined bodies). */
export const stable = new WeakSet<ts.Identifier>();

/**
 * The let locals this pass declared for an instance's or record's fields: what a write through a field
 * (`p.x += 1`) may assign. A field bound to anything else (a parameter, a const, another record's local)
 * is a value the record was made from, which such a write must not change.
 */
export const fieldLocalsWritable = new WeakSet<ts.Identifier>();

/** A record or instance a local declared here holds (`const st = { x: x0, v: k }`): another name may come to hold the same object. */
export const heldBy = new WeakMap<object, { readonly key: Key; readonly reassigned: boolean }>();

/** Records one instance's field holds that a local also names (`new Sim(st, k)`): one object, its locals shared. */
export const shared = new WeakSet<object>();

export function isStable(e: ts.Expression): boolean {
  return ts.isIdentifier(e) && stable.has(e);
}
