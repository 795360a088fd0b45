// Gradients of nested data keep the parameter's shape: ragged rows, row kinds,
// records and tuples; jvp and helpers through the same data.
import { grad, jvp, valueAndGrad } from "tsgrad";

export interface Body {
  x: number;
  y: number;
}

export interface Net {
  W: number[][];
  bias: number;
}

const TARGETS: readonly Body[] = [
  { x: 1, y: 0 },
  { x: 0, y: 1 },
  { x: -1, y: 0.5 },
];

const KERNEL: number[][] = [
  [0.5, 0.25],
  [0.25, 0.5],
];

export function raggedSquares(W: number[][]): number {
  let s = 0;
  for (let i = 0; i < W.length; i++) for (let j = 0; j < W[i].length; j++) s += W[i][j] ** 2 * (i + 1);
  return s;
}

export function rowsOfF64(W: readonly Float64Array[]): number {
  let s = 0;
  for (const row of W) for (let j = 0; j < row.length; j++) s += Math.sin(row[j]);
  return s;
}

export function netLoss(net: Net): number {
  let s = net.bias;
  for (let i = 0; i < net.W.length; i++) {
    const row = net.W[i];
    for (let j = 0; j < row.length; j++) s += KERNEL[i][j] * row[j] * row[j];
  }
  return s;
}

export function pull(bodies: Body[]): number {
  let s = 0;
  for (let i = 0; i < bodies.length; i++) {
    const { x, y } = bodies[i];
    const t = TARGETS[i];
    s += (x - t.x) ** 2 + 3 * (y - t.y) ** 2;
  }
  return s;
}

function spring(a: Body, b: Body): number {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
}

function chain(bodies: Body[]): number {
  let s = 0;
  for (let i = 1; i < bodies.length; i++) s += spring(bodies[i - 1], bodies[i]);
  return s;
}

/** The records pass through a module-level helper, whose gradient is added into the caller's. */
export function chainEnergy(bodies: Body[], k: number): number {
  return k * chain(bodies);
}

export function pairs(obs: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (const [t, v] of obs) s += t * v * v;
  return s;
}

export function stack(T: readonly Float64Array[][]): number {
  let s = 0;
  for (const slab of T) for (const row of slab) for (let k = 0; k < row.length; k++) s += row[k] * (k + 1);
  return s;
}

export const dRagged = grad(raggedSquares);
export const dStack = grad(stack);
export const dRowsOfF64 = grad(rowsOfF64);
export const dNet = grad(netLoss);
export const dPull = grad(pull);
export const dChain = grad(chainEnergy, [0, 1]);
export const dPairs = grad(pairs);
export const vgPull = valueAndGrad(pull);
export const jPull = jvp(pull);
export const jRagged = jvp(raggedSquares);
