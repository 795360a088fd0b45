// A camera orbiting a point of interest, built with a small 3-D vector class
// and static constructors; the orbit radius and height are fitted so that
// two landmarks project to the pixel positions a user picked.
import { grad } from "tsgrad";

class Vec3 {
  constructor(
    public readonly x: number,
    public readonly y: number,
    public readonly z: number,
  ) {}

  static zero(): Vec3 {
    return new Vec3(0, 0, 0);
  }

  static onCircle(radius: number, angle: number, height: number): Vec3 {
    return new Vec3(radius * Math.cos(angle), height, radius * Math.sin(angle));
  }

  minus(o: Vec3): Vec3 {
    return new Vec3(this.x - o.x, this.y - o.y, this.z - o.z);
  }

  dot(o: Vec3): number {
    return this.x * o.x + this.y * o.y + this.z * o.z;
  }

  cross(o: Vec3): Vec3 {
    return new Vec3(this.y * o.z - this.z * o.y, this.z * o.x - this.x * o.z, this.x * o.y - this.y * o.x);
  }

  unit(): Vec3 {
    const n = Math.sqrt(this.dot(this));
    return new Vec3(this.x / n, this.y / n, this.z / n);
  }
}

const UP = new Vec3(0, 1, 0);
const FOCAL = 800;

class Camera {
  private readonly forward: Vec3;
  private readonly right: Vec3;
  private readonly up: Vec3;

  constructor(
    private readonly eye: Vec3,
    target: Vec3,
  ) {
    this.forward = target.minus(eye).unit();
    this.right = this.forward.cross(UP).unit();
    this.up = this.right.cross(this.forward);
  }

  project(p: Vec3): [number, number] {
    const d = p.minus(this.eye);
    const depth = d.dot(this.forward);
    return [(FOCAL * d.dot(this.right)) / depth, (FOCAL * d.dot(this.up)) / depth];
  }
}

const LANDMARKS = [new Vec3(1, 0.5, -0.5), new Vec3(-0.8, 1.2, 0.3)];
const PICKED: [number, number][] = [
  [-110, 40],
  [120, 160],
];

export function reprojection(radius: number, height: number, angle = 0.3): number {
  const camera = new Camera(Vec3.onCircle(radius, angle, height), Vec3.zero());
  let error = 0;
  for (let i = 0; i < LANDMARKS.length; i++) {
    const [u, v] = camera.project(LANDMARKS[i]);
    const [pu, pv] = PICKED[i];
    error += (u - pu) ** 2 + (v - pv) ** 2;
  }
  return error / 1000;
}

export const dReprojection = grad(reprojection, [0, 1]);

export const cases = [{ f: reprojection, df: dReprojection, args: [5, 1.5], wrt: [0, 1] }];
