// Fuzz seed 20261201, program #221, shrunk: a helper with statements from another
// file, called in a `?:` branch inside the map callbacks that build a local number[][].
import { grad } from "tsgrad";
import { bump } from "./other-file-helper-lib.js";

export function f(x: number, a: number[]): number {
  const m = a.map((u) => a.map((v) => (u > v ? bump(x, u) : v * x)));
  let s = 0;
  for (let i = 0; i < m.length; i++)
    for (let j = 0; j < m[i].length; j++) s += Math.tanh(m[i][j]) * (i + 1 - j);
  return s;
}

export const df = grad(f, [0, 1]);
