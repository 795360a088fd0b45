// Random programs in tsgrad's differentiable subset (SPEC §3), built from
// fast-check arbitraries.
//
// A program is a few functions f0, f1, ... (fk may call fj for j < k); the
// last one is the entry point differentiated with respect to every parameter.
// The arbitraries produce an abstract syntax whose references (which variable,
// which array, which callee) are plain indices; `render` resolves them against
// the scope at that point, so every generated value is a well-typed program
// and shrinking a value (dropping a statement, a branch, a subtree) stays one.
//
// `render` prints a program twice from the same tree:
//   - "ts": the TypeScript that goes through the real transformer;
//   - "js": the same code as plain JavaScript where every comparison, kink
//     (abs, max, min, floor, %, ...) and near-singular operation (raw division,
//     cbrt, hypot, norm) goes through a tracer `__T` that records the branch
//     taken and how close it was to flipping. The checker evaluates this copy
//     for finite differences and skips a point where a difference step
//     changes a decision or a decision is within 1e-4 of flipping.
//
// Values stay in the functions' smooth domains by construction: log, sqrt,
// acosh, ... receive arguments like 1 + e², asin gets tanh(e)/2, real
// exponents get positive bases.

import fc from "fast-check";
import { applicable, type Extras, extrasArbitrary, extrasSource } from "./transforms.js";

// ---------------------------------------------------------------- features

/**
 * Every construct the generator can produce, by name. A run uses all of them
 * except those listed in KNOWN_GAPS (test/fuzz/gaps.ts), which currently fail.
 */
export const FEATURES = [
  "call", // calls from one generated function to an earlier one
  "call-array-arg", // passing an array (parameter or local buffer) to a callee
  "f64-param", // a Float64Array parameter
  "array-param", // a number[] parameter
  "local-f64", // const b = new Float64Array(N)
  "local-zeros", // const b = zeros(N)
  "local-literal", // const b = [e0, e1, ...]
  "local-map", // const b = map(a, (m) => ...)
  "local-tensor", // const b = tensor(a)
  "local-constructors", // const b = ones(N) / full(N, e) / linspace(e0, e1, N) / arange(N)
  "array-swap", // let b = ...; let bNext = ...; K steps of bNext[k] = f(b); [b, bNext] = [bNext, b]
  "array-rebind", // let b = a (a number[] parameter or local); K steps of b = b.map((m) => ...)
  "local-matrix", // const b = a.map((m) => a.map((k) => ...)) / Array.from of Array.from / literal rows: a local number[][], updated in place, read by index, row and reduce
  "matrix-swap", // ... for two thirds of those, the matrix is a let stepped twice instead: a second grid swapped with it (const t = b; b = bn; bn = t, or [b, bn] = [bn, b]), or rebuilt (b = b.map((r, i) => r.map(...)))
  "array-write", // b[i] = e
  "store-reused-call", // b[i] = Math.exp(Math.tanh(e)) / Math.sqrt(...) / Math.tanh(e), and Array.from matrix cells made so: the element holds the result the derivative reads
  "array-accumulate", // b[i] += e
  "reduction", // sum, mean, dot, norm, logSumExp, prod, max, min
  "map", // reductions over map(a, (m) => ...)
  "map2", // reductions over map2(a, b, (m, n) => ...)
  "array-methods", // a.reduce / a.map(...).reduce / a.filter(...).reduce / reduceRight / some / every, callbacks inlined
  "map-closure", // map callbacks that read the enclosing function's scalars
  "map-call", // map callbacks that call a user function
  "if", // if / else
  "ternary", // c ? a : b
  "logical", // && || ! in conditions
  "for", // for (let i = 0; i < K; i++)
  "for-length", // for (let i = 0; i < a.length; i++)
  "for-of", // for (const e of a)
  "while", // while (w < K) { w++; ... }
  "do-while", // do { w++; ... } while (w < K)
  "while-data", // ... while (w < K && condition on the data)
  "while-in-loop", // a while / do-while inside another loop (else written as a for loop there)
  "break",
  "continue",
  "return-early", // if (c) return e; at any depth
  "array-after-return", // an array literal or map(...) after an early return
  "map-in-condition", // map(...) in the condition of a top-level if statement
  "shadow", // a block declares a name of an enclosing block
  "compound", // += -= *= /=
  "additive-chain", // two additive updates of a variable in a row (v -= a; v += b)
  "accumulate", // let s = e; for (i < N) s += f(i) (or s *= ..., s = s + ...)
  "fill", // for (i < b.length) b[i] = f(i); then b[k] += e
  "sum-of-terms", // let v = 0; for (i < N) { for (j < N) s[j] = f(i, j); v += g(s, i) }, a scratch s declared before the loop (transformer/fuse.ts); odd forms are near misses: s read before it is filled, filled but for its last element, or v read in the loop
  "iteration-rows", // let v = 0; for (i < N) { let t = 0; for (c < N) { for (j < N) s[j] = f(i, c, j); t += g(s, c) } v += h(t) }, a scratch s each inner iteration rewrites whole, read backward (transformer/rows.ts); odd forms are near misses: v read in the outer loop (not fused), s read after the inner loop, filled but for its last element
  "buffer-swap", // two Float64Array buffers swapped after each sweep (const t = u; u = w; w = t), then read; a smoothing stencil or, for odd `at`, the heat equation's u[j - 1], u[j], u[j + 1] over the interior
  "alias-writes", // ... for a third of those, an array of { x, y } records stepped in place through other names for its records: for (const p of r) p.y = ...; r.forEach((p) => { p.x += ... }); const q = r[K]; q.x *= ...; then read through both names
  "records-rebind", // ... for half of those, an array of { x, y } records replaced each step (r = r.map(...) or r = next built with push), then read
  "pow-assign", // **=
  "incdec", // v++, v--
  "self-update", // v = g(v) + e
  "running-extremum", // v = Math.max(v, e), v = Math.min(e, v): saved only when e wins
  "held-values", // a declaration of Math.sin(e) or Math.cos(e) is preceded by one of the other of the same e: the value its rule reads (held-values.ts)
  "arrow-function", // const fk = (...): number => { ... }
  "math-constants", // Math.PI, Math.E, Math.LN2, Math.SQRT1_2
  "length", // a.length in expressions
  "kinks", // abs, max, min, sign, floor, ceil, round, trunc, %
  "raw-division", // a / b with b unrestricted
  "atan2-raw", // atan2(a, b) with b unrestricted (branch cut)
  "hypot",
  "cbrt",
  "pow-variable", // positive base ** expression, Math.pow(base, expression)
  "pow-unbounded", // ... with an unbounded exponent (else squashed by tanh): values may overflow
  "inner-grad", // also differentiate one of the helpers on its own
  "recursion", // a function that calls itself with n - 1 until n <= 0
  "imported-call", // the helpers in another file, imported by the entry point
  "wrt-subset", // also grad(f, [some parameters]) / grad(f, k) / grad(f): the others are constants
  // The other transforms, over structured parameters too (transforms.ts):
  "struct-record", // S(p: { x0: number; a1: number[] }) calls f with p's fields
  "struct-tuple", // S(p: [number, number[]])
  "struct-class", // S(p: C), C a class whose constructor declares the fields
  "class-getter", // ... S also reads a getter of C, computed from its fields
  "class-method", // ... S also calls a method of C
  "custom-grad", // S(p) = cg(f(...), c0) with cg = customGrad(...)
  "jvp", // jvp(f)(...args, ...tangents), and jvp(S)(p, tangent) when S exists
  "hessian", // hessian(H), H(a: number[]) = f(a[0], a[1], ...) (f over numbers only)
  "nested-grad", // grad(grad(f)) (f's first parameter a number)
  "long-expression", // L(...) = f(...) + hundreds of terms in one expression
  "struct-array-field", // S passes an array field of p to f (else S packs f's numbers only)
  "nested-grad-general", // grad(grad(f)) over any f (else only over f without loops, calls, local arrays or reductions)
  "nested-rows", // S(p: number[][]) calls f with p's rows (a number as a row of one)
  "nested-records", // S(ps: { v: number; w: number }[]) calls f with each record's v
  "keyed-record", // S(p: Record<string, number>) calls f with p[K[i]], keys that are data, p also holding an entry nobody reads
  "helper-struct-result", // S takes its value from a helper R(p) that returns a tuple [u, 2u] or a record { u, v: 2u }
  // The rest of the transform set (more-transforms.ts):
  "vjp", // vjp(f, all)(...args, u) against u grad f and a dot-product test with jvp
  "vector-array", // V(...): number[] = [y, y²/2, sin y], by vjp and jvp
  "vector-tuple", // V(...): [number, number] = [y, y²/2], by vjp and jvp
  "jacobian", // jacobian(V, k) of a number[]-valued V
  "jacfwd", // jacfwd(V, k)
  "jacobian-wrt-array", // jacobian(V, [i, j, ...]) / jacfwd(V, [...]) over every parameter that is not a loop count: a tuple of Jacobians
  "has-aux", // grad / valueAndGrad(A, all, { hasAux: true }), A = [y², { y, label }]
  "into", // grad / valueAndGrad(f, all, { into: true })
  "checkpoint", // checkpoint(f) called in a loop (a rollout of f's first parameter), by grad and jvp
  "jvp-grad", // jvp(grad(f)) (f's first parameter a number)
  "jacobian-grad", // jacobian(grad(G)) and jacfwd(grad(G)), against hessian(G)
  "stop-gradient-outputs", // V's and A's nonlinear parts through stopGradient
  "destructuring", // const [v1, , v2 = e] = a, let [v1, v2] = [e0, e1]
  "default-param", // a helper's last number parameter has a default; some calls omit it
  "switch", // switch (i % 3) { case 0: {...} break; case 1: {...} (fallthrough) default: {...} }
  "stop-gradient", // stopGradient(e) as a unary function: differences hold it at its value at the centre
  "optional-param", // ... or is optional without one (xNo?: number, read as const xN = xNo ?? c), for odd helpers
  "inner-function", // const gk = (m: number): number => e (or function gk(m) { return e; }) closing over the locals, then const v = gk(e)
  "labeled-jump", // break / continue to the label of an enclosing for loop (L1: for (...) { ... if (c) continue L1; })
  "comma", // for (let i = 0, k = N; i < N; i++, k--): the comma operator in a loop's update, k read in the body
  "strided-for", // for (let i = 0; i + 1 < 4; i += 2), for (let i = 0; i < 2; i += 3): counters stepped by more than one
  "nullish", // const v = (c ? e0 : undefined) ?? e1
  "integer-ops", // loop counters as indices through >> >>> << | & ^ ~ (derivative 0)
  "rest-param", // a helper of numbers declared (...xsK: number[]) and destructured; calls may spread arrays into it (h(e, ...a), h(...a, ...b))
  "rest-param-in-loop", // ... called in a loop or a callback, where the array it is passed is made once per iteration
  "spread-math", // Math.max(...a), Math.min(...a), Math.hypot(...a) for the max / min / norm reductions
  // Application-style constructs of the corpus (test/realworld/), each taking half of the statements
  // of the feature it extends (chosen by a hash of the statement, so the program stream is unchanged):
  "records-step-alias", // ... records-rebind's array stepped in place through another name for each record (const p = r[j]; p.x = ...) or forEach's parameter
  "closure-array", // ... inner-function's statement as an array of arrows, folded by reduce or a for...of that calls each (const gs = [(m) => e0, (m) => e1])
  "record-tuple-field", // ... destructuring's literal form as a record with a tuple field, destructured from it (const { pos: [v1, v2], w: v3 } = st)
  "exp-sum", // ... accumulate's loop over an array parameter at the top level, a log-sum-exp's or a tanh layer's (v += Math.exp(a[i] - e), v += e * Math.tanh(a[i])): the value its derivative reads kept in the gradient's slot (transformer/slots.ts)
] as const;
export type Feature = (typeof FEATURES)[number];

export interface GenConfig {
  readonly features: ReadonlySet<Feature>;
  /** How deep blocks nest (if in for in while ...); 2 unless FUZZ_DEPTH says otherwise. */
  readonly depth?: number;
}

// ---------------------------------------------------------------- syntax

export type CmpOp = "<" | ">" | "<=" | ">=";
export type Cond =
  | { k: "cmp"; op: CmpOp; l: Expr; r: Expr }
  | { k: "and" | "or"; l: Cond; r: Cond }
  | { k: "not"; c: Cond };

export type Expr =
  | { k: "lit"; v: number }
  | { k: "var"; i: number }
  | { k: "elem"; a: number; i: number; loop: boolean }
  | { k: "un"; fn: UnaryFn; e: Expr }
  | { k: "bin"; op: BinOp; l: Expr; r: Expr }
  | { k: "m2"; fn: Math2Fn; args: Expr[] }
  | { k: "cond"; c: Cond; t: Expr; f: Expr }
  | { k: "call"; f: number; args: Expr[]; arrs: number[] }
  | { k: "red"; fn: RedFn; a: number; b: number; src: "array" | "map" | "map2"; body: Expr }
  | { k: "meth"; form: MethodForm; a: number; body: Expr; other: Expr };

/** The shapes of array-method expressions the generator writes (see Renderer.method). */
export const METHOD_FORMS = ["reduce", "reduce-index", "map-reduce", "map-reduce-first", "filter-reduce", "reduce-right", "some", "every"] as const;
export type MethodForm = (typeof METHOD_FORMS)[number];

