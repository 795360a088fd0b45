// A small physics scene: a ball with air drag and a rocket whose thrust burns
// out, both subclasses of a base body that integrates them with explicit Euler.
// The launch is tuned so that both land near a target.
import { grad } from "tsgrad";

const GRAVITY = 9.81;

abstract class Body {
  x = 0;
  y = 0;
  constructor(
    protected vx: number,
    protected vy: number,
    readonly mass: number,
  ) {}

  /** The force on the body besides gravity. */
  abstract force(): [number, number];

  get speed(): number {
    return Math.hypot(this.vx, this.vy);
  }

  step(dt: number): void {
    const [fx, fy] = this.force();
    this.vx += (fx / this.mass) * dt;
    this.vy += (fy / this.mass - GRAVITY) * dt;
    this.x += this.vx * dt;
    this.y += this.vy * dt;
  }
}

class Ball extends Body {
  constructor(
    vx: number,
    vy: number,
    mass: number,
    private readonly drag: number,
  ) {
    super(vx, vy, mass);
  }

  force(): [number, number] {
    const k = -this.drag * this.speed;
    return [k * this.vx, k * this.vy];
  }
}

class Rocket extends Body {
  private fuel: number;

  constructor(
    vx: number,
    vy: number,
    mass: number,
    private readonly thrust: number,
    burnTime: number,
  ) {
    super(vx, vy, mass);
    this.fuel = burnTime;
  }

  force(): [number, number] {
    const push = this.fuel > 0 ? this.thrust / this.speed : 0;
    return [push * this.vx, push * this.vy];
  }

  override step(dt: number): void {
    super.step(dt);
    this.fuel -= dt;
  }
}

export function missDistance(
  launch: { speed: number; angle: number },
  target: { x: number; y: number },
): number {
  const vx = launch.speed * Math.cos(launch.angle);
  const vy = launch.speed * Math.sin(launch.angle);
  const scene: Body[] = [
    new Ball(vx, vy, 0.5, 0.02),
    new Rocket(0.5 * vx, 0.5 * vy, 2, 30, 0.4),
  ];
  const dt = 0.01;
  for (let t = 0; t < 120; t++) {
    for (const body of scene) body.step(dt);
  }
  return scene.reduce(
    (sum, b) => sum + (b.x - target.x) ** 2 + (b.y - target.y) ** 2,
    0,
  );
}

export const dMiss = grad(missDistance);
export const cases = [
  {
    f: missDistance,
    df: dMiss,
    args: [
      { speed: 12, angle: 0.8 },
      { x: 10, y: 2 },
    ],
  },
];
