// The rest of the transform set (issue 15) over the generated programs: each
// program's entry point f is also
//   - differentiated by vjp(f, all) with a scalar cotangent;
//   - wrapped in a vector-valued V(...) = [y, y²/2, sin y] (y = f(...)),
//     returned as a number[] or as a tuple [y, y²/2], and differentiated by
//     vjp, jvp, jacobian and jacfwd (a row per output of either; with the
//     jacobian-wrt-array feature, half the time with respect to every
//     parameter that is not a loop count, as a wrt array: a tuple of Jacobians;
//     with `into` and a number[] result, the Jacobians into the caller's storage as well);
//   - wrapped in A(...) = [y², { y, label }] for grad / valueAndGrad with hasAux;
//   - differentiated by grad / valueAndGrad with { into: true };
//   - called through checkpoint(f) inside a loop (a rollout of f's first
//     parameter when that is a number), by grad and jvp;
//   - differentiated by jvp(grad(f)) and, over G(a) = f(a[0], ...), by
//     jacobian(grad(G)) and jacfwd(grad(G)) next to hessian(G).
// With the stop-gradient-outputs feature, V's and A's nonlinear parts go through
// stopGradient with the same first derivative (y stopGradient(y) -
// stopGradient(y²)/2 for y²/2): stopGradient under every transform. more-transforms-check.ts checks them.

import fc from "fast-check";
import type { Feature, GenConfig, ParamKind } from "./gen.js";

export interface MoreExtras {
  readonly vjp: boolean;
  readonly vector: "none" | "array" | "tuple";
  readonly jacobian: boolean;
  readonly jacfwd: boolean;
  /** Which parameter the Jacobians take (an index into the parameters that are not loop counts). */
  readonly jacParam: number;
  /** The Jacobians take a wrt array of every parameter that is not a loop count (decided by jacParam >= 4, no draw of its own). */
  readonly jacAll: boolean;
  readonly aux: boolean;
  readonly into: boolean;
  readonly checkpoint: boolean;
  readonly jvpGrad: boolean;
  readonly jacGrad: boolean;
  readonly stopOutputs: boolean;
  /** The cotangent of vjp(f) (its first entry) and of V. */
  readonly cotangent: readonly number[];
}

export const NO_MORE: MoreExtras = {
  vjp: false,
  vector: "none",
  jacobian: false,
  jacfwd: false,
  jacParam: 0,
  jacAll: false,
  aux: false,
  into: false,
  checkpoint: false,
  jvpGrad: false,
  jacGrad: false,
  stopOutputs: false,
  cotangent: [1, 1, 1],
};

export function moreArbitrary(cfg: GenConfig): fc.Arbitrary<MoreExtras> {
  const on = (f: Feature): boolean => cfg.features.has(f);
  // Unbiased (fast-check leans towards small numbers): each transform in about `freq` of the programs.
  const maybe = (f: Feature, freq: number): fc.Arbitrary<boolean> => (on(f) ? fc.noBias(fc.integer({ min: 0, max: 999 })).map((k) => k < 1000 * freq) : fc.constant(false));
  const vectors: MoreExtras["vector"][] = ["none", "none"];
  if (on("vector-array")) vectors.push("array");
  if (on("vector-tuple")) vectors.push("tuple");
  // No draw for jacAll: the programs of existing seeds stay as they were.
  return fc.record({
    vjp: maybe("vjp", 0.25),
    vector: fc.noBias(fc.constantFrom(...vectors)),
    jacobian: maybe("jacobian", 0.7),
    jacfwd: maybe("jacfwd", 0.7),
    jacParam: fc.nat({ max: 7 }),
    jacAll: fc.constant(on("jacobian-wrt-array")),
    aux: maybe("has-aux", 0.2),
    into: maybe("into", 0.2),
    checkpoint: maybe("checkpoint", 0.25),
    jvpGrad: maybe("jvp-grad", 0.25),
    jacGrad: maybe("jacobian-grad", 0.25),
    stopOutputs: maybe("stop-gradient-outputs", 0.5),
    cotangent: fc.array(
      fc.integer({ min: -16, max: 16 }).map((k) => (k === 0 ? 1 : k / 8)),
      { minLength: 3, maxLength: 3 },
    ),
  });
}

/** What these transforms need to know of f. */
export interface MoreInfo {
  readonly kinds: readonly ParamKind[];
  /** Whether grad(grad(f)) may be generated for f (transforms.ts's rules for nested-grad). */
  readonly nestable: boolean;
}

/** Which of these transforms apply to f. */
export function moreApplicable(x: MoreExtras, info: MoreInfo): MoreExtras {
  const { kinds } = info;
  const numbersOnly = kinds.every((k) => k === "num" || k === "count") && kinds.some((k) => k === "num");
  return {
    ...x,
    jacobian: x.vector !== "none" && x.jacobian,
    jacfwd: x.vector !== "none" && x.jacfwd,
    jacParam: jacobianParam(kinds, x.jacParam),
    jacAll: x.jacAll && x.jacParam >= 4 && x.vector !== "none" && (x.jacobian || x.jacfwd) && kinds.some((k) => k !== "count"),
    jvpGrad: x.jvpGrad && kinds[0] === "num" && info.nestable,
    jacGrad: x.jacGrad && numbersOnly,
    stopOutputs: x.stopOutputs && (x.vector !== "none" || x.aux),
  };
}

/** The parameters that are not loop counts: what the Jacobians may take. */
export function jacobianParams(kinds: readonly ParamKind[]): number[] {
  return kinds.map((kind, i) => (kind === "count" ? -1 : i)).filter((i) => i >= 0);
}