export type Stmt =
  | { k: "decl"; mut: boolean; shadow: number | null; e: Expr }
  | { k: "assign"; t: number; op: AssignOp; e: Expr }
  | { k: "self"; t: number; fn: UnaryFn; e: Expr }
  | { k: "extremum"; t: number; fn: "max" | "min"; first: boolean; e: Expr }
  | { k: "incdec"; t: number; op: "++" | "--" }
  | { k: "write"; a: number; i: number; loop: boolean; op: "=" | "+="; e: Expr }
  | { k: "if"; c: Cond; then: Stmt[]; else: Stmt[] | null }
  | { k: "for"; n: number; body: Stmt[] }
  | { k: "forLength"; a: number; body: Stmt[] }
  | { k: "forOf"; a: number; body: Stmt[] }
  | { k: "while"; n: number; doWhile: boolean; data: Cond | null; body: Stmt[] }
  | { k: "jump"; kind: "break" | "continue"; c: Cond; outer: boolean }
  | { k: "inner"; decl: boolean; body: Expr; arg: Expr }
  | { k: "nullish"; c: Cond; e: Expr; other: Expr }
  | { k: "ret"; c: Cond; e: Expr }
  | { k: "accum"; op: "+=" | "*=" | "=+"; init: Expr; e: Expr }
  | { k: "fill"; a: number; e: Expr; i: number; acc: Expr }
  | { k: "sum"; form: number; fill: Expr; e: Expr; at: number }
  | { k: "rows"; form: number; fill: Expr; e: Expr; at: number }
  | { k: "swap"; init: Expr; e: Expr; steps: number; at: number }
  | Destructure
  | Switch;

/** `const [v1, , v2 = dflt] = a` (from an array), or `let [v1, v2] = [e0, e1]` (from a literal). */
export type Destructure = { k: "destructure"; a: number; holes: boolean[]; dflt: Expr | null; literal: Expr[] | null; mut: boolean };
/** `switch (counter % 3)` with up to three cases; `fall` lets case 0 fall into case 1. */
export type Switch = { k: "switch"; key: number; cases: Stmt[][]; fall: boolean; dflt: Stmt[] | null };

export type ArrayInit =
  | { k: "f64" | "zeros" }
  | { k: "literal"; elems: Expr[] }
  | { k: "map"; a: number; body: Expr }
  | { k: "tensor"; a: number }
  | { k: "ones" | "arange" }
  | { k: "full"; e: Expr }
  | { k: "linspace"; from: Expr; to: Expr }
  | { k: "swap"; a: number; steps: number; body: Expr }
  | { k: "rebind"; a: number; steps: number; body: Expr }
  | { k: "matrix"; form: number; a: number; body: Expr; write: Expr; at: number };
export type TopStmt = Stmt | { k: "array"; init: ArrayInit };

/** "count": the recursion depth of a recursive function (its last parameter; callers pass 2). */
export type ParamKind = "num" | "f64" | "arr" | "count";
export interface Fn {
  readonly scalars: number;
  readonly array: "f64" | "arr" | null;
  /** Position of the array parameter among the scalars. */
  readonly arrayAt: number;
  readonly arrow: boolean;
  /** Takes a last parameter n, returns early when n <= 0, and may call itself with n - 1. */
  readonly recursive: boolean;
  readonly body: TopStmt[];
  readonly ret: Expr;
  /** How many of the last top-level locals the result adds in. */
  readonly mix: number;
  /** The last number parameter has a default (helpers only); a call omits it when its `arrs[0]` is even. */
  readonly withDefault: boolean;
}

export interface Program {
  /** Length of every array in the program. */
  readonly n: number;
  readonly fns: Fn[];
  /** Which helper (index into fns, modulo the helpers) is differentiated on its own. */
  readonly inner: number;
  /** The helpers live in another file and the entry point imports them. */
  readonly split: boolean;
  /** Bits: the parameters of an extra grad(f, subset) of the entry point. */
  readonly subset: number;
  /** Raw coordinates of the sample points (the checker takes what it needs). */
  readonly points: number[][];
  /** Raw coordinates of the direction of the dot-product check. */
  readonly direction: number[];
  /** The other transforms of the entry point (transforms.ts). */
  readonly extras: Extras;
}

export type UnaryFn = (typeof UNARY_FNS)[number];
const UNARY_FNS = [
  "neg", "sin", "cos", "atan", "asinh", "tanh", "exp", "expm1", "sinh", "cosh",
  "log", "log-b", "log10", "log2", "log1p", "log1p-b", "sqrt", "sqrt-b", "acosh",
  "asin", "acos", "atanh", "tan", "sq", "cube", "p4", "pow15", "powm05", "powm2",
  "pow03", "mpow3", "mpowm15", "recip",
  // kinks
  "abs", "sign", "floor", "ceil", "round", "trunc", "mod",
  // singular points
  "cbrt",
  // stopGradient(e): a constant to the derivative (check.ts freezes it in the differences)
  "stop",
] as const;
const KINK_FNS: readonly UnaryFn[] = ["abs", "sign", "floor", "ceil", "round", "trunc", "mod"];

export type BinOp = "+" | "-" | "*" | "/" | "/cos" | "/raw" | "%" | "**var" | "mpow-var";
export type Math2Fn = "atan2" | "atan2-raw" | "hypot" | "hypot3" | "max" | "max3" | "min" | "min3";
export type RedFn = "sum" | "mean" | "dot" | "norm" | "logSumExp" | "prod" | "max" | "min";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "**=";

const LITERALS = [0.5, 1, 2, 3, 0.25, 1.5, 0.1, 0.7, 2.5, -1, -0.5, -2, 0.3, 4, Math.PI, Math.E, Math.LN2, Math.SQRT1_2];
const CONSTANTS = new Map<number, string>([
  [Math.PI, "Math.PI"],
  [Math.E, "Math.E"],
  [Math.LN2, "Math.LN2"],
  [Math.SQRT1_2, "Math.SQRT1_2"],
]);

// ---------------------------------------------------------------- arbitraries

export function programArbitrary(cfg: GenConfig): fc.Arbitrary<Program> {
  const on = (f: Feature) => cfg.features.has(f);
  const when = <T>(f: Feature | boolean, arb: fc.Arbitrary<T>, weight = 1): fc.WeightedArbitrary<T>[] =>
    (typeof f === "boolean" ? f : on(f)) ? [{ arbitrary: arb, weight }] : [];
  const idx = fc.nat({ max: 11 });

  const unaryFns = UNARY_FNS.filter(
    (fn) => (on("kinks") || !KINK_FNS.includes(fn)) && (on("cbrt") || fn !== "cbrt") && (on("stop-gradient") || fn !== "stop"),
  );
  const binOps: BinOp[] = ["+", "-", "*", "/", "/cos"];
  if (on("raw-division")) binOps.push("/raw");
  if (on("kinks")) binOps.push("%");
  if (on("pow-variable")) binOps.push("**var", "mpow-var");
  const m2Fns: Math2Fn[] = ["atan2"];
  if (on("atan2-raw")) m2Fns.push("atan2-raw");
  if (on("hypot")) m2Fns.push("hypot", "hypot3");
  if (on("kinks")) m2Fns.push("max", "max3", "min", "min3");
  const redFns: RedFn[] = ["sum", "mean", "dot", "norm", "logSumExp", "prod", "max", "min"];
  const redSrc: ("array" | "map" | "map2")[] = ["array"];
  if (on("map")) redSrc.push("map");
  if (on("map2")) redSrc.push("map2");

  const E = "expr";
  const S = "stmt";
  const { expr, cond } = fc.letrec<{ expr: Expr; cond: Cond }>((tie) => {
    const e = tie("expr");
    const c = tie("cond");
    const leaf = fc.oneof(
      { arbitrary: fc.record({ k: fc.constant("var" as const), i: idx }), weight: 5 },
      { arbitrary: fc.record({ k: fc.constant("lit" as const), v: fc.constantFrom(...LITERALS) }), weight: 2 },
      { arbitrary: fc.record({ k: fc.constant("elem" as const), a: idx, i: idx, loop: fc.boolean() }), weight: 2 },
    );
    return {
      expr: fc.oneof(
        { maxDepth: 4, depthSize: "small", depthIdentifier: E, withCrossShrink: true },
        { arbitrary: leaf, weight: 6 },
        { arbitrary: fc.record({ k: fc.constant("un" as const), fn: fc.constantFrom(...unaryFns), e }), weight: 4 },
        { arbitrary: fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom(...binOps), l: e, r: e }), weight: 5 },
        { arbitrary: fc.record({ k: fc.constant("m2" as const), fn: fc.constantFrom(...m2Fns), args: fc.array(e, { minLength: 3, maxLength: 3 }) }), weight: 1 },
        ...when("ternary", fc.record({ k: fc.constant("cond" as const), c, t: e, f: e })),
        ...when("call", fc.record({ k: fc.constant("call" as const), f: idx, args: fc.array(e, { minLength: 3, maxLength: 3 }), arrs: fc.array(idx, { minLength: 1, maxLength: 1 }) }), 2),
        ...when(
          "array-methods",
          fc.record({ k: fc.constant("meth" as const), form: fc.constantFrom(...METHOD_FORMS), a: idx, body: e, other: e }),
          2,
        ),
        ...when(
          "reduction",
          fc.record({ k: fc.constant("red" as const), fn: fc.constantFrom(...redFns), a: idx, b: idx, src: fc.constantFrom(...redSrc), body: e }),
          2,
        ),
      ),
      cond: fc.oneof(
        { maxDepth: 2, depthIdentifier: "cond" },
        { arbitrary: fc.record({ k: fc.constant("cmp" as const), op: fc.constantFrom<CmpOp>("<", ">", "<=", ">="), l: e, r: e }), weight: 4 },
        ...when("logical", fc.record({ k: fc.constantFrom("and" as const, "or" as const), l: c, r: c })),
        ...when("logical", fc.record({ k: fc.constant("not" as const), c })),
      ),
    };
  });

  const assignOps: AssignOp[] = ["="];
  if (on("compound")) assignOps.push("+=", "-=", "*=", "/=");
  if (on("pow-assign")) assignOps.push("**=");

  const { stmt } = fc.letrec<{ stmt: Stmt }>((tie) => {
    const s = tie("stmt");
    const block = fc.array(s, { minLength: 1, maxLength: 3, depthIdentifier: S });
    return {
      stmt: fc.oneof(
        { maxDepth: cfg.depth ?? 2, depthSize: "small", depthIdentifier: S, withCrossShrink: true },
        { arbitrary: fc.record({ k: fc.constant("decl" as const), mut: fc.boolean(), shadow: on("shadow") ? fc.option(idx, { freq: 3 }) : fc.constant(null), e: expr }), weight: 4 },
        { arbitrary: fc.record({ k: fc.constant("assign" as const), t: idx, op: fc.constantFrom(...assignOps), e: expr }), weight: 4 },
        ...when("self-update", fc.record({ k: fc.constant("self" as const), t: idx, fn: fc.constantFrom(...unaryFns), e: expr }), 2),
        ...when("running-extremum", fc.record({ k: fc.constant("extremum" as const), t: idx, fn: fc.constantFrom("max" as const, "min" as const), first: fc.boolean(), e: expr }), 2),
        ...when("incdec", fc.record({ k: fc.constant("incdec" as const), t: idx, op: fc.constantFrom("++" as const, "--" as const) })),
        ...when("array-write", fc.record({ k: fc.constant("write" as const), a: idx, i: idx, loop: fc.boolean(), op: on("array-accumulate") ? fc.constantFrom("=" as const, "+=" as const) : fc.constant("=" as const), e: expr }), 3),
        ...when("if", fc.record({ k: fc.constant("if" as const), c: cond, then: block, else: fc.option(block) }), 2),
        ...when("for", fc.record({ k: fc.constant("for" as const), n: fc.integer({ min: 1, max: 5 }), body: block }), 2),
        ...when("for-length", fc.record({ k: fc.constant("forLength" as const), a: idx, body: block })),
        ...when("for-of", fc.record({ k: fc.constant("forOf" as const), a: idx, body: block })),
        ...when(on("while") || on("do-while"), fc.record({ k: fc.constant("while" as const), n: fc.integer({ min: 1, max: 4 }), doWhile: on("while") && on("do-while") ? fc.boolean() : fc.constant(on("do-while")), data: on("while-data") ? fc.option(cond, { freq: 2 }) : fc.constant(null), body: block })),
        ...when(on("break") || on("continue"), fc.record({ k: fc.constant("jump" as const), kind: on("break") && on("continue") ? fc.constantFrom("break" as const, "continue" as const) : fc.constant(on("break") ? ("break" as const) : ("continue" as const)), c: cond, outer: on("labeled-jump") ? fc.boolean() : fc.constant(false) })),
        ...when("inner-function", fc.record({ k: fc.constant("inner" as const), decl: fc.boolean(), body: expr, arg: expr })),
        ...when("nullish", fc.record({ k: fc.constant("nullish" as const), c: cond, e: expr, other: expr })),
        ...when("return-early", fc.record({ k: fc.constant("ret" as const), c: cond, e: expr })),
        ...when("accumulate", fc.record({ k: fc.constant("accum" as const), op: fc.constantFrom("+=" as const, "*=" as const, "=+" as const), init: expr, e: expr })),
        ...when("fill", fc.record({ k: fc.constant("fill" as const), a: idx, e: expr, i: idx, acc: expr })),
        ...when("sum-of-terms", fc.record({ k: fc.constant("sum" as const), form: fc.nat({ max: 7 }), fill: expr, e: expr, at: idx }), 2),
        ...when("iteration-rows", fc.record({ k: fc.constant("rows" as const), form: fc.nat({ max: 7 }), fill: expr, e: expr, at: idx }), 2),
        ...when("buffer-swap", fc.record({ k: fc.constant("swap" as const), init: expr, e: expr, steps: fc.integer({ min: 1, max: 3 }), at: idx })),
        ...when("destructuring", destructureArbitrary(expr, idx), 2),
        ...when("switch", switchArbitrary(block, idx)),
      ),
    };
  });

  const arrayInits: fc.Arbitrary<ArrayInit>[] = [];
  if (on("local-f64")) arrayInits.push(fc.constant({ k: "f64" as const }));
  if (on("local-zeros")) arrayInits.push(fc.constant({ k: "zeros" as const }));
  if (on("local-literal")) arrayInits.push(fc.record({ k: fc.constant("literal" as const), elems: fc.array(expr, { minLength: 4, maxLength: 4 }) }));
  if (on("local-map")) arrayInits.push(fc.record({ k: fc.constant("map" as const), a: idx, body: expr }));
  if (on("local-tensor")) arrayInits.push(fc.record({ k: fc.constant("tensor" as const), a: idx }));
  if (on("local-constructors")) {
    arrayInits.push(
      fc.record({ k: fc.constantFrom("ones" as const, "arange" as const) }),
      fc.record({ k: fc.constant("full" as const), e: expr }),
      fc.record({ k: fc.constant("linspace" as const), from: expr, to: expr }),
    );
  }
  if (on("array-swap")) arrayInits.push(fc.record({ k: fc.constant("swap" as const), a: idx, steps: fc.integer({ min: 1, max: 3 }), body: expr }));
  if (on("array-rebind")) arrayInits.push(fc.record({ k: fc.constant("rebind" as const), a: idx, steps: fc.integer({ min: 1, max: 3 }), body: expr }));
  if (on("local-matrix")) arrayInits.push(fc.record({ k: fc.constant("matrix" as const), form: fc.nat({ max: 2 }), a: idx, body: expr, write: expr, at: fc.nat({ max: 15 }) }));
  const topStmt: fc.Arbitrary<TopStmt> =
    arrayInits.length > 0
      ? fc.oneof({ arbitrary: stmt, weight: 4 }, { arbitrary: fc.record({ k: fc.constant("array" as const), init: fc.oneof(...arrayInits) }), weight: 1 })
      : stmt;

  const arrayKinds: ("f64" | "arr" | null)[] = [null, null];
  if (on("f64-param")) arrayKinds.push("f64");
  if (on("array-param")) arrayKinds.push("arr");
  const fn: fc.Arbitrary<Fn> = fc.record({
    scalars: fc.integer({ min: 0, max: 3 }),
    array: fc.constantFrom(...arrayKinds),
    arrayAt: fc.nat({ max: 3 }),
    arrow: on("arrow-function") ? fc.boolean() : fc.constant(false),
    recursive: on("recursion") ? fc.nat({ max: 4 }).map((v) => v === 0) : fc.constant(false),
    body: fc.array(topStmt, { maxLength: 6 }),
    ret: expr,
    mix: fc.nat({ max: 4 }),
    withDefault: on("default-param") ? fc.boolean() : fc.constant(false),
  });

  // Uniform in value (fc.double is uniform over representations: mostly tiny numbers).
  const uniform = (max: number) => fc.noBias(fc.integer({ min: -1e9, max: 1e9 })).map((v) => (v / 1e9) * max);
  const coordinate = uniform(2);
  return fc.record({
    n: fc.integer({ min: 2, max: 4 }),
    fns: fc.array(fn, { minLength: 1, maxLength: on("call") ? 4 : 1 }),
    inner: fc.nat({ max: 3 }),
    split: on("imported-call") ? fc.boolean() : fc.constant(false),
    subset: fc.nat({ max: 31 }),
    points: fc.array(fc.array(coordinate, { minLength: 16, maxLength: 16 }), { minLength: 3, maxLength: 3 }),
    direction: fc.array(uniform(1), { minLength: 16, maxLength: 16 }),
    extras: extrasArbitrary(cfg),
  });
}

