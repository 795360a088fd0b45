// A hanging chain as a polyline: elastic energy of each link plus gravity,
// with the end points pinned. Written with entries() and destructuring.
import { grad } from "tsgrad";

interface ChainConfig {
  restLength: number;
  stiffness: number;
  weight: number;
  anchors: { left: [number, number]; right: [number, number] };
}

const CHAIN: ChainConfig = {
  restLength: 0.5,
  stiffness: 20,
  weight: 0.3,
  anchors: { left: [0, 0], right: [2, 0] },
};

export function chainEnergy(free: [number, number][]): number {
  const nodes = [CHAIN.anchors.left, ...free, CHAIN.anchors.right];
  let energy = 0;
  for (const [i, [x, y]] of nodes.entries()) {
    energy += CHAIN.weight * y;
    if (i === 0) continue;
    const [px, py] = nodes[i - 1];
    const stretch = Math.hypot(x - px, y - py) - CHAIN.restLength;
    energy += 0.5 * CHAIN.stiffness * stretch * stretch;
  }
  return energy;
}

export const dChain = grad(chainEnergy);

export const cases = [
  {
    f: chainEnergy,
    df: dChain,
    args: [
      [
        [0.45, -0.2],
        [1.0, -0.35],
        [1.55, -0.15],
      ],
    ],
  },
];
