// Benchmark workloads: structured code against the same computation written
// flat, each next to a hand-written gradient (bench/run.mjs, rows "kernel",
// "arm", "knots" and "chain"). The structured versions are written the way an
// application writes them: a local `number[][]` built in the function, a
// parameter of nested records with a helper returning a record, `findIndex` as
// a data-dependent index, and for...of over a filter/map chain.
import { grad } from "tsgrad";

// ---------------------------------------------------------------------------
// (a) A kernel matrix built as a local number[][], then a quadratic form:
// q = Σᵢⱼ vᵢ K(xᵢ, xⱼ) vⱼ with K(a, b) = exp(−(a − b)² / ℓ), w.r.t. the points x.

export function kernelMatrix(x: Float64Array, v: Float64Array, ell: number): number {
  const n = x.length;
  const K: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.exp(-((x[i]! - x[j]!) ** 2) / ell)));
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) q += v[i]! * K[i]![j]! * v[j]!;
  }
  return q;
}

export function kernelFlat(x: Float64Array, v: Float64Array, ell: number): number {
  const n = x.length;
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) q += v[i]! * Math.exp(-((x[i]! - x[j]!) ** 2) / ell) * v[j]!;
  }
  return q;
}

export const kernelMatrixGrad = grad(kernelMatrix);
export const kernelFlatGrad = grad(kernelFlat);

/** ∂q/∂xₖ = −(4/ℓ) vₖ Σⱼ vⱼ K(xₖ, xⱼ)(xₖ − xⱼ): each pair once, both ends (K is symmetric). */
export function kernelHand(x: Float64Array, v: Float64Array, ell: number): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const vi = v[i]!;
    let gi = 0;
    for (let j = i + 1; j < n; j++) {
      const d = xi - x[j]!;
      const s = (4 / ell) * vi * v[j]! * Math.exp(-(d * d) / ell) * d;
      gi -= s;
      g[j]! += s;
    }
    g[i]! += gi;
  }
  return g;
}

// ---------------------------------------------------------------------------
// (b) A two-joint arm as nested records, reaching for many targets: each target
// is seen from a base turned by φₜ; loss Σₜ |tip(arm, φₜ) − targetₜ|².

export interface Joint {
  angle: number;
  length: number;
}
export interface Arm {
  shoulder: Joint;
  elbow: Joint;
}

/** Where the arm's tip is, its base turned by `phi`. */
function tip(arm: Arm, phi: number): { x: number; y: number } {
  const a1 = arm.shoulder.angle + phi;
  const a2 = a1 + arm.elbow.angle;
  return {
    x: arm.shoulder.length * Math.cos(a1) + arm.elbow.length * Math.cos(a2),
    y: arm.shoulder.length * Math.sin(a1) + arm.elbow.length * Math.sin(a2),
  };
}

export function armReach(arm: Arm, phis: Float64Array, targets: Float64Array): number {
  let loss = 0;
  for (let t = 0; t < phis.length; t++) {
    const p = tip(arm, phis[t]!);
    loss += (p.x - targets[2 * t]!) ** 2 + (p.y - targets[2 * t + 1]!) ** 2;
  }
  return loss;
}

/** The same with the parameters packed as [shoulder angle, shoulder length, elbow angle, elbow length]. */
export function armFlat(q: Float64Array, phis: Float64Array, targets: Float64Array): number {
  let loss = 0;
  for (let t = 0; t < phis.length; t++) {
    const a1 = q[0]! + phis[t]!;
    const a2 = a1 + q[2]!;
    const x = q[1]! * Math.cos(a1) + q[3]! * Math.cos(a2);
    const y = q[1]! * Math.sin(a1) + q[3]! * Math.sin(a2);
    loss += (x - targets[2 * t]!) ** 2 + (y - targets[2 * t + 1]!) ** 2;
  }
  return loss;
}

export const armReachGrad = grad(armReach);
export const armFlatGrad = grad(armFlat);