function destructureArbitrary(expr: fc.Arbitrary<Expr>, idx: fc.Arbitrary<number>): fc.Arbitrary<Destructure> {
  return fc.record({
    k: fc.constant("destructure" as const),
    a: idx,
    holes: fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }),
    dflt: fc.option(expr, { freq: 2 }),
    literal: fc.option(fc.array(expr, { minLength: 2, maxLength: 3 }), { freq: 3 }),
    mut: fc.boolean(),
  });
}

function switchArbitrary(block: fc.Arbitrary<Stmt[]>, idx: fc.Arbitrary<number>): fc.Arbitrary<Switch> {
  return fc.record({
    k: fc.constant("switch" as const),
    key: idx,
    cases: fc.array(block, { minLength: 1, maxLength: 3 }),
    fall: fc.boolean(),
    dflt: fc.option(block),
  });
}

// ---------------------------------------------------------------- rendering

export type Mode = "ts" | "js";

/** Parameter kinds of a function, in order. */
export function paramKinds(fn: Fn): ParamKind[] {
  const kinds: ParamKind[] = Array.from({ length: fn.scalars }, () => "num" as const);
  if (fn.array) kinds.splice(Math.min(fn.arrayAt, kinds.length), 0, fn.array);
  if (kinds.length === 0) kinds.push("num");
  if (fn.recursive) kinds.push("count");
  return kinds;
}

interface Scalar {
  readonly name: string;
  /** A `let` the generator may assign to (not a counter, not a const). */
  readonly assignable: boolean;
}
interface ArrayVar {
  readonly name: string;
  readonly kind: "f64" | "arr";
  readonly writable: boolean;
}
interface Scope {
  scalars: Scalar[];
  arrays: ArrayVar[];
  /** Counters of enclosing for loops that index arrays: name and trip count. */
  counters: { name: string; n: number }[];
  /** Names declared in the current block. */
  block: Set<string>;
  /**
   * Names read so far in the current block and in each enclosing one (a
   * declaration may shadow only a name its block has not read yet: the
   * temporal dead zone).
   */
  used: Set<string>[];
  /** Nesting of blocks: 0 at the function's top level. Arrays (map, tensor) are made only at 0. */
  depth: number;
  /** The variable the block's previous statement updated additively (see Renderer.stmt). */
  additive: { name: string | null };
  inLoop: boolean;
  /** Inside a map callback: no statements, no further callbacks. */
  inCallback: boolean;
  /** Labels of the enclosing for loops ("labeled-jump"), outermost first. */
  labels?: string[];
  /** The expression always runs where its statement does (no ?: branch, no right of && / ||): spread arguments may go here. */
  spreadOk?: boolean;
  /** Inside a loop, also where inLoop is off (a switch clause in a loop): the code runs once per iteration. */
  looped?: boolean;
}

class Renderer {
  private names = 0;
  /** An early return has been rendered in the current function. */
  private returned = false;
  /** The current function, when it may call itself (recursive, past its base case). */
  private self: { name: string; kinds: ParamKind[]; count: string } | null = null;
  /** Helpers whose last parameter has a default. */
  private readonly defaulted = new Set<number>();
  /** Helpers of numbers declared with a rest parameter ("rest-param"). */
  private readonly rest = new Set<number>();
  constructor(
    private readonly prog: Program,
    private readonly id: string,
    private readonly mode: Mode,
    private readonly cfg: GenConfig,
    /** Parameter kinds of the functions rendered so far. */
    private readonly sigs: ParamKind[][],
  ) {}

  private on(f: Feature): boolean {
    return this.cfg.features.has(f);
  }

  /** The scope of an if statement's condition: no map(...) there unless "map-in-condition". */
  private conditionScope(sc: Scope): Scope {
    return this.on("map-in-condition") ? sc : { ...sc, depth: sc.depth + 1 };
  }

  /** Whether an array literal or map(...) may be made here. */
  private mayAllocate(): boolean {
    return !this.returned || this.on("array-after-return");
  }

  fresh(prefix: string): string {
    return `${prefix}${this.names++}`;
  }

  fnName(k: number): string {
    return `${this.id}_f${k}`;
  }

  // ------------------------------------------------------------ expressions

  lit(v: number): string {
    const name = this.on("math-constants") ? CONSTANTS.get(v) : undefined;
    return name ?? (v < 0 ? `(${v})` : String(v));
  }

