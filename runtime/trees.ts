// Gradient buffers for arrays of records that hold more than numbers
// (`{ id: string; factors: number[] }[]`, `{ center: [number, number, number];
// radius: number }[]`). Generated backward sweeps accumulate into a copy of the
// array in place (`users_bar[i].factors[k] += ...`): every number and every
// array of numbers zeroed, every other leaf (a string, a boolean, null) copied
// as it is, as JAX carries a pytree's static fields in its treedef, so the
// gradient has the argument's shape and type and its ids.

/** A copy of `tree` with its numbers zeroed and its other leaves kept (a readonly input gives a mutable copy). */
export function zerosTree<T>(tree: T): T;
export function zerosTree(tree: unknown): unknown {
  if (typeof tree === "number") return 0;
  if (tree instanceof Float64Array) return new Float64Array(tree.length);
  if (Array.isArray(tree)) {
    const out = new Array<unknown>(tree.length);
    for (let i = 0; i < tree.length; i++) out[i] = zerosTree(tree[i]);
    return out;
  }
  if (tree !== null && typeof tree === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(tree)) out[key] = zerosTree((tree as Record<string, unknown>)[key]);
    return out;
  }
  return tree;
}

/** `bar.leaf += add.leaf` for every number of `add`: a callee's gradient of such a record or array, added into the caller's. */
export function addTree(bar: unknown, add: unknown): void {
  if (bar instanceof Float64Array || Array.isArray(bar)) {
    const into = bar as unknown[] | Float64Array;
    const from = add as readonly unknown[];
    for (let i = 0; i < into.length; i++) {
      const x = from[i];
      if (typeof x === "number") (into as number[])[i]! += x;
      else addTree(into[i], x);
    }
    return;
  }
  if (bar !== null && typeof bar === "object") {
    const into = bar as Record<string, unknown>;
    const from = add as Record<string, unknown>;
    for (const key of Object.keys(into)) {
      const x = from[key];
      if (typeof x === "number") (into[key] as number) += x;
      else addTree(into[key], x);
    }
  }
}