/** The residual times the Jacobian of the tip, per target, summed into the arm's four numbers. */
export function armHand(arm: Arm, phis: Float64Array, targets: Float64Array): Arm {
  const l1 = arm.shoulder.length;
  const l2 = arm.elbow.length;
  let g1 = 0;
  let gl1 = 0;
  let g2 = 0;
  let gl2 = 0;
  for (let t = 0; t < phis.length; t++) {
    const a1 = arm.shoulder.angle + phis[t]!;
    const a2 = a1 + arm.elbow.angle;
    const c1 = Math.cos(a1);
    const s1 = Math.sin(a1);
    const c2 = Math.cos(a2);
    const s2 = Math.sin(a2);
    const rx = 2 * (l1 * c1 + l2 * c2 - targets[2 * t]!);
    const ry = 2 * (l1 * s1 + l2 * s2 - targets[2 * t + 1]!);
    const e2 = l2 * (ry * c2 - rx * s2);
    g2 += e2;
    g1 += l1 * (ry * c1 - rx * s1) + e2;
    gl1 += rx * c1 + ry * s1;
    gl2 += rx * c2 + ry * s2;
  }
  return { shoulder: { angle: g1, length: gl1 }, elbow: { angle: g2, length: gl2 } };
}

// ---------------------------------------------------------------------------
// (c) Piecewise-linear interpolation over a knot table: the knot values y are
// differentiated; each query finds its segment with findIndex (a data-dependent
// index). Loss Σ (interp(q) − observed)².

export function knotsFind(ys: Float64Array, ts: Float64Array, qs: Float64Array, obs: Float64Array): number {
  let loss = 0;
  for (let k = 0; k < qs.length; k++) {
    const q = qs[k]!;
    const hi = Math.max(1, ts.findIndex((t) => t > q));
    const w = (q - ts[hi - 1]!) / (ts[hi]! - ts[hi - 1]!);
    const r = (1 - w) * ys[hi - 1]! + w * ys[hi]! - obs[k]!;
    loss += r * r;
  }
  return loss;
}

export function knotsFlat(ys: Float64Array, ts: Float64Array, qs: Float64Array, obs: Float64Array): number {
  let loss = 0;
  for (let k = 0; k < qs.length; k++) {
    const q = qs[k]!;
    let hi = 1;
    while (hi < ts.length - 1 && ts[hi]! <= q) hi++;
    const w = (q - ts[hi - 1]!) / (ts[hi]! - ts[hi - 1]!);
    const r = (1 - w) * ys[hi - 1]! + w * ys[hi]! - obs[k]!;
    loss += r * r;
  }
  return loss;
}

export const knotsFindGrad = grad(knotsFind);
export const knotsFlatGrad = grad(knotsFlat);

/** Each residual split between the two knots of its segment. */
export function knotsHand(ys: Float64Array, ts: Float64Array, qs: Float64Array, obs: Float64Array): Float64Array {
  const g = new Float64Array(ys.length);
  for (let k = 0; k < qs.length; k++) {
    const q = qs[k]!;
    let hi = 1;
    while (hi < ts.length - 1 && ts[hi]! <= q) hi++;
    const w = (q - ts[hi - 1]!) / (ts[hi]! - ts[hi - 1]!);
    const r2 = 2 * ((1 - w) * ys[hi - 1]! + w * ys[hi]! - obs[k]!);
    g[hi - 1]! += (1 - w) * r2;
    g[hi]! += w * r2;
  }
  return g;
}

// ---------------------------------------------------------------------------
// (d) for...of over a filter/map chain: a line a·x + b fitted to the points
// right of the origin, its residuals made by map.

export interface Sample {
  x: number;
  y: number;
}

export function chainFit(ab: Float64Array, pts: Sample[]): number {
  let loss = 0;
  for (const r of pts.filter((p) => p.x > 0).map((p) => p.y - (ab[0]! * p.x + ab[1]!))) loss += r * r;
  return loss;
}

export function chainFlat(ab: Float64Array, pts: Sample[]): number {
  let loss = 0;
  for (let i = 0; i < pts.length; i++) {
    if (pts[i]!.x > 0) {
      const r = pts[i]!.y - (ab[0]! * pts[i]!.x + ab[1]!);
      loss += r * r;
    }
  }
  return loss;
}

export const chainFitGrad = grad(chainFit);
export const chainFlatGrad = grad(chainFlat);

export function chainHand(ab: Float64Array, pts: Sample[]): Float64Array {
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    if (p.x > 0) {
      const r2 = -2 * (p.y - (ab[0]! * p.x + ab[1]!));
      ga += r2 * p.x;
      gb += r2;
    }
  }
  const g = new Float64Array(2);
  g[0] = ga;
  g[1] = gb;
  return g;
}
