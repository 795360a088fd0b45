// A small 2-D physics step: bodies with position, velocity and mass, gravity,
// linear drag and a soft ground contact, each step returning new bodies rather
// than mutating them. The loss asks a thrown ball to land in a basket after a
// fixed number of steps while a heavier crate falls beside it; differentiated
// with respect to the ball's launch velocity.
import { grad } from "tsgrad";

export interface Vec2 {
  readonly x: number;
  readonly y: number;
}

export interface Body {
  readonly position: Vec2;
  readonly velocity: Vec2;
  readonly mass: number;
  readonly drag: number;
}

const vec = (x: number, y: number): Vec2 => ({ x, y });
const add = (a: Vec2, b: Vec2): Vec2 => vec(a.x + b.x, a.y + b.y);
const scale = (a: Vec2, k: number): Vec2 => vec(a.x * k, a.y * k);

const GRAVITY = vec(0, -9.81);
const GROUND_STIFFNESS = 2000;

function forceOn(body: Body): Vec2 {
  const weight = scale(GRAVITY, body.mass);
  const drag = scale(body.velocity, -body.drag);
  const depth = -body.position.y;
  // soft contact: a smooth spring that switches on below the ground
  const contact = vec(0, GROUND_STIFFNESS * Math.log1p(Math.exp(20 * depth)) / 20);
  return add(add(weight, drag), contact);
}

function step(body: Body, dt: number): Body {
  const acceleration = scale(forceOn(body), 1 / body.mass);
  const velocity = add(body.velocity, scale(acceleration, dt));
  return { ...body, velocity, position: add(body.position, scale(velocity, dt)) };
}

const simulate = (bodies: readonly Body[], steps: number, dt: number): Body[] => {
  let world = [...bodies];
  for (let s = 0; s < steps; s++) world = world.map((b) => step(b, dt));
  return world;
};

export function missDistance(launch: Vec2, basket: Vec2, steps = 60, dt = 0.02): number {
  const ball: Body = { position: vec(0, 1), velocity: launch, mass: 0.6, drag: 0.05 };
  const crate: Body = { position: vec(2, 3), velocity: vec(0, 0), mass: 20, drag: 0.5 };
  const [finalBall] = simulate([ball, crate], steps, dt);
  const { x, y } = finalBall.position;
  return (x - basket.x) ** 2 + (y - basket.y) ** 2;
}

export const dMissDistance = grad(missDistance);

export const cases = [
  { f: missDistance, df: dMissDistance, args: [{ x: 4, y: 5 }, { x: 4.5, y: 2.5 }] },
  { f: missDistance, df: dMissDistance, args: [{ x: 3, y: 6 }, { x: 3.0, y: 3.0 }, 40, 0.025] },
];
