// grad(grad(f)) of a function that grows a local array with push: the backward
// sweep pops what the forward sweep pushed, and forward mode over it must pop
// the tangent array too (it crashed in the activity check before).
import { grad } from "tsgrad";

export function f(x: number): number {
  const r: number[] = [];
  for (let i = 0; i < 3; i++) r.push(x * i);
  return r[0] + r[1] * r[2];
}

export const ddf = grad(grad(f));

interface P {
  x: number;
  y: number;
}

/** Records replaced each step (what the fuzzer's records-rebind feature generates). */
export function g(x: number): number {
  let ps: P[] = [];
  for (let i = 0; i < 3; i++) ps.push({ x: x - 2, y: 0.5 + 0.25 * i });
  for (let t = 0; t < 2; t++) ps = ps.map((p) => ({ x: 0.5 * p.x * p.x + 0.25 * p.y, y: p.y * 0.9 + 0.1 * Math.tanh(x) }));
  return ps[0].x + 0.5 * ps[1].y;
}

export const dg = grad(g);
export const ddg = grad(grad(g));