/** The parameter the Jacobians take: the k-th (cyclically) that is not a loop count. */
function jacobianParam(kinds: readonly ParamKind[], k: number): number {
  const candidates = jacobianParams(kinds);
  return candidates.length === 0 ? 0 : candidates[k % candidates.length]!;
}

export function moreFeatures(x: MoreExtras): Feature[] {
  const out: Feature[] = [];
  if (x.vjp) out.push("vjp");
  if (x.vector === "array") out.push("vector-array");
  if (x.vector === "tuple") out.push("vector-tuple");
  if (x.jacobian) out.push("jacobian");
  if (x.jacfwd) out.push("jacfwd");
  if (x.jacAll) out.push("jacobian-wrt-array");
  if (x.aux) out.push("has-aux");
  if (x.into) out.push("into");
  if (x.checkpoint) out.push("checkpoint");
  if (x.jvpGrad) out.push("jvp-grad");
  if (x.jacGrad) out.push("jacobian-grad");
  if (x.stopOutputs) out.push("stop-gradient-outputs");
  return out;
}

/** Steps of the checkpointed rollout s ← f(s, ...); iterations of the weighted sum otherwise. */
export const ROLLOUT_STEPS = 2;
export const SUM_STEPS = 3;

/** The TypeScript of these transforms for program `id`: declarations, and entries of its thunk. */
export function moreSource(x: MoreExtras, id: string, f: string, kinds: readonly ParamKind[], params: string, names: readonly string[]): { code: string[]; parts: string[] } {
  const code: string[] = [];
  const parts: string[] = [];
  const all = `[${kinds.map((_, i) => i).join(", ")}]`;
  const call = `${f}(${names.join(", ")})`;
  // y²/2, or y stopGradient(y) - stopGradient(y²)/2: the same value and derivative, y y'.
  const half = x.stopOutputs ? "y * stopGradient(y) - stopGradient(y * y) / 2" : "0.5 * y * y";
  if (x.vjp) parts.push(`vjp: vjp(${f}, ${all})`, `vjpJvp: jvp(${f})`);
  if (x.vector !== "none") {
    const [type, value] = x.vector === "array" ? ["number[]", `[y, ${half}, Math.sin(y)]`] : ["[number, number]", `[y, ${half}]`];
    code.push(`function ${id}_V(${params}): ${type} {\n  const y = ${call};\n  return ${value};\n}`);
    parts.push(`V: ${id}_V`, `Vvjp: vjp(${id}_V, ${all})`, `Vjvp: jvp(${id}_V)`);
    const wrt = x.jacAll ? `[${jacobianParams(kinds).join(", ")}]` : `${x.jacParam}`;
    if (x.jacobian) parts.push(`Vjacobian: jacobian(${id}_V, ${wrt})`);
    if (x.jacfwd) parts.push(`Vjacfwd: jacfwd(${id}_V, ${wrt})`);
    // With into (a number[] result, one parameter), the Jacobians also into the caller's storage
    // (rows, or one entry per output for a number).
    const intoJac = x.into && x.vector === "array" && !x.jacAll;
    if (x.jacobian && intoJac) parts.push(`VjacobianInto: jacobian(${id}_V, ${x.jacParam}, { into: true })`);
    if (x.jacfwd && intoJac) parts.push(`VjacfwdInto: jacfwd(${id}_V, ${x.jacParam}, { into: true })`);
  }
  if (x.aux) {
    // y², or y stopGradient(y) + stopGradient(y) y (2y²): the same derivative, 2 y y'.
    const loss = x.stopOutputs ? "y * stopGradient(y) + stopGradient(y) * y" : "y * y";
    code.push(`function ${id}_A(${params}): [number, { y: number; label: string }] {\n  const y = ${call};\n  return [${loss}, { y, label: "${id}" }];\n}`);
    parts.push(`Agrad: grad(${id}_A, ${all}, { hasAux: true })`, `AvalueAndGrad: valueAndGrad(${id}_A, ${all}, { hasAux: true })`);
  }
  if (x.into) parts.push(`gradInto: grad(${f}, ${all}, { into: true })`, `valueAndGradInto: valueAndGrad(${f}, ${all}, { into: true })`);
  if (x.checkpoint) {
    code.push(`const ${id}_ck = checkpoint(${f});`);
    const rest = names.slice(1).join(", ");
    const body =
      kinds[0] === "num"
        ? `  let s = ${names[0]};\n  for (let k = 0; k < ${ROLLOUT_STEPS}; k++) {\n    s = ${id}_ck(s${rest ? `, ${rest}` : ""});\n  }\n  return s;`
        : `  let s = 0;\n  for (let k = 0; k < ${SUM_STEPS}; k++) {\n    s = 0.5 * s + ${id}_ck(${names.join(", ")});\n  }\n  return s;`;
    code.push(`function ${id}_K(${params}): number {\n${body}\n}`);
    parts.push(`K: ${id}_K`, `Kgrad: grad(${id}_K, ${all})`, `Kjvp: jvp(${id}_K)`);
  }
  if (x.jvpGrad) parts.push(`jvpGrad: jvp(grad(${f}))`);
  if (x.jacGrad) {
    const nums = kinds.map((_, i) => `a[${i}]`).join(", ");
    code.push(`function ${id}_G(a: number[]): number {\n  return ${f}(${nums});\n}`);
    parts.push(`GH: hessian(${id}_G)`, `Gjacobian: jacobian(grad(${id}_G))`, `Gjacfwd: jacfwd(grad(${id}_G))`);
  }
  return { code, parts };
}
