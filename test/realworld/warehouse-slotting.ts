// Slotting products in a pick-face. Each SKU gets a score per slot; a softmax
// over the slots turns the scores into a soft assignment that a solver can
// round later. Expected travel is pick frequency times the distance from the
// packing station; slots have a capacity, and heavy items belong low.
import { grad } from "tsgrad";

export interface Sku {
  readonly code: string;
  readonly picksPerDay: number;
  readonly volume: number; // litres
  readonly heavy?: boolean;
}

export interface Slot {
  readonly aisle: number;
  readonly bay: number;
  readonly level: 0 | 1 | 2;
  readonly capacity: number; // litres
}

const STATION = { x: 0, y: 0 };
const AISLE_PITCH = 3; // m between aisles
const BAY_WIDTH = 1.2; // m per bay

function walkingDistance({ aisle, bay }: Slot): number {
  // out along the cross aisle, down the pick aisle, and back
  return 2 * (Math.abs(aisle * AISLE_PITCH - STATION.x) + Math.abs(bay * BAY_WIDTH - STATION.y));
}

function softmax(row: number[]): number[] {
  const top = Math.max(...row);
  const e = row.map((v) => Math.exp(v - top));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export function slottingCost(scores: number[][], skus: readonly Sku[], slots: readonly Slot[]): number {
  const assignment = scores.map(softmax);
  let travel = 0;
  let ergonomics = 0;
  const load = slots.map(() => 0);
  assignment.forEach((probs, i) => {
    const sku = skus[i];
    probs.forEach((p, j) => {
      travel += p * sku.picksPerDay * walkingDistance(slots[j]);
      if (sku.heavy && slots[j].level > 0) ergonomics += p * sku.picksPerDay * slots[j].level * 5;
      load[j] += p * sku.volume;
    });
  });
  const overflow = slots.reduce((sum, slot, j) => {
    const over = load[j] - slot.capacity;
    return sum + (over > 0 ? over ** 2 : 0);
  }, 0);
  // a little entropy keeps the assignment from collapsing too early
  const entropy = assignment.reduce((s, probs) => s - probs.reduce((t, p) => t + p * Math.log(p), 0), 0);
  return travel + ergonomics + 10 * overflow - 0.5 * entropy;
}

export const dScores = grad(slottingCost);

const SKUS: Sku[] = [
  { code: "TAPE-48", picksPerDay: 120, volume: 20 },
  { code: "BOX-L", picksPerDay: 40, volume: 60, heavy: true },
  { code: "LABEL-4X6", picksPerDay: 200, volume: 8 },
  { code: "STRAP", picksPerDay: 15, volume: 25, heavy: true },
];

const SLOTS: Slot[] = [
  { aisle: 1, bay: 1, level: 0, capacity: 50 },
  { aisle: 1, bay: 1, level: 2, capacity: 40 },
  { aisle: 2, bay: 3, level: 0, capacity: 80 },
  { aisle: 3, bay: 2, level: 1, capacity: 60 },
];

export const cases = [
  {
    f: slottingCost,
    df: dScores,
    args: [
      [
        [0.5, 0.1, -0.2, 0],
        [0, -1, 0.8, 0.2],
        [1.2, 0.3, 0, -0.5],
        [-0.3, 0, 0.4, 0.6],
      ],
      SKUS,
      SLOTS,
    ],
  },
  {
    f: slottingCost,
    df: dScores,
    // a cramped pick-face: three slots overflow
    args: [
      [
        [0.5, 0.1, -0.2, 0],
        [0, -1, 0.8, 0.2],
        [1.2, 0.3, 0, -0.5],
        [-0.3, 0, 0.4, 0.6],
      ],
      SKUS,
      SLOTS.map((slot) => ({ ...slot, capacity: 0.45 * slot.capacity })),
    ],
  },
];
