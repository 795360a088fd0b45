// A Vec3 class with the usual methods, used to compute how far a reflected
// ray lands from a target; differentiated with respect to the normal.
import { grad } from "tsgrad";

export class Vec3 {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
  ) {}

  add(o: Vec3): Vec3 {
    return new Vec3(this.x + o.x, this.y + o.y, this.z + o.z);
  }

  sub(o: Vec3): Vec3 {
    return new Vec3(this.x - o.x, this.y - o.y, this.z - o.z);
  }

  scale(s: number): Vec3 {
    return new Vec3(this.x * s, this.y * s, this.z * s);
  }

  dot(o: Vec3): number {
    return this.x * o.x + this.y * o.y + this.z * o.z;
  }

  get length(): number {
    return Math.sqrt(this.dot(this));
  }

  normalized(): Vec3 {
    return this.scale(1 / this.length);
  }
}

export function reflectionMiss(normal: Vec3, incoming: Vec3, target: Vec3): number {
  const n = normal.normalized();
  const reflected = incoming.sub(n.scale(2 * incoming.dot(n)));
  return reflected.sub(target).dot(reflected.sub(target));
}

export const dReflection = grad(reflectionMiss);

export const cases = [
  {
    f: reflectionMiss,
    df: dReflection,
    args: [new Vec3(0.1, 1.0, 0.2), new Vec3(1, -1, 0), new Vec3(0.8, 0.9, 0.1)],
  },
];
