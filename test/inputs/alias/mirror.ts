import { grad } from "tsgrad";

interface Body {
  x: number;
  v: number;
}

export function readThroughAlias(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  const b = bodies[0];
  bodies[0].x = 5 * k;
  return b.x * k;
}
export const readThroughAliasGrad = grad(readThroughAlias);

function first(bodies: Body[]): Body {
  return bodies[0];
}

export function helperAlias(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  const b = first(bodies);
  b.x *= k;
  return bodies[0].x;
}
export const helperAliasGrad = grad(helperAlias);

class World {
  bodies: Body[];
  focus: Body;
  constructor(k: number) {
    this.bodies = [{ x: k, v: 2 }];
    this.focus = this.bodies[0];
  }
}

export function fieldAlias(k: number): number {
  const w = new World(k);
  w.focus.x *= k;
  return w.bodies[0].x;
}
export const fieldAliasGrad = grad(fieldAlias);

export function nested(k: number): number {
  const bodies: { p: { x: number; y: number }; m: number }[] = [{ p: { x: k, y: 1 }, m: 2 }];
  for (const b of bodies) {
    const p = b.p;
    p.x *= k;
  }
  return bodies[0].p.x;
}
export const nestedGrad = grad(nested);

export function pushed(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }];
  const others: Body[] = [];
  others.push(bodies[0]);
  others[0].x *= k;
  return bodies[0].x;
}
export const pushedGrad = grad(pushed);

export function loopIndexChanges(k: number): number {
  const bodies: Body[] = [{ x: k, v: 2 }, { x: 1, v: 1 }];
  let i = 0;
  const b = bodies[i];
  i = 1;
  b.x *= k;
  return bodies[0].x + i;
}
export const loopIndexChangesGrad = grad(loopIndexChanges);
