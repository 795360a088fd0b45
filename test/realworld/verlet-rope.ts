// A rope simulated with Verlet integration and distance constraints
// (position-based dynamics). The loss asks where the free end hangs after a
// second of wind; we differentiate it with respect to the wind and rest length.
import { grad } from "tsgrad";

class Particle {
  px: number;
  py: number;

  constructor(
    public x: number,
    public y: number,
    public pinned = false,
  ) {
    this.px = x;
    this.py = y;
  }

  integrate(ax: number, ay: number, dt: number): void {
    if (this.pinned) return;
    const vx = this.x - this.px;
    const vy = this.y - this.py;
    this.px = this.x;
    this.py = this.y;
    this.x += vx * DAMPING + ax * dt * dt;
    this.y += vy * DAMPING + ay * dt * dt;
  }
}

interface Constraint {
  a: number;
  b: number;
}

export interface RopeParams {
  wind: number;
  restLength: number;
}

const SEGMENTS = 4;
const DAMPING = 0.98;
const GRAVITY = -9.81;
const STEPS = 30;
const RELAX_ITERATIONS = 3;

const CONSTRAINTS: Constraint[] = Array.from({ length: SEGMENTS }, (_, i) => ({ a: i, b: i + 1 }));

function satisfy(particles: Particle[], { a, b }: Constraint, rest: number): void {
  const p = particles[a];
  const q = particles[b];
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const dist = Math.sqrt(dx * dx + dy * dy);
  const diff = (dist - rest) / dist;
  const share = p.pinned ? 1 : 0.5;
  if (!p.pinned) {
    p.x += dx * diff * share;
    p.y += dy * diff * share;
  }
  q.x -= dx * diff * share;
  q.y -= dy * diff * share;
}

export function hangError(params: RopeParams, target: [number, number], dt = 1 / 30): number {
  const particles = Array.from(
    { length: SEGMENTS + 1 },
    (_, i) => new Particle(i * params.restLength, 0, i === 0),
  );
  for (let step = 0; step < STEPS; step++) {
    particles.forEach((p) => p.integrate(params.wind, GRAVITY, dt));
    for (let k = 0; k < RELAX_ITERATIONS; k++) {
      for (const c of CONSTRAINTS) satisfy(particles, c, params.restLength);
    }
  }
  const end = particles[particles.length - 1];
  return (end.x - target[0]) ** 2 + (end.y - target[1]) ** 2;
}

export const dRope = grad(hangError);

export const cases = [{ f: hangError, df: dRope, args: [{ wind: 2.0, restLength: 0.25 }, [0.6, -0.7]] }];
