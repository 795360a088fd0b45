// Benchmark workload: the energy of a chain of springs in 3-D, written twice —
// flat, over the coordinates, and as an application writes it, with a Vec3
// class and its methods. tsgrad inlines the methods and keeps each Vec3 in three
// locals, so the two gradients must run at the same speed (bench/run.mjs).
import { grad } from "tsgrad";

/** Σ k (|p_{i+1} − p_i| − rest)², the points packed as x, y, z in `pos`. */
export function springsFlat(pos: Float64Array, k: number, rest: number): number {
  let energy = 0;
  for (let i = 0; i + 1 < pos.length / 3; i++) {
    const dx = pos[3 * i + 3] - pos[3 * i];
    const dy = pos[3 * i + 4] - pos[3 * i + 1];
    const dz = pos[3 * i + 5] - pos[3 * i + 2];
    const stretch = Math.sqrt(dx * dx + dy * dy + dz * dz) - rest;
    energy += k * stretch * stretch;
  }
  return energy;
}

export class Vec3 {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
  ) {}

  static at(pos: Float64Array, i: number): Vec3 {
    return new Vec3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]);
  }

  minus(o: Vec3): Vec3 {
    return new Vec3(this.x - o.x, this.y - o.y, this.z - o.z);
  }

  dot(o: Vec3): number {
    return this.x * o.x + this.y * o.y + this.z * o.z;
  }

  get length(): number {
    return Math.sqrt(this.dot(this));
  }
}

/** The same energy with Vec3 methods. */
export function springsVec(pos: Float64Array, k: number, rest: number): number {
  let energy = 0;
  for (let i = 0; i + 1 < pos.length / 3; i++) {
    const stretch = Vec3.at(pos, i + 1).minus(Vec3.at(pos, i)).length - rest;
    energy += k * stretch * stretch;
  }
  return energy;
}

export const springsFlatGrad = grad(springsFlat);
export const springsVecGrad = grad(springsVec);

/** The gradient written by hand: one pass, the force of each spring on its two ends. */
export function springsHand(pos: Float64Array, k: number, rest: number): Float64Array {
  const g = new Float64Array(pos.length);
  for (let i = 0; i + 1 < pos.length / 3; i++) {
    const dx = pos[3 * i + 3]! - pos[3 * i]!;
    const dy = pos[3 * i + 4]! - pos[3 * i + 1]!;
    const dz = pos[3 * i + 5]! - pos[3 * i + 2]!;
    const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const s = (2 * k * (len - rest)) / len;
    g[3 * i + 3]! += s * dx;
    g[3 * i + 4]! += s * dy;
    g[3 * i + 5]! += s * dz;
    g[3 * i]! -= s * dx;
    g[3 * i + 1]! -= s * dy;
    g[3 * i + 2]! -= s * dz;
  }
  return g;
}
