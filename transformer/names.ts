// The naming convention of generated code, in one place:
//   x_bar            adjoint of x
//   _t0, _t1         values saved in the forward sweep for the backward sweep
//   _d0, _d1         an adjoint read more than once, bound to a local
//   _b0, _b1         branch decisions recorded in the forward sweep
//   f_grad, f_grad_1, f_grad_0_1, f_valueAndGrad, f_vjp   generated functions
//   f_jacobian, f_jacfwd, f_grad_aux, f_grad_into           (the same suffixes for wrt)
// A name already used by the user gets a numeric suffix, so nothing collides.

import { ts } from "./ts.js";
import { forEachNode } from "./walk.js";

/** Every identifier text in a file: generated names at file level avoid them all. */
export function identifierTexts(file: ts.SourceFile): string[] {
  const out: string[] = [];
  forEachNode(file, (n) => {
    if (ts.isIdentifier(n)) out.push(n.text);
  });
  return out;
}

export type FunctionKind = "grad" | "valueAndGrad" | "vjp" | "jvp" | "hessian" | "valueVjp" | "jacobian" | "jacfwd";

/** Hands out names that avoid a set of taken ones, deterministically. */
export class NameScope {
  private readonly taken: Set<string>;
  private readonly counters = new Map<string, number>();

  constructor(taken: Iterable<string>) {
    this.taken = new Set(taken);
  }

  /** `base` itself when free, else `base_1`, `base_2`, ... */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** `_t0`, `_t1`, ... for a prefix, skipping taken names. */
  numbered(prefix: string): string {
    let i = this.counters.get(prefix) ?? 0;
    while (this.taken.has(`${prefix}${i}`)) i++;
    this.counters.set(prefix, i + 1);
    const name = `${prefix}${i}`;
    this.taken.add(name);
    return name;
  }

  reserve(name: string): void {
    this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

export const adjointName = (v: string): string => `${v}_bar`;

/**
 * The base name of a generated function: `f_grad` for the default position 0,
 * `f_grad_2` for another single position, `f_grad_0_1` for a tuple of them
 * (`f_grad_1_tuple` for a one-element tuple), `g_vjp` for a callee's
 * vector-Jacobian product with respect to all its arguments (passed as an
 * empty `wrt`), `g_vjp_0_2` with respect to some of them.
 */
export function generatedBase(fn: string, kind: FunctionKind, wrt: readonly number[], tuple: boolean): string {
  // The public vjp(f) is named like grad(f): `f_vjp`, `f_vjp_1`, `f_vjp_0_1`.
  const base = `${fn}_${kind === "valueVjp" ? "vjp" : kind}`;
  if (kind === "jvp" || kind === "hessian") return base;
  if (kind === "vjp") return wrt.length === 0 ? base : `${base}_${wrt.join("_")}`;
  if (!tuple) return wrt[0] === 0 ? base : `${base}_${wrt[0]}`;
  return wrt.length === 1 ? `${base}_${wrt[0]}_tuple` : `${base}_${wrt.join("_")}`;
}