  /** An operand: wrapped in parentheses unless it is an identifier, literal, call or element. */
  atom(e: Expr, sc: Scope): string {
    const s = this.expr(e, sc);
    return /^[\w.$]+$/.test(s) || /^[\w.$]+\[[^\]]*\]$/.test(s) || isCall(s) ? s : `(${s})`;
  }

  /** Marks a name as read (or written) in the current block and every enclosing one. */
  touch(sc: Scope, name: string): string {
    for (const u of sc.used) u.add(name);
    return name;
  }

  scalar(i: number, sc: Scope): string {
    if (sc.scalars.length > 0) {
      return this.touch(sc, sc.scalars[i % sc.scalars.length]!.name);
    }
    if (sc.arrays.length > 0) return `${sc.arrays[i % sc.arrays.length]!.name}[${i % this.prog.n}]`;
    return this.lit(LITERALS[i % LITERALS.length]!);
  }

  index(i: number, loop: boolean, sc: Scope): string {
    const n = this.prog.n;
    if (loop && sc.counters.length > 0) {
      const c = sc.counters[i % sc.counters.length]!;
      if (this.on("integer-ops")) {
        // The counter through an integer operator, in range: >> >>> | keep it at most c, & ^ ~ << are reduced mod n.
        const x = c.name;
        const within = (e: string) => (c.n <= n ? e : `(${e}) % ${n}`);
        switch (i % 8) {
          case 1: return within(`${x} >> 1`);
          case 2: return within(`${x} >>> 1`);
          case 3: return within(`${x} | 0`);
          case 4: return `${x} & 1`;
          case 5: return `(${x} ^ 1) % ${n}`;
          case 6: return `(${x} << 1) % ${n}`;
          case 7: return `~${x} & 1`;
        }
      }
      return c.n <= n ? c.name : `${c.name} % ${n}`;
    }
    return String(i % n);
  }

  /** base ** exponent; `base` is an operand. The traced copy checks it for overflow. */
  pow(base: string, exponent: string | number): string {
    return this.mode === "ts" ? `${base} ** ${exponent}` : `__T.pow(${base}, ${exponent})`;
  }

  cmp(op: CmpOp, l: string, r: string): string {
    // `a < (b > (c))` parses as a call with type arguments in TypeScript: write `(b > (c)) > a`.
    if (op === "<" && r.startsWith("(")) return this.cmp(">", r, l);
    return this.mode === "ts" ? `${l} ${op} ${r}` : `__T.cmp(${l}, ${r}, "${op}")`;
  }

  cond(c: Cond, sc: Scope): string {
    switch (c.k) {
      case "cmp":
        return this.cmp(c.op, this.atom(c.l, sc), this.atom(c.r, sc));
      case "and":
      case "or":
        return `(${this.cond(c.l, sc)}) ${c.k === "and" ? "&&" : "||"} (${this.cond(c.r, { ...sc, spreadOk: false })})`;
      case "not":
        return `!(${this.cond(c.c, sc)})`;
    }
  }

  unary(fn: UnaryFn, a: string): string {
    // `a` is an operand (atom).
    switch (fn) {
      case "neg": return `-${a}`;
      case "sin": case "cos": case "atan": case "asinh": case "tanh": case "exp": case "expm1":
      case "sinh": case "cosh": case "cbrt": case "abs": case "sign": case "floor": case "ceil":
      case "round": case "trunc":
        return `Math.${fn}(${a})`;
      case "log": return `Math.log(1 + ${this.pow(a, 2)})`;
      case "log-b": return `Math.log(2 + Math.sin(${a}))`;
      case "log10": return `Math.log10(0.5 + ${this.pow(a, 2)})`;
      case "log2": return `Math.log2(1 + Math.exp(${a}))`;
      case "log1p": return `Math.log1p(${this.pow(a, 2)})`;
      case "log1p-b": return `Math.log1p(0.5 * Math.tanh(${a}))`;
      case "sqrt": return `Math.sqrt(1 + ${this.pow(a, 2)})`;
      case "sqrt-b": return `Math.sqrt(2 + Math.cos(${a}))`;
      case "acosh": return `Math.acosh(1.1 + ${this.pow(a, 2)})`;
      case "asin": return `Math.asin(Math.tanh(${a}) / 2)`;
      case "acos": return `Math.acos(0.9 * Math.sin(${a}))`;
      case "atanh": return `Math.atanh(0.5 * Math.tanh(${a}))`;
      case "tan": return `Math.tan(Math.sin(${a}))`;
      case "sq": return this.pow(a, 2);
      case "cube": return this.pow(a, 3);
      case "p4": return this.pow(a, 4);
      case "pow15": return this.pow(`(1 + ${this.pow(a, 2)})`, 1.5);
      case "powm05": return this.pow(`(1 + ${this.pow(a, 2)})`, -0.5);
      case "powm2": return this.pow(`(0.5 + ${this.pow(a, 2)})`, -2);
      case "pow03": return this.pow(`(1 + Math.exp(${a}))`, 0.3);
      case "mpow3": return `Math.pow(${a}, 3)`;
      case "mpowm15": return `Math.pow(1 + ${this.pow(a, 2)}, -1.5)`;
      case "recip": return `1 / (1 + ${this.pow(a, 2)})`;
      case "mod": return this.mode === "ts" ? `${a} % 1.7` : `__T.mod(${a}, 1.7)`;
      case "stop": return this.mode === "ts" ? `stopGradient(${a})` : `__T.stop(${a})`;
    }
  }

  expr(e: Expr, sc: Scope): string {
    switch (e.k) {
      case "lit":
        return this.lit(e.v);
      case "var":
        return this.scalar(e.i, sc);
      case "elem": {
        if (sc.arrays.length === 0) return this.scalar(e.i, sc);
        const a = sc.arrays[e.a % sc.arrays.length]!;
        if (e.i % 9 === 8 && this.on("length")) return `${a.name}.length`;
        return `${a.name}[${this.index(e.i, e.loop, sc)}]`;
      }
      case "un":
        return this.unary(e.fn, this.atom(e.e, sc));
      case "bin": {
        const l = this.atom(e.l, sc);
        const r = this.atom(e.r, sc);
        switch (e.op) {
          case "+": case "-": case "*":
            return `${l} ${e.op} ${r}`;
          case "/": return `${l} / (1.5 + ${this.pow(r, 2)})`;
          case "/cos": return `${l} / (2 + Math.cos(${r}))`;
          case "/raw": return this.mode === "ts" ? `${l} / ${r}` : `${l} / __T.nz(${r})`;
          case "%": return this.mode === "ts" ? `${l} % (1.5 + ${this.pow(r, 2)})` : `__T.mod(${l}, 1.5 + ${this.pow(r, 2)})`;
          case "**var": return this.pow(`(1.5 + Math.sin(${l}))`, this.on("pow-unbounded") ? r : `Math.tanh(${r})`);
          case "mpow-var": return `Math.pow(1 + ${this.pow(l, 2)}, Math.tanh(${r}))`;
        }
      }
      // falls through (unreachable)
      case "m2": {
        const [a, b, c] = e.args.map((x) => this.expr(x, sc)) as [string, string, string];
        switch (e.fn) {
          case "atan2": return `Math.atan2(${a}, 1 + ${this.pow(this.atom(e.args[1]!, sc), 2)})`;
          case "atan2-raw": return `Math.atan2(${a}, ${b})`;
          case "hypot": return `Math.hypot(${a}, ${b})`;
          case "hypot3": return `Math.hypot(${a}, ${b}, ${c})`;
          case "max": case "min": return `Math.${e.fn}(${a}, ${b})`;
          case "max3": case "min3": return `Math.${e.fn.slice(0, 3)}(${a}, ${b}, ${c})`;
        }
      }
      // falls through (unreachable)
      case "cond":
        return `${this.cond(e.c, sc)} ? ${this.atom(e.t, { ...sc, spreadOk: false })} : ${this.atom(e.f, { ...sc, spreadOk: false })}`;
      case "call":
        return this.call(e, sc);
      case "red":
        return this.reduction(e, sc);
      case "meth":
        return this.method(e, sc);
    }
  }

  /** The position of the parameter of helper `k` that has a default, if any: its last, when a number. */
  private defaultParameter(k: number, fn: Fn, kinds: ParamKind[]): number | undefined {
    const entry = k === this.prog.fns.length - 1;
    if (!fn.withDefault || entry || fn.recursive || kinds[kinds.length - 1] !== "num") return undefined;
    this.defaulted.add(k);
    return kinds.length - 1;
  }

  call(e: Extract<Expr, { k: "call" }>, sc: Scope): string {
    const callees = this.sigs.length;
    const total = callees + (this.self ? 1 : 0);
    if (total === 0 || (sc.inCallback && !this.on("map-call"))) return this.expr(e.args[0]!, sc);
    const k = e.f % total;
    const self = k === callees ? this.self! : null;
    // A call of a rest helper passes an array made per call: in a loop, see "rest-param-in-loop" (gaps.ts).
    if (!self && this.rest.has(k) && (sc.looped || sc.inLoop || sc.inCallback) && !this.on("rest-param-in-loop")) return this.expr(e.args[0]!, sc);
    const args: string[] = [];
    let s = 0;
    for (const kind of self ? self.kinds : this.sigs[k]!) {
      if (kind === "num") {
        args.push(this.expr(e.args[s++ % e.args.length]!, sc));
        continue;
      }
      if (kind === "count") {
        args.push(self ? `${self.count} - 1` : "2");
        continue;
      }
      const same = this.on("call-array-arg") ? sc.arrays.filter((a) => a.kind === kind) : [];
      if (same.length > 0) {
        args.push(same[e.arrs[0]! % same.length]!.name);
      } else {
        return this.expr(e.args[0]!, sc);
      }
    }
    // A call may leave a defaulted last argument to its default.
    if (!self && this.defaulted.has(k) && e.arrs[0]! % 2 === 0) args.pop();
    // A rest helper may get arrays spread among its arguments: each array has n >= 2 elements, so there are enough.
    const arrays = sc.arrays;
    if (!self && this.rest.has(k) && sc.spreadOk && arrays.length > 0 && e.arrs[0]! % 3 !== 0) {
      const a = arrays[e.f % arrays.length]!.name;
      const b = arrays[e.arrs[0]! % arrays.length]!.name;
      return `${this.fnName(k)}(${e.arrs[0]! % 3 === 1 ? `${args[0]}, ...${a}` : `...${a}, ...${b}`})`;
    }
    return `${self ? self.name : this.fnName(k)}(${args.join(", ")})`;
  }

  /**
   * An array method over a parameter or local array, its callback inlined by
   * the transformer: a fold, a chain that folds what map or filter give, a
   * fold from the right, or some/every as the test of a ?:.
   */
  method(e: Extract<Expr, { k: "meth" }>, sc: Scope): string {
    if (sc.arrays.length === 0 || sc.inCallback) return this.expr(e.body, sc);
    const a = sc.arrays[e.a % sc.arrays.length]!.name;
    const m = this.fresh("m");
    const s = this.fresh("m");
    const body = this.callbackBody([m], e.body, sc);
    switch (e.form) {
      case "reduce": return `${a}.reduce((${s}, ${m}) => ${s} + ${body}, 0)`;
      case "reduce-index": {
        const i = this.fresh("m");
        return `${a}.reduce((${s}, ${m}, ${i}) => ${s} + ${body} / (${i} + 1), ${this.atom(e.other, sc)})`;
      }
      case "map-reduce": return `${a}.map((${m}) => ${body}).reduce((${s}, v) => ${s} + v, 0)`;
      // Without an initial value the first mapped element starts the fold (a product, to differ from a sum).
      case "map-reduce-first": return `(${a}.length === 0 ? 0 : ${a}.map((${m}) => Math.tanh(${body})).reduce((${s}, v) => ${s} * v))`;
      case "filter-reduce": return `${a}.filter((${m}) => ${m} > 0).reduce((${s}, ${m}) => ${s} + ${body}, 0)`;
      case "reduce-right": return `${a}.reduceRight((${s}, ${m}) => 0.5 * ${s} + ${body}, 0)`;
      case "some":
      case "every":
        return `(${a}.${e.form}((${m}) => ${m} > 0) ? ${this.atom(e.body, sc)} : ${this.atom(e.other, sc)})`;
    }
  }

  /** The body of a callback with parameters `params`, which reads them (and, with map-closure, the enclosing scalars). */
  callbackBody(params: string[], body: Expr, sc: Scope): string {
    const text = this.callback(params, body, sc);
    return `(${text.slice(text.indexOf(" => ") + 4)})`;
  }

  /** A callback `(m) => body` (or `(m, n) => body`) for map / map2. */
  /**
   * Two buffers swapped each step (a time-stepping scheme): `name` starts as a
   * copy of `src` (or zeros), the other buffer gets a smoothed, shifted `name`
   * plus the body, then `[name, next] = [next, name]`. `name` is an array after.
   */
  private swapped(name: string, init: { steps: number; body: Expr }, src: string | null, sc: Scope, ind: string, out: string[]): void {
    const n = this.prog.n;
    const next = `${name}n`;
    const k = this.fresh("k");
    const t = this.fresh("t");
    out.push(`${ind}let ${name} = new Float64Array(${n});`);
    out.push(`${ind}let ${next} = new Float64Array(${n});`);
    if (src) out.push(`${ind}for (let ${k} = 0; ${k} < ${n}; ${k}++) ${name}[${k}] = ${src}[${k}];`);
    out.push(`${ind}for (let ${t} = 0; ${t} < ${init.steps}; ${t}++) {`);
    const body = this.expr(init.body, sc);
    out.push(`${ind}  for (let ${k} = 0; ${k} < ${n}; ${k}++) ${next}[${k}] = 0.5 * Math.tanh(${name}[${k}]) + 0.25 * ${name}[(${k} + 1) % ${n}] + 0.1 * Math.tanh(${body});`);
    out.push(`${ind}  [${name}, ${next}] = [${next}, ${name}];`);
    out.push(`${ind}}`);
    sc.arrays.push({ name, kind: "f64", writable: true });
  }

  /**
   * A state that starts as a number[] parameter (or local) and is replaced by a
   * map of itself each step: `let name = a; name = name.map((m) => ...)`. It may
   * still be the parameter, so nothing writes into it.
   */
  private rebound(name: string, init: { a: number; steps: number; body: Expr }, sc: Scope, ind: string, out: string[]): void {
    const lists = sc.arrays.filter((x) => x.kind === "arr");
    const src = lists.length > 0 ? lists[init.a % lists.length]!.name : null;
    const t = this.fresh("t");
    const m = this.fresh("m");
    const filled = this.mode === "ts" ? `new Array<number>(${this.prog.n}).fill(0.5)` : `new Array(${this.prog.n}).fill(0.5)`;
    out.push(`${ind}let ${name} = ${src ?? filled};`);
    const body = this.callback([m], init.body, sc).replace(/^\(([^)]*)\) => /, "");
    out.push(`${ind}for (let ${t} = 0; ${t} < ${init.steps}; ${t}++) ${name} = ${name}.map((${m}) => 0.5 * ${m} + 0.5 * Math.tanh(${body}));`);
    sc.arrays.push({ name, kind: "arr", writable: false });
  }

  /**
   * A local number[][] (n rows of n numbers, or of 2 for literal rows): a map of
   * maps over a number[] in scope, Array.from of Array.from, or literal rows;
   * one entry updated in place; then a number read from it by index, by named
   * row, or by reduce over its rows, declared for the code after it.
   */
  private matrix(name: string, init: Extract<ArrayInit, { k: "matrix" }>, src: string | null, sc: Scope, ind: string, out: string[]): void {
    if (!this.mayAllocate()) return;
    const n = this.prog.n;
    const lists = sc.arrays.filter((x) => x.kind === "arr");
    const list = lists.length > 0 ? lists[init.a % lists.length]!.name : null;
    const [p, q] = [this.fresh("m"), this.fresh("m")];
    const body = this.callback([p, q], init.body, sc).replace(/^\(([^)]*)\) => /, "");
    let cols = n;
    if (init.form === 0 && list) {
      out.push(`${ind}const ${name} = ${list}.map((${p}) => ${list}.map((${q}) => ${body}));`);
    } else if (init.form === 2) {
      cols = 2;
      const rows = Array.from({ length: n }, (_, r) => `[${this.expr(init.body, sc)}, ${r % 2 === 0 ? this.expr(init.write, sc) : this.lit(0.5 + r)}]`);
      out.push(`${ind}const ${name}${this.mode === "ts" ? ": number[][]" : ""} = [${rows.join(", ")}];`);
    } else {
      const cell = this.on("store-reused-call") && init.at % 2 === 0 ? this.reusedCall(body, init.at) : body;
      out.push(`${ind}const ${name} = Array.from({ length: ${n} }, (_, ${p}) => Array.from({ length: ${n} }, (_, ${q}) => ${cell}));`);
    }
    void src;
    const [r, c] = [Math.floor(init.at / 4) % n, init.at % cols];
    if (this.on("matrix-swap") && init.at % 3 !== 0) this.steppedMatrix(name, init.at, ind, out);
    else out.push(`${ind}${name}[${r}][${c}] = Math.tanh(${name}[${r}][${c}]) + (${this.expr(init.write, sc)});`);
    const v = this.fresh("v");
    const [i, j, row, x, acc] = [this.fresh("i"), this.fresh("i"), this.fresh("r"), this.fresh("e"), this.fresh("s")];
    switch (init.form) {
      case 0:
        out.push(`${ind}let ${v} = 0;`);
        out.push(`${ind}for (let ${i} = 0; ${i} < ${name}.length; ${i}++) for (let ${j} = 0; ${j} < ${name}[${i}].length; ${j}++) ${v} += Math.tanh(${name}[${i}][${j}]) * (${i} + 1 - ${j});`);
        break;
      case 1:
        out.push(`${ind}let ${v} = 0;`);
        out.push(`${ind}for (const ${row} of ${name}) {`);
        out.push(`${ind}  for (const ${x} of ${row}) ${v} += Math.sin(${x}) * ${row}[0];`);
        out.push(`${ind}}`);
        break;
      default:
        out.push(`${ind}const ${v} = ${name}.reduce((${acc}, ${row}, ${i}) => ${acc} + Math.tanh(${row}[${i} % ${cols}]) * ${row}.reduce((${x}, ${j}) => ${x} + Math.cos(${j}), 0), 0);`);
    }
    this.declare(sc, v, false);
  }

  /** `e` inside a Math call whose derivative is written with its result (reuse.ts), bounded: which one, by `k`. */
  private reusedCall(e: string, k: number): string {
    switch (Math.floor(k / 3) % 3) {
      case 0:
        return `Math.exp(Math.tanh(${e}))`;
      case 1:
        return `Math.sqrt(1 + (${e}) * (${e}))`;
      default:
        return `Math.tanh(${e})`;
    }
  }

  /**
   * The local matrix `name` (declared just before, made const) as a let stepped
   * twice: a second grid written from it and swapped with it (a temporary, or
   * a destructuring swap), or the matrix rebuilt from itself with map.
   */
  private steppedMatrix(name: string, at: number, ind: string, out: string[]): void {
    const declared = out.length - 1;
    out[declared] = out[declared]!.replace(`${ind}const ${name}`, `${ind}let ${name}`);
    const [t, i, j, e, row] = [this.fresh("t"), this.fresh("i"), this.fresh("i"), this.fresh("e"), this.fresh("r")];
    const below = (ii: string, jj: string): string => `${name}[(${ii} + 1) % ${name}.length][${jj}]`;
    if (at % 3 === 2) {
      out.push(`${ind}for (let ${t} = 0; ${t} < 2; ${t}++) ${name} = ${name}.map((${row}, ${i}) => ${row}.map((${e}, ${j}) => 0.5 * ${e} + 0.25 * Math.tanh(${below(i, j)})));`);
      return;
    }
    const next = `${name}n`;
    out.push(`${ind}let ${next} = ${name}.map((${row}) => ${row}.map(() => 0));`);
    out.push(`${ind}for (let ${t} = 0; ${t} < 2; ${t}++) {`);
    out.push(`${ind}  for (let ${i} = 0; ${i} < ${name}.length; ${i}++) for (let ${j} = 0; ${j} < ${name}[${i}].length; ${j}++) ${next}[${i}][${j}] = Math.sin(${name}[${i}][${j}]) + 0.5 * ${below(i, j)};`);
    if (at % 2 === 0) out.push(`${ind}  [${name}, ${next}] = [${next}, ${name}];`);
    else {
      const tmp = this.fresh("b");
      out.push(`${ind}  const ${tmp} = ${name};`, `${ind}  ${name} = ${next};`, `${ind}  ${next} = ${tmp};`);
    }
    out.push(`${ind}}`);
  }

  callback(params: string[], body: Expr, sc: Scope): string {
    const inner: Scope = {
      scalars: [...params.map((name) => ({ name, assignable: false })), ...(this.on("map-closure") ? sc.scalars.map((s) => ({ ...s, assignable: false })) : [])],
      arrays: this.on("map-closure") ? sc.arrays : [],
      counters: [],
      block: new Set(),
      used: sc.used,
      depth: sc.depth,
      additive: { name: null },
      inLoop: false,
      inCallback: true,
    };
    return `(${params.join(", ")}) => ${this.expr(body, inner)}`;
  }

  reduction(e: Extract<Expr, { k: "red" }>, sc: Scope): string {
    if (sc.arrays.length === 0 || sc.inCallback) return this.expr(e.body, sc);
    const a = sc.arrays[e.a % sc.arrays.length]!.name;
    const b = sc.arrays[e.b % sc.arrays.length]!.name;
    // map / map2 make an array: only at the function's top level (SPEC §3).
    if (e.src !== "array" && (sc.depth > 0 || !this.mayAllocate())) return e.fn === "dot" ? `dot(${a}, ${b})` : `${e.fn}(${a})`;
    if (e.src === "array" && this.on("spread-math") && e.b % 2 === 0 && (e.fn === "max" || e.fn === "min" || e.fn === "norm")) {
      return `Math.${e.fn === "norm" ? "hypot" : e.fn}(...${a})`;
    }
    let x = a;
    if (e.src === "map") x = `map(${a}, ${this.callback([this.fresh("m")], e.body, sc)})`;
    if (e.src === "map2") x = `map2(${a}, ${b}, ${this.callback([this.fresh("m"), this.fresh("m")], e.body, sc)})`;
    return e.fn === "dot" ? `dot(${x}, ${b})` : `${e.fn}(${x})`;
  }

  // ------------------------------------------------------------ statements

  stmts(list: readonly TopStmt[], sc: Scope, indent: string, out: string[]): void {
    for (const s of list) this.stmt(s, sc, indent, out);
  }

  child(sc: Scope, extra: Partial<Scope> = {}): Scope {
    return {
      ...sc,
      scalars: [...sc.scalars],
      arrays: [...sc.arrays],
      counters: [...sc.counters],
      block: new Set(),
      used: [...sc.used, new Set()],
      depth: sc.depth + 1,
      additive: { name: null },
      ...extra,
      looped: sc.looped || sc.inLoop || extra.inLoop === true,
    };
  }

  /**
   * A sum of terms over a counted loop at the top level, each term read from a
   * scratch array declared before the loop and filled whole at the top of each
   * iteration (GMM's per-point buffers), as transformer/fuse.ts fuses. Forms 1,
   * 3 and 5 are near misses it must leave to the ordinary reversal: the scratch
   * read before the iteration fills it (carrying the last iteration's values),
   * filled but for its last element (which the term reads), or the accumulator
   * read inside the loop. Even forms subtract every other term.
   */
  private sumOfTerms(s: Extract<Stmt, { k: "sum" }>, sc: Scope, ind: string, out: string[]): void {
    if (sc.depth > 0) return;
    const n = this.prog.n;
    const [buf, v, i, j] = [this.fresh("s"), this.fresh("v"), this.fresh("i"), this.fresh("i")];
    out.push(`${ind}const ${buf} = new Float64Array(${n});`);
    out.push(`${ind}let ${v} = 0;`);
    out.push(`${ind}for (let ${i} = 0; ${i} < ${n}; ${i}++) {`);
    const body = this.child(sc, { inLoop: true });
    body.counters.push({ name: i, n });
    body.scalars.push({ name: i, assignable: false });
    const fillScope = this.child(body, { inLoop: true });
    fillScope.counters.push({ name: j, n });
    fillScope.scalars.push({ name: j, assignable: false });
    const last = s.form % 2 === 1 && s.form % 4 === 3 ? n - 1 : n;
    const fill = `${ind}  for (let ${j} = 0; ${j} < ${last}; ${j}++) ${buf}[${j}] = ${this.expr(s.fill, fillScope)};`;
    const read = s.form === 3 ? n - 1 : s.at % n;
    const term = `${this.atom(s.e, body)} * ${buf}[${read}] + ${buf}[${i}] * ${buf}[${i}]`;
    const op = s.form % 2 === 0 && s.at % 2 === 1 ? "-=" : "+=";
    if (s.form === 1) out.push(`${ind}  ${v} += ${buf}[${read}] * 0.5;`);
    out.push(fill);
    out.push(s.form === 5 ? `${ind}  ${v} += (${term}) * Math.tanh(0.1 * ${v});` : `${ind}  ${v} ${op} ${term};`);
    out.push(`${ind}}`);
    sc.arrays.push({ name: buf, kind: "f64", writable: false });
    this.declare(sc, v, true);
  }

  /**
   * A sum over a counted top-level loop of a nonlinear function of an inner
   * sum over components, each component's terms read from a scratch array that
   * the component's iteration first fills whole (GMM's Q_k x per component), so
   * transformer/rows.ts gives the scratch a row per component. Even forms also
   * add into one element after the fill, reading another (a save of that
   * element's old value, in its row). Near misses that keep one buffer: form 1
   * reads the outer accumulator in the loop (not fused: the rows would be
   * overwritten before the reversal reads them), form 3 reads the scratch after
   * the inner loop, form 5 fills all but its last element, which the term reads.
   */
  private iterationRows(s: Extract<Stmt, { k: "rows" }>, sc: Scope, ind: string, out: string[]): void {
    if (sc.depth > 0) return;
    const n = this.prog.n;
    const [buf, v, t, i, c, j] = [this.fresh("s"), this.fresh("v"), this.fresh("v"), this.fresh("i"), this.fresh("i"), this.fresh("i")];
    out.push(`${ind}const ${buf} = new Float64Array(${n});`);
    out.push(`${ind}let ${v} = 0;`);
    out.push(`${ind}for (let ${i} = 0; ${i} < ${n}; ${i}++) {`);
    const body = this.child(sc, { inLoop: true });
    body.counters.push({ name: i, n });
    body.scalars.push({ name: i, assignable: false });
    const inner = this.child(body, { inLoop: true });
    inner.counters.push({ name: c, n });
    inner.scalars.push({ name: c, assignable: false });
    const fillScope = this.child(inner, { inLoop: true });
    fillScope.counters.push({ name: j, n });
    fillScope.scalars.push({ name: j, assignable: false });
    const last = s.form === 5 ? n - 1 : n;
    const read = s.form === 5 ? n - 1 : s.at % n;
    out.push(`${ind}  let ${t} = 0;`);
    out.push(`${ind}  for (let ${c} = 0; ${c} < ${n}; ${c}++) {`);
    out.push(`${ind}    for (let ${j} = 0; ${j} < ${last}; ${j}++) ${buf}[${j}] = ${this.expr(s.fill, fillScope)};`);
    if (s.form % 2 === 0) out.push(`${ind}    ${buf}[${(s.at + 1) % n}] += 0.5 * ${buf}[${s.at % n}];`);
    out.push(`${ind}    ${t} += ${this.atom(s.e, inner)} * Math.tanh(${buf}[${read}]) + ${buf}[${c}] * ${buf}[${c}];`);
    out.push(`${ind}  }`);
    if (s.form === 3) out.push(`${ind}  ${t} += ${buf}[${read}] * 0.5;`);
    out.push(s.form === 1 ? `${ind}  ${v} += Math.sin(${t}) * Math.tanh(0.1 * ${v});` : `${ind}  ${v} += Math.sin(${t});`);
    out.push(`${ind}}`);
    sc.arrays.push({ name: buf, kind: "f64", writable: false });
    this.declare(sc, v, true);
  }

  declare(sc: Scope, name: string, assignable: boolean): void {
    // A redeclared (shadowing) name hides the outer variable.
    sc.scalars = sc.scalars.filter((s) => s.name !== name);
    sc.scalars.push({ name, assignable });
    sc.block.add(name);
  }

  /**
   * A nested block; its last local is then added into a variable of an
   * enclosing block, so that values computed in branches and loops flow to
   * the result instead of being dead.
   */
  block(list: readonly Stmt[], sc: Scope, indent: string, out: string[]): void {
    this.stmts(list, sc, indent + "  ", out);
    const local = [...sc.block].filter((n) => /^v\d+$/.test(n)).pop();
    const outer = sc.scalars.filter((v) => v.assignable && !sc.block.has(v.name)).pop();
    if (local && outer) {
      const before = out.length;
      out.push(`${indent}  ${this.touch(sc, outer.name)} += 0.5 * ${local};`);
      this.chain(sc, out, before);
    }
  }

  /**
   * A statement, and the "additive-chain" gate: while that gap is open, an
   * additive update (+=, -=, ++, --) of the variable the previous statement of
   * the block also updated additively (declarations in between do not count)
   * is written t = Math.tanh(t) ± e instead.
   */
  stmt(s: TopStmt, sc: Scope, ind: string, out: string[]): void {
    const before = out.length;
    this.statement(s, sc, ind, out);
    this.chain(sc, out, before);
  }

  private chain(sc: Scope, out: string[], from: number): void {
    const added = out.slice(from);
    const m = added.length === 1 ? /^(\s*)(\w+)(?: (\+=|-=) (.*);|(\+\+|--);)$/.exec(added[0]!) : null;
    if (!m) {
      if (!(added.length === 1 && /^\s*(const|let) /.test(added[0]!))) sc.additive.name = null;
      return;
    }
    const [, ind, t, op, rhs, incdec] = m;
    if (sc.additive.name === t && !this.on("additive-chain")) {
      const sign = (op ?? incdec) === "+=" || incdec === "++" ? "+" : "-";
      out[from] = `${ind}${t} = Math.tanh(${t}) ${sign} ${rhs !== undefined ? `(${rhs})` : "1"};`;
      sc.additive.name = null;
      return;
    }
    sc.additive.name = t!;
  }

  private statement(s: TopStmt, sc: Scope, ind: string, out: string[]): void {
    const assignable = sc.scalars.filter((v) => v.assignable);
    switch (s.k) {
      case "array": {
        const name = this.fresh("b");
        const n = this.prog.n;
        const from = s.init.k === "map" || s.init.k === "tensor" ? s.init.a : 0;
        const src = sc.arrays.length > 0 ? sc.arrays[from % sc.arrays.length]!.name : null;
        let init: string;
        let kind: "f64" | "arr" = "f64";
        switch (s.init.k) {
          case "f64": init = `new Float64Array(${n})`; break;
          case "zeros": init = `zeros(${n})`; break;
          case "literal":
            if (!this.mayAllocate()) {
              init = `zeros(${n})`;
              break;
            }
            init = `[${s.init.elems.slice(0, n).map((x) => this.expr(x, sc)).join(", ")}]`;
            kind = "arr";
            break;
          case "map": init = src && this.mayAllocate() ? `map(${src}, ${this.callback([this.fresh("m")], s.init.body, sc)})` : `zeros(${n})`; break;
          case "tensor": init = src ? `tensor(${src})` : `new Float64Array(${n})`; break;
          case "ones": case "arange": init = `${s.init.k}(${n})`; break;
          case "full": init = `full(${n}, ${this.expr(s.init.e, sc)})`; break;
          case "linspace": init = `linspace(${this.expr(s.init.from, sc)}, ${this.expr(s.init.to, sc)}, ${n})`; break;
          case "swap": return this.swapped(name, s.init, src, sc, ind, out);
          case "rebind": return this.rebound(name, s.init, sc, ind, out);
          case "matrix": return this.matrix(name, s.init, src, sc, ind, out);
        }
        out.push(`${ind}const ${name} = ${init};`);
        sc.arrays.push({ name, kind, writable: true });
        return;
      }
      case "decl": {
        let name = this.fresh("v");
        // Shadow a name of an enclosing block (never one of this block, never a parameter at the top).
        if (s.shadow !== null) {
          const used = sc.used[sc.used.length - 1]!;
          const outer = sc.scalars.filter((v) => !sc.block.has(v.name) && !used.has(v.name) && /^[vx]\d+$/.test(v.name));
          if (outer.length > 0) name = outer[s.shadow % outer.length]!.name;
        }
        // The initializer must not see the name it declares (temporal dead zone).
        const initScope = { ...sc, scalars: sc.scalars.filter((v) => v.name !== name) };
        if (s.e.k === "un" && (s.e.fn === "sin" || s.e.fn === "cos") && this.on("held-values")) {
          // cos and sin of one argument, as a rotation binds them: the rule of each reads the other.
          const arg = this.atom(s.e.e, initScope);
          const other = this.fresh("v");
          out.push(`${ind}const ${other} = Math.${s.e.fn === "sin" ? "cos" : "sin"}(${arg});`);
          out.push(`${ind}${s.mut ? "let" : "const"} ${name} = Math.${s.e.fn}(${arg});`);
          this.declare(sc, other, false);
          this.declare(sc, name, s.mut);
          return;
        }
        out.push(`${ind}${s.mut ? "let" : "const"} ${name} = ${this.expr(s.e, { ...initScope, spreadOk: true })};`);
        this.declare(sc, name, s.mut);
        return;
      }
      case "assign": {
        if (assignable.length === 0) return this.stmt({ k: "decl", mut: true, shadow: null, e: s.e }, sc, ind, out);
        const t = this.touch(sc, assignable[s.t % assignable.length]!.name);
        const e = this.expr(s.e, { ...sc, spreadOk: true });
        switch (s.op) {
          case "=": case "+=": case "-=": case "*=":
            out.push(`${ind}${t} ${s.op} ${e};`);
            return;
          case "/=":
            out.push(`${ind}${t} /= 1.5 + ${this.pow(this.atom(s.e, sc), 2)};`);
            return;
          case "**=":
            out.push(this.mode === "ts" ? `${ind}${t} **= ${s.t % 2 === 0 ? 2 : 3};` : `${ind}${t} = __T.pow(${t}, ${s.t % 2 === 0 ? 2 : 3});`);
            return;
        }
      }
      // falls through (unreachable)
      case "self": {
        if (assignable.length === 0) return this.stmt({ k: "decl", mut: true, shadow: null, e: s.e }, sc, ind, out);
        const t = this.touch(sc, assignable[s.t % assignable.length]!.name);
        out.push(`${ind}${t} = ${this.unary(s.fn, t)} + ${this.atom(s.e, sc)};`);
        return;
      }
      case "extremum": {
        if (assignable.length === 0) return this.stmt({ k: "decl", mut: true, shadow: null, e: s.e }, sc, ind, out);
        const t = this.touch(sc, assignable[s.t % assignable.length]!.name);
        const e = this.expr(s.e, sc);
        out.push(`${ind}${t} = Math.${s.fn}(${s.first ? `${t}, ${e}` : `${e}, ${t}`});`);
        return;
      }
      case "incdec": {
        if (assignable.length === 0) return;
        out.push(`${ind}${this.touch(sc, assignable[s.t % assignable.length]!.name)}${s.op};`);
        return;
      }
      case "write": {
        const writable = sc.arrays.filter((a) => a.writable);
        if (writable.length === 0) return this.stmt({ k: "decl", mut: false, shadow: null, e: s.e }, sc, ind, out);
        const a = writable[s.a % writable.length]!.name;
        // A third of plain writes store a whole exp / sqrt / tanh call (chosen from i: the random stream stays as it was).
        const e = s.op === "=" && this.on("store-reused-call") && s.i % 3 === 0 ? this.reusedCall(this.expr(s.e, sc), s.i) : this.expr(s.e, sc);
        out.push(`${ind}${a}[${this.index(s.i, s.loop, sc)}] ${s.op} ${e};`);
        return;
      }
      case "if": {
        out.push(`${ind}if (${this.cond(s.c, this.conditionScope(sc))}) {`);
        this.block(s.then, this.child(sc), ind, out);
        if (s.else) {
          out.push(`${ind}} else {`);
          this.block(s.else, this.child(sc), ind, out);
        }
        out.push(`${ind}}`);
        return;
      }
      case "for": {
        const i = this.fresh("i");
        const label = this.on("labeled-jump") ? this.fresh("L") : null;
        // A second counter counting down, updated with the comma operator.
        const down = this.on("comma") && s.n % 2 === 1 ? this.fresh("k") : null;
        // Even trip counts (not the comma's) step by more than one, the choice taken from n so that
        // the random stream, and so every other program of a seed, stays what it was.
        const strided = this.on("strided-for") && !down && s.n % 2 === 0;
        const head = down
          ? `let ${i} = 0, ${down} = ${s.n}; ${i} < ${s.n}; ${i}++, ${down}--`
          : strided && s.n === 4
            ? `let ${i} = 0; ${i} + 1 < 4; ${i} += 2`
            : strided
              ? `let ${i} = 0; ${i} < ${s.n}; ${i} += 3`
              : `let ${i} = 0; ${i} < ${s.n}; ${i}++`;
        out.push(`${ind}${label ? `${label}: ` : ""}for (${head}) {`);
        const inner = this.child(sc, { inLoop: true, labels: label ? [...(sc.labels ?? []), label] : sc.labels });
        inner.counters.push({ name: i, n: s.n });
        inner.scalars.push({ name: i, assignable: false });
        if (down) inner.scalars.push({ name: down, assignable: false });
        this.block(s.body, inner, ind, out);
        out.push(`${ind}}`);
        return;
      }
      case "forLength": {
        if (sc.arrays.length === 0) return this.stmt({ k: "for", n: this.prog.n, body: s.body }, sc, ind, out);
        const a = sc.arrays[s.a % sc.arrays.length]!.name;
        const i = this.fresh("i");
        out.push(`${ind}for (let ${i} = 0; ${i} < ${a}.length; ${i}++) {`);
        const inner = this.child(sc, { inLoop: true });
        inner.counters.push({ name: i, n: this.prog.n });
        inner.scalars.push({ name: i, assignable: false });
        this.block(s.body, inner, ind, out);
        out.push(`${ind}}`);
        return;
      }
      case "forOf": {
        if (sc.arrays.length === 0) return this.stmt({ k: "for", n: 2, body: s.body }, sc, ind, out);
        const a = sc.arrays[s.a % sc.arrays.length]!.name;
        const v = this.fresh("e");
        out.push(`${ind}for (const ${v} of ${a}) {`);
        const inner = this.child(sc, { inLoop: true });
        inner.scalars.push({ name: v, assignable: false });
        this.block(s.body, inner, ind, out);
        out.push(`${ind}}`);
        return;
      }
      case "while": {
        if (sc.inLoop && !this.on("while-in-loop")) return this.stmt({ k: "for", n: s.n, body: s.body }, sc, ind, out);
        const w = this.fresh("w");
        out.push(`${ind}let ${w} = 0;`);
        sc.scalars.push({ name: w, assignable: false });
        sc.block.add(w);
        // The loop runs at most n times; a data-dependent condition may stop it earlier.
        // (Evaluated in the loop: no map(...) there, SPEC §3 makes arrays at the top level only.)
        const test = s.data ? `${w} < ${s.n} && (${this.cond(s.data, { ...sc, depth: sc.depth + 1, looped: true })})` : `${w} < ${s.n}`;
        out.push(s.doWhile ? `${ind}do {` : `${ind}while (${test}) {`);
        out.push(`${ind}  ${w}++;`);
        this.block(s.body, this.child(sc, { inLoop: true }), ind, out);
        out.push(s.doWhile ? `${ind}} while (${test});` : `${ind}}`);
        return;
      }
      case "destructure":
        if (this.on("record-tuple-field") && s.literal !== null && this.half(s, 2)) return this.recordWithTuple(s, sc, ind, out);
        return this.destructure(s, sc, ind, out);
      case "switch":
        return this.switchStmt(s, sc, ind, out);
      case "jump": {
        if (!sc.inLoop) return;
        // To the outermost labeled loop, when there is one besides the innermost.
        const label = s.outer && sc.labels && sc.labels.length > 0 ? ` ${sc.labels[0]}` : "";
        out.push(`${ind}if (${this.cond(s.c, sc)}) ${s.kind}${label};`);
        return;
      }
      case "inner": {
        if (this.on("closure-array") && this.half(s, 1)) return this.closureArray(s, sc, ind, out);
        // An inner function closing over the scalars and arrays in scope, called at once.
        const g = this.fresh("g");
        const m = this.fresh("m");
        const inner: Scope = {
          scalars: [{ name: m, assignable: false }, ...sc.scalars.map((v) => ({ ...v, assignable: false }))],
          arrays: sc.arrays,
          counters: [],
          block: new Set(),
          used: sc.used,
          depth: sc.depth + 1,
          additive: { name: null },
          inLoop: false,
          inCallback: true,
        };
        const body = this.expr(s.body, inner);
        const ts = this.mode === "ts";
        out.push(
          s.decl
            ? `${ind}function ${g}(${m}${ts ? ": number" : ""})${ts ? ": number" : ""} { return ${body}; }`
            : `${ind}const ${g} = (${m}${ts ? ": number" : ""})${ts ? ": number" : ""} => ${body};`,
        );
        const v = this.fresh("v");
        out.push(`${ind}const ${v} = ${g}(${this.expr(s.arg, sc)});`);
        this.declare(sc, v, false);
        return;
      }
      case "nullish": {
        const v = this.fresh("v");
        out.push(`${ind}const ${v} = (${this.cond(s.c, this.conditionScope(sc))} ? ${this.atom(s.e, { ...sc, depth: sc.depth + 1 })} : undefined) ?? ${this.atom(s.other, { ...sc, depth: sc.depth + 1 })};`);
        this.declare(sc, v, false);
        return;
      }
      case "accum": {
        if (this.on("exp-sum") && this.half(s, 3) && this.expSum(s, sc, ind, out)) return;
        // A value set, then accumulated over a counted loop.
        const v = this.fresh("v");
        const i = this.fresh("i");
        out.push(`${ind}let ${v} = ${this.expr(s.init, sc)};`);
        this.declare(sc, v, true);
        out.push(`${ind}for (let ${i} = 0; ${i} < ${this.prog.n}; ${i}++) {`);
        const inner = this.child(sc, { inLoop: true });
        inner.counters.push({ name: i, n: this.prog.n });
        inner.scalars.push({ name: i, assignable: false });
        const e = this.expr(s.e, inner);
        out.push(
          s.op === "+="
            ? `${ind}  ${v} += ${e};`
            : s.op === "*="
              ? `${ind}  ${v} *= ${this.unary("tanh", this.atom(s.e, inner))} + 1;`
              : `${ind}  ${v} = ${v} + ${this.atom(s.e, inner)};`,
        );
        out.push(`${ind}}`);
        return;
      }
      case "fill": {
        // Every entry of a local array rewritten, then one accumulated into. Sometimes the
        // loop rewrites a second array from the first (x - mu and its scaling, as GMM's), and
        // the accumulation goes into that one.
        const writable = sc.arrays.filter((a) => a.writable);
        if (writable.length === 0) return;
        const a = writable[s.a % writable.length]!.name;
        const b = writable.length > 1 && s.a % 2 === 1 ? writable[(s.a + 1) % writable.length]!.name : undefined;
        const i = this.fresh("i");
        out.push(`${ind}for (let ${i} = 0; ${i} < ${a}.length; ${i}++) {`);
        const inner = this.child(sc, { inLoop: true });
        inner.counters.push({ name: i, n: this.prog.n });
        inner.scalars.push({ name: i, assignable: false });
        out.push(`${ind}  ${a}[${i}] = ${this.expr(s.e, inner)};`);
        if (b) out.push(`${ind}  ${b}[${i}] = 0.5 * ${a}[${i}];`);
        out.push(`${ind}}`);
        out.push(`${ind}${b ?? a}[${s.i % this.prog.n}] += ${this.expr(s.acc, sc)};`);
        return;
      }
      case "sum":
        return this.sumOfTerms(s, sc, ind, out);
      case "rows":
        return this.iterationRows(s, sc, ind, out);
      case "swap": {
        // Two buffers, a few sweeps of a smoothing stencil from one into the other, swapped
        // through a temporary after each (as a time-stepping simulation is written); then read.
        // Arrays assigned after their declaration are made at the top level only.
        if (sc.depth > 0) return;
        if (this.on("alias-writes") && s.at % 3 === 2) return this.aliasWrites(s, sc, ind, out);
        if (this.on("records-rebind") && (s.steps + s.at) % 2 === 1) return this.records(s, sc, ind, out);
        const n = this.prog.n;
        const [u, w, tmp, v] = [this.fresh("u"), this.fresh("u"), this.fresh("t"), this.fresh("v")];
        const [i, t, j] = [this.fresh("i"), this.fresh("i"), this.fresh("i")];
        out.push(`${ind}let ${u} = new Float64Array(${n});`);
        out.push(`${ind}let ${w} = new Float64Array(${n});`);
        const fill = this.child(sc, { inLoop: true });
        fill.counters.push({ name: i, n });
        fill.scalars.push({ name: i, assignable: false });
        out.push(`${ind}for (let ${i} = 0; ${i} < ${n}; ${i}++) ${u}[${i}] = ${this.expr(s.init, fill)};`);
        out.push(`${ind}for (let ${t} = 0; ${t} < ${s.steps}; ${t}++) {`);
        const sweep = this.child(sc, { inLoop: true });
        sweep.counters.push({ name: j, n });
        sweep.scalars.push({ name: j, assignable: false });
        const source = this.unary("tanh", this.atom(s.e, sweep));
        if (s.at % 2 === 1) {
          // The heat equation's stencil over the interior (its adjoint slides a window, transformer/window.ts);
          // the ends are copied.
          out.push(`${ind}  ${w}[0] = ${u}[0];`, `${ind}  ${w}[${n - 1}] = ${u}[${n - 1}];`);
          out.push(`${ind}  for (let ${j} = 1; ${j} < ${n} - 1; ${j}++) ${w}[${j}] = ${u}[${j}] + 0.2 * (${u}[${j} - 1] - 2 * ${u}[${j}] + ${u}[${j} + 1]) + 0.1 * ${source};`);
        } else {
          out.push(`${ind}  for (let ${j} = 0; ${j} < ${n}; ${j}++) ${w}[${j}] = 0.5 * ${u}[${j}] + 0.25 * ${u}[(${j} + 1) % ${n}] + 0.1 * ${source};`);
        }
        out.push(`${ind}  const ${tmp} = ${u};`, `${ind}  ${u} = ${w};`, `${ind}  ${w} = ${tmp};`);
        out.push(`${ind}}`);
        out.push(`${ind}let ${v} = ${u}[${s.at % n}] + 0.5 * ${w}[${(s.at + 1) % n}];`);
        this.declare(sc, v, true);
        return;
      }
      case "ret": {
        // The returned value is inside the branch.
        out.push(`${ind}if (${this.cond(s.c, this.conditionScope(sc))}) return ${this.expr(s.e, { ...sc, depth: sc.depth + 1 })};`);
        this.returned = true;
        return;
      }
    }
  }

  /**
   * An array of records (particles, the points of a curve's level) replaced by a new one each
   * step, as application code writes it: by map, or by a loop that pushes into a fresh array
   * (records-rebind; chosen from the buffer-swap statement's own fields, so the program stream
   * of every other feature stays as it was).
   */
  private records(s: Extract<Stmt, { k: "swap" }>, sc: Scope, ind: string, out: string[]): void {
    const n = this.prog.n;
    const [r, next, v] = [this.fresh("r"), this.fresh("r"), this.fresh("v")];
    const [i, t, j] = [this.fresh("i"), this.fresh("i"), this.fresh("i")];
    const recs = this.mode === "ts" ? ": { x: number; y: number }[]" : "";
    out.push(`${ind}let ${r}${recs} = [];`);
    const fill = this.child(sc, { inLoop: true });
    fill.counters.push({ name: i, n });
    fill.scalars.push({ name: i, assignable: false });
    out.push(`${ind}for (let ${i} = 0; ${i} < ${n}; ${i}++) ${r}.push({ x: ${this.expr(s.init, fill)}, y: 0.5 + 0.25 * ${i} });`);
    out.push(`${ind}for (let ${t} = 0; ${t} < ${s.steps}; ${t}++) {`);
    const sweep = this.child(sc, { inLoop: true });
    sweep.counters.push({ name: j, n });
    sweep.scalars.push({ name: j, assignable: false });
    const source = this.unary("tanh", this.atom(s.e, sweep));
    if (this.on("records-step-alias") && this.half(s, 3)) {
      this.stepRecordsInPlace(r, j, source, s.at, ind, out);
    } else if ((s.at >> 1) % 2 === 0) {
      out.push(`${ind}  ${r} = ${r}.map((p, ${j}) => ({ x: 0.5 * p.x + 0.25 * p.y, y: p.y * 0.9 + 0.1 * ${source} }));`);
    } else {
      out.push(`${ind}  const ${next}${recs} = [];`);
      out.push(`${ind}  for (let ${j} = 0; ${j} < ${r}.length; ${j}++) ${next}.push({ x: 0.5 * ${r}[${j}].x + 0.25 * ${r}[(${j} + 1) % ${n}].y, y: ${r}[${j}].y * 0.9 + 0.1 * ${source} });`);
      out.push(`${ind}  ${r} = ${next};`);
    }
    out.push(`${ind}}`);
    out.push(`${ind}let ${v} = ${r}[${s.at % n}].x + 0.5 * ${r}[${(s.at + 1) % n}].y;`);
    this.declare(sc, v, true);
    return;
  }

  // ---------------------------------------------------------- corpus constructs
  // (records-step-alias, closure-array, record-tuple-field): each takes half of the statements of
  // the feature it extends, chosen by a hash of the statement, so the random stream is unchanged.

  /**
   * accumulate's statement as a sum over an array parameter's elements at the function's top level,
   * each a call whose result its derivative reads (a log-sum-exp's exp, a tanh layer's tanh): false
   * where there is no array parameter or the block is nested.
   */
  private expSum(s: Extract<Stmt, { k: "accum" }>, sc: Scope, ind: string, out: string[]): boolean {
    const params = sc.arrays.filter((a) => /^a\d+$/.test(a.name));
    if (sc.depth > 0 || sc.inLoop || sc.looped || params.length === 0) return false;
    const a = params[JSON.stringify(s.e).length % params.length]!.name;
    const v = this.fresh("v");
    const i = this.fresh("i");
    out.push(`${ind}let ${v} = ${this.expr(s.init, sc)};`);
    // The shift or the weight reads no counter: it is the same for every element.
    const c = this.atom(s.e, sc);
    out.push(`${ind}for (let ${i} = 0; ${i} < ${a}.length; ${i}++) {`);
    out.push(s.op === "+=" ? `${ind}  ${v} += Math.exp(${a}[${i}] - ${c});` : `${ind}  ${v} += ${c} * Math.tanh(${a}[${i}]);`);
    out.push(`${ind}}`);
    this.declare(sc, v, true);
    return true;
  }

  /** Whether statement `s` takes the variant `salt` names: a hash of its tree, so shrinking another statement keeps it. */
  private half(s: Stmt, salt: number): boolean {
    let h = salt * 0x9e3779b1;
    for (const ch of JSON.stringify(s)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return ((h >>> 0) & 1) === 1;
  }

  /**
   * One step of records-rebind's array of { x, y } records updated in place, each record written
   * through another name for it: `const p = r[j]` in a counted loop, or forEach's parameter (as a
   * simulation written in application style steps its particles).
   */
  private stepRecordsInPlace(r: string, j: string, source: string, at: number, ind: string, out: string[]): void {
    const p = this.fresh("p");
    const update = [`${p}.x = 0.5 * ${p}.x + 0.25 * ${p}.y;`, `${p}.y = ${p}.y * 0.9 + 0.1 * ${source};`];
    if ((at >> 2) % 2 === 0) {
      out.push(`${ind}  for (let ${j} = 0; ${j} < ${r}.length; ${j}++) {`, `${ind}    const ${p} = ${r}[${j}];`, ...update.map((u) => `${ind}    ${u}`), `${ind}  }`);
    } else {
      out.push(`${ind}  ${r}.forEach((${p}, ${j}) => {`, ...update.map((u) => `${ind}    ${u}`), `${ind}  });`);
    }
  }

  /**
   * An array of arrows closing over the locals in scope, each called on one argument: folded by
   * reduce, or summed by a for...of over the array (a model as a list of feature functions).
   */
  private closureArray(s: Extract<Stmt, { k: "inner" }>, sc: Scope, ind: string, out: string[]): void {
    const ts = this.mode === "ts";
    const [gs, m, v] = [this.fresh("g"), this.fresh("m"), this.fresh("v")];
    const inner: Scope = {
      scalars: [{ name: m, assignable: false }, ...sc.scalars.map((x) => ({ ...x, assignable: false }))],
      arrays: sc.arrays,
      counters: [],
      block: new Set(),
      used: sc.used,
      depth: sc.depth + 1,
      additive: { name: null },
      inLoop: false,
      inCallback: true,
    };
    const arrow = (body: string) => `(${m}${ts ? ": number" : ""})${ts ? ": number" : ""} => ${body}`;
    const bodies = [this.expr(s.body, inner), `0.5 * ${m} + ${this.unary("tanh", this.atom(s.arg, inner))}`];
    out.push(`${ind}const ${gs}${ts ? ": ((m: number) => number)[]" : ""} = [${bodies.map(arrow).join(", ")}];`);
    const arg = this.atom(s.arg, sc);
    if (s.decl) {
      const g = this.fresh("g");
      out.push(`${ind}const ${v} = ${gs}.reduce((acc, ${g}) => acc + ${g}(${arg}), 0);`);
      this.declare(sc, v, false);
    } else {
      const g = this.fresh("g");
      out.push(`${ind}let ${v} = 0;`, `${ind}for (const ${g} of ${gs}) ${v} += ${g}(${arg});`);
      this.declare(sc, v, true);
    }
  }

  /**
   * `const st = { pos: [e0, e1], w: e2 }`, then its fields destructured, the tuple's by position:
   * `const { pos: [v1, v2], w: v3 } = st` (a record with a tuple field, as a pose or a segment is kept).
   */
  private recordWithTuple(s: Destructure, sc: Scope, ind: string, out: string[]): void {
    const ts = this.mode === "ts";
    const items = s.literal!;
    const [e0, e1] = [this.expr(items[0] ?? { k: "lit", v: 1 }, sc), this.expr(items[1] ?? { k: "lit", v: 2 }, sc)];
    const w = this.expr(s.dflt ?? { k: "lit", v: 0.5 }, sc);
    const [st, v1, v2, v3] = [this.fresh("st"), this.fresh("v"), this.fresh("v"), this.fresh("v")];
    out.push(`${ind}const ${st}${ts ? ": { pos: [number, number]; w: number }" : ""} = { pos: [${e0}, ${e1}], w: ${w} };`);
    out.push(`${ind}${s.mut ? "let" : "const"} { pos: [${v1}, ${v2}], w: ${v3} } = ${st};`);
    for (const name of [v1, v2, v3]) this.declare(sc, name, s.mut);
  }

  /**
   * An array of records stepped in place through other names for them, as simulation code
   * writes it: the loop variable of for...of, forEach's parameter, a const naming one element
   * (alias-writes; chosen from the buffer-swap statement's own fields, like records-rebind).
   * The writes must reach the array and the reads through either name must see them.
   */
  private aliasWrites(s: Extract<Stmt, { k: "swap" }>, sc: Scope, ind: string, out: string[]): void {
    const n = this.prog.n;
    const [r, q, v] = [this.fresh("r"), this.fresh("q"), this.fresh("v")];
    const [i, t] = [this.fresh("i"), this.fresh("i")];
    const recs = this.mode === "ts" ? ": { x: number; y: number }[]" : "";
    out.push(`${ind}const ${r}${recs} = [];`);
    const fill = this.child(sc, { inLoop: true });
    fill.counters.push({ name: i, n });
    fill.scalars.push({ name: i, assignable: false });
    out.push(`${ind}for (let ${i} = 0; ${i} < ${n}; ${i}++) ${r}.push({ x: ${this.expr(s.init, fill)}, y: 0.5 + 0.25 * ${i} });`);
    out.push(`${ind}for (let ${t} = 0; ${t} < ${s.steps}; ${t}++) {`);
    const source = this.unary("tanh", this.atom(s.e, this.child(sc, { inLoop: true })));
    if ((s.at >> 1) % 2 === 0) {
      out.push(`${ind}  for (const p of ${r}) {`, `${ind}    p.y = p.y * 0.9 + 0.1 * ${source};`, `${ind}    p.x += 0.5 * p.y;`, `${ind}  }`);
    } else {
      out.push(`${ind}  ${r}.forEach((p) => {`, `${ind}    p.y = p.y * 0.9 + 0.1 * ${source};`, `${ind}    p.x += 0.5 * p.y;`, `${ind}  });`);
    }
    out.push(`${ind}}`);
    out.push(`${ind}const ${q} = ${r}[${s.at % n}];`);
    out.push(`${ind}${q}.x *= 0.5 + 0.25 * ${r}[${(s.at + 1) % n}].y;`);
    out.push(`${ind}${r}[${s.at % n}].y -= 0.25 * ${q}.x;`);
    out.push(`${ind}let ${v} = ${r}[${s.at % n}].x + 0.5 * ${q}.y;`);
    this.declare(sc, v, true);
  }

  /** `const [v1, , v2 = e] = a` or `let [v1, v2] = [e0, e1]`: each bound name is a new local. */
  private destructure(s: Destructure, sc: Scope, ind: string, out: string[]): void {
    const fromArray = s.literal === null && sc.arrays.length > 0;
    // From an array of n elements: at most n names, or n + 1 when the last has a default (which then applies).
    const holes = s.holes.slice(0, this.prog.n + (s.dflt ? 1 : 0));
    const items = fromArray ? holes : s.literal ?? [s.dflt ?? { k: "lit", v: 1 }, { k: "lit", v: 2 }];
    const source = fromArray ? this.touch(sc, sc.arrays[s.a % sc.arrays.length]!.name) : `[${(items as Expr[]).map((e) => this.expr(e, sc)).join(", ")}]`;
    const names: string[] = [];
    const pattern = items.map((item, i) => {
      // A hole skips an element (never the first, so something is bound).
      if (fromArray && item === true && i > 0) return "";
      const name = this.fresh("v");
      names.push(name);
      // The default applies when the array is shorter (n = 2 or 3 of up to 4 elements).
      const dflt = fromArray && s.dflt && i === items.length - 1 ? ` = ${this.atom(s.dflt, sc)}` : "";
      return `${name}${dflt}`;
    });
    out.push(`${ind}${s.mut ? "let" : "const"} [${pattern.join(", ")}] = ${source};`);
    for (const name of names) this.declare(sc, name, s.mut);
  }

  /** `switch (counter % 3)`: the key is an integer, never data, so finite differences never flip a case. */
  private switchStmt(s: Switch, sc: Scope, ind: string, out: string[]): void {
    const key = sc.counters.length > 0 ? `${this.touch(sc, sc.counters[s.key % sc.counters.length]!.name)} % 3` : `${s.key} % 3`;
    out.push(`${ind}switch (${key}) {`);
    // Case bodies hold no break or continue: a break there would leave the switch from inside an if.
    const clause = (head: string, body: Stmt[], end: boolean): void => {
      out.push(`${ind}  ${head} {`);
      this.block(body, this.child(sc, { inLoop: false }), ind + "  ", out);
      if (end) out.push(`${ind}    break;`);
      out.push(`${ind}  }`);
    };
    s.cases.forEach((body, i) => clause(`case ${i}:`, body, !(s.fall && i === 0 && s.cases.length > 1)));
    if (s.dflt) clause("default:", s.dflt, false);
    out.push(`${ind}}`);
  }

  fn(k: number, fn: Fn, exported = false): string {
    this.returned = false;
    const kinds = paramKinds(fn);
    const params = kinds.map((kind, i) => ({ name: kind === "num" ? `x${i}` : kind === "count" ? `n${i}` : `a${i}`, kind }));
    const typeOf = (kind: ParamKind) => (kind === "num" || kind === "count" ? "number" : kind === "f64" ? "Float64Array" : "number[]");
    // A helper's last number parameter may have a default, which calls may omit (defaultParameter).
    const dflt = this.defaultParameter(k, fn, kinds);
    const fallback = this.lit(LITERALS[k % LITERALS.length]!);
    // An optional parameter (`x2o?: number`) stands for the default, read once: `const x2 = x2o ?? c`.
    const optional = dflt !== undefined && this.on("optional-param") && k % 2 === 1;
    const declared = (p: { name: string }, i: number): string => (optional && i === dflt ? `${p.name}o?` : p.name);
    // A helper of two or three numbers (not the one differentiated on its own) may take them as a rest parameter.
    const last = this.prog.fns.length - 1;
    const rest = this.on("rest-param") && k < last && k !== this.prog.inner % last && !fn.recursive && dflt === undefined &&
      kinds.length >= 2 && kinds.every((x) => x === "num");
    if (rest) this.rest.add(k);
    const sig = rest
      ? `...xs${k}${this.mode === "ts" ? ": number[]" : ""}`
      : this.mode === "ts"
        ? params.map((p, i) => `${declared(p, i)}: ${typeOf(p.kind)}${i === dflt && !optional ? ` = ${fallback}` : ""}`).join(", ")
        : params.map((p, i) => `${declared(p, i).replace("?", "")}${i === dflt && !optional ? ` = ${fallback}` : ""}`).join(", ");
    const sc: Scope = {
      scalars: params.filter((p) => p.kind === "num").map((p) => ({ name: p.name, assignable: false })),
      arrays: params.filter((p) => p.kind === "f64" || p.kind === "arr").map((p) => ({ name: p.name, kind: p.kind as "f64" | "arr", writable: false })),
      counters: [],
      block: new Set(params.map((p) => p.name)),
      used: [new Set()],
      depth: 0,
      additive: { name: null },
      inLoop: false,
      inCallback: false,
    };
    const out: string[] = [];
    const name = this.fnName(k);
    const ret = this.mode === "ts" ? ": number" : "";
    const ex = exported && this.mode === "ts" ? "export " : "";
    out.push(fn.arrow ? `${ex}const ${name} = (${sig})${ret} => {` : `${ex}function ${name}(${sig})${ret} {`);
    if (optional) out.push(`  const ${params[dflt]!.name} = ${params[dflt]!.name}o ?? ${fallback};`);
    if (rest) out.push(`  const [${params.map((p) => p.name).join(", ")}] = xs${k};`);
    this.self = null;
    if (fn.recursive) {
      const count = params[params.length - 1]!.name;
      out.push(`  if (${this.cmp("<=", count, "0")}) return ${this.expr(fn.ret, { ...sc, depth: 1 })};`);
      this.returned = true;
      this.self = { name, kinds, count };
    }
    this.stmts(fn.body, sc, "  ", out);
    // Fold the top-level locals into the result so that they are live.
    const locals = fn.mix === 0 ? [] : sc.scalars.filter((v) => /^v\d+$/.test(v.name)).slice(-fn.mix);
    const mix = locals.map((v, i) => ` + ${LITERALS[(i + fn.mix) % 8]} * ${v.name}`).join("");
    out.push(`  return ${mix ? this.atom(fn.ret, sc) : this.expr(fn.ret, sc)}${mix};`);
    out.push(fn.arrow ? "};" : "}");
    this.self = null;
    this.sigs.push(kinds);
    return out.join("\n");
  }
}

