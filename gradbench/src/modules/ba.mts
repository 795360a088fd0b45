// GradBench eval `ba` (ADBench's bundle adjustment). The residuals of one
// observation are a function of its 15 parameters, packed in one Float64Array
// (camera 11, point 3, weight 1), returning both components (reprojResidual);
// its Jacobian block (2 x 15) is tsgrad's `jacobian(reprojResidual, 0, { into: true })`:
// one forward sweep (rotating and projecting once) and one backward sweep per
// component, written into two rows kept across observations, as ADBench's
// manual tool reuses its block buffer. The objective computes both components
// of an observation in one pass (the same arithmetic), as the reference does.
//
// cam = [r1 r2 r3 C1 C2 C3 f u0 v0 k1 k2]: Rodrigues rotation, camera centre,
// focal length, principal point, radial distortion.
import { grad, jacobian } from "tsgrad";
import type { GradBenchModule, Runs } from "../protocol.mjs";
import { check, floats, integer, number } from "./json.mjs";

const N_CAM = 11;

/** Where an observation's parameters sit in the packed array reprojResidual differentiates. */
const POINT = N_CAM;
const WEIGHT = N_CAM + 3;
const BLOCK = N_CAM + 3 + 1;

/**
 * Both components of the weighted reprojection error w (proj(cam, X) - feat) of
 * one observation, its parameters packed in q: the camera q[0 .. 10], the point
 * X = q[11 .. 13] and the weight w = q[14].
 */
export function reprojResidual(q: Float64Array, feat0: number, feat1: number): number[] {
  // X - C
  const p0 = q[POINT]! - q[3]!;
  const p1 = q[POINT + 1]! - q[4]!;
  const p2 = q[POINT + 2]! - q[5]!;
  // rotate by the angle-axis vector (r1, r2, r3)
  const r0 = q[0]!;
  const r1 = q[1]!;
  const r2 = q[2]!;
  const sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
  let x0 = 0;
  let x1 = 0;
  let x2 = 0;
  if (sqtheta !== 0) {
    const theta = Math.sqrt(sqtheta);
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const thetaInverse = 1 / theta;
    const w0 = r0 * thetaInverse;
    const w1 = r1 * thetaInverse;
    const w2 = r2 * thetaInverse;
    const tmp = (w0 * p0 + w1 * p1 + w2 * p2) * (1 - costheta);
    x0 = p0 * costheta + (w1 * p2 - w2 * p1) * sintheta + w0 * tmp;
    x1 = p1 * costheta + (w2 * p0 - w0 * p2) * sintheta + w1 * tmp;
    x2 = p2 * costheta + (w0 * p1 - w1 * p0) * sintheta + w2 * tmp;
  } else {
    x0 = p0 + (r1 * p2 - r2 * p1);
    x1 = p1 + (r2 * p0 - r0 * p2);
    x2 = p2 + (r0 * p1 - r1 * p0);
  }
  // perspective division, radial distortion, focal length and principal point
  const u = x0 / x2;
  const v = x1 / x2;
  const rsq = u * u + v * v;
  const distortion = 1 + q[9]! * rsq + q[10]! * rsq * rsq;
  const w = q[WEIGHT]!;
  return [w * (u * distortion * q[6]! + q[7]! - feat0), w * (v * distortion * q[6]! + q[8]! - feat1)];
}

/** Zach's weight error 1 - w². */
export function weightError(w: number): number {
  return 1 - w * w;
}

// An observation's 2 x 15 block, written into two rows kept across observations:
// fresh rows per observation cost more than the sweeps themselves.
const reprojJacobian = jacobian(reprojResidual, 0, { into: true });
const weightGrad = grad(weightError);

export interface BaInput extends Runs {
  n: number;
  m: number;
  p: number;
  cam: number[];
  x: number[];
  w: number;
  feat: number[];
}

/** The full problem: the one camera, point, weight and feature of the input replicated as the eval prescribes. */
interface BaProblem {
  n: number;
  m: number;
  p: number;
  /** All cameras, 11 numbers each, and all points, 3 each, one after the other (ADBench's layout). */
  camData: Float64Array;
  pointData: Float64Array;
  weights: Float64Array;
  feats: Float64Array;
  obs: Int32Array;
}

