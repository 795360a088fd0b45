// Potential energy of a 2-D truss under load: fixed supports and free nodes
// are concatenated into one node list, members reference nodes by index, and
// loads are listed by node id.
import { grad } from "tsgrad";

type Node2 = { x: number; y: number };

interface Member {
  a: number;
  b: number;
  stiffness: number;
  rest: number;
}

const SUPPORTS: readonly Node2[] = [
  { x: 0, y: 0 },
  { x: 2, y: 0 },
];
const MEMBERS: Member[] = [
  { a: 0, b: 2, stiffness: 100, rest: 1.414 },
  { a: 1, b: 2, stiffness: 100, rest: 1.414 },
  { a: 0, b: 3, stiffness: 80, rest: 1.0 },
  { a: 2, b: 3, stiffness: 60, rest: 1.0 },
];
const LOADED_NODES = [2, 3];
const LOAD = -5;

export function trussEnergy(free: Node2[]): number {
  const nodes = SUPPORTS.concat(free);
  let energy = 0;
  for (const { a, b, stiffness, rest } of MEMBERS) {
    const stretch = Math.hypot(nodes[a].x - nodes[b].x, nodes[a].y - nodes[b].y) - rest;
    energy += 0.5 * stiffness * stretch * stretch;
  }
  nodes.forEach((node, id) => {
    if (LOADED_NODES.includes(id)) energy -= LOAD * node.y;
  });
  return energy;
}

export const dTruss = grad(trussEnergy);

export const cases = [
  {
    f: trussEnergy,
    df: dTruss,
    args: [
      [
        { x: 1.02, y: 0.97 },
        { x: 0.05, y: 1.01 },
      ],
    ],
  },
];