function isCall(s: string): boolean {
  // name(...) with balanced parentheses around the whole argument list.
  const m = /^[\w.$]+\(/.exec(s);
  if (!m || !s.endsWith(")")) return false;
  let depth = 0;
  for (let i = m[0].length - 1; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) return i === s.length - 1;
  }
  return false;
}

export interface Rendered {
  /** The functions, in order (helpers, then the entry point). */
  readonly code: string;
  /** The helpers and the entry point apart. */
  readonly helpers: string;
  readonly entryCode: string;
  readonly helperNames: string[];
  /** The helpers go to another file (exported) and the entry point imports them. */
  readonly split: boolean;
  /** Name of the entry point (the last function) and its parameter kinds. */
  readonly entry: string;
  readonly kinds: ParamKind[];
  /** A helper differentiated on its own, if any. */
  readonly inner: { name: string; kinds: ParamKind[] } | null;
}

export function render(prog: Program, id: string, mode: Mode, cfg: GenConfig): Rendered {
  const sigs: ParamKind[][] = [];
  const r = new Renderer(prog, id, mode, cfg, sigs);
  const last = prog.fns.length - 1;
  const split = prog.split && last > 0 && cfg.features.has("imported-call");
  const codes = prog.fns.map((fn, k) => r.fn(k, fn, split && k < last));
  const inner =
    last > 0 && cfg.features.has("inner-grad")
      ? { name: r.fnName(prog.inner % last), kinds: sigs[prog.inner % last]! }
      : null;
  return {
    code: codes.join("\n\n"),
    helpers: codes.slice(0, last).join("\n\n"),
    entryCode: codes[last]!,
    helperNames: prog.fns.slice(0, last).map((_, k) => r.fnName(k)),
    split,
    entry: r.fnName(last),
    kinds: sigs[last]!,
    inner,
  };
}