function parse(input: BaInput): BaProblem {
  const n = integer(input.n, "n");
  const m = integer(input.m, "m");
  const p = integer(input.p, "p");
  check(n >= 1 && m >= 1 && p >= 1, "input.n, input.m and input.p must be at least 1");
  const cam = floats(input.cam, "cam");
  const x = floats(input.x, "x");
  const feat = floats(input.feat, "feat");
  check(cam.length === N_CAM && x.length === 3 && feat.length === 2, "input.cam, input.x and input.feat must have 11, 3 and 2 numbers");
  const w = number(input.w, "w");
  const weights = new Float64Array(p).fill(w);
  const feats = new Float64Array(2 * p);
  const obs = new Int32Array(2 * p);
  for (let i = 0; i < p; i++) {
    feats[2 * i] = feat[0]!;
    feats[2 * i + 1] = feat[1]!;
    obs[2 * i] = i % n;
    obs[2 * i + 1] = i % m;
  }
  const camData = new Float64Array(N_CAM * n);
  for (let i = 0; i < n; i++) camData.set(cam, N_CAM * i);
  const pointData = new Float64Array(3 * m);
  for (let i = 0; i < m; i++) pointData.set(x, 3 * i);
  return {
    n,
    m,
    p,
    camData,
    pointData,
    weights,
    feats,
    obs,
  };
}

interface Residuals {
  reproj: Float64Array;
  wErr: Float64Array;
}

/** The residuals' storage, kept across runs as GradBench's C++ tools keep their output vectors. */
function residuals(b: BaProblem): Residuals {
  return { reproj: new Float64Array(2 * b.p), wErr: new Float64Array(b.p) };
}

/**
 * Both components of every observation's reprojResidual in one pass each (the same arithmetic,
 * rotating and projecting once per observation), and its weight error. The body is written
 * out in the loop rather than called per observation: a nine-argument call per observation
 * that V8 does not inline cost a third of the time (ba1: 58 ns per observation called, 41 inline).
 */
function objective(b: BaProblem, out: Residuals): Residuals {
  const { reproj, wErr } = out;
  const { camData: cams, pointData: points, obs, weights, feats } = b;
  for (let i = 0; i < b.p; i++) {
    const c = N_CAM * obs[2 * i]!; // camera i is cams[c .. c + 10]
    const q = 3 * obs[2 * i + 1]!; // point i is points[q .. q + 2]
    // X - C
    const p0 = points[q]! - cams[c + 3]!;
    const p1 = points[q + 1]! - cams[c + 4]!;
    const p2 = points[q + 2]! - cams[c + 5]!;
    // rotate by the angle-axis vector (r1, r2, r3)
    const r0 = cams[c]!;
    const r1 = cams[c + 1]!;
    const r2 = cams[c + 2]!;
    const sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
    let x0: number;
    let x1: number;
    let x2: number;
    if (sqtheta !== 0) {
      const theta = Math.sqrt(sqtheta);
      const costheta = Math.cos(theta);
      // sin θ from cos θ where that is well conditioned: θ = |r| ≥ 0, so sin θ ≥ 0 below π,
      // and with |cos θ| < 0.9 the square root is within 3 ulps of Math.sin (1 - cos² ≥ 0.19
      // has no cancellation). V8's Math.sin and Math.cos are each a call into fdlibm with an
      // argument reduction above π/4 (GradBench's cameras turn by 1.59 rad): the root costs a
      // fifth of the objective less per observation (60 -> 47 ns, CPU time, ba1/ba8/ba12).
      // Small rotations, where cos θ is near 1 and the root would lose digits, use Math.sin.
      const sintheta = theta < Math.PI && Math.abs(costheta) < 0.9 ? Math.sqrt(1 - costheta * costheta) : Math.sin(theta);
      const thetaInverse = 1 / theta;
      const w0 = r0 * thetaInverse;
      const w1 = r1 * thetaInverse;
      const w2 = r2 * thetaInverse;
      const tmp = (w0 * p0 + w1 * p1 + w2 * p2) * (1 - costheta);
      x0 = p0 * costheta + (w1 * p2 - w2 * p1) * sintheta + w0 * tmp;
      x1 = p1 * costheta + (w2 * p0 - w0 * p2) * sintheta + w1 * tmp;
      x2 = p2 * costheta + (w0 * p1 - w1 * p0) * sintheta + w2 * tmp;
    } else {
      x0 = p0 + (r1 * p2 - r2 * p1);
      x1 = p1 + (r2 * p0 - r0 * p2);
      x2 = p2 + (r0 * p1 - r1 * p0);
    }
    // perspective division, radial distortion, focal length and principal point
    const u = x0 / x2;
    const v = x1 / x2;
    const rsq = u * u + v * v;
    const distortion = 1 + cams[c + 9]! * rsq + cams[c + 10]! * rsq * rsq;
    const f = cams[c + 6]!;
    const w = weights[i]!;
    reproj[2 * i] = w * (u * distortion * f + cams[c + 7]! - feats[2 * i]!);
    reproj[2 * i + 1] = w * (v * distortion * f + cams[c + 8]! - feats[2 * i + 1]!);
    wErr[i] = weightError(w);
  }
  return out;
}

