// Particles updated in place through aliases; velocity Verlet with a shared config object.
import { grad } from "tsgrad";

interface Particle {
  pos: [number, number];
  vel: [number, number];
}

const config = { dt: 0.05, drag: 0.1 } as const;

function step(ps: Particle[], k: number): void {
  for (const p of ps) {
    const [x, y] = p.pos;
    const ax = -k * x - config.drag * p.vel[0];
    const ay = -k * y - config.drag * p.vel[1] - 9.81;
    p.vel = [p.vel[0] + ax * config.dt, p.vel[1] + ay * config.dt];
    p.pos = [x + p.vel[0] * config.dt, y + p.vel[1] * config.dt];
  }
}

export function finalSpread(
  k: number,
  starts: readonly [number, number][],
): number {
  const ps: Particle[] = starts.map(([x, y]) => ({ pos: [x, y], vel: [0, 0] }));
  for (let t = 0; t < 20; t++) step(ps, k);
  const first = ps[0]!;
  return ps.reduce(
    (s, p) => s + (p.pos[0] - first.pos[0]) ** 2 + p.pos[1] ** 2,
    0,
  );
}

export const dSpread = grad(finalSpread);
export const cases = [
  {
    f: finalSpread,
    df: dSpread,
    args: [
      2.5,
      [
        [1, 0],
        [0.5, 0.5],
        [-0.3, 1.2],
      ],
    ],
  },
];
