// Reverse mode, a row per iteration. Takes: the finished body of a gradient
// (reverse.ts, after its dead code is pruned), in which reverse.ts has marked
// a forward loop and its reversal with the local arrays that get a row each
// (`rows` on the loop). Guarantees: inside those two loops every access
// `a[e]` is `a_rows[i * n + e]` (i the loop's counter, n the array's length),
// so each iteration keeps its own copy of the array in a buffer of trips × n
// numbers made (or grown) before the forward loop:
//
//   if (qxa_rows.length < Math.max(0, Math.ceil(k)) * d) qxa_rows = new Float64Array(Math.max(0, Math.ceil(k)) * d);
//   for (ik = 0; ik < k; ik++) {
//     for (j = 0; j < d; j++) qxa_rows[ik * d + j] = qdiag[ik * d + j] * x[xa + j] - qmu[ik * d + j];
//     ...
//   }
//
// Why: an array that every iteration first rewrites in full (GMM's Q_k x for
// each component k) is a scratch row of that iteration. Kept in one array, the
// forward sweep saves each element on the tape before the next iteration
// overwrites it, and the backward sweep puts it back: a load, a store and a
// counter update per element both ways, 11% of GMM's gradient. With a row per
// iteration nothing is overwritten, so nothing is saved: the backward sweep
// reads the row its iteration wrote (as a hand-written adjoint keeps the
// k rows of Q_k x).
//
// When it is sound (reverse.ts, rowsPerIteration, decides): the loop counts
// from 0 by one to a bound it does not change, its counter is left alone by the
// body, and nothing leaves an iteration early; the array is a local
// `new Float64Array(n)`, n unchanged by the function, never assigned or
// aliased, mentioned only inside the loop and there only as elements; the
// first statement of the body to mention it is a loop writing every element
// (the rewrite), so no iteration reads what another left in its row; and no
// loop around it runs forward again before this loop's reversal (each is
// fused: its iteration's adjoint follows its forward), so a row still holds
// what its iteration wrote when the reversal reads it.

import type { ts } from "./ts.js";
import { Code, fail } from "./diagnostics.js";
import type { Expr, Stmt, Type } from "./ir.js";
import { mapExpr, rewriteStmts } from "./ir.js";

/** One array given a row per iteration of a loop. */
export interface IterationRows {
  /** The array as the user declared it (left as it is outside the loop). */
  readonly array: string;
  /** The buffer of rows. */
  readonly rows: string;
  /** The array's length (its `new Float64Array(n)`). */
  readonly length: Expr;
  /** The loop's counter: the row of an iteration is `counter * length`. */
  readonly counter: string;
  /** On the forward loop: its trip count, known before it runs (the buffer is sized there). */
  readonly trips?: Expr;
}

const v = (name: string): Expr => ({ kind: "var", name });
const times = (left: Expr, right: Expr): Expr => ({ kind: "binary", op: "*", left, right });
const F64: Type = { array: "f64" };

/** `body` with the marked loops reading and writing rows, and the row buffers declared first. */
export function layRows(body: readonly Stmt[], origin: ts.Node | undefined): Stmt[] {
  const buffers = new Set<string>();
  const written = new Set<string>();
  const out = rewriteStmts(body, (e) => e, (s) => {
    if (s.kind !== "loop" || !s.rows || s.rows.length === 0) return [s];
    let loop: Stmt = { ...s, rows: undefined };
    const sized: Stmt[] = [];
    for (const r of s.rows) {
      buffers.add(r.rows);
      loop = inRows(loop, r);
      if (r.trips) {
        written.add(r.rows);
        const size = times(r.trips, r.length);
        sized.push({
          kind: "if",
          test: { kind: "binary", op: "<", left: { kind: "length", array: v(r.rows) }, right: size },
          then: [{ kind: "assign", name: r.rows, value: { kind: "alloc", size } }],
          else: [],
          note: `a row of ${r.array} per iteration`,
        });
      }
    }
    return [...sized, loop];
  });
  // A reversal reading rows that no forward loop writes would read zeros: never emitted.
  for (const rows of buffers) {
    if (!written.has(rows)) fail(Code.Internal, origin, `the backward sweep reads ${rows}, which its forward loop no longer writes; please report this with the function being differentiated.`);
  }
  const declared: Stmt[] = [...buffers].map((name) => ({ kind: "let", name, type: F64, init: { kind: "alloc", size: { kind: "num", value: 0 } }, mutable: true }));
  return [...declared, ...out];
}

/** `loop` with every element of `r.array` it touches moved to the iteration's row. */
function inRows(loop: Stmt, r: IterationRows): Stmt {
  const start = times(v(r.counter), r.length);
  const row = (index: Expr): Expr => (index.kind === "num" && index.value === 0 ? start : { kind: "binary", op: "+", left: start, right: index });
  const expr = (e: Expr): Expr =>
    mapExpr(e, (x) => (x.kind === "index" && x.array.kind === "var" && x.array.name === r.array ? { kind: "index", array: v(r.rows), index: row(expr(x.index)) } : undefined));
  return rewriteStmts([loop], expr, (s) => [s.kind === "store" && s.array === r.array ? { ...s, array: r.rows, index: row(s.index) } : s])[0]!;
}
