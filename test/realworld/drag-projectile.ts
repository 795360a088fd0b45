// A projectile with quadratic air drag, integrated with a small Vec2 class;
// the launch speed and angle are tuned so the shell lands near a target.
import { grad } from "tsgrad";

export class Vec2 {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}

  static fromPolar(length: number, angle: number): Vec2 {
    return new Vec2(length * Math.cos(angle), length * Math.sin(angle));
  }

  add(other: Vec2): Vec2 {
    return new Vec2(this.x + other.x, this.y + other.y);
  }

  scale(k: number): Vec2 {
    return new Vec2(this.x * k, this.y * k);
  }

  get length(): number {
    return Math.hypot(this.x, this.y);
  }
}

const GRAVITY = new Vec2(0, -9.81);
const DRAG = 0.02;
const DT = 0.01;

function acceleration(velocity: Vec2): Vec2 {
  return GRAVITY.add(velocity.scale(-DRAG * velocity.length));
}

export function landingError(speed: number, angle: number, target = 60): number {
  let position = new Vec2(0, 0);
  let velocity = Vec2.fromPolar(speed, angle);
  for (let step = 0; step < 400; step++) {
    velocity = velocity.add(acceleration(velocity).scale(DT));
    position = position.add(velocity.scale(DT));
  }
  const miss = position.x - target;
  return miss * miss + position.y * position.y * 0.01;
}

export const dLanding = grad(landingError, [0, 1]);

export const cases = [{ f: landingError, df: dLanding, args: [30, 0.6], wrt: [0, 1] }];