/** Runtime names the generated code may use. */
export const RUNTIME_IMPORTS = [
  "arange",
  "dot",
  "full",
  "linspace",
  "logSumExp",
  "map",
  "map2",
  "max",
  "mean",
  "min",
  "norm",
  "ones",
  "prod",
  "stopGradient",
  "sum",
  "tensor",
  "zeros",
] as const;

/**
 * The parameters of the entry point's extra grad(f, subset): a proper,
 * non-empty subset, or null. A single parameter k is written grad(f, k) (or
 * grad(f) for 0) and gives the gradient itself, not a tuple.
 */
export function wrtSubset(prog: Program, params: number, cfg: GenConfig): number[] | null {
  if (!cfg.features.has("wrt-subset") || params < 2) return null;
  const picked = Array.from({ length: params }, (_, i) => i).filter((i) => (prog.subset >> i % 4) & 1);
  return picked.length === 0 || picked.length === params ? null : picked;
}

export interface ProgramText {
  /** What goes in the programs file. */
  readonly text: string;
  /** What goes in the helpers file (the helpers of a split program), or "". */
  readonly lib: string;
  /** Names the programs file imports from the helpers file. */
  readonly imports: string[];
}

/** The TypeScript of one program with its exported entry (grad and valueAndGrad are created lazily). */
export function programSource(prog: Program, id: string, cfg: GenConfig): ProgramText {
  const r = render(prog, id, "ts", cfg);
  const wrt = (kinds: ParamKind[]) => `[${kinds.map((_, i) => i).join(", ")}]`;
  const parts = [
    `f: ${r.entry}`,
    `grad: grad(${r.entry}, ${wrt(r.kinds)})`,
    `valueAndGrad: valueAndGrad(${r.entry}, ${wrt(r.kinds)})`,
  ];
  if (r.inner) parts.push(`inner: ${r.inner.name}`, `innerGrad: grad(${r.inner.name}, ${wrt(r.inner.kinds)})`);
  const subset = wrtSubset(prog, r.kinds.length, cfg);
  if (subset) {
    const call = subset.length > 1 ? `[${subset.join(", ")}]` : subset[0] === 0 && prog.subset & 16 ? "" : String(subset[0]);
    parts.push(`gradSubset: grad(${r.entry}${call ? `, ${call}` : ""})`);
  }
  const extras = extrasSource(extrasOf(prog, id, cfg), id, { name: r.entry, kinds: r.kinds, source: r.code, n: prog.n, helpers: r.helperNames.length });
  parts.push(...extras.parts);
  const thunk = `${extras.code ? `${extras.code}\n\n` : ""}export function ${id}() {\n  return { ${parts.join(", ")} };\n}\n`;
  return r.split
    ? { text: `${r.entryCode}\n\n${thunk}`, lib: `${r.helpers}\n`, imports: r.helperNames }
    : { text: `${r.code}\n\n${thunk}`, lib: "", imports: [] };
}