/** The sparse Jacobian in ADBench's layout: rows are offsets (CSR), cols and vals per nonzero. */
interface SparseJacobian {
  rows: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/**
 * An observation's parameters, and its block's two rows (x and y component): views of one
 * array, the block as vals holds it (row after row), so that it goes in with one copy.
 */
interface BlockStorage {
  q: Float64Array;
  blockData: Float64Array;
  block: Float64Array[];
}

/**
 * The Jacobian's storage (its sizes are fixed by the problem) and the block's, kept across
 * runs as the residuals are and as ADBench's manual tool keeps its block buffer; every run
 * writes all of it. A block made per run missed the Jacobian's check of `into` once a run
 * (it skips only the arrays it checked last), a call V8's optimized Jacobian had no
 * feedback for: it deoptimized, and was at times left running in baseline code with an
 * OSR entry only, ten times slower for every run after (ba1: 100 ms against 12 ms, one
 * process in five or six, --trace-deopt).
 */
function sparseJacobian(b: BaProblem): SparseJacobian & BlockStorage {
  const blockData = new Float64Array(2 * BLOCK);
  return {
    rows: new Int32Array(3 * b.p + 1),
    cols: new Int32Array(2 * BLOCK * b.p + b.p),
    vals: new Float64Array(2 * BLOCK * b.p + b.p),
    q: new Float64Array(BLOCK),
    blockData,
    block: [blockData.subarray(0, BLOCK), blockData.subarray(BLOCK)],
  };
}

function sparse(b: BaProblem, J: SparseJacobian & BlockStorage): SparseJacobian {
  const { rows, cols, vals, q, blockData, block } = J;
  // the problem's arrays in locals: the Jacobian call in the loop is not inlined, so
  // fields of b would be loaded again after every call
  const { obs, camData, pointData, weights, feats, p } = b;
  const pointCols = N_CAM * b.n;
  const weightCols = pointCols + 3 * b.m;
  let nz = 0;
  rows[0] = 0;
  for (let i = 0; i < p; i++) {
    const c = N_CAM * obs[2 * i]!;
    const x = 3 * obs[2 * i + 1]!;
    for (let j = 0; j < N_CAM; j++) q[j] = camData[c + j]!;
    q[POINT] = pointData[x]!;
    q[POINT + 1] = pointData[x + 1]!;
    q[POINT + 2] = pointData[x + 2]!;
    q[WEIGHT] = weights[i]!;
    reprojJacobian(q, feats[2 * i]!, feats[2 * i + 1]!, block);
    vals.set(blockData, nz);
    // both rows have the same columns: 11 camera entries, 3 point entries, the weight
    const pointCol = pointCols + x;
    for (let j = 0; j < N_CAM; j++) {
      cols[nz + j] = c + j;
      cols[nz + BLOCK + j] = c + j;
    }
    for (let j = 0; j < 3; j++) {
      cols[nz + POINT + j] = pointCol + j;
      cols[nz + BLOCK + POINT + j] = pointCol + j;
    }
    cols[nz + WEIGHT] = weightCols + i;
    cols[nz + BLOCK + WEIGHT] = weightCols + i;
    rows[2 * i + 1] = nz + BLOCK;
    rows[2 * i + 2] = nz + 2 * BLOCK;
    nz += 2 * BLOCK;
  }
  for (let i = 0; i < p; i++) {
    cols[nz] = weightCols + i;
    vals[nz++] = weightGrad(weights[i]!);
    rows[2 * p + i + 1] = nz;
  }
  return J;
}

/** GradBench transmits the first 30 entries of each list and the last one. */
function dedup<T extends Int32Array | Float64Array>(a: T): number[] {
  return [...Array.from(a.subarray(0, 30)), a[a.length - 1]!];
}

export const ba: GradBenchModule = {
  objective: (input: BaInput) => {
    const b = parse(input);
    const out = residuals(b);
    return {
      run: () => objective(b, out),
      output: ({ reproj, wErr }: Residuals) => ({
        reproj_error: { elements: [reproj[0], reproj[1]], repeated: b.p },
        w_err: { element: wErr[0], repeated: b.p },
      }),
    };
  },
  jacobian: (input: BaInput) => {
    const b = parse(input);
    const J = sparseJacobian(b);
    return {
      run: () => sparse(b, J),
      output: (J: SparseJacobian) => ({ rows: dedup(J.rows), cols: dedup(J.cols), vals: dedup(J.vals) }),
    };
  },
};
