// Checks the transforms of more-transforms.ts. First-order results are compared
// with the compiled grad(f) (itself checked against finite differences by
// check.ts), through the chain rule of the wrappers, which is known in closed
// form: V = [y, y²/2, sin y] has rows G, y G, cos(y) G. The Jacobians are also
// compared with each other and with central differences of the compiled V; vjp
// passes a dot-product test against jvp. Second-order results (jvp(grad(f)),
// jacobian(grad(G)), jacfwd(grad(G))) go against hessian(G) and central
// differences of grad(f), where the traced f takes the centre's decisions.

import { appendFileSync } from "node:fs";
import { argsOf, coordinates, flattenGradient, sameUpToOrder } from "./check.js";
import type { ParamKind } from "./gen.js";
import { differences } from "./differences.js";
import { jacobianParams, ROLLOUT_STEPS, SUM_STEPS } from "./more-transforms.js";
import type { ExtrasTarget } from "./transforms-check.js";

type Fn = (...args: never[]) => unknown;
type Call = (label: string, fn: Fn, args: unknown[]) => unknown;
type Fail = (msg: string) => void;

export interface MoreContext {
  readonly t: ExtrasTarget;
  readonly x: readonly number[];
  readonly value: number;
  readonly G: readonly number[];
  readonly near: (a: number, b: number) => boolean;
  readonly call: Call;
  readonly fail: Fail;
  /** The traced f's decisions at x. */
  readonly centre: readonly number[];
  /** Whether f went through stopGradient at x: then differences of its values are not its derivative. */
  readonly stopped: boolean;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const scaled = (c: number, v: readonly number[]): number[] => v.map((e) => c * e);
const show = (v: unknown): string => JSON.stringify(v, (_k, e: unknown) => (e instanceof Float64Array ? Array.from(e) : e));

/** Where parameter p's coordinates start, and how many it has. */
function span(kinds: readonly ParamKind[], n: number, p: number): [number, number] {
  return [coordinates(kinds.slice(0, p), n), coordinates([kinds[p]!], n)];
}

/** The direction with loop counts held fixed (a difference step cannot change a count). */
function fixedCounts(kinds: readonly ParamKind[], n: number, d: readonly number[]): number[] {
  const out = [...d];
  kinds.forEach((k, p) => {
    if (k === "count") out[span(kinds, n, p)[0]] = 0;
  });
  return out;
}

/** What the first-order checks share: f's arguments at x, a gradient flattened (or a failure), a comparison, a direction. */
interface FirstOrderHelpers {
  readonly args: () => unknown[];
  readonly flat: (label: string, g: unknown) => number[] | null;
  readonly expectNear: (label: string, got: readonly number[], want: readonly number[]) => void;
  readonly direction: readonly number[];
}

export function checkMoreFirstOrder(c: MoreContext): void {
  const { t, x, value, G, near, call, fail } = c;
  const { kinds, made, prog } = t;
  const more = t.extras.more;
  const n = prog.n;
  const args = (): unknown[] => argsOf(kinds, n, x);
  const flat = (label: string, g: unknown): number[] | null => {
    const out = flattenGradient(g, kinds, n);
    if (typeof out === "string") {
      fail(`${label}: ${out}`);
      return null;
    }
    return out;
  };
  const expectNear = (label: string, got: readonly number[], want: readonly number[]): void => {
    if (got.length !== want.length || got.some((g, i) => !near(g, want[i]!))) fail(`${label} = [${got}] but expected [${want}]`);
  };
  const direction = prog.direction.slice(0, x.length);
  const helpers: FirstOrderHelpers = { args, flat, expectNear, direction };

  if (more.vjp) {
    const u = more.cotangent[0]!;
    const [v, g] = call("vjp(f)", made.vjp!, [...args(), u]) as [number, unknown];
    if (!near(v, value)) fail(`vjp(f) value ${v} is not f's ${value}`);
    const grads = flat("vjp(f)", g);
    if (grads) {
      expectNear(`vjp(f) with cotangent ${u}`, grads, scaled(u, G));
      // <vjp(f)(x, u), v> = <u, jvp(f)(x, v)>
      const tangent = (call("jvp(f)", made.vjpJvp!, [...args(), ...argsOf(kinds, n, direction)]) as [number, number])[1];
      if (!near(dot(grads, direction), u * tangent)) fail(`dot-product test: <vjp(f)(x, ${u}), v> = ${dot(grads, direction)} but ${u} * jvp(f)(x, v) = ${u * tangent}`);
    }
  }

  if (more.vector !== "none") checkVector(c, helpers);

  if (more.aux) {
    const factor = more.stopOutputs ? 2 : 1;
    const want = scaled(2 * value, G);
    const [g, aux] = call("grad(A, hasAux)", made.Agrad!, args()) as [unknown, { y: number; label: string }];
    const grads = flat("grad(A, { hasAux: true })", g);
    if (grads) expectNear("grad(A, { hasAux: true })", grads, want);
    if (!aux || !near(aux.y, value) || aux.label !== t.id) fail(`grad(A, { hasAux: true }) aux ${show(aux)} is not { y: ${value}, label: "${t.id}" }`);
    const [[loss, aux2], g2] = call("valueAndGrad(A, hasAux)", made.AvalueAndGrad!, args()) as [[number, { y: number; label: string }], unknown];
    if (!near(loss, factor * value * value)) fail(`valueAndGrad(A, { hasAux: true }) loss ${loss}, expected ${factor * value * value}`);
    if (!aux2 || !near(aux2.y, value) || aux2.label !== t.id) fail(`valueAndGrad(A, { hasAux: true }) aux ${show(aux2)} is not { y: ${value}, label: "${t.id}" }`);
    const grads2 = flat("valueAndGrad(A, { hasAux: true })", g2);
    if (grads && grads2 && !sameUpToOrder(grads2, grads)) fail(`valueAndGrad(A, { hasAux: true }) gradient [${grads2}] differs from grad's [${grads}]`);
  }

  if (more.into) {
    // Filled with NaN: the generated code must zero the caller's storage before accumulating.
    const storage = (): unknown[] => kinds.map((k) => (k === "f64" ? new Float64Array(n).fill(NaN) : k === "arr" ? new Array<number>(n).fill(NaN) : NaN));
    const into = storage();
    const out = call("grad(f, { into: true })", made.gradInto!, [...args(), into]);
    if (out !== into) fail(`grad(f, { into: true }) returned ${show(out)}, not the tuple it was given`);
    else {
      const kept = kinds.every((k, i) => k === "num" || k === "count" || (out as unknown[])[i] === into[i]);
      if (!kept) fail("grad(f, { into: true }) replaced an array of `into` instead of filling it");
      const grads = flat("grad(f, { into: true })", out);
      if (grads) expectNear("grad(f, { into: true })", grads, G);
    }
    const into2 = storage();
    const [v, out2] = call("valueAndGrad(f, { into: true })", made.valueAndGradInto!, [...args(), into2]) as [number, unknown];
    if (!Object.is(v, value)) fail(`valueAndGrad(f, { into: true }) value ${v} is not f's ${value}`);
    if (out2 !== into2) fail(`valueAndGrad(f, { into: true }) returned ${show(out2)}, not the tuple it was given`);
    else {
      const grads = flat("valueAndGrad(f, { into: true })", out2);
      if (grads) expectNear("valueAndGrad(f, { into: true })", grads, G);
    }
  }

  if (more.checkpoint) checkCheckpoint(c, helpers);
}

function checkVector(c: MoreContext, helpers: FirstOrderHelpers): void {
  const { args, flat, expectNear, direction } = helpers;
  const { t, x, value: y, G, near, call, fail } = c;
  const { kinds, made, prog } = t;
  const more = t.extras.more;
  const n = prog.n;
  const rows = more.vector === "array" ? [[...G], scaled(y, G), scaled(Math.cos(y), G)] : [[...G], scaled(y, G)];
  const values = more.vector === "array" ? [y, 0.5 * y * y, Math.sin(y)] : [y, 0.5 * y * y];
  const label = more.vector === "array" ? "V (number[])" : "V (tuple)";
  const v = call("V", made.V!, args()) as number[];
  if (!Array.isArray(v) || v.length !== values.length || v.some((e, i) => !near(e, values[i]!))) {
    fail(`${label} = ${show(v)}, expected [${values}]`);
    return;
  }
  const cot = more.cotangent.slice(0, rows.length);
  const [value, g] = call("vjp(V)", made.Vvjp!, [...args(), [...cot]]) as [number[], unknown];
  if (!Array.isArray(value) || value.some((e, i) => !Object.is(e, v[i]))) fail(`vjp(${label}) value ${show(value)} is not V's ${show(v)}`);
  const grads = flat(`vjp(${label})`, g);
  const want = rows[0]!.map((_, j) => rows.reduce((s, r, k) => s + cot[k]! * r[j]!, 0));
  if (grads) expectNear(`vjp(${label}) with cotangent [${cot}]`, grads, want);
  const [jv, tangent] = call("jvp(V)", made.Vjvp!, [...args(), ...argsOf(kinds, n, direction)]) as [number[], number[]];
  if (!Array.isArray(jv) || jv.some((e, i) => !Object.is(e, v[i]))) fail(`jvp(${label}) value ${show(jv)} is not V's ${show(v)}`);
  if (!Array.isArray(tangent) || tangent.length !== rows.length || tangent.some((e, k) => !near(e, dot(rows[k]!, direction)))) {
    fail(`jvp(${label}) tangent ${show(tangent)} but the rows give [${rows.map((r) => dot(r, direction))}]`);
  } else if (grads && !near(dot(grads, direction), dot(cot, tangent))) {
    fail(`dot-product test: <vjp(V)(x, u), v> = ${dot(grads, direction)} but <u, jvp(V)(x, v)> = ${dot(cot, tangent)}`);
  }
  if (!more.jacobian && !more.jacfwd) return;
  // One Jacobian per selected parameter: a tuple of them for a wrt array.
  const selected = more.jacAll ? jacobianParams(kinds) : [more.jacParam];
  const wrt = more.jacAll ? `[${selected.join(", ")}]` : `${more.jacParam}`;
  const partsOf = (label2: string, jac: unknown): unknown[] | null => {
    if (!more.jacAll) return [jac];
    if (Array.isArray(jac) && jac.length === selected.length) return jac;
    fail(`${label2} with a wrt array returned ${show(jac)}, not a tuple of ${selected.length} Jacobians`);
    return null;
  };
  const reverse = more.jacobian ? partsOf(`jacobian(V, ${wrt})`, call("jacobian(V)", made.Vjacobian!, args())) : null;
  // FUZZ_JACOBIAN_PATHS=file: a line per jacobian(V) saying whether its rows shared the forward sweep (jacobian.ts).
  if (more.jacobian && process.env.FUZZ_JACOBIAN_PATHS) appendFileSync(process.env.FUZZ_JACOBIAN_PATHS, /_vjp[\w]*\([^;]*\)\[1\]/.test(String(made.Vjacobian)) ? "vjp per row\n" : "shared forward\n");
  const forward = more.jacfwd ? partsOf(`jacfwd(V, ${wrt})`, call("jacfwd(V)", made.Vjacfwd!, args())) : null;
  selected.forEach((p, s) => {
    const [at, width] = span(kinds, n, p);
    const number = kinds[p] === "num" || kinds[p] === "count";
    // Rows, one per output (a tuple's two or the array's three): a number per output for a number parameter.
    const expected = rows.map((r) => r.slice(at, at + width));
    const asRows = (label2: string, jac: unknown): number[][] | null => {
      if (!Array.isArray(jac) || jac.length !== rows.length) {
        fail(`${label2} returned ${show(jac)}, expected ${rows.length} ${number ? "numbers" : "rows"}`);
        return null;
      }
      if (number) return jac.every((e) => typeof e === "number") ? (jac as number[]).map((e) => [e]) : (fail(`${label2} of a number parameter returned ${show(jac)}, not number[]`), null);
      const ok = jac.every((r) => Array.isArray(r) && r.length === width);
      return ok ? (jac as number[][]) : (fail(`${label2} returned ${show(jac)}, not ${rows.length} rows of ${width}`), null);
    };
    const of = more.jacAll ? ` (parameter ${p})` : "";
    const jr = reverse ? asRows(`jacobian(V, ${wrt})${of}`, reverse[s]) : null;
    const jf = forward ? asRows(`jacfwd(V, ${wrt})${of}`, forward[s]) : null;
    for (const [name, jac] of [[`jacobian(V, ${wrt})${of}`, jr], [`jacfwd(V, ${wrt})${of}`, jf]] as const) {
      if (!jac) continue;
      jac.forEach((r, k) => expectNear(`${name} row ${k}`, r, expected[k]!));
    }
    if (jr && jf && jr.some((r, k) => r.some((e, j) => !near(e, jf[k]![j]!)))) fail(`jacobian(V, ${wrt})${of} = ${show(jr)} and jacfwd(V, ${wrt})${of} = ${show(jf)} differ`);
    // `{ into: true }` (one parameter): the same Jacobian in the caller's storage, filled with NaN first (an entry left
    // unwritten shows), rows of the parameter's kind (one entry per output for a number), the storage itself returned and its rows kept.
    for (const [name, made1, plain] of [[`jacobian(V, ${p}, { into: true })`, made.VjacobianInto, jr], [`jacfwd(V, ${p}, { into: true })`, made.VjacfwdInto, jf]] as const) {
      if (!more.into || more.jacAll || !made1 || !plain) continue;
      const kind = kinds[p];
      const into: unknown[] = number ? new Array<number>(rows.length).fill(NaN) : rows.map(() => (kind === "f64" ? new Float64Array(width).fill(NaN) : new Array<number>(width).fill(NaN)));
      const kept = [...into];
      const out = call(name, made1, [...args(), into]);
      if (out !== into) {
        fail(`${name} returned ${show(out)}, not the storage it was given`);
        continue;
      }
      if (!number && kept.some((r, k) => into[k] !== r)) fail(`${name} replaced a row of \`into\` instead of filling it`);
      const got = number ? (into as number[]).map((e) => [e]) : (into as ArrayLike<number>[]).map((r) => Array.from(r));
      got.forEach((r, k) => expectNear(`${name} row ${k}`, r, plain[k]!));
    }
    // Central differences of the compiled V, column by column.
    const jac = jr ?? jf;
    if (!jac || kinds[p] === "count" || c.stopped) return;
    const diff = differences(c);
    for (let j = 0; j < width; j++) {
      const e = x.map((_, i) => (i === at + j ? 1 : 0));
      for (let k = 0; k < rows.length; k++) {
        const verdict = diff.along((yy) => (call("V", made.V!, argsOf(kinds, n, yy)) as number[])[k]!, e, jac[k]![j]!);
        if (verdict === false) fail(`${jr ? "jacobian" : "jacfwd"}(V, ${wrt})${of}[${k}][${j}] = ${jac[k]![j]} disagrees with differences of V`);
      }
    }
  });
}

/** grad and jvp of K, the loop through checkpoint(f), against the chain rule over grad(f). */
function checkCheckpoint(c: MoreContext, helpers: FirstOrderHelpers): void {
  const { args, flat, expectNear, direction } = helpers;
  const { t, x, value, G, near, call, fail } = c;
  const { kinds, made, prog } = t;
  const n = prog.n;
  let expectedValue: number;
  let want: number[];
  if (kinds[0] === "num") {
    // s ← f(s, rest), ROLLOUT_STEPS times; backward: s̄ ← s̄ ∂f/∂s, r̄ += s̄ ∂f/∂r.
    const states = [x[0]!];
    for (let k = 0; k < ROLLOUT_STEPS; k++) {
      const y = [states[k]!, ...x.slice(1)];
      states.push(call("f", made.f!, argsOf(kinds, n, y)) as number);
    }
    expectedValue = states[ROLLOUT_STEPS]!;
    if (!states.every((s) => Number.isFinite(s) && Math.abs(s) < 1e50)) return;
    let sBar = 1;
    const rest = x.map(() => 0);
    for (let k = ROLLOUT_STEPS - 1; k >= 0; k--) {
      const g = flat("grad(f) in the rollout", call("grad(f)", made.grad!, argsOf(kinds, n, [states[k]!, ...x.slice(1)])));
      if (!g || g.some((e) => !Number.isFinite(e) || Math.abs(e) > 1e50)) return;
      for (let i = 1; i < x.length; i++) rest[i]! += sBar * g[i]!;
      sBar *= g[0]!;
    }
    want = [sBar, ...rest.slice(1)];
  } else {
    // s ← s/2 + f, SUM_STEPS times: (1 + 1/2 + 1/4) f.
    const w = Array.from({ length: SUM_STEPS }, (_, k) => 0.5 ** k).reduce((a, b) => a + b, 0);
    expectedValue = w * value;
    want = scaled(w, G);
  }
  const kv = call("K", made.K!, args()) as number;
  if (!near(kv, expectedValue)) fail(`K (through checkpoint(f)) = ${kv}, expected ${expectedValue}`);
  const g = flat("grad(K) through checkpoint(f)", call("grad(K)", made.Kgrad!, args()));
  if (g) expectNear("grad(K) through checkpoint(f)", g, want);
  const [jv, tangent] = call("jvp(K)", made.Kjvp!, [...args(), ...argsOf(kinds, n, direction)]) as [number, number];
  if (!Object.is(jv, kv)) fail(`jvp(K) value ${jv} is not K's ${kv}`);
  if (!near(tangent, dot(want, direction))) fail(`jvp(K) through checkpoint(f) tangent ${tangent} but <grad K, v> = ${dot(want, direction)}`);
}

/** jvp(grad(f)) and the Jacobians of grad(G), against hessian(G) and differences of grad(f). */
export function checkMoreSecondOrder(c: MoreContext): void {
  const { t, x, G, near, call, fail } = c;
  const { kinds, made, prog } = t;
  const more = t.extras.more;
  const n = prog.n;
  if (!more.jvpGrad && !more.jacGrad) return;
  const diff = differences(c);
  const gradAt = (i: number) => (y: readonly number[]): number => {
    const g = flattenGradient(call("grad(f)", made.grad!, argsOf(kinds, n, y)), kinds, n);
    if (typeof g === "string") throw new Error(`grad(f): ${g}`);
    return g[i]!;
  };
  if (more.jvpGrad) {
    const d = fixedCounts(kinds, n, prog.direction.slice(0, x.length));
    const [g0, tangent] = call("jvp(grad(f))", made.jvpGrad!, [...argsOf(kinds, n, x), ...argsOf(kinds, n, d)]) as [number, number];
    if (!near(g0, G[0]!)) fail(`jvp(grad(f)) value ${g0} is not grad(f)'s ${G[0]}`);
    if (diff.along(gradAt(0), d, tangent) === false) fail(`jvp(grad(f)) tangent ${tangent} disagrees with differences of grad f along [${d}]`);
  }
  if (more.jacGrad) {
    const a = kinds.map((_, i) => x[i]!);
    const H = call("hessian(G)", made.GH!, [a]) as number[][];
    const J = call("jacobian(grad(G))", made.Gjacobian!, [a]) as number[][];
    const F = call("jacfwd(grad(G))", made.Gjacfwd!, [a]) as number[][];
    const square = (m: unknown): boolean => Array.isArray(m) && m.length === a.length && m.every((r) => Array.isArray(r) && r.length === a.length);
    for (const [name, m] of [["hessian(G)", H], ["jacobian(grad(G))", J], ["jacfwd(grad(G))", F]] as const) {
      if (!square(m)) {
        fail(`${name} returned ${show(m)}, not ${a.length} rows of ${a.length}`);
        return;
      }
    }
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < a.length; j++) {
        if (!near(J[i]![j]!, H[i]![j]!)) fail(`jacobian(grad(G))[${i}][${j}] = ${J[i]![j]} but hessian(G) gives ${H[i]![j]}`);
        if (!near(F[i]![j]!, H[i]![j]!)) fail(`jacfwd(grad(G))[${i}][${j}] = ${F[i]![j]} but hessian(G) gives ${H[i]![j]}`);
        if (kinds[i] !== "num" || kinds[j] !== "num") continue;
        const e = x.map((_, k) => (k === j ? 1 : 0));
        if (diff.along(gradAt(i), e, J[i]![j]!) === false) fail(`jacobian(grad(G))[${i}][${j}] = ${J[i]![j]} disagrees with differences of grad f`);
      }
    }
  }
}