/** The extra transforms program `id` gets: those its features ask for that apply to its entry point. */
export function extrasOf(prog: Program, id: string, cfg: GenConfig): Extras {
  const r = render(prog, id, "ts", cfg);
  return applicable(prog.extras, { name: r.entry, kinds: r.kinds, source: r.code, n: prog.n, helpers: r.helperNames.length }, cfg);
}

export const MARKER = /^\/\/ ==== program (\w+) ====$/;

/**
 * The programs file and the helpers file of a chunk of programs: imports,
 * then each program between markers. The programs file imports `./<lib>.js`.
 */
export function fileSources(programs: { id: string; source: ProgramText }[], lib: string): { main: string; lib: string } {
  const runtime = `import { checkpoint, customGrad, grad, hessian, jacfwd, jacobian, jvp, valueAndGrad, vjp, ${RUNTIME_IMPORTS.join(", ")} } from "tsgrad";\n`;
  const imports = programs.flatMap((p) => p.source.imports);
  const body = (pick: (p: ProgramText) => string) =>
    programs
      .filter((p) => pick(p.source))
      .map((p) => `\n// ==== program ${p.id} ====\n${pick(p.source)}`)
      .join("");
  const main = runtime + (imports.length > 0 ? `import { ${imports.join(", ")} } from "./${lib}.js";\n` : "") + body((s) => s.text) + "\n";
  return { main, lib: runtime + body((s) => s.lib) + "\n" };
}

/** The full source of one program, for reports: the helpers file part, then the programs file part. */
export function fullSource(s: ProgramText): string {
  return s.lib ? `// helpers file (imported by the entry point's file):\n${s.lib.trim()}\n\n// entry point's file:\n${s.text.trim()}\n` : s.text;
}
